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
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

Box = tuple[int, int, int, int]  # x0, y0, x1, y1 (exclusive), screen or image pixels

#: raw AT-SPI role nick -> detector class (buttons may become icon_button, see node_class)
RAW_CLASSES: dict[str, str] = {
    "push-button": "button",
    "push-button-menu": "button",
    "button": "button",
    "toggle-button": "button",
    "check-box": "checkbox",
    "radio-button": "radio_button",
    "combo-box": "dropdown",
    "menu-item": "menu_item",
    "check-menu-item": "menu_item",
    "radio-menu-item": "menu_item",
    "tearoff-menu-item": "menu_item",
    "menu": "menu_item",
    "page-tab": "tab",
    "link": "link",
    "entry": "text_field",
    "password-text": "text_field",
    "spin-button": "text_field",
    "editbar": "text_field",
    "slider": "slider",
}
#: roles whose descendants are drawn in a pop-up (over the window)
POPUP_ROLES = {"menu", "popup-menu", "window", "tool-tip"}
#: the held-out sets' apps: never started (checked in :func:`launch_checked`)
FORBIDDEN = (
    "galculator",
    "mousepad",
    "tk_form",
    "gnome-calculator",
    "gucharmap",
    "libreoffice",
    "soffice",
    "evince",
    "file-roller",
    "chromium",
)
THEMES = ("Adwaita", "Adwaita", "Adwaita:dark", "HighContrast", "HighContrastInverse")
#: button names never clicked at random (they end the app or lose the scene)
DANGEROUS = (
    "quit",
    "close",
    "exit",
    "delete",
    "remove",
    "print",
    "log out",
    "shut",
    "about",
    "minimize",
)


@dataclass(frozen=True)
class Node:
    """One showing accessible: raw role, name, screen box, and where it sits in the tree."""

    role: str
    name: str
    box: Box
    states: frozenset[str] = frozenset()
    on_popup: bool = False  # below a menu / popover / pop-up window
    in_combo: bool = False  # below a combo box (its entry, its toggle)
    popup_width: int = 0  # width of the nearest pop-up ancestor (a popover's model buttons)
    frame: bool = False  # an open pop-up's own frame (covers what is under it)


def is_icon(name: str, width: int, height: int) -> bool:
    """An icon-only button: no accessible name (so no drawn text), or small and near-square
    (GTK icon buttons often take their name from the tooltip)."""
    if not name.strip():
        return True
    return width <= 48 and height <= 48 and 0.6 <= width / max(1, height) <= 1.5


def node_class(node: Node) -> str | None:
    """The detector class of an accessible, or None when the detector has no class for it."""
    role = node.role
    editable = role == "text" and "editable" in node.states
    cls = "text_field" if editable else RAW_CLASSES.get(role)
    if cls is None:
        return None
    if node.in_combo and not node.on_popup and role != "combo-box":
        return None  # the combo box's own entry / arrow: the combo is the control
    w, h = node.box[2] - node.box[0], node.box[3] - node.box[1]
    if role == "menu" and h > 40:  # an open menu's frame (a combo's pop-up), not an entry
        return None
    model = role in ("push-button", "toggle-button", "check-box", "radio-button")
    if model and node.popup_width and w >= 0.6 * node.popup_width and not is_icon(node.name, w, h):
        return "menu_item"  # a popover menu's model button: drawn as a menu entry
    if role == "toggle-button" and not node.name.strip() and w >= 1.6 * h and h <= 40:
        return "checkbox"  # a GtkSwitch: an on/off control like a check box
    if cls == "button" and is_icon(node.name, w, h):
        return "icon_button"
    return cls


def iou(a: Sequence[Any], b: Sequence[Any]) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    inter = max(0, w) * max(0, h)
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union else 0.0


def overlap(a: Box, b: Box) -> int:
    return max(0, min(a[2], b[2]) - max(a[0], b[0])) * max(0, min(a[3], b[3]) - max(a[1], b[1]))


def segmented_tabs(boxes: list[list[Any]]) -> list[list[Any]]:
    """Radio buttons drawn as a row of joined buttons (a GtkStackSwitcher) are tabs: those
    sharing top and bottom with a neighbour that they touch."""
    radios = [b for b in boxes if b[4] == "radio_button"]
    out = []
    for b in boxes:
        if b[4] == "radio_button" and any(
            o is not b and abs(o[1] - b[1]) <= 1 and abs(o[3] - b[3]) <= 1
            and (abs(o[0] - b[2]) <= 2 or abs(b[0] - o[2]) <= 2)
            for o in radios
        ):  # fmt: skip
            b = [*b[:4], "tab"]
        out.append(b)
    return out


