"""Regenerate the held-out grounding set: ``data/*.png`` + ``data/screenspot.json``.

    python benchmarks/grounding_set/make_set.py            # rewrites data/
    python benchmarks/grounding_set/make_set.py --out DIR  # or writes elsewhere

Why it exists: issue 3 asks for grounding figures on real screens that the project's
perception was never tuned on, in the ScreenSpot format so the same ``guiagent bench
grounding`` command reads both this set and ScreenSpot / ScreenSpot-v2.

How it is made (nothing hand-labelled; rerunning gives the same kind of set):

* Desktop (platform ``linux``): a private Xvfb 1280x800 with openbox and an AT-SPI bus, a
  fresh ``HOME`` so the apps start with default settings. Scenes: galculator in basic mode,
  with its View and Edit menus open, in scientific mode and its Preferences dialog; mousepad
  with a few lines of text, with each of its six menus open, the Find bar, the Search and
  replace dialog, Go to line, the Save As dialog and Preferences; the Tk test form (Tk has no
  AT-SPI: boxes from the form's own layout file). A control seen again at the same place in
  another scene of the same app is kept once. Boxes
  come from the accessibility tree of the active window; each PNG is cropped to the window
  (plus any open menu).
* Web (platforms ``web`` and ``miniwob``): headless Chromium renders three local pages
  (``pages/*.html``: an editor with an icon toolbar, a sign-in form, a settings page; icons
  are Adwaita PNGs from /usr/share/icons) at 1280x800 and MiniWoB++ task pages (seeded) at
  device scale 2, boxes from the DOM (``web_scenes.py``).
* Instructions are written from each element's name and role with a few phrasing templates
  ("the 7 key", "the File menu", "the checkbox next to Remember me", "the Bold icon",
  "close button of the dialog"), rotated per element. A name shown twice on one screen is
  dropped (ambiguous), except repeated icons, where the first becomes "the first ... icon".
* ``data_type`` is ``icon`` when the element's name is not drawn as text: on the web, no
  text of its own (the name comes from aria-label / title / alt, or an icon class); on the
  desktop, a button no larger than 40x40 px whose name is a word (the Find bar's Close / Up /
  Down, the file chooser's icon buttons). Everything else is ``text``.
* A checkbox or radio's box on the web is the box plus its label (clicking either toggles).
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PIL import Image

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DATA = HERE / "data"
TK_FORM = ROOT / "guiagent" / "evaluation" / "suites" / "desktop" / "apps" / "tk_form.py"
sys.path.insert(0, str(HERE))

from web_scenes import capture_web  # noqa: E402

CLICKABLE = {
    "button",
    "toggle_button",
    "menu",
    "menu_item",
    "checkbox",
    "radio",
    "text_field",
    "combo_box",
    "tab",
    "link",
    "list_item",
    "table_cell",
    "spin_button",
}
_FORMS = {
    "key": ["the {n} key", "{n}", "the {n} button"],
    "button": ["{n}", "the {n} button", "click {n}"],
    "icon": ["the {n} icon", "the {n} button", "{n}"],
    "menu": ["the {n} menu", "{n} menu", "the {n} menu"],
    "menu_item": ["{n}", "the {n} menu item", "{n} in the menu"],
    "checkbox": ["the {n} checkbox", "the checkbox next to {n}", "{n} checkbox"],
    "radio": ["the {n} option", "the {n} radio button", "{n}"],
    "text_field": ["the {n} field", "the {n} box", "{n} field"],
    "combo_box": ["the {n} drop-down", "{n} drop-down", "the {n} list"],
    "tab": ["the {n} tab", "{n} tab", "the tab {n}"],
    "item": ["{n}", "the {n} item", "{n}"],
}


_NOT_A_NAME = re.compile(r"^[\d.,]+\s*(bytes|kB|MB|GB)$|^\d{1,2}:\d{2}$|^(Today|Yesterday)\b")
_HOME_FILES = ("notes.txt", "budget.csv", "Documents/", "Pictures/", "report-2024.md")


class Collector:
    """The set being built: one entry per target, PNG names unique per scene."""

    def __init__(self) -> None:
        self.entries: list[dict[str, object]] = []
        self._seen: set[tuple[str, str, tuple[int, ...]]] = set()

    def add(
        self, img: str, instruction: str, box: tuple[int, int, int, int], kind: str, plat: str
    ) -> None:
        # the same control at the same place in another scene of the same app adds nothing
        key = (img.split("_")[0], instruction.lower(), box)
        if key in self._seen:
            return
        self._seen.add(key)
        self.entries.append(
            {
                "img_filename": img,
                "instruction": instruction,
                "bbox": list(box),
                "data_type": kind,
                "platform": plat,
            }
        )


def instruction_for(role: str, name: str, box: tuple[int, int, int, int]) -> tuple[str, str]:
    """(instruction, data_type) for one accessible element."""
    pick = (len(name) + box[0] // 7) % 3
    word = name.replace(" ", "").isalpha() and len(name) > 1
    if role in ("button", "toggle_button"):
        if word and box[2] <= 40 and box[3] <= 40:
            return _FORMS["icon"][pick].format(n=name), "icon"
        kind = "key" if len(name) <= 4 and not name.isalpha() else "button"
        return _FORMS[kind][pick].format(n=name), "text"
    kind = role if role in _FORMS else "item"
    if role == "spin_button":
        kind = "text_field"
    return _FORMS[kind][pick].format(n=name), "text"


def desktop_targets(elements: list, crop: tuple[int, int, int, int]) -> list[tuple]:
    """(instruction, box relative to the crop, data_type) for the named, unambiguous
    controls inside the crop."""
    left, top, right, bottom = crop
    found = []
    for el in elements:
        name = " ".join(el.name.split())
        b = el.box
        if el.role not in CLICKABLE or not name or len(name) > 40 or _NOT_A_NAME.match(name):
            continue
        if b.width < 6 or b.height < 6 or b.left < left or b.top < top:
            continue
        if b.right > right or b.bottom > bottom:
            continue
        box = (b.left - left, b.top - top, b.width, b.height)
        found.append((name, el.role, box))
    counts: dict[str, int] = {}
    for name, _, _ in found:
        counts[name.lower()] = counts.get(name.lower(), 0) + 1
    return [
        (*instruction_for(role, name, box), box)
        for name, role, box in found
        if counts[name.lower()] == 1
    ]


def shoot(driver, out: Path, name: str, col: Collector, extra=None, ready=None) -> int:  # type: ignore[no-untyped-def]
    """Observe once the scene has settled (``ready(elements)`` when given, else 1 s), crop to
    the active window plus its open menus, save, add the targets."""
    time.sleep(1.0)
    obs = driver.observe()
    deadline = time.monotonic() + 10
    while ready is not None and not ready(obs.accessibility or []):
        if time.monotonic() > deadline:
            print(f"  {name}: not settled after 10 s, taken as it is")
            break
        time.sleep(0.3)
        obs = driver.observe()
    time.sleep(0.3)
    obs = driver.observe()
    elements = list(obs.accessibility or [])
    win = obs.active_window.box if obs.active_window and obs.active_window.box else None
    boxes = [el.box for el in elements if el.role == "window"] or ([win] if win else [])
    if not boxes:
        print(f"  {name}: no window, skipped")
        return 0
    boxes += [el.box for el in elements if el.role in ("menu_item",)]
    crop = crop_around(boxes, obs.width, obs.height)
    image = Image.fromarray(obs.image).crop(crop)
    image.save(out / name, optimize=True)
    targets = desktop_targets(elements, crop)
    if extra is not None:
        targets += extra(crop)
    for instruction, kind, box in targets:
        col.add(name, instruction, box, kind, "linux")
    print(f"  {name}: {len(targets)} targets")
    return len(targets)


def crop_around(boxes: list, width: int, height: int) -> tuple[int, int, int, int]:
    """The screen area holding every box (a window and its open menus)."""
    return (
        max(0, min(b.left for b in boxes)),
        max(0, min(b.top for b in boxes)),
        min(width, max(b.right for b in boxes)),
        min(height, max(b.bottom for b in boxes)),
    )


def capture_desktop(out: Path, col: Collector) -> None:
    """The desktop scenes, run from a fresh HOME holding a few known files."""
    home = str(Path(tempfile.mkdtemp(prefix="gset-")) / "alex")  # the path bar shows "alex"
    Path(home).mkdir()
    for entry in _HOME_FILES:  # what the file chooser lists: the same on every run
        path = Path(home) / entry
        if entry.endswith("/"):
            path.mkdir()
        else:
            path.write_text("x\n")
    cwd = Path.cwd()
    os.chdir(home)  # the apps start here (the Save As dialog opens on it)
    try:
        _scenes(out, col, home)
    finally:
        os.chdir(cwd)


def _scenes(out: Path, col: Collector, home: str) -> None:
    from guiagent.actions import Click, Hotkey, Key, Target, TypeText
    from guiagent.config import LinuxConfig
    from guiagent.platforms.linux.driver import LinuxDriver
    from guiagent.platforms.linux.xvfb import VirtualDisplay
    from guiagent.testing.x11 import launch, stop, wait_for_window

    with VirtualDisplay(1280, 800, accessibility=True) as vd:
        vd.apply()
        env = {**vd.env, "HOME": home, "XDG_CONFIG_HOME": f"{home}/.config"}
        driver = LinuxDriver(LinuxConfig(display=vd.display))

        def click_named(role: str, name: str) -> None:
            for el in driver.observe().accessibility or []:
                if el.role.startswith(role) and el.name.lower() == name.lower():
                    driver.execute(Click(target=Target(point=el.box.center)))
                    return
            print(f"  ({role} {name!r} not found)")

        def key(*keys: str) -> None:
            driver.execute(Hotkey(keys=list(keys)) if len(keys) > 1 else Key(key=keys[0]))

        # galculator
        proc = launch(["galculator"], env)
        try:
            wait_for_window(driver, "galculator", 15, active=True)
            shoot(driver, out, "galculator_basic.png", col)
            click_named("menu", "View")
            shoot(driver, out, "galculator_view_menu.png", col)
            key("Escape")
            click_named("menu", "View")
            time.sleep(0.5)
            click_named("menu", "Scientific mode")
            shoot(driver, out, "galculator_scientific.png", col, ready=_has("toggle_button", 40))
            click_named("menu", "Edit")
            shoot(driver, out, "galculator_edit_menu.png", col)
            key("Escape")
            click_named("menu", "Edit")
            time.sleep(0.5)
            click_named("menu", "Preferences...")
            shoot(driver, out, "galculator_preferences.png", col)
            key("Escape")
        finally:
            stop(proc)

        # mousepad
        proc = launch(["mousepad"], env)
        try:
            wait_for_window(driver, "mousepad", 15, active=True)
            text = "Shopping list\nmilk, eggs, bread\nCall the plumber on Monday\n"
            driver.execute(TypeText(text=text))
            shoot(driver, out, "mousepad_text.png", col)
            for menu in ("File", "Edit", "Search", "View", "Document", "Help"):
                click_named("menu", menu)
                shoot(driver, out, f"mousepad_{menu.lower()}_menu.png", col)
                key("Escape")
            key("ctrl", "f")
            shoot(driver, out, "mousepad_find_bar.png", col)
            key("Escape")
            key("ctrl", "r")
            shoot(driver, out, "mousepad_replace_dialog.png", col)
            key("Escape")
            key("ctrl", "shift", "s")
            shoot(driver, out, "mousepad_save_as.png", col, ready=_named("notes.txt"))
            key("Escape")
            key("ctrl", "l")
            shoot(driver, out, "mousepad_go_to_line.png", col)
            key("Escape")
            click_named("menu", "Edit")
            time.sleep(0.5)
            click_named("menu", "Preferences...")
            shoot(driver, out, "mousepad_preferences.png", col)
            key("Escape")
        finally:
            stop(proc)

        # the Tk form: no AT-SPI, its own layout file gives the boxes
        layout = Path(home) / "form.json.layout.json"
        proc = launch([sys.executable, str(TK_FORM), str(Path(home) / "form.json")], env)
        try:
            wait_for_window(driver, "Tk Form", 15, active=True)
            time.sleep(0.5)
            rects = json.loads(layout.read_text())["widgets"]
            shoot(driver, out, "tk_form.png", col, extra=_tk_targets(rects))
        finally:
            stop(proc)
        driver.close()


def _has(role: str, count: int) -> Callable[[list], bool]:
    return lambda els: sum(el.role == role for el in els) >= count


def _named(name: str) -> Callable[[list], bool]:
    return lambda els: any(el.name == name for el in els)


def _tk_targets(rects: dict[str, list[int]]) -> Callable[[tuple], list[tuple]]:
    phrases = {
        "name": ("the Name field", "text"),
        "email": ("the Email field", "text"),
        "subscribe": ("the checkbox next to Subscribe", "text"),
        "submit": ("Submit", "text"),
    }

    def extra(crop: tuple) -> list[tuple]:
        out = []
        for key, (instruction, kind) in phrases.items():
            x, y, w, h = rects[key]
            out.append((instruction, kind, (x - crop[0], y - crop[1], w, h)))
        return out

    return extra


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="regenerate the held-out grounding set")
    parser.add_argument("--out", type=Path, default=DATA, help="folder (default: data/)")
    out: Path = parser.parse_args(argv).out.resolve()  # the desktop scenes chdir
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.png"):
        old.unlink()
    col = Collector()
    print("desktop scenes (Xvfb + AT-SPI):")
    capture_desktop(out, col)
    print("web scenes (headless Chromium):")
    capture_web(out, col.add)
    (out / "screenspot.json").write_text(json.dumps(col.entries, indent=1) + "\n")
    drop_unused(out, col.entries)
    print_summary(out, col.entries)
    return 0


def drop_unused(out: Path, entries: list[dict[str, object]]) -> None:
    """Delete the screens no target uses (no unambiguous target on them)."""
    used = {e["img_filename"] for e in entries}
    for png in out.glob("*.png"):
        if png.name not in used:
            png.unlink()


def print_summary(out: Path, entries: list[dict[str, object]]) -> None:
    kinds: dict[str, int] = {}
    for e in entries:
        k = f"{e['platform']}/{e['data_type']}"
        kinds[k] = kinds.get(k, 0) + 1
    size = sum(p.stat().st_size for p in out.glob("*.png"))
    print(f"{len(entries)} targets {dict(sorted(kinds.items()))}; PNGs {size / 1e6:.2f} MB")


if __name__ == "__main__":
    sys.exit(main())
