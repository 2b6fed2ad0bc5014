"""Real desktop training screens for the element detector: GTK 3 apps with boxes from AT-SPI
and random Tk windows with boxes from Tk itself, on a private Xvfb.

    python -m guiagent.grounding_models.detector.realgen --out DIR [--minutes M] [--seed S]
    python -m guiagent.grounding_models.detector.realgen --out DIR --check 12   # draw boxes

writes ``DIR/images/NNNNN.png`` and appends to ``DIR/labels.jsonl`` in datagen.py's format
(``{"image", "width", "height", "boxes": [[x0, y0, x1, y1, class], ...]}``), plus one line
per image to ``DIR/sources.jsonl`` (source app, theme, scale) for the statistics.
``--check N`` draws the boxes of N random images into ``DIR/check/``.

Why: the detector has only seen generated web pages and does badly on GTK/Tk screens. The
sources are gtk3-widget-factory, gtk3-demo, gedit, zenity, yad and ``tkforms.py`` under
random GTK themes, font scales, window sizes and with menus, combo pop-ups, popovers, tabs
and dialogs opened. Labels follow the held-out set's conventions
(``benchmarks/detector_set/make_set.py``): every control named or not, a check box's box
includes its label, no list rows / table cells / scroll bars, spin buttons are text fields,
toggle buttons are buttons. The held-out apps (galculator, mousepad, the suite's Tk form) and
those of the other held-out set (gnome-calculator, gucharmap, LibreOffice, evince,
file-roller, Chromium) are never started here.

The work is split: ``atspi_boxes.py`` (AT-SPI walk, labelling rules), ``real_scenes.py``
(which app, which look), ``real_capture.py`` (driving the app, taking the shots) and this
module (command line, main loop, writing and checking the labels).
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw

from guiagent.grounding_models.detector.real_capture import Capturer
from guiagent.grounding_models.detector.real_scenes import make_scene
from guiagent.grounding_models.detector.trim import trim_toggles


class Output:
    """DIR/images + DIR/labels.jsonl (appended, numbering after what is there already)."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.images = out / "images"
        self.images.mkdir(parents=True, exist_ok=True)
        numbers = [int(p.stem) for p in self.images.glob("*.png") if p.stem.isdigit()]
        self.next = max(numbers, default=-1) + 1
        self.count = 0
        self.classes: dict[str, int] = {}

    def add(self, image: Image.Image, boxes: list[list[Any]], meta: dict[str, Any]) -> str:
        name = f"images/{self.next:05d}.png"
        self.next += 1
        image.save(self.out / name, optimize=False, compress_level=3)
        boxes = trim_toggles(np.asarray(image.convert("RGB")), boxes)  # as drawn, see trim.py
        line = {"image": name, "width": image.width, "height": image.height, "boxes": boxes}
        with (self.out / "labels.jsonl").open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(line) + "\n")
        with (self.out / "sources.jsonl").open("a", encoding="utf-8") as fh:
            fh.write(json.dumps({"image": name, **meta}) + "\n")
        self.count += 1
        for box in boxes:
            self.classes[box[4]] = self.classes.get(box[4], 0) + 1
        return name


def generate(out: Path, minutes: float, seed: int) -> Output:
    """Capture random scenes until ``minutes`` have passed (or SIGTERM / SIGINT: the scene
    under way finishes and the display is torn down); returns the output's counts."""
    from guiagent.platforms.linux.xvfb import VirtualDisplay

    stop_now: list[int] = []

    def on_signal(signum: int, _frame: object) -> None:
        stop_now.append(signum)  # GLib swallows KeyboardInterrupt inside D-Bus calls

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    rng = random.Random(seed)
    output = Output(out)
    home = tempfile.mkdtemp(prefix="realgen-")
    for entry in ("Documents/", "Pictures/", "notes.txt", "report.odt", "todo.md"):
        path = Path(home) / entry
        path.mkdir() if entry.endswith("/") else path.write_text("x\n")
    deadline = time.monotonic() + minutes * 60
    with VirtualDisplay(1440, 900, accessibility=True) as vd:
        vd.apply()
        cap = Capturer(vd, output, rng, home)
        n = 0
        try:
            while time.monotonic() < deadline - 15 and not stop_now:
                scene, look = make_scene(rng, home, seed * 100000 + n)
                n += 1
                print(f"scene {n}: {scene.source} [{look}]", flush=True)
                try:
                    if scene.tk_layout is not None:
                        cap.run_tk(scene)
                    else:
                        cap.run_gtk(scene, look)
                except Exception as exc:  # one broken scene must not end the run
                    print(f"  ({scene.source} failed: {type(exc).__name__}: {exc})", flush=True)
        finally:
            cap.driver.close()
            vd.restore()
    return output


COLOURS = {
    "button": "red", "icon_button": "magenta", "text_field": "blue", "checkbox": "green",
    "radio_button": "lime", "dropdown": "orange", "tab": "cyan", "menu_item": "purple",
    "link": "brown", "slider": "yellow",
}  # fmt: skip


def check(out: Path, count: int, seed: int) -> list[Path]:
    """Draw the boxes of ``count`` random images into ``out/check`` (to look at them)."""
    lines = [json.loads(x) for x in (out / "labels.jsonl").read_text().splitlines() if x]
    rng = random.Random(seed)
    (out / "check").mkdir(exist_ok=True)
    written = []
    for line in rng.sample(lines, min(count, len(lines))):
        with Image.open(out / line["image"]) as img:
            canvas = img.convert("RGB")
        draw = ImageDraw.Draw(canvas)
        for x0, y0, x1, y1, cls in line["boxes"]:
            draw.rectangle((x0, y0, x1 - 1, y1 - 1), outline=COLOURS[cls], width=2)
            draw.text((x0 + 2, y0 + 1), cls[:4], fill=COLOURS[cls])
        path = out / "check" / Path(line["image"]).name
        canvas.save(path)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="real GTK / Tk training screens")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--minutes", type=float, default=20.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--check", type=int, default=0, help="draw N images' boxes, no capture")
    args = parser.parse_args(argv)
    out: Path = args.out.resolve()
    if args.check:
        for path in check(out, args.check, args.seed):
            print(path)
        return 0
    output = generate(out, args.minutes, args.seed)
    total = sum(output.classes.values())
    print(f"{output.count} images, {total} boxes: {dict(sorted(output.classes.items()))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
