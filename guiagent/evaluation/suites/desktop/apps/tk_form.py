"""A tiny Tk form for the desktop suite and the X11 tests: Name and Email entries, a
Subscribe check box and a Submit button that writes the values as JSON to the path given as
the first argument.

Tk exposes no AT-SPI tree, so the form also writes its widgets' screen rectangles to
``<path>.layout.json`` whenever the window settles; tests click those instead of guessing.

    python3 guiagent/evaluation/suites/desktop/apps/tk_form.py /tmp/out.json [--title "Tk Form"]
"""

from __future__ import annotations

import argparse
import json
import os
import tkinter as tk
from pathlib import Path


def _write_json(path: Path, data: object) -> None:
    """Write atomically, so a test polling the file never reads half of it."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("output", type=Path)
    parser.add_argument("--title", default="Tk Form")
    args = parser.parse_args()
    out: Path = args.output
    layout_path = out.with_name(out.name + ".layout.json")

    root = tk.Tk(className="TkForm")
    root.title(args.title)
    root.geometry("420x240+120+100")

    name = tk.StringVar()
    email = tk.StringVar()
    subscribe = tk.BooleanVar()
    submits = tk.IntVar(value=0)

    tk.Label(root, text="Name").grid(row=0, column=0, sticky="w", padx=8, pady=8)
    name_entry = tk.Entry(root, textvariable=name, width=30)
    name_entry.grid(row=0, column=1, padx=8, pady=8)
    tk.Label(root, text="Email").grid(row=1, column=0, sticky="w", padx=8, pady=8)
    email_entry = tk.Entry(root, textvariable=email, width=30)
    email_entry.grid(row=1, column=1, padx=8, pady=8)
    check = tk.Checkbutton(root, text="Subscribe", variable=subscribe)
    check.grid(row=2, column=1, sticky="w", padx=8, pady=8)

    def submit() -> None:
        submits.set(submits.get() + 1)
        focus = root.focus_get()
        focused = {str(name_entry): "name", str(email_entry): "email"}.get(str(focus), str(focus))
        _write_json(
            out,
            {
                "name": name.get(),
                "email": email.get(),
                "subscribe": bool(subscribe.get()),
                "submits": submits.get(),
                "focus": focused,
            },
        )

    button = tk.Button(root, text="Submit", command=submit)
    button.grid(row=3, column=1, sticky="w", padx=8, pady=8)
    widgets = {"name": name_entry, "email": email_entry, "subscribe": check, "submit": button}

    pending: list[str] = []

    def write_layout() -> None:
        pending.clear()
        rects = {
            key: [w.winfo_rootx(), w.winfo_rooty(), w.winfo_width(), w.winfo_height()]
            for key, w in widgets.items()
        }
        _write_json(layout_path, {"pid": os.getpid(), "widgets": rects})

    def settle(_: object = None) -> None:
        if pending:
            root.after_cancel(pending.pop())
        pending.append(root.after(150, write_layout))

    root.bind("<Configure>", settle)
    root.bind("<Map>", settle)
    root.mainloop()


if __name__ == "__main__":
    main()
