"""Check box and radio button boxes cut to what is drawn.

A toggle's box includes its label (clicking either toggles it), but the box a toolkit reports
is its allocation: a GTK check button in a preferences page, or a web label styled as a
block, stretches across the whole column with nothing drawn in its right part. Neither a
person nor the detector can see that space, so labels keep the drawn extent: the box cut to
the rows and columns holding ink (pixels unlike the box's border colour), plus a little
padding. Used wherever labels are written (generated screens, real screens, the held-out
set) so training and scoring share one convention; ``python -m
guiagent.grounding_models.detector.trim DIR...`` rewrites existing ``labels.jsonl`` files.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

TOGGLES = ("checkbox", "radio_button")
#: a channel differing this much from the border colour is ink
INK_STEP = 40
PAD = 2


def drawn_extent(pixels: np.ndarray, box: list[Any], pad: int = PAD) -> list[Any]:
    """``box`` ``[x0, y0, x1, y1, ...]`` cut to its ink; unchanged when it holds none or is
    already tight (a border colour that is not the page behind it, e.g. a filled chip)."""
    h, w = pixels.shape[:2]
    x0, y0 = max(0, int(box[0])), max(0, int(box[1]))
    x1, y1 = min(w, int(box[2])), min(h, int(box[3]))
    if x1 - x0 < 4 or y1 - y0 < 4:
        return list(box)
    crop = pixels[y0:y1, x0:x1, :3].astype(np.int16)
    border = np.concatenate([crop[0], crop[-1], crop[:, 0], crop[:, -1]])
    colours, counts = np.unique(border, axis=0, return_counts=True)
    if counts.max() < 0.6 * len(border):
        return list(box)  # no one background around it: leave it as labelled
    background = colours[counts.argmax()]
    ink = np.abs(crop - background).max(axis=2) > INK_STEP
    cols, rows = np.nonzero(ink.any(axis=0))[0], np.nonzero(ink.any(axis=1))[0]
    if len(cols) == 0:
        return list(box)
    return [
        max(x0, x0 + int(cols[0]) - pad),
        max(y0, y0 + int(rows[0]) - pad),
        min(x1, x0 + int(cols[-1]) + 1 + pad),
        min(y1, y0 + int(rows[-1]) + 1 + pad),
        *box[4:],
    ]


def trim_toggles(pixels: np.ndarray, boxes: list[list[Any]]) -> list[list[Any]]:
    """Every check box and radio button of ``boxes`` cut to its drawn extent."""
    return [drawn_extent(pixels, b) if b[4] in TOGGLES else list(b) for b in boxes]


def rewrite(folder: Path) -> tuple[int, int]:
    """Rewrites ``folder/labels.jsonl`` in place; returns (toggle boxes, boxes changed)."""
    path = folder / "labels.jsonl"
    lines, seen, changed = [], 0, 0
    for text in path.read_text(encoding="utf-8").splitlines():
        if not text.strip():
            continue
        item = json.loads(text)
        if any(b[4] in TOGGLES for b in item["boxes"]):
            with Image.open(folder / item["image"]) as img:
                pixels = np.asarray(img.convert("RGB"))
            trimmed = trim_toggles(pixels, item["boxes"])
            seen += sum(b[4] in TOGGLES for b in item["boxes"])
            changed += sum(a != b for a, b in zip(item["boxes"], trimmed, strict=True))
            item["boxes"] = trimmed
        lines.append(json.dumps(item))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return seen, changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("folders", nargs="+", type=Path, help="folders holding labels.jsonl")
    args = parser.parse_args(argv)
    for folder in args.folders:
        if not (folder / "labels.jsonl").is_file():
            parser.error(f"{folder}: no labels.jsonl there")
        seen, changed = rewrite(folder)
        print(f"{folder}: {changed} of {seen} check box / radio boxes cut to what is drawn")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
