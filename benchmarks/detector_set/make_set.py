"""Regenerate the held-out detection set: ``images/*.png`` + ``labels.jsonl`` (every
interactive element's box and detector class), for ``grounding_models/detector/evaluate.py``.

    python benchmarks/detector_set/make_set.py            # rewrites this folder
    python benchmarks/detector_set/make_set.py --out DIR  # or writes elsewhere

Why: the detector is trained on generated screens only; its figures must come from real
screens the generator never drew. The scenes are those of the held-out grounding set
(``benchmarks/grounding_set``, whose scripts drive them): galculator, mousepad and the Tk
form on a private Xvfb with boxes from AT-SPI (the Tk form from its own layout file), the
local pages in ``grounding_set/pages`` and seeded MiniWoB++ tasks in headless Chromium with
boxes from the DOM. Unlike the grounding set, every control is kept, named or not, repeated
or not. List rows, table cells and scroll bars are left out: the detector has no class for
them. A check box or radio button's box includes its label (clicking either toggles it).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from guiagent.grounding_models.detector import box_iou
from guiagent.grounding_models.detector.trim import trim_toggles

HERE = Path(__file__).resolve().parent
GROUNDING = HERE.parent / "grounding_set"
sys.path.insert(0, str(GROUNDING))

import web_scenes  # noqa: E402


def _grounding_script() -> Any:
    """The grounding set's make_set.py (same file name as this one, so loaded by path)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("grounding_make_set", GROUNDING / "make_set.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


grounding = _grounding_script()

#: the desktop driver's normalised roles -> detector class
DESKTOP_CLASSES = {
    "button": "button",
    "toggle_button": "button",
    "checkbox": "checkbox",
    "radio": "radio_button",
    "combo_box": "dropdown",
    "menu_item": "menu_item",
    "menu": "menu_item",
    "tab": "tab",
    "link": "link",
    "text_field": "text_field",
}


class Labels:
    """The set being written: one JSON line per image."""

    def __init__(self, out: Path):
        self.out = out
        self.lines: list[dict[str, Any]] = []

    def add(self, name: str, size: tuple[int, int], boxes: list[list[Any]]) -> None:
        with Image.open(self.out / "images" / name) as img:  # toggles as drawn, see trim.py
            boxes = trim_toggles(np.asarray(img.convert("RGB")), boxes)
        kept: list[list[Any]] = []
        for box in boxes:  # the same control twice (a tab and the link inside it): once
            if not any(box_iou(box, k) > 0.7 for k in kept):
                kept.append(box)
        self.lines.append(
            {"image": f"images/{name}", "width": size[0], "height": size[1], "boxes": kept}
        )
        print(f"  {name}: {len(kept)} boxes")


LABELS: Labels | None = None


def desktop_shoot(driver, out: Path, name: str, col, extra=None, ready=None) -> int:  # type: ignore[no-untyped-def]
    """Stands in for the grounding set's ``shoot``: same settling and crop, all controls."""
    assert LABELS is not None
    time.sleep(1.0)
    obs = driver.observe()
    deadline = time.monotonic() + 10
    while ready is not None and not ready(obs.accessibility or []):
        if time.monotonic() > deadline:
            break
        time.sleep(0.3)
        obs = driver.observe()
    count = -1  # a busy machine fills the tree late: wait until it stops growing
    while len(obs.accessibility or []) != count and time.monotonic() < deadline + 10:
        count = len(obs.accessibility or [])
        time.sleep(1.0)
        obs = driver.observe()
    elements = list(obs.accessibility or [])
    win = obs.active_window.box if obs.active_window and obs.active_window.box else None
    frames = [el.box for el in elements if el.role == "window"] or ([win] if win else [])
    if not frames:
        return 0
    frames += [el.box for el in elements if el.role == "menu_item"]
    left, top = max(0, min(b.left for b in frames)), max(0, min(b.top for b in frames))
    right = min(obs.width, max(b.right for b in frames))
    bottom = min(obs.height, max(b.bottom for b in frames))
    image = Image.fromarray(obs.image).crop((left, top, right, bottom))
    image.save(out / name, optimize=True)
    # the open menu's entries hang from the selected menu bar entry: what they cover is hidden
    opened = [el.box for el in elements if el.role == "menu" and "selected" in el.states]
    popup = [
        el.box
        for el in elements
        if el.role == "menu_item" and any(abs(el.box.left - m.left) <= 8 for m in opened)
    ]
    hidden = 0
    boxes: list[list[Any]] = []
    for el in elements:
        cls = DESKTOP_CLASSES.get(el.role)
        b = el.box
        if cls is None or b.width < 6 or b.height < 6:
            continue
        if el.role == "menu" and b.height > 40:  # an open menu's frame, not an entry
            continue
        if b.left < left or b.top < top or b.right > right or b.bottom > bottom:
            continue
        if el.role != "menu_item" and sum(b.intersection(p) for p in popup) > 0.2 * b.area:
            hidden += 1
            continue
        boxes.append([b.left - left, b.top - top, b.right - left, b.bottom - top, cls])
    if extra is not None:  # the Tk form: (instruction, kind, (x, y, w, h)) from its layout
        for instruction, _, (x, y, w, h) in extra((left, top, right, bottom)):
            cls = "text_field" if "field" in instruction else "button"
            cls = "checkbox" if "checkbox" in instruction else cls
            boxes.append([x, y, x + w, y + h, cls])
    LABELS.add(name, image.size, boxes)
    if hidden:
        print(f"    ({hidden} controls under the open menu left out)")
    return len(boxes)