def tidy(boxes: list[list[Any]]) -> list[list[Any]]:
    """Stack-switcher radios become tabs; a text field inside a dropdown (a combo box with
    an entry, whose entry AT-SPI lists beside the combo) is the dropdown's own part."""
    drops = [b for b in boxes if b[4] == "dropdown"]
    kept = []
    for b in segmented_tabs(boxes):
        area = max(1, (b[2] - b[0]) * (b[3] - b[1]))
        if b[4] == "text_field" and any(overlap(tuple(b[:4]), tuple(d[:4])) >= 0.9 * area
                                        for d in drops):  # fmt: skip
            continue
        kept.append(b)
    return kept


def union_box(boxes: Iterable[Box]) -> Box | None:
    found = list(boxes)
    if not found:
        return None
    return (
        min(b[0] for b in found),
        min(b[1] for b in found),
        max(b[2] for b in found),
        max(b[3] for b in found),
    )


def label_boxes(
    items: Iterable[tuple[Box, str, bool]],
    crop: Box,
    occluders: Sequence[Box] = (),
    *,
    tolerance: int = 3,
    min_size: int = 4,
) -> list[list[Any]]:
    """Boxes ``(box, class, on_popup)`` in screen pixels -> ``[x0, y0, x1, y1, class]`` in crop
    pixels. Dropped: boxes leaving the crop by more than ``tolerance`` (others are clipped),
    thinner than ``min_size``, more than 20 % under a pop-up they are not part of, and the
    second of two boxes of one class with IoU > 0.7 (the same control reached twice)."""
    cx0, cy0, cx1, cy1 = crop
    kept: list[list[Any]] = []
    for (x0, y0, x1, y1), cls, on_popup in items:
        if x0 < cx0 - tolerance or y0 < cy0 - tolerance:
            continue
        if x1 > cx1 + tolerance or y1 > cy1 + tolerance:
            continue
        x0, y0, x1, y1 = max(x0, cx0), max(y0, cy0), min(x1, cx1), min(y1, cy1)
        if x1 - x0 < min_size or y1 - y0 < min_size:
            continue
        box = (x0, y0, x1, y1)
        area = (x1 - x0) * (y1 - y0)
        if not on_popup and sum(overlap(box, o) for o in occluders) > 0.2 * area:
            continue
        line = [x0 - cx0, y0 - cy0, x1 - cx0, y1 - cy0, cls]
        if any(k[4] == cls and iou(line, k) > 0.7 for k in kept):
            continue
        kept.append(line)
    return kept


# -- AT-SPI -----------------------------------------------------------------------------------


