"""Key names and characters to X keysyms.

Models and scripts write keys the way people do ("Enter", "ctrl", "PgDn", "F5"); X wants
keysyms. Any X keysym name works too, and any single character maps to its keysym (Latin-1
directly, everything else through the ``0x01000000 + codepoint`` Unicode range).
"""

from __future__ import annotations

from functools import cache

from Xlib import XK

from guiagent.errors import DriverError

for _group in ("xkb", "xf86", "latin2", "latin3", "latin4", "greek", "cyrillic", "publishing"):
    XK.load_keysym_group(_group)

#: friendly name (lower case, without spaces, dashes or underscores) -> X keysym name
ALIASES: dict[str, str] = {
    "enter": "Return",
    "return": "Return",
    "ret": "Return",
    "kpenter": "KP_Enter",
    "esc": "Escape",
    "escape": "Escape",
    "ctrl": "Control_L",
    "control": "Control_L",
    "lctrl": "Control_L",
    "rctrl": "Control_R",
    "alt": "Alt_L",
    "lalt": "Alt_L",
    "ralt": "Alt_R",
    "altgr": "ISO_Level3_Shift",
    "option": "Alt_L",
    "shift": "Shift_L",
    "lshift": "Shift_L",
    "rshift": "Shift_R",
    "super": "Super_L",
    "win": "Super_L",
    "windows": "Super_L",
    "meta": "Super_L",
    "cmd": "Super_L",
    "command": "Super_L",
    "tab": "Tab",
    "backspace": "BackSpace",
    "bksp": "BackSpace",
    "delete": "Delete",
    "del": "Delete",
    "insert": "Insert",
    "ins": "Insert",
    "space": "space",
    "spacebar": "space",
    "up": "Up",
    "down": "Down",
    "left": "Left",
    "right": "Right",
    "arrowup": "Up",
    "arrowdown": "Down",
    "arrowleft": "Left",
    "arrowright": "Right",
    "home": "Home",
    "end": "End",
    "pageup": "Prior",
    "pgup": "Prior",
    "pagedown": "Next",
    "pgdn": "Next",
    "capslock": "Caps_Lock",
    "numlock": "Num_Lock",
    "scrolllock": "Scroll_Lock",
    "printscreen": "Print",
    "prtsc": "Print",
    "print": "Print",
    "pause": "Pause",
    "menu": "Menu",
    "apps": "Menu",
    "contextmenu": "Menu",
    "plus": "plus",
    "minus": "minus",
    "volumeup": "XF86_AudioRaiseVolume",
    "volumedown": "XF86_AudioLowerVolume",
    "volumemute": "XF86_AudioMute",
    "mute": "XF86_AudioMute",
}

#: control characters a text may hold and the keys that produce them
CHAR_KEYS: dict[str, str] = {"\n": "Return", "\r": "Return", "\t": "Tab", "\b": "BackSpace"}

MODIFIER_NAMES = frozenset(
    {"Control_L", "Control_R", "Alt_L", "Alt_R", "Shift_L", "Shift_R", "Super_L", "Super_R"}
    | {"Meta_L", "Meta_R", "ISO_Level3_Shift", "Hyper_L", "Hyper_R"}
)


@cache
def _names_by_lower() -> dict[str, str]:
    """X keysym names keyed case-insensitively; the first spelling seen wins."""
    table: dict[str, str] = {}
    for attr in sorted(dir(XK)):
        if attr.startswith("XK_"):
            table.setdefault(attr[3:].lower(), attr[3:])
    return table


def _squash(name: str) -> str:
    return name.strip().lower().replace(" ", "").replace("-", "").replace("_", "")


def keysym_for_char(char: str) -> int:
    """The keysym that types ``char``."""
    if len(char) != 1:
        raise DriverError(f"not a single character: {char!r}")
    if char in CHAR_KEYS:
        return XK.string_to_keysym(CHAR_KEYS[char])
    code = ord(char)
    if 0x20 <= code <= 0x7E or 0xA0 <= code <= 0xFF:
        return code
    return 0x01000000 + code


def keysym_for_name(name: str) -> int:
    """The keysym for a key name: an alias, a function key, an X keysym name (any case) or a
    single character. Single letters are taken as the plain key, so ``ctrl+A`` is ctrl+a."""
    raw = name if len(name) == 1 else name.strip()
    if not raw:
        raise DriverError("empty key name")
    if len(raw) == 1:
        return keysym_for_char(raw.lower() if raw.isalpha() else raw)
    squashed = _squash(raw)
    if squashed in ALIASES:
        return _lookup(ALIASES[squashed], name)
    if squashed[:1] == "f" and squashed[1:].isdigit() and 1 <= int(squashed[1:]) <= 35:
        return _lookup(f"F{int(squashed[1:])}", name)
    exact = XK.string_to_keysym(raw)
    if exact:
        return int(exact)
    spelled = _names_by_lower().get(raw.lower())
    if spelled is not None:
        return _lookup(spelled, name)
    raise DriverError(
        f"unknown key name {name!r}",
        hint="use a name such as enter, esc, tab, ctrl, alt, shift, super, up, pagedown, f5, "
        "a single character, or an X keysym name (Return, KP_Add, XF86_AudioMute)",
    )


def _lookup(keysym_name: str, asked: str) -> int:
    value = XK.string_to_keysym(keysym_name)
    if not value:
        raise DriverError(f"key {asked!r} ({keysym_name}) has no X keysym here")
    return int(value)


MODIFIER_KEYSYMS = frozenset(XK.string_to_keysym(n) for n in MODIFIER_NAMES)


def is_modifier(keysym: int) -> bool:
    return keysym in MODIFIER_KEYSYMS