def web_class(item: dict[str, Any]) -> str | None:
    """Detector class of one DOM element from the grounding set's extraction, or None."""
    tag, typ, role, cls = item["tag"], item["type"], item["role"], item["cls"]
    if tag == "input":
        if typ == "checkbox":
            return "checkbox"
        if typ == "radio":
            return "radio_button"
        if typ == "range":
            return "slider"
        if typ in ("submit", "button", "reset"):
            return "button"
        return "text_field"
    if tag == "textarea":
        return "text_field"
    if tag == "select":
        return "dropdown"
    if role == "tab":
        return "tab"
    if role == "menuitem":
        return "menu_item"
    if tag == "a" or role == "link" or "alink" in cls or cls in ("folder", "file"):
        return "link"
    shown = (item["text"] or item["value"]).strip()
    if tag in ("button", "summary") or role == "button":
        return "button" if shown else "icon_button"
    return "icon_button" if not shown else "button"


def web_shoot(page: Any, out: Path, name: str, add: Any, platform: str, clip: Any, scale: float):  # type: ignore[no-untyped-def]
    """Stands in for the grounding set's web ``_shoot``: every control, not only named ones."""
    assert LABELS is not None
    path = out / name
    page.screenshot(path=str(path), clip=clip) if clip else page.screenshot(path=str(path))
    with Image.open(path) as img:
        img.save(path, optimize=True)
        width, height = img.size
    boxes: list[list[Any]] = []
    for item in page.evaluate(web_scenes.EXTRACT_JS):
        cls = web_class(item)
        if cls is None:
            continue
        x, y, w, h = item["box"]
        if cls in ("checkbox", "radio_button") and item["lbox"]:
            lx, ly, lw, lh = item["lbox"]
            x2, y2 = max(x + w, lx + lw), max(y + h, ly + lh)
            x, y = min(x, lx), min(y, ly)
            w, h = x2 - x, y2 - y
        box = [round(x * scale), round(y * scale), round((x + w) * scale), round((y + h) * scale)]
        if box[0] < 0 or box[1] < 0 or box[2] > width or box[3] > height:
            continue
        boxes.append([*box, cls])
    LABELS.add(name, (width, height), boxes)


def main(argv: list[str] | None = None) -> int:
    import argparse

    global LABELS
    parser = argparse.ArgumentParser(description="regenerate the held-out detection set")
    parser.add_argument("--out", type=Path, default=HERE)
    out: Path = parser.parse_args(argv).out.resolve()  # the desktop scenes chdir
    images = out / "images"
    images.mkdir(parents=True, exist_ok=True)
    for old in images.glob("*.png"):
        old.unlink()
    LABELS = Labels(out)
    grounding.shoot = desktop_shoot
    web_scenes._shoot = web_shoot
    print("desktop scenes (Xvfb + AT-SPI):")
    grounding.capture_desktop(images, grounding.Collector())
    print("web scenes (headless Chromium):")
    web_scenes.capture_web(images, lambda *a: None)
    with (out / "labels.jsonl").open("w", encoding="utf-8") as fh:
        for line in LABELS.lines:
            fh.write(json.dumps(line) + "\n")
    counts: dict[str, int] = {}
    for line in LABELS.lines:
        for box in line["boxes"]:
            counts[box[4]] = counts.get(box[4], 0) + 1
    size = sum(p.stat().st_size for p in images.glob("*.png"))
    print(f"{len(LABELS.lines)} images, {sum(counts.values())} boxes {counts}; {size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