class Walker:
    """Walks the active window of one application on the AT-SPI bus, keeping raw roles and
    pop-up ancestry (the driver's reader normalises roles and forgets the tree shape, and its
    time budget is too short for widget-factory on a busy machine)."""

    def __init__(self, max_nodes: int = 4000, budget_s: float = 6.0) -> None:
        import gi

        gi.require_version("Atspi", "2.0")
        from gi.repository import Atspi

        Atspi.set_timeout(1500, 5000)
        self.atspi: Any = Atspi
        self.max_nodes = max_nodes
        self.budget_s = budget_s

    def _app(self, pid: int) -> Any | None:
        desktop = self.atspi.get_desktop(0)
        for i in range(desktop.get_child_count()):
            app = desktop.get_child_at_index(i)
            try:
                if app is not None and app.get_process_id() == pid:
                    return app
            except Exception:  # an application that quit under us
                continue
        return None

    def walk(
        self, pid: int, scale: float = 1.0, active: Box | None = None, popups: Sequence[Box] = ()
    ) -> tuple[list[Node], Box | None]:
        """(showing nodes, the main top-level's box) of application ``pid``: the top-level
        matching the X active window ``active`` (else the ACTIVE one), plus top-levels that
        are X pop-up windows (a combo's list), whose nodes count as on the pop-up."""
        app = self._app(pid)
        if app is None:
            return [], None
        app.clear_cache()
        st = self.atspi.StateType
        main: Any = None
        extra: list[Any] = []
        for i in range(app.get_child_count()):
            child = app.get_child_at_index(i)
            if child is None or not child.get_state_set().contains(st.SHOWING):
                continue
            box = self._box(child, scale)
            if box is None:
                continue
            if active is not None and iou(box, active) > 0.5 and main is None:
                main = child
            elif _inside(box, popups):
                extra.append(child)
            elif active is None and child.get_state_set().contains(st.ACTIVE):
                main = child
        if main is None:
            return [], None
        frame = self._box(main, scale)
        queue: list[tuple[Any, bool, bool, int, str]] = [(main, False, False, 0, "")]
        queue += [(t, True, False, 0, "window") for t in extra]
        tops = [main, *extra]
        nodes: list[Node] = []
        deadline = time.monotonic() + self.budget_s
        while queue and len(nodes) < self.max_nodes and time.monotonic() < deadline:
            node, on_popup, in_combo, pw, parent = queue.pop(0)
            try:
                states = {
                    str(getattr(s, "value_nick", s)).lower()
                    for s in node.get_state_set().get_states()
                }
                if "showing" not in states or "visible" not in states:
                    continue
                role = str(node.get_role().value_nick).lower()
                box = self._box(node, scale)
                # a popover is a modal panel (below its menu button, or reached from the
                # window first); menus are pop-ups themselves
                opens = node not in tops and (
                    parent in ("toggle-button", "push-button-menu")
                    or role in POPUP_ROLES
                    or (role == "panel" and "modal" in states)
                )
                on_popup = (
                    on_popup
                    or parent in ("toggle-button", "push-button-menu")
                    or (role == "panel" and "modal" in states)
                )
                is_frame = opens and box is not None and box[3] - box[1] > 40
                if is_frame and box is not None:
                    pw = box[2] - box[0]
                if box is not None:
                    name = (node.get_name() or "").strip()
                    nodes.append(
                        Node(role, name, box, frozenset(states), on_popup, in_combo, pw, is_frame)
                    )
                popup = on_popup or opens
                combo = in_combo or role == "combo-box"
                count = min(node.get_child_count(), 2000)
                queue.extend(
                    (node.get_child_at_index(i), popup, combo, pw, role) for i in range(count)
                )
            except Exception:  # D-Bus errors: a node vanished or the app is slow
                continue
        return nodes, frame

    def _box(self, node: Any, scale: float) -> Box | None:
        ext = node.get_extents(self.atspi.CoordType.SCREEN)
        if ext.width <= 0 or ext.height <= 0 or ext.x < -10000:
            return None
        x, y = round(ext.x * scale), round(ext.y * scale)
        return (x, y, x + round(ext.width * scale), y + round(ext.height * scale))


def x_popups(display: str, screen: Box) -> list[Box]:
    """Mapped override-redirect windows (menus, combo pop-ups, tooltips) on the screen."""
    from Xlib import X
    from Xlib import display as xdisplay

    found: list[Box] = []
    d = xdisplay.Display(display)
    try:
        root = d.screen().root
        for win in root.query_tree().children:
            try:
                attrs = win.get_attributes()
                if not attrs.override_redirect or attrs.map_state != X.IsViewable:
                    continue
                g = win.get_geometry()
            except Exception:
                continue
            box = (g.x, g.y, g.x + g.width, g.y + g.height)
            if g.width > 8 and g.height > 8 and overlap(box, screen) > 0:
                found.append(box)
    finally:
        d.close()
    return found


# -- output -----------------------------------------------------------------------------------


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
        line = {"image": name, "width": image.width, "height": image.height, "boxes": boxes}
        with (self.out / "labels.jsonl").open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(line) + "\n")
        with (self.out / "sources.jsonl").open("a", encoding="utf-8") as fh:
            fh.write(json.dumps({"image": name, **meta}) + "\n")
        self.count += 1
        for box in boxes:
            self.classes[box[4]] = self.classes.get(box[4], 0) + 1
        return name


# -- scenes -----------------------------------------------------------------------------------


@dataclass
class Scene:
    """One app start: its command, its GTK look, and what to do once its window is up."""

    source: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    title: str = ""
    steps: int = 3
    keys: list[list[str]] = field(default_factory=list)  # app-specific hotkeys to try
    follow: list[str] = field(default_factory=list)  # names worth clicking in an open popover
    resize: bool = False
    scale: float = 1.0
    tk_layout: Path | None = None


