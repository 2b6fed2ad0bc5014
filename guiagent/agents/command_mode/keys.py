"""Key names and key combinations as people write them ("Ctrl-S", "control s", "alt+f4").

One normal form for every spelling, so a PressStep means the same thing whichever way the person
typed it: lowercase names (ctrl, alt, shift, super, enter, escape, tab, backspace, delete, space,
up, down, left, right, home, end, pageup, pagedown, f1..f12) and single characters.
"""

from __future__ import annotations

MODIFIERS = frozenset({"ctrl", "alt", "shift", "super"})

_ALIASES: dict[str, str] = {
    "ctrl": "ctrl",
    "control": "ctrl",
    "ctl": "ctrl",
    "strg": "ctrl",
    "alt": "alt",
    "option": "alt",
    "shift": "shift",
    "super": "super",
    "win": "super",
    "windows": "super",
    "meta": "super",
    "cmd": "super",
    "command": "super",
    "enter": "enter",
    "return": "enter",
    "escape": "escape",
    "esc": "escape",
    "tab": "tab",
    "backspace": "backspace",
    "delete": "delete",
    "del": "delete",
    "space": "space",
    "spacebar": "space",
    "up": "up",
    "down": "down",
    "left": "left",
    "right": "right",
    "home": "home",
    "end": "end",
    "pageup": "pageup",
    "pgup": "pageup",
    "page_up": "pageup",
    "pagedown": "pagedown",
    "pgdn": "pagedown",
    "page_down": "pagedown",
    "plus": "+",
    "minus": "-",
}
_ALIASES.update({f"f{n}": f"f{n}" for n in range(1, 13)})

#: Two-word spellings, looked up before single words ("page up", "down arrow").
_PAIRS: dict[tuple[str, str], str] = {
    ("page", "up"): "pageup",
    ("page", "down"): "pagedown",
    **{(d, "arrow"): d for d in ("up", "down", "left", "right")},
    **{("arrow", d): d for d in ("up", "down", "left", "right")},
}


def key_name(word: str) -> str | None:
    """The normal name of one key, or None when ``word`` names no key."""
    low = word.lower()
    if low in _ALIASES:
        return _ALIASES[low]
    if len(word) == 1 and word.isprintable() and not word.isspace():
        return low
    return None


def _split_joined(word: str) -> list[str] | None:
    """Split "ctrl+shift+t" / "Ctrl-S" / "ctrl++" into parts; None when there is no joiner."""
    if len(word) < 3 or not any(c in "+-" for c in word[1:]):
        return None
    tail: list[str] = []
    if word[-1] in "+-" and word[-2] in "+-":  # "ctrl++": the last key is the joiner itself
        tail = [word[-1]]
        word = word[:-2]
    parts = word.replace("-", "+").split("+")
    if any(not p for p in parts):
        return None
    return parts + tail


def parse_keys(words: list[str]) -> list[str] | None:
    """A key combination from the words of a clause, or None when they are not one.

    Accepted: one joined word ("ctrl+s", "Alt-F4"), one key ("Enter", "a"), or space-separated
    keys where every key but the last is a modifier ("control s", "ctrl shift t").
    """
    if len(words) == 1:
        parts = _split_joined(words[0])
        if parts is not None:
            joined = [key_name(p) for p in parts]
            if any(n is None for n in joined):
                return None
            return _combo([n for n in joined if n is not None])
    names: list[str] = []
    i = 0
    lowered = [w.lower() for w in words]
    while i < len(words):
        pair = _PAIRS.get((lowered[i], lowered[i + 1])) if i + 1 < len(words) else None
        if pair is not None:
            names.append(pair)
            i += 2
            continue
        name = key_name(words[i])
        if name is None:
            return None
        names.append(name)
        i += 1
    return _combo(names)


def _combo(names: list[str]) -> list[str] | None:
    """Keys held together: every key but the last must be a modifier."""
    if not names or any(n not in MODIFIERS for n in names[:-1]):
        return None
    return names
