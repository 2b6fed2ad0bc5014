"""Links seen in pixels: words drawn in link blue or visited purple become ``link`` elements.

With a screenshot alone every OCR line is plain text, so "the link 'nam'" cannot tell the
linked word from the same word in the prose around it. Browsers draw links in a saturated
blue (visited ones purple) that body text never uses, so each OCR word's ink colour splits a
line into runs of plain text and runs of link.
"""

from __future__ import annotations

import numpy as np

from guiagent.observation import Box, Element
from guiagent.perception.ocr import OcrLine, OcrWord

#: How far (max channel difference, 0..255) a pixel must be from the background to be ink.
_INK = 60


def text_and_links(image: np.ndarray, lines: list[OcrLine]) -> list[Element]:
    """The lines' segments as ``text`` elements, with link-coloured runs of words as ``link``."""
    out: list[Element] = []
    for line in lines:
        for seg in line.segments():
            runs = _runs(image, seg.words) if seg.words else []
            if not any(link for link, _ in runs):
                out.append(_element(seg.text, seg.box, seg.score, "text"))
                continue
            for link, words in runs:
                box = Box(
                    left=words[0].box.left,
                    top=seg.box.top,
                    right=words[-1].box.right,
                    bottom=seg.box.bottom,
                )
                text = " ".join(w.text for w in words)
                out.append(_element(text, box, seg.score, "link" if link else "text"))
    return out


def link_share(image: np.ndarray, box: Box) -> float:
    """Of the pixels in ``box`` that stand out from its border's colour (the glyphs), the
    share drawn in a link colour. The box's top and bottom fifth are left out: a line above
    may reach in with its underline."""
    h, w = image.shape[:2]
    box = box.clip(w, h)
    trim = box.height // 5
    cells = image[box.top + trim : box.bottom - trim, box.left : box.right].astype(np.int16)
    if cells.shape[0] < 2 or cells.shape[1] < 2:
        return 0.0
    border = np.concatenate([cells[0], cells[-1], cells[:, 0], cells[:, -1]])
    background = np.median(border, axis=0)
    pixels = cells.reshape(-1, 3)
    ink = pixels[np.abs(pixels - background).max(axis=1) > _INK]
    if len(ink) < 4:
        return 0.0
    r, g, b = ink[:, 0], ink[:, 1], ink[:, 2]
    linked = (b >= 100) & (b - g >= 60) & (b - r >= 30)
    return float(linked.mean())


def _runs(image: np.ndarray, words: tuple[OcrWord, ...]) -> list[tuple[bool, list[OcrWord]]]:
    runs: list[tuple[bool, list[OcrWord]]] = []
    for word in words:
        # link blue (#0000EE and its kin) or visited purple (#551A8B), never body text's grey
        link = link_share(image, word.box) >= 0.5
        if runs and runs[-1][0] == link:
            runs[-1][1].append(word)
        else:
            runs.append((link, [word]))
    return runs


def _element(text: str, box: Box, score: float, role: str) -> Element:
    return Element(role=role, source="ocr", name=text, box=box, score=score)