def gtk_look(rng: random.Random, allow_scale2: bool) -> tuple[dict[str, str], float, str]:
    """Random theme, font scale and sometimes GDK_SCALE=2: (env, box scale, description)."""
    theme = rng.choice(THEMES)
    env = {"GTK_THEME": theme, "NO_AT_BRIDGE": "0", "GTK_OVERLAY_SCROLLING": "0"}
    if allow_scale2 and rng.random() < 0.15:
        env["GDK_SCALE"] = "2"
        dpi = round(rng.uniform(0.6, 0.8), 2)
        env["GDK_DPI_SCALE"] = f"{dpi}"
        return env, 2.0, f"{theme} x2 dpi{dpi}"
    dpi = round(rng.choice((1.0, 1.0, rng.uniform(0.8, 1.5))), 2)
    env["GDK_DPI_SCALE"] = f"{dpi}"
    return env, 1.0, f"{theme} dpi{dpi}"


DEMOS = (
    "assistant", "builder", "combobox", "dialog", "entry_buffer", "entry_completion",
    "expander", "headerbar", "infobar", "links", "listbox", "menus", "modelbutton", "popover",
    "search_entry", "sidebar", "sizegroup", "spinbutton", "stack", "toolpalette", "flowbox",
    "application_demo", "css_accordion", "revealer", "textview", "panes", "printing",
    "font_features", "foreigndrawing", "glarea", "iconview", "clipboard", "scale",
)  # fmt: skip
FIELD_WORDS = [
    "Name",
    "Email",
    "City",
    "Phone",
    "Notes",
    "Folder",
    "Colour",
    "Size",
    "Date",
    "Server",
    "User",
    "Level",
]


def zenity_argv(rng: random.Random) -> list[str]:
    """A random zenity dialog."""
    kind = rng.choice(
        ("forms", "forms", "list", "list", "entry", "question", "file", "scale", "calendar",
         "password", "warning", "color")
    )  # fmt: skip
    words = rng.sample(FIELD_WORDS, 6)
    if kind == "forms":
        argv = ["zenity", "--forms", "--title", "Form", "--text", " ".join(words[:3])]
        for w in words[: rng.randint(2, 6)]:
            argv += [rng.choice(("--add-entry", "--add-entry", "--add-password",
                                 "--add-calendar")), w]  # fmt: skip
        if rng.random() < 0.6:
            argv += ["--add-combo", words[-1], "--combo-values", "Red|Green|Blue|Other"]
        if rng.random() < 0.4:
            argv += ["--add-list", "Items", "--list-values", "one|two|three"]
        return argv
    if kind == "list":
        mode = rng.choice(("--checklist", "--radiolist", ""))
        argv = ["zenity", "--list", "--title", "Pick", "--column", "Use", "--column", "Item"]
        argv = argv if mode else ["zenity", "--list", "--column", "Item", "--column", "Value"]
        if mode:
            argv.append(mode)
        for i in range(rng.randint(3, 9)):
            argv += [["TRUE", "FALSE"][i % 2] if mode else words[i % 6], f"{words[i % 6]} {i}"]
        return argv
    simple = {
        "entry": ["--entry", "--text", "Enter a value", "--entry-text", words[0]],
        "question": ["--question", "--text", f"Save {words[0]} before closing?"],
        "file": ["--file-selection"] + (["--save"] if rng.random() < 0.4 else []),
        "scale": ["--scale", "--text", words[1], "--value", str(rng.randint(0, 100))],
        "calendar": ["--calendar", "--text", "Pick a date"],
        "password": ["--password", "--username"],
        "warning": ["--warning", "--text", f"{words[2]} is not set"],
        "color": ["--color-selection", "--show-palette"],
    }
    return ["zenity", *simple[kind]]


#: yad --form field kind -> its initial value (others get a word)
YAD_VALUES = {"CB": "Red!Green!Blue", "CBE": "one!two", "CHK": "TRUE", "NUM": "5!0..100!1",
              "SCL": "40", "SW": "TRUE", "BTN": "true"}  # fmt: skip


