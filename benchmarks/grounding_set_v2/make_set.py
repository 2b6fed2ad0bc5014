"""Build the v2 held-out grounding set: ``data/*.png`` + ``data/screenspot.json``.

    .venv/bin/python benchmarks/grounding_set_v2/make_set.py            # rewrites data/
    .venv/bin/python benchmarks/grounding_set_v2/make_set.py --out DIR  # or elsewhere

Why: the v1 set's misses were read to tune grounding, so it no longer measures it. This set
uses only screens v1 never used (see README.md) and must never be used for tuning.

* Desktop (``linux``): a private Xvfb 1280x800 + openbox + AT-SPI (v1's machinery); gucharmap
  (main window, two menus, its details tab), LibreOffice Calc (main window, a menu) and
  file-roller. LibreOffice reports its toolbar and sheet extents relative to the area under
  its menu bar: those boxes are moved down by the menu bar's height, and any box whose pixels
  are flat (nothing drawn there) is dropped.
* ``chromium``: Chromium's own pages (settings, downloads, history, extensions, flags), boxes
  from the accessibility tree via CDP (``web_v2.py``).
* ``web``: three local pages written for this set (``pages/``: mail, shop, file manager)
  whose icon-only buttons are named only by aria-label / title.
* ``miniwob``: seeded MiniWoB++ tasks v1 did not use.

``data_type`` is ``icon`` when the element's name is not drawn as text on screen.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from phrasing import phrase  # noqa: E402
from web_v2 import capture_chrome, capture_web  # noqa: E402


def _load_v1() -> Any:
    """v1's make_set module (Collector, CLICKABLE, ...), imported by path, not copied."""
    path = HERE.parent / "grounding_set" / "make_set.py"
    spec = importlib.util.spec_from_file_location("grounding_set_v1", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


V1 = _load_v1()
DATA = HERE / "data"
_KIND = {
    "menu": "menu",
    "menu_item": "menu_item",
    "tab": "tab",
    "combo_box": "combo_box",
    "text_field": "text_field",
    "spin_button": "text_field",
    "checkbox": "checkbox",
    "radio": "radio",
    "list_item": "item",
    "link": "link",
}
#: apps whose small buttons show an icon, not their name (gucharmap's Bold / Italic show text;
#: seen on the screenshots)
_ICON_BUTTON_APPS = {"calc", "fileroller"}
#: elements named but not pointed at by name on screen (cells are named A1, B1, ...)
_SKIP_ROLES = {"table_cell"}


def desktop_targets(
    elements: list[Any], crop: tuple[int, int, int, int], screen: str, app: str
) -> list[tuple[str, str, tuple[int, int, int, int]]]:
    """(instruction, data_type, box in the crop) for the named controls shown once."""
    left, top, right, bottom = crop
    found: dict[str, tuple[str, tuple[int, int, int, int]]] = {}
    dupes: set[str] = set()
    names: dict[str, str] = {}
    for el in elements:
        name = re.sub(r"\s*\(.*\)|(\.\.\.|…)$", "", " ".join(el.name.split()))
        b = el.box
        if el.role not in V1.CLICKABLE or el.role in _SKIP_ROLES or not name or len(name) > 40:
            continue
        if V1._NOT_A_NAME.match(name) or (app == "calc" and el.role == "list_item"):
            continue
        if (
            b.width < 6
            or b.height < 6
            or b.left < left
            or b.top < top
            or b.right > right
            or b.bottom > bottom
        ):
            continue
        box = (b.left - left, b.top - top, b.width, b.height)
        key = name.lower()
        if key in found:
            old = found[key][1]
            if abs(old[0] - box[0]) < 12 and abs(old[1] - box[1]) < 12:  # one control, twice
                if box[3] > old[3]:
                    found[key] = (el.role, box)
                continue
            dupes.add(key)
            continue
        found[key] = (el.role, box)
        names[key] = name
    labels = {
        " ".join(el.name.split()).rstrip(":").lower() for el in elements if el.role == "label"
    }
    out = []
    for key, (role, box) in found.items():
        name = names[key]
        if key in dupes:
            continue
        if role in ("button", "toggle_button"):
            if app in _ICON_BUTTON_APPS and box[2] <= 50 and box[3] <= 50:
                out.append((phrase("icon", name, app), "icon", box))
            else:
                out.append((phrase("button", name, app), "text", box))
        else:
            kind = _KIND.get(role, "item")
            if role == "menu" and box[1] > 60:  # a submenu inside an open menu
                kind = "menu_item"
            # a field or drop-down shows its value, not its name, unless a label says it
            shown = kind not in ("text_field", "combo_box") or key in labels
            out.append((phrase(kind, name, app), "text" if shown else "icon", box))
    return out


class _Shifted:
    """An element whose box LibreOffice reported relative to the area under its menu bar."""

    def __init__(self, el: Any, dy: int) -> None:
        self.role, self.name = el.role, el.name
        self.box = el.box.model_copy(update={"top": el.box.top + dy, "bottom": el.box.bottom + dy})


def _libreoffice_fix(elements: list[Any]) -> list[Any]:
    """Move everything but the menu bar and menus down by the menu bar's height."""
    bars = [el.box for el in elements if el.role == "menu" and el.box.top < 60]
    if not bars:
        return elements
    dy = max(b.bottom for b in bars) - min(b.top for b in bars)
    keep_roles = ("menu", "menu_item", "window")
    return [el if el.role in keep_roles else _Shifted(el, dy) for el in elements]


def _flat(image: Image.Image, box: tuple[int, int, int, int]) -> bool:
    """Nothing drawn in the box's middle band: the box is off its element (a list row
    scrolled out of view, an extent reported in the wrong frame)."""
    x, y, w, h = box
    inner = (x + w // 20, y + h // 4, x + w - w // 20, y + h - h // 4)
    region = np.asarray(image.convert("L").crop(inner), dtype=float)
    if region.size == 0:
        return True
    ink = np.abs(region - np.median(region)) > 60  # glyph strokes, not a shaded background
    return float(ink.mean()) < 0.02


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return min(a[0] + a[2], b[0] + b[2]) > max(a[0], b[0]) and min(a[1] + a[3], b[1] + b[3]) > max(
        a[1], b[1]
    )


def shoot(
    driver: Any,
    out: Path,
    name: str,
    col: Any,
    app: str,
    ready: Callable[[list[Any]], bool] | None = None,
) -> int:
    """Observe once settled, crop to the window and its open menus, save, add the targets."""
    time.sleep(1.0)
    deadline = time.monotonic() + 10
    obs = driver.observe()
    while ready is not None and not ready(obs.accessibility or []) and time.monotonic() < deadline:
        time.sleep(0.5)
        obs = driver.observe()
    elements = list(obs.accessibility or [])
    if app == "calc":
        elements = _libreoffice_fix(elements)
    boxes = [el.box for el in elements if el.role == "window"]
    if not boxes and obs.active_window and obs.active_window.box:
        boxes = [obs.active_window.box]
    if not boxes:
        print(f"  {name}: no window, skipped")
        return 0
    boxes += [el.box for el in elements if el.role == "menu_item"]
    crop = V1.crop_around(boxes, obs.width, obs.height)
    image = Image.fromarray(obs.image).crop(crop)
    image.save(out / name, optimize=True)
    menus = [
        (b.left - crop[0], b.top - crop[1], b.width, b.height)
        for b in (el.box for el in elements if el.role == "menu_item")
    ]
    kept = 0
    for instruction, kind, box in desktop_targets(elements, crop, name, app):
        if _flat(image, box):
            continue
        if box not in menus and any(_overlap(box, m) for m in menus):
            continue  # under an open menu
        col.add(name, instruction, box, kind, "linux")
        kept += 1
    print(f"  {name}: {kept} targets")
    return kept


def capture_desktop(out: Path, col: Any) -> None:
    """gucharmap, LibreOffice Calc and file-roller from a fresh HOME."""
    from guiagent.actions import Click, Key, Target
    from guiagent.config import LinuxConfig
    from guiagent.platforms.linux.atspi import AtspiReader
    from guiagent.platforms.linux.driver import LinuxDriver
    from guiagent.platforms.linux.xvfb import VirtualDisplay
    from guiagent.testing.x11 import launch, stop, wait_for_window

    home = tempfile.mkdtemp(prefix="gset2-")
    with VirtualDisplay(1280, 800, accessibility=True) as vd:
        vd.apply()
        env = {
            **vd.env,
            "HOME": home,
            "XDG_CONFIG_HOME": f"{home}/.config",
            "SAL_USE_VCLPLUGIN": "gtk3",
        }
        driver = LinuxDriver(LinuxConfig(display=vd.display))
        # LibreOffice's tree is large and slow: the default 0.25 s budget reads none of it
        driver._atspi = AtspiReader(max_nodes=3000, budget_s=6, call_timeout_ms=3000)
        driver._atspi.start()

        def click_named(role: str, name: str) -> None:
            for el in driver.observe().accessibility or []:
                if el.role == role and el.name == name:
                    driver.execute(Click(target=Target(point=el.box.center)))
                    return
            print(f"  ({role} {name!r} not found)")

        def escape() -> None:
            driver.execute(Key(key="Escape"))

        proc = launch(["gucharmap"], env)
        try:
            wait_for_window(driver, "character map", 20, active=True)
            shoot(driver, out, "gucharmap_main.png", col, "gucharmap")
            for menu in ("View", "Go"):
                click_named("menu", menu)
                shoot(driver, out, f"gucharmap_{menu.lower()}_menu.png", col, "gucharmap")
                escape()
            click_named("tab", "Character Details")
            shoot(driver, out, "gucharmap_details.png", col, "gucharmap")
        finally:
            stop(proc)

        proc = launch(["localc", "--norestore", "--nologo"], env)
        try:
            wait_for_window(driver, "libreoffice calc", 90, active=True)
            time.sleep(4)
            shoot(driver, out, "calc_main.png", col, "calc", ready=lambda els: len(els) > 60)
            click_named("menu", "Data")
            shoot(driver, out, "calc_data_menu.png", col, "calc")
            escape()
        finally:
            stop(proc, timeout=8)

        proc = launch(["file-roller"], env)
        try:
            wait_for_window(driver, "archive manager", 20, active=True)
            shoot(driver, out, "fileroller_main.png", col, "fileroller")
        finally:
            stop(proc)
        driver.close()


def _shrink(out: Path, limit: int) -> None:
    """Palette-quantize the largest PNGs until the set fits ``limit`` bytes."""
    for png in sorted(out.glob("*.png"), key=lambda p: -p.stat().st_size):
        if sum(p.stat().st_size for p in out.glob("*.png")) <= limit:
            return
        with Image.open(png) as img:
            small = img.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
        small.save(png, optimize=True)


def half_of(img_filename: str) -> str:
    """``dev`` or ``test`` by a stable hash of the screen's file name: whole screens go to
    one half, so a fix found on a dev screen is measured on other screens."""
    return "dev" if int(hashlib.md5(img_filename.encode()).hexdigest(), 16) % 2 == 0 else "test"


def write_halves(out: Path, entries: list[dict[str, object]]) -> None:
    """``screenspot_dev.json`` (its misses may be read to improve grounding) and
    ``screenspot_test.json`` (never read: the held-out figure)."""
    for half in ("dev", "test"):
        chosen = [e for e in entries if half_of(str(e["img_filename"])) == half]
        (out / f"screenspot_{half}.json").write_text(json.dumps(chosen, indent=1) + "\n")


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="build the v2 held-out grounding set")
    parser.add_argument("--out", type=Path, default=DATA, help="folder (default: data/)")
    parser.add_argument(
        "--only",
        choices=["desktop", "chrome", "web"],
        action="append",
        help="debug: some parts only",
    )
    args = parser.parse_args(argv)
    out: Path = args.out.resolve()
    parts = args.only or ["desktop", "chrome", "web"]
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.png"):
        old.unlink()
    col = V1.Collector()
    if "desktop" in parts:
        print("desktop scenes (Xvfb + AT-SPI):")
        capture_desktop(out, col)
    if "chrome" in parts:
        print("Chromium's own pages:")
        capture_chrome(out, col.add)
    if "web" in parts:
        print("local pages and MiniWoB++:")
        capture_web(out, col.add)
    (out / "screenspot.json").write_text(json.dumps(col.entries, indent=1) + "\n")
    write_halves(out, col.entries)
    V1.drop_unused(out, col.entries)
    _shrink(out, 1_500_000)
    V1.print_summary(out, col.entries)
    return 0


if __name__ == "__main__":
    sys.exit(main())
