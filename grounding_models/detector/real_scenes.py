"""Scenes for the real-screen generator (``realgen.py``): which app to start and how (random
GTK theme, font scale, GDK_SCALE, window size), the random zenity / yad dialogs and gtk3-demo
pages, and the hotkeys and names worth trying once a window is up. Kept apart from the
capture so the mix of sources reads in one place.
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

THEMES = ("Adwaita", "Adwaita", "Adwaita:dark", "HighContrast", "HighContrastInverse")


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