def yad_argv(rng: random.Random) -> list[str]:
    """A random yad form (many field types) or a list with check boxes."""
    words = rng.sample(FIELD_WORDS, 10)
    if rng.random() < 0.2:
        argv = ["yad", "--list", "--checklist", "--column", "Use", "--column", "Item"]
        for i in range(rng.randint(3, 8)):
            argv += [["TRUE", "FALSE"][i % 2], words[i]]
        return argv
    kinds = ("", "CHK", "CB", "CBE", "NUM", "SCL", "FL", "DIR", "CLR", "FN", "DT", "BTN", "H",
             "RO", "TXT", "MFL", "SW")  # fmt: skip
    argv = ["yad", "--form", "--title", words[0], "--columns", str(rng.choice((1, 1, 2)))]
    values: list[str] = []
    for w in words[: rng.randint(3, 9)]:
        kind = rng.choice(kinds)
        argv += ["--field", f"{w}:{kind}" if kind else w]
        values.append(YAD_VALUES.get(kind, w.lower()))
    if rng.random() < 0.5:
        argv += ["--button", "gtk-cancel:1", "--button", "gtk-ok:0"]
    return argv + values


def make_scene(rng: random.Random, home: str, tk_seed: int) -> tuple[Scene, str]:
    """Pick the next scene at random (weights give a mix of apps)."""
    kind = rng.choices(
        ("widget-factory", "gtk3-demo", "gedit", "zenity", "yad", "tk"),
        weights=(2, 4, 2, 4, 3, 7),
    )[0]
    if kind == "tk":
        layout = Path(home) / f"tk{tk_seed}.json"
        argv = [sys.executable, "-m", "guiagent.grounding_models.detector.tkforms", str(layout)]
        return Scene("tk", [*argv, "--seed", str(tk_seed)], tk_layout=layout, steps=0), "tk"
    env, scale, look = gtk_look(rng, allow_scale2=kind in ("zenity", "yad", "gtk3-demo"))
    if kind == "widget-factory":
        scene = Scene(
            kind, ["gtk3-widget-factory"], env, "widget", steps=rng.randint(3, 6),
            follow=["Page 1", "Page 2", "Page 3", "Open", "Dialog", "Save", "Preferences",
                    "Background", "Info", "Question"],
        )  # fmt: skip
    elif kind == "gtk3-demo":
        demo = rng.choice(DEMOS)
        scene = Scene(f"gtk3-demo:{demo}", ["gtk3-demo", f"--run={demo}"], env, "",
                      steps=rng.randint(2, 4), resize=rng.random() < 0.3)  # fmt: skip
    elif kind == "gedit":
        scene = Scene(
            kind, ["gedit", "--new-window", "-s"], env, "gedit", steps=rng.randint(3, 6),
            keys=[["ctrl", "f"], ["ctrl", "h"], ["ctrl", "i"], ["ctrl", "shift", "s"],
                  ["ctrl", "o"], ["F10"]],
            follow=["Preferences", "Keyboard Shortcuts", "Find and Replace…", "Save As…",
                    "Print…", "Fonts & Colors", "Editor", "View", "Plugins"],
            resize=rng.random() < 0.5,
        )  # fmt: skip
    elif kind == "zenity":
        scene = Scene("zenity", zenity_argv(rng), env, "", steps=rng.randint(0, 2))
    else:
        scene = Scene("yad", yad_argv(rng), env, "", steps=rng.randint(0, 3))
    scene.scale = scale
    return scene, look


# -- the capture loop -------------------------------------------------------------------------


