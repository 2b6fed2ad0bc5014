"""Key names as people (and the Linux driver) write them -> Playwright's key names.

Playwright wants ``KeyboardEvent.key`` values (``Enter``, ``ArrowLeft``, ``Control``) or
single characters; models and scripts write ``enter``, ``ctrl``, ``PgDn``, X keysym names
such as ``Return`` or ``BackSpace``, and chords as ``ctrl+s``.
"""

from __future__ import annotations

from guiagent.errors import DriverError

#: squashed name (lower case, no spaces, dashes or underscores) -> Playwright key
ALIASES: dict[str, str] = {
    "enter": "Enter",
    "return": "Enter",
    "ret": "Enter",
    "kpenter": "Enter",
    "esc": "Escape",
    "escape": "Escape",
    "ctrl": "Control",
    "control": "Control",
    "controll": "Control",
    "controlr": "Control",
    "lctrl": "Control",
    "rctrl": "Control",
    "alt": "Alt",
    "altl": "Alt",
    "altr": "Alt",
    "lalt": "Alt",
    "ralt": "Alt",
    "option": "Alt",
    "altgr": "AltGraph",
    "isolevel3shift": "AltGraph",
    "shift": "Shift",
    "shiftl": "Shift",
    "shiftr": "Shift",
    "lshift": "Shift",
    "rshift": "Shift",
    "super": "Meta",
    "superl": "Meta",
    "superr": "Meta",
    "win": "Meta",
    "windows": "Meta",
    "meta": "Meta",
    "cmd": "Meta",
    "command": "Meta",
    "tab": "Tab",
    "isolefttab": "Tab",
    "backspace": "Backspace",
    "bksp": "Backspace",
    "delete": "Delete",
    "del": "Delete",
    "insert": "Insert",
    "ins": "Insert",
    "space": "Space",
    "spacebar": "Space",
    "up": "ArrowUp",
    "down": "ArrowDown",
    "left": "ArrowLeft",
    "right": "ArrowRight",
    "arrowup": "ArrowUp",
    "arrowdown": "ArrowDown",
    "arrowleft": "ArrowLeft",
    "arrowright": "ArrowRight",
    "home": "Home",
    "end": "End",
    "pageup": "PageUp",
    "pgup": "PageUp",
    "prior": "PageUp",
    "pagedown": "PageDown",
    "pgdn": "PageDown",
    "next": "PageDown",
    "capslock": "CapsLock",
    "numlock": "NumLock",
    "scrolllock": "ScrollLock",
    "printscreen": "PrintScreen",
    "prtsc": "PrintScreen",
    "print": "PrintScreen",
    "pause": "Pause",
    "menu": "ContextMenu",
    "apps": "ContextMenu",
    "contextmenu": "ContextMenu",
    "plus": "+",
    "kpadd": "+",
    "minus": "-",
    "kpsubtract": "-",
    "comma": ",",
    "period": ".",
    "slash": "/",
    "backslash": "\\",
    "semicolon": ";",
    "apostrophe": "'",
    "quote": "'",
    "grave": "`",
    "equal": "=",
    "bracketleft": "[",
    "bracketright": "]",
}

#: the modifier keys, in Playwright's spelling
MODIFIERS = frozenset({"Control", "Alt", "Shift", "Meta", "AltGraph"})

#: Playwright key names accepted as written (any case)
_KNOWN = {
    name.lower(): name
    for name in (
        *ALIASES.values(),
        "Escape",
        "Enter",
        "Tab",
        "Backspace",
        "Delete",
        "Insert",
        "Home",
        "End",
        "PageUp",
        "PageDown",
        "ArrowUp",
        "ArrowDown",
        "ArrowLeft",
        "ArrowRight",
        "Space",
    )
}


def _squash(name: str) -> str:
    return name.strip().lower().replace(" ", "").replace("-", "").replace("_", "")


def playwright_key(name: str) -> str:
    """One key name -> Playwright's. Single characters pass through as they are (``A`` types
    a capital), function keys become ``F1``..``F24``."""
    if len(name) == 1:
        return name
    raw = name.strip()
    if len(raw) == 1:
        return raw
    if not raw:
        raise DriverError("empty key name")
    squashed = _squash(raw)
    if squashed in ALIASES:
        return ALIASES[squashed]
    if squashed[:1] == "f" and squashed[1:].isdigit() and 1 <= int(squashed[1:]) <= 24:
        return f"F{int(squashed[1:])}"
    if raw.lower() in _KNOWN:
        return _KNOWN[raw.lower()]
    if squashed.startswith("kp") and len(squashed) == 3 and squashed[2].isdigit():
        return squashed[2]
    raise DriverError(
        f"unknown key name {name!r}",
        hint="use a name such as enter, esc, tab, backspace, ctrl, alt, shift, up, pagedown, "
        "f5, or a single character",
    )


def split_chord(name: str) -> list[str]:
    """``"ctrl+s"`` -> ``["Control", "KeyS"]``; ``"ctrl++"`` -> ``["Control", "+"]``; a plain
    key -> one item."""
    text = name.strip()
    if "+" not in text or len(text) == 1:
        return [playwright_key(name)]
    parts = [p for p in text.split("+") if p]
    if text.endswith("++"):
        parts.append("+")
    return [chord_key(p) for p in parts]


def chord_key(name: str) -> str:
    """A key of a chord: a letter or digit is named by its physical key (``KeyT``,
    ``Digit5``), so a held Shift gives ``T`` as on a real keyboard and ``ctrl+A`` is ctrl+a."""
    key = playwright_key(name)
    if len(key) == 1 and key.isascii() and key.isalpha():
        return f"Key{key.upper()}"
    if len(key) == 1 and key.isascii() and key.isdigit():
        return f"Digit{key}"
    return key
