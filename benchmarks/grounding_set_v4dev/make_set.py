"""Build the v4dev grounding *development* set: ``data/*.png`` + ``data/screenspot.json``.

    .venv/bin/python benchmarks/grounding_set_v4dev/make_set.py            # rewrites data/
    .venv/bin/python benchmarks/grounding_set_v4dev/make_set.py --out DIR  # or elsewhere
    .venv/bin/python benchmarks/grounding_set_v4dev/make_set.py --draw DIR # + boxes drawn

Why: v3 is held out and must not be tuned on, so the grounding code needs a set of the same
kind of screens and instructions to find and fix its weaknesses on. This one is that set:
tuning on it is allowed, and its figures are not held-out figures (see README.md).

Same machinery as v3, imported from v3's ``make_set.py`` by path (not copied): its page
extraction (``EXTRACT_JS``: boxes, visibility, ambiguity, ``data_type``), MiniWoB++ tagging,
checks, drawing and summary. Only what differs is here:

* ``web``: eight local pages in ``pages/`` (maps, code editor, online banking, travel booking,
  social feed, helpdesk; a smart-home panel and a podcast app at 640x400, device
  scale 2), written for this set with hand-written ``data-q`` instructions.
* ``miniwob``: seeded MiniWoB++ tasks none of v1, v2, v3 used (``MINIWOB``), seeds >= 300.
* ``linux``: Ristretto (Xfce's image viewer, GTK 3) under Xvfb + AT-SPI, two screens; v3's
  ``desktop_v3._shoot`` takes the boxes.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
V3 = HERE.parent / "grounding_set_v3"


def _load(name: str, path: Path) -> Any:
    """A module imported by path (v3's ``make_set`` shares this file's name)."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


#: v3's builder, a private copy of the module: its globals (pages folder, page sizes, MiniWoB
#: tasks) are set below for this set; v3's own runs are untouched
V3_MAKE = _load("grounding_set_v3_make_for_v4dev", V3 / "make_set.py")
sys.path.insert(0, str(V3))
import desktop_v3  # noqa: E402  (v3's desktop half: _shoot takes AT-SPI boxes)

DATA = HERE / "data"
PAGES = HERE / "pages"

#: page stem -> (viewport width, height, device scale factor); scale-2 pages are phone-like
PAGE_VIEWS: dict[str, tuple[int, int, int]] = {
    "maps": (1280, 800, 1),
    "ide": (1280, 800, 1),
    "banking": (1280, 800, 1),
    "travel": (1280, 800, 1),
    "social": (1280, 800, 1),
    "helpdesk": (1280, 800, 1),
    "smarthome": (640, 400, 2),
    "podcast": (640, 400, 2),
}

#: number-checkboxes: the box in row r, column c
_BOX = "#checkboxes p:nth-child({}) input:nth-child({})"

#: MiniWoB++ tasks none of v1, v2, v3 used -> (seed, [(css selector, exact text or "" for
#: any, instruction, the instruction says which one of several, data-kind or "")]). Written
#: after looking at each seeded screen. MiniWoB's labels are not tied to their fields
#: (``<label>`` without ``for``), so a field asked for by its drawn label is marked "text".
MINIWOB: dict[str, tuple[int, list[tuple[str, str, str, bool, str]]]] = {
    "read-table-2": (
        301,
        [
            ("#tt1", "", "type the language in the box next to Language:", False, "text"),
            ("#tt2", "", "the Gender field", False, "text"),
            ("#subbtn", "Submit", "submit the form", False, ""),
        ],
    ),
    "sign-agreement": (
        302,
        [
            ("input", "", "type a name", False, ""),
            ("button", "Cancel", "Cancel", False, ""),
            ("button", "Agree", "the greyed-out Agree button", False, ""),
        ],
    ),
    "login-user-popup": (
        303,
        [
            ("#username", "", "the username box", False, "text"),
            ("#password", "", "enter the password", False, "text"),
            ("#subbtn", "OK", "press OK to log in", False, ""),
        ],
    ),
    "find-greatest": (
        304,
        [
            (".card[data-index='0']", "", "the first card", True, ""),
            (".card[data-index='1']", "", "pick the middle card", True, ""),
            (".card[data-index='2']", "", "the striped card on the right", True, ""),
            ("button", "Submit", "Submit", False, ""),
        ],
    ),
    "number-checkboxes": (
        305,
        [
            (_BOX.format(1, 1), "", "the top-left check box", True, ""),
            (_BOX.format(4, 4), "", "the last box in the fourth row", True, ""),
            (_BOX.format(7, 3), "", "tick the third box of the bottom row", True, ""),
            ("button", "Submit", "submit my drawing", False, ""),
        ],
    ),
    "generate-number": (
        306,
        [
            ("#generate", "Generate", "generate a number", False, ""),
            ("#submit", "Submit", "the Submit button on the right", False, ""),
        ],
    ),
}

