"""Build the v5dev grounding *development* set: ``data/*.png`` + ``data/screenspot.json``.

    .venv/bin/python benchmarks/grounding_set_v5dev/make_set.py            # rewrites data/
    .venv/bin/python benchmarks/grounding_set_v5dev/make_set.py --out DIR  # or elsewhere
    .venv/bin/python benchmarks/grounding_set_v5dev/make_set.py --draw DIR # + boxes drawn

Why: a second development set beside v4dev, written by someone who had not read the
grounding code, so that a fix tuned on v4dev can be checked on screens and instructions it
was not tuned for. Tuning on it is allowed, and its figures are not held-out figures (see
README.md).

Same machinery as v3 and v4dev, imported from v3's ``make_set.py`` by path (not copied): its
page extraction (``EXTRACT_JS``: boxes, visibility, ambiguity, ``data_type``), MiniWoB++
tagging, checks, drawing and summary. Only what differs is here:

* ``web``: eight local pages in ``pages/`` (spreadsheet, video streaming, recipe, user
  admin console, password manager, online course; a fitness tracker and a weather app at
  640x400, device scale 2), written for this set with hand-written ``data-q`` instructions.
* ``miniwob``: seeded MiniWoB++ tasks none of v1, v2, v3, v4dev used (``MINIWOB``), seeds
  >= 400.
* ``linux``: Geany (a GTK 3 text editor / IDE) under Xvfb + AT-SPI, two screens; v3's
  ``desktop_v3._shoot`` takes the boxes.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

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
V3_MAKE = _load("grounding_set_v3_make_for_v5dev", V3 / "make_set.py")
sys.path.insert(0, str(V3))
import desktop_v3  # noqa: E402  (v3's desktop half: _shoot takes AT-SPI boxes)

DATA = HERE / "data"
PAGES = HERE / "pages"

#: page stem -> (viewport width, height, device scale factor); scale-2 pages are phone-like
PAGE_VIEWS: dict[str, tuple[int, int, int]] = {
    "sheets": (1280, 800, 1),
    "streaming": (1280, 800, 1),
    "recipes": (1280, 800, 1),
    "admin": (1280, 800, 1),
    "passwords": (1280, 800, 1),
    "course": (1280, 800, 1),
    "fitness": (640, 400, 2),
    "weather": (640, 400, 2),
}

#: MiniWoB++ tasks none of v1, v2, v3, v4dev used -> (seed, [(css selector, exact text or ""
#: for any, instruction, the instruction says which one of several, data-kind or "")]).
#: Written after looking at each seeded screen. "text" marks what a person reads as text but
#: the extraction would call an icon: digits drawn in an SVG, text areas asked for by the
#: words in them.
MINIWOB: dict[str, tuple[int, list[tuple[str, str, str, bool, str]]]] = {
    "click-color": (
        401,
        [
            (".color[data-color='purple']", "", "the purple square", True, ""),
            (".color[data-color='blue']", "", "click the blue box at the top right", True, ""),
            (".color[data-color='black']", "", "the black one", True, ""),
            (".color[data-color='yellow']", "", "yellow square, bottom right", True, ""),
        ],
    ),
    "grid-coordinate": (
        402,
        [
            ("circle[id='(1,-2)']", "", "the point at (1, -2)", True, ""),
            ("circle[id='(0,0)']", "", "the dot at the origin", True, ""),
            ("circle[id='(-2,2)']", "", "the top left dot of the grid", True, ""),
            ("circle[id='(2,0)']", "", "the dot where x is 2 on the x axis", True, ""),
        ],
    ),
    "tic-tac-toe": (
        403,
        [
            ("#ttt-4", "", "the centre square", True, ""),
            ("#ttt-2", "", "top right corner of the board", True, ""),
            ("#ttt-6", "", "the empty square below the O", True, ""),
            ("#ttt-3", "", "the square that already has a circle in it", True, ""),
            ("#ttt-7", "", "middle of the bottom row", True, ""),
        ],
    ),
    "copy-paste-2": (
        404,
        [
            ("#text-1", "", "the text area starting with Sit dui", True, "text"),
            ("#text-2", "", "the small box that says Vitae a", True, "text"),
            ("#text-3", "", "the thrid text area", True, "text"),
            ("#answer-input", "", "paste into the empty input at the bottom", False, ""),
        ],
    ),
    "ascending-numbers": (
        405,
        [
            ("text", "1", "click the 1", True, "text"),
            ("text", "2", "the 2 on the right", True, "text"),
            ("text", "3", "the number at the top left", True, "text"),
            ("text", "4", "number four", True, "text"),
            ("text", "5", "the 5 in the bottom left", True, "text"),
        ],
    ),
    "click-shades": (
        406,
        [
            ("span:nth-child(1)", "", "the pale green square in the top left corner", True, ""),
            ("span:nth-child(3)", "", "the light purple square, third in the top row", True, ""),
            ("span:nth-child(6)", "", "the brown square in the middle row", True, ""),
            ("span:nth-child(12)", "", "the last square of the bottom row", True, ""),
            ("#submit", "Submit", "submit my picks", False, ""),
        ],
    ),
}

V3_MAKE.PAGES = PAGES
V3_MAKE.PAGE_VIEWS = PAGE_VIEWS
V3_MAKE.MINIWOB = MINIWOB
V3_MAKE.TAG_JS = V3_MAKE.TAG_KIND_JS

#: the files Geany shows; the folder is fixed (not a random temporary name) because Geany
#: writes it into the window title, which is in the screenshot
PROJECT = Path("/tmp/gset5dev/allotments")
SCRIPT = '''"""Sort the allotment waiting list by date applied."""

import csv
from datetime import date


def load(path):
    with open(path, newline="") as fh:
        return list(csv.DictReader(fh))


def by_date(rows):
    return sorted(rows, key=lambda r: date.fromisoformat(r["applied"]))


if __name__ == "__main__":
    for row in by_date(load("waiting_list.csv")):
        print(row["name"], row["plot"], row["applied"])
'''
CSV = "name,plot,applied\nAnna Berg,12,2024-03-02\nTom Okafor,7,2023-11-19\n"

#: Geany's settings for the screens: maximised, side bar, message window (tabs on top, no
#: Status tab: its lines carry the clock time) and status bar shown, no session restored
GEANY_CONF = """[geany]
pref_main_save_winpos=true
geometry=0;0;1280;800;1;
sidebar_visible=true
msgwindow_visible=true
statusbar_visible=true
tab_pos_msgwin=2
msgwin_status_visible=false
pref_main_confirm_exit=false
pref_main_load_session=false
"""

#: GTK: no blinking text cursor (it would make two runs' screenshots differ)
GTK_SETTINGS = "[Settings]\ngtk-cursor-blink=false\n"

#: screen -> (role, accessible name, index among matches, instruction, data_type), as in
#: v3's ``EVINCE``; written after looking at the screens. Geany's toolbar entries and its
#: tool buttons' drop-down arrows have no names ("" and "Menu"): the index picks them. The
#: symbol list's rows are taken by their unnamed row items (index in tree order: Functions,
#: by_date, load, Imports, csv, date): the named cells' extents sit one expander to the right.
GEANY: dict[str, list[tuple[str, str, int, str, str]]] = {
    "linux_geany.png": [
        ("button", "New", 0, "start a new empty file", "icon"),
        ("button", "Open", 0, "the folder icon in the toolbar", "icon"),
        ("toggle_button", "Menu", 1, "the small arrow next to the folder", "icon"),
        ("button", "Save", 0, "save this file", "icon"),
        ("button", "Save All", 0, "save every open file", "icon"),
        ("button", "Revert", 0, "reload the file from disk", "icon"),
        ("button", "Close", 0, "the grey X in the toolbar, left of the arrows", "icon"),
        ("button", "Build", 0, "the brick", "icon"),
        ("button", "Execute", 0, "run the script", "icon"),
        ("button", "Color Chooser", 0, "pick a colour", "icon"),
        ("button", "Find", 0, "the magnifying glass at the top", "icon"),
        ("button", "Quit", 0, "quit Geany (the door with the red arrow)", "icon"),
        ("text_field", "", 0, "the empty box left of the magnifier", "icon"),
        ("menu", "File", 0, "File", "text"),
        ("menu", "Search", 0, "open the Search menu", "text"),
        ("menu", "Document", 0, "the Document menu", "text"),
        ("menu", "Build", 0, "the Build menu in the menu bar", "text"),
        ("tab", "waiting_list.csv", 0, "switch to the csv file", "text"),
        ("tab", "Scribble", 0, "the Scribble tab at the bottom", "text"),
        ("tab", "Messages", 0, "show the messages", "text"),
        ("list_item", "", 1, "jump to the by_date function in the side bar", "text"),
        ("list_item", "", 2, "load [7]", "text"),
        ("list_item", "", 4, "the csv import in the symbol list", "text"),
    ],
    "linux_geany_find.png": [
        ("text_field", "", 0, "type what to search for", "text"),
        ("checkbox", "Use regular expressions", 0, "turn on regular expressions", "text"),
        ("checkbox", "Case sensitive", 0, "make the search case sensitive", "text"),
        ("checkbox", "Match only a whole word", 0, "whole words only", "text"),
        ("checkbox", "Use escape sequences", 0, "tick Use escape sequences", "text"),
        ("checkbox", "Match from start of word", 0, "the last check box on the right", "text"),
        ("toggle_button", "Find All", 0, "expand the Find All section", "text"),
        ("button", "Previous", 0, "go to the previous match", "text"),
        ("button", "Next", 0, "Next", "text"),
        ("button", "Close", 0, "close this dialog", "text"),
    ],
}


class _WholeScreen:
    """The driver, with the whole screen as the first window: with a dialog up, AT-SPI gives
    only the dialog's tree, and ``_shoot`` would crop to the dialog; the screen (the
    maximised editor behind it) is what a person sees."""

    def __init__(self, driver: Any) -> None:
        self.driver = driver

    def observe(self) -> Any:
        from guiagent.observation import Box

        obs = self.driver.observe()
        elements = list(obs.accessibility or [])
        screen = Box(left=0, top=0, right=obs.width, bottom=obs.height)
        whole = elements[0].model_copy(update={"role": "window", "name": "", "box": screen})
        return obs.model_copy(update={"accessibility": [whole] + elements})


def capture_desktop(out: Path, col: Any) -> None:
    """Geany on a small Python script and a CSV file in a private Xvfb with AT-SPI, then its
    Find dialog. v3's ``desktop_v3._shoot`` crops, checks and adds the boxes."""
    from guiagent.actions import Hotkey, Hover, Point, Target
    from guiagent.config import LinuxConfig
    from guiagent.platforms.linux.atspi import AtspiReader
    from guiagent.platforms.linux.driver import LinuxDriver
    from guiagent.platforms.linux.xvfb import VirtualDisplay
    from guiagent.testing.x11 import launch, stop, wait_for_window

    if shutil.which("geany") is None:
        raise SystemExit("geany is missing: installer/install-debian.sh --dev, or --no-desktop")
    desktop_v3.EVINCE.update(GEANY)  # _shoot looks its specs up there (this process only)
    flat = V3_MAKE.V2_MAKE._flat
    shutil.rmtree(PROJECT.parent, ignore_errors=True)
    PROJECT.mkdir(parents=True)
    (PROJECT / "waiting_list.py").write_text(SCRIPT)
    (PROJECT / "waiting_list.csv").write_text(CSV)
    try:
        with tempfile.TemporaryDirectory(prefix="gset5-") as tmp:
            home = Path(tmp)
            (home / ".config" / "gtk-3.0").mkdir(parents=True)
            (home / ".config" / "gtk-3.0" / "settings.ini").write_text(GTK_SETTINGS)
            conf = home / "geany"
            conf.mkdir()
            (conf / "geany.conf").write_text(GEANY_CONF)
            with VirtualDisplay(1280, 800, accessibility=True) as vd:
                vd.apply()
                env = {**vd.env, "HOME": str(home), "XDG_CONFIG_HOME": f"{home}/.config"}
                driver = LinuxDriver(LinuxConfig(display=vd.display))
                driver._atspi = AtspiReader(max_nodes=3000, budget_s=6, call_timeout_ms=3000)
                driver._atspi.start()
                # the csv first, so that the script (opened last) is the one shown
                argv = ["geany", "-c", str(conf), str(PROJECT / "waiting_list.csv")]
                proc = launch(argv + [str(PROJECT / "waiting_list.py")], env)
                try:
                    wait_for_window(driver, "waiting_list.py", 30, active=True)
                    time.sleep(3)
                    # the pointer on the status bar, so that nothing is hovered
                    driver.execute(Hover(target=Target(point=Point(x=640, y=795))))
                    time.sleep(1.0)
                    desktop_v3._shoot(driver, out, "linux_geany.png", col.add, col.dropped, flat)
                    driver.execute(Hotkey(keys=["ctrl", "f"]))
                    time.sleep(1.5)
                    whole = _WholeScreen(driver)
                    name = "linux_geany_find.png"
                    desktop_v3._shoot(whole, out, name, col.add, col.dropped, flat)
                finally:
                    stop(proc)
                driver.close()
    finally:
        shutil.rmtree(PROJECT.parent, ignore_errors=True)


def _geany(out: Path, col: Any) -> None:
    print("Geany (Xvfb + AT-SPI):")
    capture_desktop(out, col)


def main(argv: list[str] | None = None) -> int:
    what = "v5dev grounding development set"
    return int(V3_MAKE.cli(argv, what, DATA, "Geany", _geany, 1_500_000))


if __name__ == "__main__":
    sys.exit(main())
