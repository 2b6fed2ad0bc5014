"""How a person would ask for an element, in many more forms than the v1 set's templates.

The form is chosen by a stable hash of (screen, name), so rerunning ``make_set.py`` writes the
same instructions and no form is tied to one app. Instructions are fixed here, before any
measurement; never edit them to suit the grounding code.
"""

from __future__ import annotations

import zlib

FORMS: dict[str, list[str]] = {
    "key": ["the {n} key", "press the {n} key", "{n}", "the {n} button", "click {n}"],
    "button": ["{n}", "the {n} button", "click {n}", "press {n}", "click the {n} button"],
    "icon": [
        "the {n} icon",
        "the {n} button",
        "{n}",
        "click the {n} icon",
        "the {n} icon in the toolbar",
    ],
    "menu": ["the {n} menu", "open the {n} menu", "{n} menu", "click {n} in the menu bar"],
    "menu_item": ["{n}", "{n} in the menu", "the {n} menu item", "choose {n}", "click {n}"],
    "checkbox": ["tick {n}", "the {n} checkbox", "the checkbox next to {n}", "{n}"],
    "switch": ["the {n} switch", "the {n} toggle", "toggle {n}", "{n}"],
    "radio": ["the {n} option", "select {n}", "the {n} radio button", "{n}"],
    "text_field": ["the {n} field", "the field for {n}", "the {n} box", "{n}", "type in {n}"],
    "combo_box": ["the {n} drop-down", "open the {n} drop-down", "the {n} list", "{n}"],
    "tab": ["the {n} tab", "go to the {n} tab", "{n} tab", "{n}"],
    "link": ["the link {n}", "the {n} link", "{n}", "click {n}", "follow the {n} link"],
    "nav": ["go to {n}", "{n}", "the {n} section", "{n} in the sidebar", "open {n}"],
    "item": ["{n}", "the {n} item", "select {n}", "click {n}"],
}

#: names that start with one of these read well as "the button to <name>"
_VERBS = {
    "add", "archive", "attach", "copy", "cut", "delete", "download", "export", "forward",
    "insert", "open", "paste", "print", "redo", "refresh", "reload", "remove", "rename",
    "reply", "save", "share", "sort", "undo", "clear", "close", "eject", "find", "search",
}  # fmt: skip


def pick(screen: str, name: str, n: int) -> int:
    """A stable choice among ``n`` forms for this element on this screen."""
    return zlib.crc32(f"{screen}|{name}".encode()) % n


def phrase(kind: str, name: str, screen: str) -> str:
    """One instruction for an element of ``kind`` called ``name`` on ``screen``."""
    forms = list(FORMS[kind])
    if kind == "icon" and name.split()[0].lower() in _VERBS:
        forms.append("the button to {v}")
    form = forms[pick(screen, name, len(forms))]
    return form.format(n=name, v=name[0].lower() + name[1:])