class Capturer:
    """Owns the display, the driver and the walker; turns scenes into labelled images."""

    def __init__(self, vd: Any, out: Output, rng: random.Random, home: str) -> None:
        from guiagent.config import LinuxConfig
        from guiagent.platforms.linux.driver import LinuxDriver

        self.vd = vd
        self.out = out
        self.rng = rng
        self.home = home
        self.driver = LinuxDriver(LinuxConfig(display=vd.display, accessibility=False))
        self.walker = Walker()
        self.screen: Box = (0, 0, vd.width, vd.height)

    # input
    def click(self, box: Box, scale: float = 1.0) -> None:
        from guiagent.actions import Click, Point, Target

        x, y = (box[0] + box[2]) // 2, (box[1] + box[3]) // 2
        if not (0 <= x < self.screen[2] and 0 <= y < self.screen[3]):
            return
        self.driver.execute(Click(target=Target(point=Point(x=x, y=y))))

    def keys(self, *keys: str) -> None:
        from guiagent.actions import Hotkey, Key

        self.driver.execute(Hotkey(keys=list(keys)) if len(keys) > 1 else Key(key=keys[0]))

    def xdotool(self, *args: str) -> None:
        subprocess.run(
            ["xdotool", *args], env={**os.environ, **self.vd.env}, timeout=5,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
        )  # fmt: skip

    # observation
    def settled(self, pid: int, scale: float) -> tuple[list[Node], Box | None, Any]:
        """Nodes, frame and screenshot once two walks around the grab agree."""
        time.sleep(0.35)
        nodes, frame = self.walk(pid, scale)
        image = None
        for _ in range(4):
            time.sleep(0.2)
            image = self.driver.observe().image
            again, frame = self.walk(pid, scale)
            if len(again) == len(nodes) and [n.box for n in again] == [n.box for n in nodes]:
                return again, frame, image
            nodes = again
        return nodes, frame, image

    def walk(self, pid: int, scale: float) -> tuple[list[Node], Box | None]:
        active = self.driver.active_window()
        box = active.box if active is not None else None
        abox = (box.left, box.top, box.right, box.bottom) if box is not None else None
        return self.walker.walk(pid, scale, abox, x_popups(self.vd.display, self.screen))

    def shoot_gtk(self, scene: Scene, pid: int, look: str, step: str) -> list[Node]:
        nodes, frame, image = self.settled(pid, scene.scale)
        if frame is None or image is None:
            return nodes
        popups = x_popups(self.vd.display, self.screen)
        occluders = popups + [n.box for n in nodes if n.frame]
        crop = union_box([frame, *popups, *[n.box for n in nodes if n.on_popup]])
        assert crop is not None
        crop = (max(0, crop[0]), max(0, crop[1]), min(self.screen[2], crop[2]),
                min(self.screen[3], crop[3]))  # fmt: skip
        if crop[2] - crop[0] < 60 or crop[3] - crop[1] < 40:
            return nodes
        items = []
        # pop-up content first, so de-duplication keeps the control that is on top
        for node in sorted(nodes, key=lambda n: not n.on_popup):
            cls = node_class(node)
            if cls is not None:
                items.append((node.box, cls, node.on_popup))
        boxes = tidy(label_boxes(items, crop, occluders))
        if not boxes:
            return nodes
        img = Image.fromarray(image).crop(crop)
        meta = {"source": scene.source, "look": look, "step": step}
        name = self.out.add(img, boxes, meta)
        print(f"  {name} {scene.source} [{look}] {step}: {len(boxes)} boxes", flush=True)
        return nodes

    def run_gtk(self, scene: Scene, look: str) -> None:
        from guiagent.testing.x11 import launch, stop

        proc = launch_checked(scene.argv, {**self.vd.env, **scene.env, "HOME": self.home}, launch)
        try:
            window = self.wait_window(proc.pid, 12)
            if window is None:
                print(f"  ({scene.source}: no window)", flush=True)
                return
            if scene.resize:
                w, h = self.rng.randint(500, 1200), self.rng.randint(380, 820)
                self.xdotool("getactivewindow", "windowsize", str(w), str(h))
            nodes = self.shoot_gtk(scene, proc.pid, look, "start")
            for i in range(scene.steps):
                if proc.poll() is not None:
                    break
                nodes = self.step(scene, proc.pid, look, nodes, i)
        finally:
            stop(proc)

    def wait_window(self, pid: int, timeout: float) -> Any | None:
        """The active window once it belongs to ``pid`` (or to a child of it)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            active = self.driver.active_window()
            if active is not None and active.pid == pid:
                return active
            time.sleep(0.2)
        return None

    def step(self, scene: Scene, pid: int, look: str, nodes: list[Node], i: int) -> list[Node]:
        """One random interaction, its screenshot, and the undo (Escape) where it opened a
        pop-up or a dialog."""
        rng = self.rng
        base = [n for n in nodes if not n.on_popup]
        pick: dict[str, list[Node]] = {
            "menu": [n for n in base if n.role == "menu" and n.box[3] - n.box[1] <= 40],
            "combo": [n for n in base if n.role == "combo-box" and not n.in_combo],
            "tab": [n for n in base if n.role == "page-tab"],
            "toggle": [n for n in base if n.role in ("toggle-button", "push-button-menu")],
            "button": [n for n in base if n.role == "push-button" and n.name
                       and not any(d in n.name.lower() for d in DANGEROUS)],
            "follow": [n for n in nodes if n.name in scene.follow],
        }  # fmt: skip
        options = [k for k, v in pick.items() if v]
        if scene.keys:
            options.append("keys")
        if not options:
            return nodes
        weights = {"menu": 3, "combo": 3, "tab": 2, "toggle": 2, "button": 1, "follow": 3}
        kind = rng.choices(options, weights=[weights.get(o, 2) for o in options])[0]
        if kind == "keys":
            combo = rng.choice(scene.keys)
            self.keys(*combo)
            label = "+".join(combo)
        else:
            node = rng.choice(pick[kind])
            box = node.box
            if kind == "combo":  # the arrow: a combo with an entry only opens from there
                box = (box[2] - 16, box[1], box[2] - 8, box[3])
            self.click(box)
            label = f"{kind}:{node.name[:30]}"
        after = self.shoot_gtk(scene, pid, look, label)
        if kind in ("menu", "combo", "toggle") and rng.random() < 0.4:
            # hover another entry of the open menu: the sub-menu / highlight changes
            items = [n for n in after if n.on_popup and n.role in ("menu", "menu-item")]
            if items:
                self.driver_move(rng.choice(items).box)
                after = self.shoot_gtk(scene, pid, look, label + "+hover")
        if kind in ("menu", "combo", "toggle", "keys", "button", "follow"):
            active = self.driver.active_window()
            self.keys("Escape")
            if kind == "menu":
                self.keys("Escape")
            time.sleep(0.3)
            now = self.driver.active_window()
            if (
                active is not None
                and now is not None
                and now.id == active.id
                and kind in ("keys", "button", "follow")
            ):
                pass  # a dialog that Escape does not close stays; the next step shoots it
        nodes, _, _ = self.settled(pid, scene.scale)
        return nodes

    def driver_move(self, box: Box) -> None:
        from guiagent.actions import Hover, Point, Target

        x, y = (box[0] + box[2]) // 2, (box[1] + box[3]) // 2
        self.driver.execute(Hover(target=Target(point=Point(x=x, y=y))))

    def run_tk(self, scene: Scene) -> None:
        from guiagent.testing.x11 import launch, stop

        assert scene.tk_layout is not None
        proc = launch_checked(scene.argv, {**self.vd.env, "HOME": self.home}, launch)
        try:
            deadline = time.monotonic() + 10
            while not scene.tk_layout.exists() and time.monotonic() < deadline:
                time.sleep(0.2)
            if not scene.tk_layout.exists():
                print("  (tk: no layout)", flush=True)
                return
            time.sleep(0.3)
            layout = json.loads(scene.tk_layout.read_text())
            image = self.driver.observe().image
            window: Box = tuple(layout["window"])  # type: ignore[assignment]
            popup: Box | None = tuple(layout["popup"]) if layout["popup"] else None  # type: ignore[assignment]
            crop = union_box([window] + ([popup] if popup else []))
            assert crop is not None
            crop = (max(0, crop[0]), max(0, crop[1]), min(self.screen[2], crop[2]),
                    min(self.screen[3], crop[3]))  # fmt: skip
            occluders = [popup] if popup else []
            items = [
                (tuple(b[:4]), b[4], b[4] == "menu_item" and _inside(tuple(b[:4]), occluders))
                for b in layout["boxes"]
            ]
            items.sort(key=lambda it: not it[2])
            boxes = label_boxes(items, crop, occluders)  # type: ignore[arg-type]
            if boxes:
                img = Image.fromarray(image).crop(crop)
                step = "menu" if popup else "start"
                name = self.out.add(img, boxes, {"source": "tk", "look": "tk", "step": step})
                print(f"  {name} tk {step}: {len(boxes)} boxes", flush=True)
        finally:
            stop(proc)
            scene.tk_layout.unlink(missing_ok=True)


def _inside(box: Box, regions: Sequence[Box]) -> bool:
    """Mostly (80 %) inside one of ``regions``: drawn on the pop-up, not under it."""
    area = max(1, (box[2] - box[0]) * (box[3] - box[1]))
    return any(overlap(box, r) >= 0.8 * area for r in regions)


def launch_checked(argv: list[str], env: dict[str, str], launch: Any) -> Any:
    """``launch`` after refusing the held-out sets' apps (a bug here would leak test data)."""
    text = " ".join(argv).lower()
    if any(bad in text for bad in FORBIDDEN):
        raise ValueError(f"refusing to capture a held-out app: {argv}")
    return launch(argv, env)


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