V3_MAKE.PAGES = PAGES
V3_MAKE.PAGE_VIEWS = PAGE_VIEWS
V3_MAKE.MINIWOB = MINIWOB
V3_MAKE.TAG_JS = V3_MAKE.TAG_KIND_JS

#: the pictures Ristretto shows (drawn here, nothing fetched): name, sky, ground colour
PICTURES = [
    ("01-harbour", (96, 150, 200), (40, 90, 140)),
    ("02-meadow", (150, 200, 235), (70, 140, 60)),
    ("03-dunes", (245, 200, 150), (200, 170, 110)),
    ("04-fjord", (180, 205, 225), (50, 80, 95)),
]

#: screen -> (role, accessible name, index among matches, instruction, data_type), as in
#: v3's ``EVINCE``; written after looking at the screens
RISTRETTO: dict[str, list[tuple[str, str, int, str, str]]] = {
    "linux_ristretto.png": [
        ("button", "Open...", 0, "the folder icon at the top left", "icon"),
        ("button", "Save copy...", 0, "save a copy of the picture", "icon"),
        ("button", "Delete", 0, "the red circle with an X", "icon"),
        ("button", "Edit", 0, "edit the image in another program", "icon"),
        ("button", "Back", 0, "previous picture", "icon"),
        ("button", "Play", 0, "the play triangle in the toolbar", "icon"),
        ("button", "Forward", 0, "go to the next image", "icon"),
        ("button", "Zoom In", 0, "zoom in", "icon"),
        ("button", "Zoom Out", 0, "the square with a minus at the top right", "icon"),
        ("button", "Normal Size", 0, "show it at its real size", "icon"),
        ("button", "Zoom Fit", 0, "fit the picture to the window", "icon"),
        ("button", "Fullscreen", 0, "the four arrows at the far right", "icon"),
        ("menu", "File", 0, "open the File menu", "text"),
        ("menu", "Edit", 0, "the Edit menu", "text"),
        ("menu", "Go", 0, "Go", "text"),
        ("menu", "Help", 0, "the Help menu", "text"),
    ],
    "linux_ristretto_view.png": [
        ("menu_item", "Show Toolbar", 0, "hide the toolbar", "text"),
        ("menu_item", "Show Status Bar", 0, "untick Show Status Bar", "text"),
        ("menu_item", "Show Thumbnail Bar", 0, "bring back the thumbnail bar", "text"),
        ("menu", "Rotation", 0, "the Rotation submenu", "text"),
        ("menu", "Flip", 0, "Flip", "text"),
        ("menu_item", "Fullscreen", 0, "Fullscreen, in the menu", "text"),
        ("menu_item", "Set as Wallpaper...", 0, "set this as my wallpaper", "text"),
    ],
}


