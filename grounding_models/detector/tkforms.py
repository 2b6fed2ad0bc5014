"""A random Tk window for the real-screen generator (``realgen.py``): tk and ttk widgets in
a seeded layout, theme, font, padding and colour, with one menu sometimes posted open.

    python -m guiagent.grounding_models.detector.tkforms LAYOUT.json --seed 7

Why: Tk draws its own widgets and exposes no AT-SPI tree, so the window writes each control's
screen box (``winfo_rootx/rooty/width/height``) and detector class to ``LAYOUT.json`` once it
is mapped and settled; the generator crops the screenshot and uses those boxes.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tkinter as tk
from pathlib import Path
from tkinter import ttk
from typing import Any

WORDS = [
    "Name",
    "Email",
    "Phone",
    "City",
    "Street",
    "Country",
    "Notes",
    "Title",
    "Size",
    "Colour",
    "Mode",
    "Quality",
    "Level",
    "Speed",
    "Volume",
    "Format",
    "Server",
    "Port",
    "User",
    "Password",
    "Folder",
    "Search",
    "Filter",
    "Sort",
    "Group",
    "Owner",
    "Status",
    "Priority",
    "Language",
    "Region",
    "Theme",
    "Layout",
    "Width",
    "Height",
    "Margin",
    "Start",
    "End",
    "Date",
    "Time",
    "Limit",
]
ACTIONS = [
    "OK",
    "Cancel",
    "Apply",
    "Save",
    "Open",
    "Close",
    "Help",
    "Reset",
    "Next",
    "Back",
    "Run",
    "Stop",
    "Add",
    "Remove",
    "Edit",
]
MENUS = ["File", "Edit", "View", "Tools", "Window", "Help", "Options", "Insert", "Format", "Go"]
FONTS = ("DejaVu Sans", "DejaVu Serif", "DejaVu Sans Mono", "Helvetica", "Courier", "Times")
BGS = ("#d9d9d9", "#ececec", "#ffffff", "#f0f0e8", "#2b2b2b", "#dfe6ee", "#e8dcc8", "#c0c0c0")


def _words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


class Form:
    """One random window: ``self.boxes`` collects (widget, class) to measure once mapped."""

    def __init__(self, root: tk.Tk, rng: random.Random) -> None:
        self.root = root
        self.rng = rng
        self.items: list[tuple[tk.Misc, str]] = []
        self.tabs: list[ttk.Notebook] = []
        self.menus: list[tk.Menu] = []
        self.post: tk.Menu | None = None

    def keep(self, widget: tk.Misc, cls: str) -> tk.Misc:
        self.items.append((widget, cls))
        return widget

    def build(self) -> None:
        rng, root = self.rng, self.root
        dark = rng.random() < 0.2
        bg = "#2b2b2b" if dark else rng.choice(BGS[:4] + BGS[5:])
        fg = "#eeeeee" if dark else "#000000"
        size = rng.choice((8, 9, 10, 10, 11, 12, 13, 14))
        family = rng.choice(FONTS)
        root.option_add("*Font", (family, size))
        root.option_add("*Background", bg)
        root.option_add("*Foreground", fg)
        root.option_add("*selectColor", "#ffffff" if not dark else "#444444")
        root.option_add("*insertBackground", fg)
        root.configure(background=bg)
        style = ttk.Style(root)
        style.theme_use(rng.choice(("clam", "alt", "default", "classic")))
        style.configure(".", font=(family, size), background=bg, foreground=fg)
        style.configure("TEntry", fieldbackground="#ffffff" if not dark else "#3a3a3a")
        if rng.random() < 0.7:
            self._menubar(bg, fg)
        pad = rng.choice((2, 4, 6, 8, 12))
        body = tk.Frame(root, bg=bg, padx=pad, pady=pad)
        body.pack(fill="both", expand=True)
        if rng.random() < 0.35:
            nb = ttk.Notebook(body)
            nb.pack(fill="both", expand=True, padx=pad, pady=pad)
            self.tabs.append(nb)
            pages = [tk.Frame(nb, bg=bg) for _ in range(rng.randint(2, 5))]
            for page in pages:
                nb.add(page, text=_words(rng, rng.randint(1, 2)))
            parent: tk.Misc = pages[0]
        else:
            parent = body
        columns = rng.choice((1, 1, 2, 2, 3))
        for c in range(columns):
            col: tk.Frame | tk.LabelFrame = tk.Frame(parent, bg=bg)
            col.grid(row=0, column=c, sticky="nw", padx=pad, pady=pad)
            if rng.random() < 0.5:
                col = tk.LabelFrame(col, text=_words(rng, 1), padx=pad, pady=pad)
                col.pack(fill="both", expand=True)
            for row in range(rng.randint(2, 7)):
                self._row(col, row, pad)
        buttons = tk.Frame(root, bg=bg)
        buttons.pack(fill="x", side="bottom", padx=pad, pady=pad)
        for name in rng.sample(ACTIONS, rng.randint(1, 4)):
            b = (ttk.Button if rng.random() < 0.5 else tk.Button)(buttons, text=name)
            b.pack(side="right", padx=pad // 2 + 1)
            self.keep(b, "button")

    def _menubar(self, bg: str, fg: str) -> None:
        rng = self.rng
        bar = tk.Frame(self.root, bg=bg, relief=rng.choice(("flat", "raised")), bd=1)
        bar.pack(fill="x", side="top")
        for name in rng.sample(MENUS, rng.randint(2, 6)):
            mb = tk.Menubutton(bar, text=name, relief="flat", padx=rng.choice((4, 6, 8)))
            mb.pack(side="left")
            menu = tk.Menu(mb, tearoff=0)
            for _ in range(rng.randint(3, 9)):
                if rng.random() < 0.15:
                    menu.add_separator()
                elif rng.random() < 0.15:
                    menu.add_checkbutton(label=_words(rng, 2))
                else:
                    menu.add_command(label=_words(rng, rng.randint(1, 3)) + "...")
            mb.configure(menu=menu)
            self.keep(mb, "menu_item")
            self.menus.append(menu)

    def _row(self, parent: tk.Misc, row: int, pad: int) -> None:
        rng = self.rng
        kind = rng.choice(
            (
                "entry", "entry", "ttk_entry", "check", "ttk_check", "radio", "ttk_radio",
                "combo", "option", "scale", "ttk_scale", "spin", "ttk_spin", "button",
                "ttk_button", "text", "menubutton",
            )
        )  # fmt: skip
        label = tk.Label(parent, text=_words(rng, rng.randint(1, 2)) + rng.choice(("", ":")))
        label.grid(row=row, column=0, sticky="w", padx=pad // 2, pady=pad // 2)
        cell = tk.Frame(parent)
        cell.grid(row=row, column=1, sticky="w", padx=pad // 2, pady=pad // 2)
        width = rng.randint(8, 30)
        widget: tk.Widget
        if kind in ("entry", "ttk_entry"):
            widget = (tk.Entry if kind == "entry" else ttk.Entry)(cell, width=width)
            if rng.random() < 0.6:
                widget.insert(0, _words(rng, rng.randint(1, 3)))  # type: ignore[attr-defined]
            widget.pack(side="left")
            self.keep(widget, "text_field")
        elif kind in ("check", "ttk_check", "radio", "ttk_radio"):
            var = tk.IntVar(value=rng.randint(0, 1))
            cls = "checkbox" if "check" in kind else "radio_button"
            ctor: Any = {
                "check": tk.Checkbutton,
                "ttk_check": ttk.Checkbutton,
                "radio": tk.Radiobutton,
                "ttk_radio": ttk.Radiobutton,
            }[kind]
            horizontal = rng.random() < 0.5
            for i in range(rng.randint(1, 4)):
                opts: dict[str, Any] = {"text": _words(rng, rng.randint(1, 2)), "variable": var}
                if "radio" in kind:
                    opts["value"] = i
                widget = ctor(cell, **opts)
                widget.pack(side="left" if horizontal else "top", anchor="w")
                self.keep(widget, cls)
        elif kind == "combo":
            values = [_words(rng, 1) for _ in range(6)]
            widget = ttk.Combobox(cell, values=values, width=width)
            widget.set(values[0])
            widget.pack(side="left")
            self.keep(widget, "dropdown")
        elif kind == "option":
            var2 = tk.StringVar(value="Choice")
            widget = tk.OptionMenu(cell, var2, *[_words(rng, 1) for _ in range(5)])
            widget.pack(side="left")
            self.keep(widget, "dropdown")
            self.menus.append(self.root.nametowidget(str(widget["menu"])))
        elif kind in ("scale", "ttk_scale"):
            length = rng.randint(100, 300)
            if kind == "scale":
                widget = tk.Scale(
                    cell, from_=0, to=100, orient="horizontal", length=length,
                    showvalue=rng.random() < 0.5,
                )  # fmt: skip
                widget.set(rng.randint(0, 100))
            else:
                widget = ttk.Scale(cell, from_=0, to=100, length=length, value=rng.randint(0, 100))
            widget.pack(side="left")
            self.keep(widget, "slider")
        elif kind in ("spin", "ttk_spin"):
            widget = (tk.Spinbox if kind == "spin" else ttk.Spinbox)(
                cell, from_=0, to=99, width=rng.randint(4, 10)
            )
            widget.pack(side="left")
            self.keep(widget, "text_field")
        elif kind in ("button", "ttk_button"):
            for _ in range(rng.randint(1, 3)):
                widget = (tk.Button if kind == "button" else ttk.Button)(
                    cell, text=rng.choice(ACTIONS + ["..."])
                )
                widget.pack(side="left", padx=2)
                self.keep(widget, "button")
        elif kind == "text":
            widget = tk.Text(cell, width=width, height=rng.randint(2, 5))
            widget.insert("1.0", _words(rng, 12))
            widget.pack(side="left")
            self.keep(widget, "text_field")
        else:
            widget = ttk.Menubutton(cell, text=_words(rng, 1))
            menu = tk.Menu(widget, tearoff=0)
            for _ in range(4):
                menu.add_command(label=_words(rng, 2))
            widget.configure(menu=menu)
            widget.pack(side="left")
            self.keep(widget, "dropdown")
            self.menus.append(menu)

    def layout(self) -> dict[str, Any]:
        """Every kept control's screen box and class, the tabs', and the posted menu's."""
        boxes: list[list[Any]] = []
        for widget, cls in self.items:
            if not widget.winfo_viewable():
                continue
            x, y = widget.winfo_rootx(), widget.winfo_rooty()
            boxes.append([x, y, x + widget.winfo_width(), y + widget.winfo_height(), cls])
        for nb in self.tabs:
            boxes += _tab_boxes(nb)
        popup: list[int] | None = None
        if self.post is not None and self.post.winfo_viewable():
            m = self.post
            mx, my, mw = m.winfo_rootx(), m.winfo_rooty(), m.winfo_width()
            popup = [mx, my, mx + mw, my + m.winfo_height()]
            last = m.index("end")
            for i in range(0 if last is None else last + 1):
                if m.type(i) == "separator":
                    continue
                top = m.yposition(i)
                bottom = m.yposition(i + 1) if i < (last or 0) else m.winfo_height()
                if bottom <= top:
                    bottom = m.winfo_height()
                boxes.append([mx + 2, my + top, mx + mw - 2, my + bottom, "menu_item"])
        root = self.root
        window = [root.winfo_rootx(), root.winfo_rooty()]
        window += [window[0] + root.winfo_width(), window[1] + root.winfo_height()]
        return {"pid": os.getpid(), "window": window, "popup": popup, "boxes": boxes}


