"""Synthetic training screens for the element detector, rendered in headless Chromium.

``python -m guiagent.grounding_models.detector.datagen --out DIR --count N --seed S`` writes
``DIR/images/NNNNN.png`` and ``DIR/labels.jsonl`` (one line per image: image, width, height,
boxes ``[x0, y0, x1, y1, class]`` in image pixels). Boxes come from the DOM, for controls that
are visible and not covered by something else, so the labels cost nothing and are exact.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from guiagent.config import BrowserConfig
from guiagent.grounding_models.detector.layouts import page as random_page
from guiagent.grounding_models.detector.layouts import small_page
from guiagent.grounding_models.detector.trim import trim_toggles
from guiagent.platforms.browser.launch import BASE_ARGS

CHROMIUM = BrowserConfig().executable_path or "/usr/bin/chromium"
ARGS = list(BASE_ARGS)
SCALES = (1.0, 1.0, 1.0, 1.0, 1.25, 1.5, 2.0)
#: share of small plain pages (a few controls in a phone-width or task-sized view), shot mostly
#: at device scale 2 as HiDPI screenshots of web pages are: few, large controls per screen
SMALL_SHARE = 0.3
SMALL_SCALES = (2.0, 2.0, 2.0, 1.5, 1.0)

#: boxes of the visible, uncovered ``[data-k]`` controls, in CSS pixels, clipped to the view
EXTRACT_JS = """() => {
  const vw = window.innerWidth, vh = window.innerHeight, out = [];
  for (const el of document.querySelectorAll('[data-k]')) {
    const r = el.getBoundingClientRect();
    if (r.width < 4 || r.height < 4) continue;
    const st = getComputedStyle(el);
    if (st.visibility === 'hidden' || st.display === 'none') continue;
    const x0 = Math.max(0, r.left), y0 = Math.max(0, r.top);
    const x1 = Math.min(vw, r.right), y1 = Math.min(vh, r.bottom);
    if (x1 - x0 < 4 || y1 - y0 < 4) continue;
    if ((x1 - x0) * (y1 - y0) < 0.6 * r.width * r.height) continue;
    let hits = 0;
    for (const [fx, fy] of [[.5, .5], [.2, .25], [.8, .25], [.2, .75], [.8, .75]]) {
      const top = document.elementFromPoint(x0 + fx * (x1 - x0), y0 + fy * (y1 - y0));
      if (top && (top === el || el.contains(top))) hits++;
    }
    if (hits < 4) continue;
    out.push([x0, y0, x1, y1, el.dataset.k]);
  }
  return out;
}"""


def render(
    out: Path, count: int, seed: int, start: int = 0, small_share: float = SMALL_SHARE
) -> int:
    """Render ``count`` screens into ``out``; returns how many boxes were written.
    ``small_share`` of them are small pages (``layouts.small_page``)."""
    from playwright.sync_api import sync_playwright

    images = out / "images"
    images.mkdir(parents=True, exist_ok=True)
    blank = out / "blank.html"
    blank.write_text("<!doctype html><html><body></body></html>", encoding="utf-8")
    total = 0
    t0 = time.monotonic()
    with (
        sync_playwright() as pw,
        (out / "labels.jsonl").open("a", encoding="utf-8") as labels,
    ):
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        pages: dict[float, Any] = {}
        for i in range(start, start + count):
            rng = random.Random(seed * 1_000_003 + i)
            small = rng.random() < small_share
            if small:
                scale = rng.choice(SMALL_SCALES)
                width = round(rng.randint(240, 640) * scale)
                height = round(rng.randint(260, 600) * scale)
            else:
                scale = rng.choice(SCALES)
                width = rng.randint(800, 1920)
                height = min(1200, max(600, round(width * rng.uniform(0.5, 0.85))))
            if scale not in pages:
                ctx = browser.new_context(device_scale_factor=scale)
                pages[scale] = ctx.new_page()
                pages[scale].goto(blank.as_uri())
            tab = pages[scale]
            tab.set_viewport_size({"width": round(width / scale), "height": round(height / scale)})
            html, _ = small_page(rng) if small else random_page(rng)
            tab.set_content(html, wait_until="load")
            boxes = [
                [round(x0 * scale), round(y0 * scale), round(x1 * scale), round(y1 * scale), k]
                for x0, y0, x1, y1, k in tab.evaluate(EXTRACT_JS)
            ]
            name = f"images/{i:05d}.png"
            tab.screenshot(path=str(out / name))
            with Image.open(out / name) as img:
                shot_w, shot_h = img.size
                boxes = trim_toggles(np.asarray(img.convert("RGB")), boxes)  # see trim.py
            line = {"image": name, "width": shot_w, "height": shot_h, "boxes": boxes}
            labels.write(json.dumps(line) + "\n")
            labels.flush()
            total += len(boxes)
            if (i - start + 1) % 100 == 0:
                rate = (i - start + 1) / (time.monotonic() - t0)
                print(f"{i - start + 1}/{count} screens, {rate:.1f}/s", file=sys.stderr)
        browser.close()
    blank.unlink(missing_ok=True)
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--start", type=int, default=0, help="first image number")
    parser.add_argument("--small-share", type=float, default=SMALL_SHARE, help="small pages")
    args = parser.parse_args(argv)
    boxes = render(args.out, args.count, args.seed, args.start, args.small_share)
    print(f"{args.count} screens, {boxes} boxes -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
