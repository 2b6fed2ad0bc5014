"""Build the v6dev grounding *development* set: ``data/*.png`` + ``data/screenspot.json``.

    .venv/bin/python benchmarks/grounding_set_v6dev/make_set.py            # rewrites data/
    .venv/bin/python benchmarks/grounding_set_v6dev/make_set.py --out DIR  # or elsewhere
    .venv/bin/python benchmarks/grounding_set_v6dev/make_set.py --draw DIR # + boxes drawn

Why: a third development set beside v4dev and v5dev, written by someone who had not read
the grounding code, so that a fix tuned on one of them can be checked on screens and
instructions it was not tuned for. Tuning on it is allowed, and its figures are not
held-out figures (see README.md).

Same machinery as v3, v4dev and v5dev, imported from v3's ``make_set.py`` by path (not
copied): its page extraction (``EXTRACT_JS``: boxes, visibility, ambiguity, ``data_type``),
MiniWoB++ tagging, checks, drawing and summary. Only what differs is here:

* ``web``: eight local pages in ``pages/`` (food-delivery checkout, code review, hotel
  search, slide-deck editor, notes app, cloud-storage sharing; a phone messaging app and an
  e-reader at 640x400, device scale 2), written for this set with hand-written ``data-q``
  instructions.
* ``miniwob``: seeded MiniWoB++ tasks none of v1, v2, v3, v4dev, v5dev used (``MINIWOB``),
  seeds >= 500.
* ``linux``: MATE Calculator (mate-calc, GTK 3) under Xvfb + AT-SPI, two screens (advanced
  and programming modes); v3's ``desktop_v3._shoot`` takes the boxes.
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
V3_MAKE = _load("grounding_set_v3_make_for_v6dev", V3 / "make_set.py")
sys.path.insert(0, str(V3))
import desktop_v3  # noqa: E402  (v3's desktop half: _shoot takes AT-SPI boxes)

DATA = HERE / "data"
PAGES = HERE / "pages"


#: page stem -> (viewport width, height, device scale factor); scale-2 pages are phone-like
PAGE_VIEWS: dict[str, tuple[int, int, int]] = {
    "delivery": (1280, 800, 1),
    "review": (1280, 800, 1),
    "hotel": (1280, 800, 1),
    "slides": (1280, 800, 1),
    "notes": (1280, 800, 1),
    "cloudshare": (1280, 800, 1),
    "messenger": (640, 400, 2),
    "reader": (640, 400, 2),
}

#: MiniWoB++ tasks none of v1, v2, v3, v4dev, v5dev used -> (seed, [(css selector, exact
#: text or "" for any, instruction, the instruction says which one of several, data-kind or
#: "")]). Written after looking at each seeded screen. "text" marks what a person reads as
#: text but the extraction would call an icon: letters drawn in an SVG, fields asked for by
#: a label MiniWoB does not tie to them.
MINIWOB: dict[str, tuple[int, list[tuple[str, str, str, bool, str]]]] = {
    "click-shape": (
        501,
        [
            ("text", "e", "click the little black e", True, "text"),
            ("text", "C", "the big green C", True, "text"),
            ("rect[x='100'][y='40']", "", "the large black square", True, ""),
            ("rect[x='5'][y='5']", "", "tiny black square in the top left corner", True, ""),
            ("rect[fill='green']", "", "the green square", True, ""),
            ("polygon[points='120,120 130,100 140,120']", "", "the big aqua triangle", True, ""),
            ("polygon[fill='black']", "", "the small black triangle", True, ""),
        ],
    ),
    "click-tab": (
        502,
        [
            ("a", "Tab #1", "the blue tab that is open now", True, ""),
            ("a", "Tab #2", "go to the second tab", True, ""),
            ("a", "Tab #3", "Tab #3", False, ""),
        ],
    ),
    "multi-layouts": (
        503,
        [
            (".field:nth-child(1) input", "", "the Movie Genre box", False, "text"),
            (".field:nth-child(2) input", "", "where do I type the release date?", False, "text"),
            (".field:nth-child(3) input", "", "director name field", False, "text"),
            ("button", "Go!", "Go!", False, ""),
        ],
    ),
    "simon-says": (
        504,
        [
            ("#button-1", "", "the blue square", True, ""),
            ("#button-2", "", "press the red one, top right", True, ""),
            ("#button-3", "", "the pale green button", True, ""),
            ("#button-4", "", "the yellow button in the bottom right", True, ""),
        ],
    ),
    "count-sides": (
        507,
        [
            ("button", "6", "six", False, ""),
            ("button", "3", "the 3 button", False, ""),
            ("button", "4", "press 4", False, ""),
            ("button", "7", "the last number button", True, ""),
        ],
    ),
    "visual-addition": (
        508,
        [
            ("#math-answer", "", "type the total in the box", False, ""),
            ("#subbtn", "Submit", "submit the answer", False, ""),
        ],
    ),
}

V3_MAKE.PAGES = PAGES
V3_MAKE.PAGE_VIEWS = PAGE_VIEWS
V3_MAKE.MINIWOB = MINIWOB
V3_MAKE.TAG_JS = V3_MAKE.TAG_KIND_JS

#: mate-calc's settings, one file per screen, read through GLib's keyfile back end (no
#: dconf, nothing of the machine's own settings): the button mode, no history pane
CALC_MODES = {
    "linux_matecalc.png": "advanced",
    "linux_matecalc_prog.png": "programming",
}
CALC_KEYFILE = "[org/mate/calc]\nbutton-mode='{mode}'\nshow-history=false\n"

#: GTK: no blinking text cursor (it would make two runs' screenshots differ)
GTK_SETTINGS = "[Settings]\ngtk-cursor-blink=false\n"

#: screen -> (role, accessible name, index among matches, instruction, data_type), as in
#: v3's ``EVINCE``; written after looking at the screens. mate-calc names its buttons by
#: job ("x_pow_y", "shift_left"). ``icon`` marks the keys that draw a symbol (π
#: xʸ x⁻¹ x! |x| ×10ʸ ⇆ ↓n ↑n, the x, < and > drop-downs, á), ``text`` the ones that draw a word,
#: letter or digit (and the drop-downs asked for by the unit they show).
CALC: dict[str, list[tuple[str, str, int, str, str]]] = {
    "linux_matecalc.png": [
        ("menu", "Mode", 0, "change the calculator mode", "text"),
        ("menu", "View", 0, "the View menu", "text"),
        ("combo_box", "Degrees", 0, "the unit drop-down showing Degrees", "text"),
        ("combo_box", "Radians", 0, "convert into something other than radians", "text"),
        ("button", "⇆", 0, "swap the two units (the two arrows)", "icon"),
        ("button", "x_pow_y", 0, "x to the power y", "icon"),
        ("button", "inverse", 0, "the x to the minus one key", "icon"),
        ("button", "factorial", 0, "factorial", "icon"),
        ("button", "abs", 0, "the absolute value bars", "icon"),
        ("button", "exponential", 0, "times ten to the power of", "icon"),
        ("toggle_button", "subscript", 0, "the down arrow with an n, top left", "icon"),
        ("button", "pi", 0, "the pi key", "icon"),
        ("button", "memory", 0, "the wide x key with a little arrow", "icon"),
        ("button", "hyperbolic_sine", 0, "sinh", "text"),
        ("button", "tangent", 0, "tan, in the top row", "text"),
        ("button", "natural_logarithm", 0, "natural log", "text"),
        ("button", "clear", 0, "the red button", "text"),
        ("button", "undo", 0, "undo the last step", "text"),
        ("button", "modulus_divide", 0, "mod", "text"),
        ("button", "conjugate", 0, "complex conjugate", "text"),
        ("button", "9", 0, "nine", "text"),
        ("button", "const", 0, "pick a constant", "text"),
        ("button", "function", 0, "the f(x) menu at the top right", "text"),
    ],
    "linux_matecalc_prog.png": [
        ("combo_box", "Decimal", 0, "change the number base from decimal", "text"),
        ("button", "F", 0, "hex digit F", "text"),
        ("button", "A", 0, "the A key", "text"),
        ("button", "and", 0, "AND", "text"),
        ("button", "xor", 0, "the XOR button on the bottom row", "text"),
        ("button", "not", 0, "bitwise not", "text"),
        ("button", "ones_complement", 0, "ones' complement", "text"),
        ("button", "twos_complement", 0, "twos", "text"),
        ("button", "integer_portion", 0, "keep only the integer part", "text"),
        ("button", "fractional_portion", 0, "frac, bottom right corner", "text"),
        ("button", "modulus_divide", 0, "mod", "text"),
        ("menu", "Help", 0, "Help", "text"),
        ("menu", "Calculator", 0, "the Calculator menu", "text"),
        ("button", "shift_left", 0, "shift the bits left (the < drop-down)", "icon"),
        ("button", "shift_right", 0, "the > drop-down", "icon"),
        ("button", "character", 0, "insert a character code (the á)", "icon"),
        ("toggle_button", "superscript", 0, "the up arrow with an n", "icon"),
        ("button", "abs", 0, "absolute value, top right", "icon"),
        ("button", "x_pow_y", 0, "raise x to a power", "icon"),
        ("button", "factor", 0, "factorise (fact)", "text"),
        ("button", "inverse", 0, "one over x", "icon"),
    ],
}


def capture_desktop(out: Path, col: Any) -> None:
    """mate-calc in advanced mode, then (started again) in programming mode, each in a
    private Xvfb with AT-SPI. v3's ``desktop_v3._shoot`` crops, checks and adds the boxes."""
    from guiagent.actions import Hover, Point, Target
    from guiagent.config import LinuxConfig
    from guiagent.platforms.linux.atspi import AtspiReader
    from guiagent.platforms.linux.driver import LinuxDriver
    from guiagent.platforms.linux.xvfb import VirtualDisplay
    from guiagent.testing.x11 import launch, stop, wait_for_window

    if shutil.which("mate-calc") is None:
        raise SystemExit("mate-calc is missing: installer/install-debian.sh --dev, or --no-desktop")
    desktop_v3.EVINCE.update(CALC)  # _shoot looks its specs up there (this process only)
    flat = V3_MAKE.V2_MAKE._flat
    with tempfile.TemporaryDirectory(prefix="gset6-") as tmp:
        home = Path(tmp)
        (home / ".config" / "gtk-3.0").mkdir(parents=True)
        (home / ".config" / "gtk-3.0" / "settings.ini").write_text(GTK_SETTINGS)
        keyfile = home / ".config" / "glib-2.0" / "settings" / "keyfile"
        keyfile.parent.mkdir(parents=True)
        with VirtualDisplay(1280, 800, accessibility=True) as vd:
            vd.apply()
            env = {
                **vd.env,
                "HOME": str(home),
                "XDG_CONFIG_HOME": f"{home}/.config",
                "GSETTINGS_BACKEND": "keyfile",
            }
            driver = LinuxDriver(LinuxConfig(display=vd.display))
            driver._atspi = AtspiReader(max_nodes=3000, budget_s=6, call_timeout_ms=3000)
            driver._atspi.start()
            for name, mode in CALC_MODES.items():
                keyfile.write_text(CALC_KEYFILE.format(mode=mode))
                proc = launch(["mate-calc"], env)
                try:
                    wait_for_window(driver, "Calculator", 30, active=True)
                    time.sleep(3)
                    # the pointer in a corner, so that nothing is hovered and no tooltip shows
                    driver.execute(Hover(target=Target(point=Point(x=5, y=795))))
                    time.sleep(1.0)
                    desktop_v3._shoot(driver, out, name, col.add, col.dropped, flat)
                finally:
                    stop(proc)
                time.sleep(1.0)
            driver.close()


def _calc(out: Path, col: Any) -> None:
    print("mate-calc (Xvfb + AT-SPI):")
    capture_desktop(out, col)


def main(argv: list[str] | None = None) -> int:
    what = "v6dev grounding development set"
    return int(V3_MAKE.cli(argv, what, DATA, "mate-calc", _calc, 1_500_000))


if __name__ == "__main__":
    sys.exit(main())