def _tab_boxes(nb: ttk.Notebook) -> list[list[Any]]:
    """ttk has no tab bbox: probe the tab strip with ``index @x,y`` and keep the extents."""
    found: dict[int, list[int]] = {}
    ox, oy = nb.winfo_rootx(), nb.winfo_rooty()
    for y in range(0, min(60, nb.winfo_height()), 2):
        for x in range(0, nb.winfo_width(), 2):
            if not nb.identify(x, y):
                continue
            try:
                idx = int(nb.index(f"@{x},{y}"))
            except (tk.TclError, ValueError):
                continue
            b = found.setdefault(idx, [x, y, x, y])
            b[0], b[1], b[2], b[3] = min(b[0], x), min(b[1], y), max(b[2], x), max(b[3], y)
    return [[ox + b[0], oy + b[1], ox + b[2] + 2, oy + b[3] + 2, "tab"] for b in found.values()]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="a random Tk window that writes its layout")
    parser.add_argument("layout", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    root = tk.Tk(className="TkRandom")
    root.title(_words(rng, rng.randint(1, 3)))
    root.tk.call("tk", "scaling", rng.choice((1.0, 1.33, 1.33, 1.6, 2.0)))
    form = Form(root, rng)
    form.build()
    root.geometry(f"+{rng.randint(20, 200)}+{rng.randint(20, 120)}")
    post_menu = form.menus and rng.random() < 0.35

    def write() -> None:
        tmp = args.layout.with_name(args.layout.name + ".tmp")
        tmp.write_text(json.dumps(form.layout()), encoding="utf-8")
        os.replace(tmp, args.layout)

    def posted() -> None:
        menu = rng.choice(form.menus)
        owner = menu.master if isinstance(menu.master, tk.Widget) else root
        menu.post(owner.winfo_rootx(), owner.winfo_rooty() + owner.winfo_height())
        form.post = menu
        root.after(400, write)

    def mapped() -> None:
        root.update_idletasks()
        if post_menu:
            posted()
        else:
            write()

    root.after(700, mapped)
    root.mainloop()


if __name__ == "__main__":
    main()