#: Ristretto's xfconf settings for the screens: no thumbnail bar (its thumbnails depend on a
#: thumbnailer's timing), tool and status bars shown, window maximised
XFCONF = [
    ("/window/thumbnails/show", "false"),
    ("/window/toolbar/show", "true"),
    ("/window/statusbar/show", "true"),
    ("/window/maximize-on-startup", "true"),
]


def capture_desktop(out: Path, col: Any) -> None:
    """Ristretto on four drawn pictures in a private Xvfb with AT-SPI, then its View menu open.
    v3's ``desktop_v3._shoot`` crops, checks and adds the boxes."""
    from guiagent.actions import Click, Hover, Point, Target
    from guiagent.config import LinuxConfig
    from guiagent.platforms.linux.atspi import AtspiReader
    from guiagent.platforms.linux.driver import LinuxDriver
    from guiagent.platforms.linux.xvfb import VirtualDisplay
    from guiagent.testing.x11 import launch, stop, wait_for_window

    desktop_v3.EVINCE.update(RISTRETTO)  # _shoot looks its specs up there (this process only)
    flat = V3_MAKE.V2_MAKE._flat
    with tempfile.TemporaryDirectory(prefix="gset4-") as tmp:
        home = Path(tmp)
        pics = home / "Pictures"
        pics.mkdir()
        for i, (name, sky, ground) in enumerate(PICTURES):
            im = Image.new("RGB", (640, 427), sky)
            pen = ImageDraw.Draw(im)
            pen.ellipse((430, 50, 520, 140), fill=(250, 232, 170))
            pen.polygon([(0, 427), (180 + 40 * i, 190), (470, 427)], fill=ground)
            pen.rectangle((0, 380, 640, 427), fill=tuple(max(0, c - 30) for c in ground))
            im.save(pics / f"{name}.png")
        with VirtualDisplay(1280, 800, accessibility=True) as vd:
            vd.apply()
            env = {**vd.env, "HOME": str(home), "XDG_CONFIG_HOME": f"{home}/.config"}
            driver = LinuxDriver(LinuxConfig(display=vd.display))
            driver._atspi = AtspiReader(max_nodes=3000, budget_s=6, call_timeout_ms=3000)
            driver._atspi.start()

            def click(role: str, name: str, quiet: bool = False) -> None:
                for el in driver.observe().accessibility or []:
                    if el.role == role and el.name == name:
                        driver.execute(Click(target=Target(point=el.box.center)))
                        time.sleep(1.5)
                        return
                if not quiet:
                    col.dropped.append(f"ristretto: could not click {role} {name!r}")

            # Ristretto keeps its settings in xfconf, whose daemon the session bus starts
            # with its own HOME: set every one that changes the screen instead of toggling
            for prop, value in XFCONF:
                subprocess.run(
                    ["xfconf-query", "-c", "ristretto", "-p", prop, "-n", "-t", "bool"]
                    + ["-s", value],
                    env={**os.environ, **env},
                    check=True,
                    timeout=20,
                )
            proc = launch(["ristretto", str(pics / "02-meadow.png")], env)
            try:
                wait_for_window(driver, "meadow", 30, active=True)
                time.sleep(3)
                click("button", "OK", quiet=True)  # "no thumbnailer" warning, without tumbler
                driver.execute(Hover(target=Target(point=Point(x=640, y=795))))
                time.sleep(1.0)
                desktop_v3._shoot(driver, out, "linux_ristretto.png", col.add, col.dropped, flat)
                click("menu", "View")
                desktop_v3._shoot(
                    driver, out, "linux_ristretto_view.png", col.add, col.dropped, flat
                )
            finally:
                stop(proc)
            driver.close()


def _ristretto(out: Path, col: Any) -> None:
    print("Ristretto (Xvfb + AT-SPI):")
    capture_desktop(out, col)


def main(argv: list[str] | None = None) -> int:
    what = "v4dev grounding development set"
    return int(V3_MAKE.cli(argv, what, DATA, "Ristretto", _ristretto, 1_500_000))


if __name__ == "__main__":
    sys.exit(main())
