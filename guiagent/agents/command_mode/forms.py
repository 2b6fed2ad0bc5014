"""The clause forms of the command grammar: one function per verb family, tokens in, Step out.

Each form reads the tokens after its verb. Keywords ("into", "from", "to", "times") count only
when unquoted, so a quoted target can contain any word. A form that cannot read its arguments
raises CommandParseError with the reason; the parser adds the clause and the usage table.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Literal

from guiagent.actions import Wait
from guiagent.agents.command_mode.keys import parse_keys
from guiagent.agents.command_mode.lexer import Token, span_text
from guiagent.agents.command_mode.phrasing import field_of, label_pairs, strip_case
from guiagent.agents.command_mode.steps import (
    ActionStep,
    CheckStep,
    ClickStep,
    DragStep,
    HoverStep,
    MenuStep,
    OpenStep,
    PressStep,
    ScrollStep,
    SelectStep,
    Step,
    TypeStep,
    WaitForStep,
)
from guiagent.errors import CommandParseError

Form = Callable[[str, str, list[Token]], Step | list[Step]]

_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip
_REPEAT_WORDS = {"once": 1, "twice": 2, "thrice": 3}
_SECRET_WORDS = frozenset(
    {"password", "passwd", "passcode", "passphrase", "pwd", "pin", "secret", "token"}
)
Direction = Literal["up", "down", "left", "right"]
_DIRECTIONS: dict[str, Direction] = {"up": "up", "down": "down", "left": "left", "right": "right"}
Button = Literal["click", "double_click", "right_click"]
_BUTTONS: dict[str, Button] = {"double": "double_click", "right": "right_click"}
_UNITS = {
    "ms": 0.001, "millisecond": 0.001, "milliseconds": 0.001,
    "s": 1.0, "sec": 1.0, "secs": 1.0, "second": 1.0, "seconds": 1.0,
    "m": 60.0, "min": 60.0, "mins": 60.0, "minute": 60.0, "minutes": 60.0,
}  # fmt: skip
_NUM_UNIT = re.compile(r"^(\d+(?:\.\d+)?)([a-z]*)$")
_TLDS = frozenset({
    "com", "org", "net", "io", "dev", "app", "edu", "gov", "info", "co", "uk", "de", "fr", "eu",
    "ai", "me", "us", "ca", "au", "nl", "jp", "ru", "es", "it", "ch", "se", "no", "pl", "br",
    "in", "cn", "xyz", "site", "online", "tech",
})  # fmt: skip
_URL_SCHEME = re.compile(r"^(?:https?|file|ftp)://\S+$", re.IGNORECASE)
_URL_HOST = re.compile(
    r"^(?P<host>localhost|\d{1,3}(?:\.\d{1,3}){3}|(?:[a-z0-9-]+\.)+(?P<tld>[a-z]{2,}))"
    r"(?P<port>:\d+)?(?P<path>/\S*)?$",
    re.IGNORECASE,
)


def looks_like_url(what: str) -> bool:
    """A web address: a scheme, www., localhost, an IP, or host.tld with a known TLD or a path."""
    if _URL_SCHEME.match(what) or what.lower().startswith("www."):
        return " " not in what
    m = _URL_HOST.match(what)
    if m is None:
        return False
    tld = m.group("tld")
    return tld is None or bool(m.group("port") or m.group("path")) or tld.lower() in _TLDS


def looks_secret(target: str | None) -> bool:
    """A field whose words name a password, PIN, secret or token: what is typed there is hidden."""
    words = re.findall(r"[a-z]+", (target or "").lower())
    return not _SECRET_WORDS.isdisjoint(words)


def _number(word: str) -> float | None:
    low = word.lower()
    if low in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[low])
    try:
        return float(low)
    except ValueError:
        return None


def _count(word: str) -> int | None:
    value = _number(word)
    return int(value) if value is not None and value.is_integer() else None


def _strip_repeat(args: list[Token]) -> tuple[list[Token], int | None]:
    """Take "N times" / "twice" / "xN" off the end of the arguments."""
    if args and args[-1].lower in _REPEAT_WORDS:
        return args[:-1], _REPEAT_WORDS[args[-1].lower]
    if len(args) >= 2 and args[-1].is_word("times", "time") and _count(args[-2].text) is not None:
        return args[:-2], _count(args[-2].text)
    if args and re.fullmatch(r"x\d+|\d+x", args[-1].lower):
        return args[:-1], int(args[-1].lower.strip("x"))
    return args, None


def _duration(words: list[Token]) -> float | None:
    """Seconds in "5 seconds", "1.5s", "2 min", "a second"; None when the words are not one."""
    if len(words) == 1:
        m = _NUM_UNIT.match(words[0].lower)
        if m and (m.group(2) in _UNITS or not m.group(2)):
            return float(m.group(1)) * _UNITS.get(m.group(2), 1.0)
        return None
    if len(words) == 2 and words[1].lower in _UNITS:
        value = _number(words[0].text)
        return None if value is None else value * _UNITS[words[1].lower]
    return None


def _find(args: list[Token], *words: str) -> int | None:
    return next((i for i, t in enumerate(args) if t.is_word(*words)), None)


def _need(text: str, args: list[Token], what: str) -> str:
    value = span_text(text, args)
    if not value:
        raise CommandParseError(f"missing {what}")
    return value


def _split(
    args: list[Token], after_quote: tuple[str, ...], unquoted: tuple[str, ...]
) -> tuple[list[Token], list[Token]]:
    """Split "X KEYWORD Y": after a quoted X any of ``after_quote``; else the first ``unquoted``."""
    if args and args[0].quoted and len(args) > 1:
        if not args[1].is_word(*after_quote):
            expected = " / ".join(after_quote)
            raise CommandParseError(
                f"after the quoted text expected {expected}, not {args[1].text!r}"
            )
        return args[:1], args[2:]
    at = _find(args, *unquoted) if not (args and args[0].quoted) else None
    if at is None or at == len(args) - 1:
        return args, []
    return args[:at], args[at + 1 :]


_NAMING = ("labeled", "labelled", "named", "called", "titled", "marked", "saying")
#: "a 'checkbox' widget": a quoted kind of control, not a label to read.
_KIND_NOUNS = ("widget", "control", "element")
_KINDS = {"text": "text field", "input": "text field", "textarea": "text area"}
#: Position words that only say where the person is looking ("the section below").
_LOOKING = ("below", "above", "here", "there", "underneath")


def _click_target(text: str, args: list[Token]) -> str:
    """The target phrase, tidied: "the button in the dialog labeled 'OK'" -> the button
    labeled 'OK' (the label decides; the container is where it is anyway); "a 'radio'
    widget" -> radio (a kind of control)."""
    if len(args) > 1 and args[0].is_word("on", "into", "in", "at", "onto"):
        args = args[1:]
    if len(args) >= 3 and args[-1].quoted and args[-2].is_word(*_NAMING):
        inner = _find(args[:-2], "in", "on", "inside", "within", "of")
        if inner:
            return f"{span_text(text, args[:inner])} {text[args[-2].start : args[-1].end]}"
    if 2 <= len(args) <= 3 and args[-2].quoted and args[-1].is_word(*_KIND_NOUNS):
        kind = args[-2].text.lower()
        return _KINDS.get(kind, kind)
    if len(args) > 1 and args[-1].is_word(*_LOOKING):
        args = args[:-1]
    return _need(text, args, "what to click")


def click(text: str, verb: str, args: list[Token]) -> Step:
    button = _BUTTONS.get(verb.split()[0], "click")
    return ClickStep(button=button, target=_click_target(text, args))


def hover(text: str, verb: str, args: list[Token]) -> Step:
    """ "hover over X", "move the mouse to X": the pointer rests there, nothing is pressed."""
    if len(args) > 1 and args[0].is_word("over", "on", "onto", "to", "above", "at"):
        args = args[1:]
    return HoverStep(target=_click_target(text, args))


def press(text: str, verb: str, args: list[Token]) -> Step:
    """Keys when the words are a key combination; otherwise "press/hit X" clicks X."""
    keys_args, presses = _strip_repeat(args)
    words = [t.text for t in keys_args]
    if len(words) > 1 and words[0].lower() == "the":
        words = words[1:]
    if len(words) > 1 and words[-1].lower() in ("key", "keys"):
        words = words[:-1]
    keys = parse_keys(words) if words else None
    if keys is not None:
        return PressStep(keys=keys, presses=presses or 1)
    if verb == "key":
        raise CommandParseError(f"{span_text(text, args)!r} is not a key combination")
    if presses is not None:
        raise CommandParseError("'N times' repeats key presses only")
    return ClickStep(target=_need(text, args, "a key or something to click"))


def bare_keys(args: list[Token]) -> Step | None:
    """A clause that is only a combination with a modifier ("ctrl+s", "Alt-F4") presses it."""
    keys = parse_keys([t.text for t in args]) if not any(t.quoted for t in args) else None
    return PressStep(keys=keys) if keys is not None and len(keys) > 1 else None


def type_(text: str, verb: str, args: list[Token]) -> Step | list[Step]:
    if verb == "enter" and not args:
        return PressStep(keys=["enter"])
    args, change = strip_case(args)
    into = _find(args, "into", "in") if not (args and args[0].quoted) else None
    pairs = label_pairs(args[:into] if into is not None else args)
    if pairs is not None:  # "enter the username 'u' and the password 'p' [into the fields]"
        return [
            TypeStep(
                text=value.text,
                target=field_of(text, label),
                secret=looks_secret(span_text(text, label)),
            )
            for label, value in pairs
        ]
    secret = False
    if len(args) > 2 and args[-1].quoted and args[-2].lower in _SECRET_WORDS:
        args = [*args[-1:], *args[:-2]]  # "enter the password 'p'" said the other way
    if len(args) > 1 and args[0].is_word("the") and args[1].lower in _SECRET_WORDS:
        args = args[1:]
    if len(args) > 1 and args[1].quoted and args[0].lower in _SECRET_WORDS:
        secret, args = True, args[1:]
    what, where = _split(args, ("into", "in", "on", "to"), ("into",))
    typed = _need(text, what, "the text to type")
    if change is not None:
        typed = change(typed)
    if where and where[0].is_word("both", "each"):  # "into both fields": one after the other
        field = span_text(text, where[1:]) or "field"
        field = field[:-1] if field.endswith("s") else field
        secret = secret or looks_secret(field)
        return [
            TypeStep(text=typed, target=f"the {nth} {field}", secret=secret)
            for nth in ("first", "second")
        ]
    target = span_text(text, where) or None
    return TypeStep(text=typed, target=target, secret=secret or looks_secret(target))


def fill(text: str, verb: str, args: list[Token]) -> Step:
    """ "fill NAME with TEXT" / "set NAME to TEXT": a quoted TEXT at the end wins the keyword."""
    keyword = "with" if verb == "fill" else "to"
    if verb == "fill" and len(args) > 1 and args[0].is_word("in", "out"):
        args = args[1:]
    if len(args) > 2 and args[-1].quoted and args[-2].is_word(keyword):
        where, what = args[:-2], args[-1:]
    else:
        at = _find(args, keyword)
        if at is None:
            raise CommandParseError(f"expected '{verb} FIELD {keyword} TEXT'")
        where, what = args[:at], args[at + 1 :]
    target = _need(text, where, "the field to fill")
    return TypeStep(text=_need(text, what, "the text"), target=target, secret=looks_secret(target))


def select(text: str, verb: str, args: list[Token]) -> Step | list[Step]:
    path = span_text(text, args)
    if len(args) == 1 and args[0].is_word("nothing", "none"):
        return []  # "select nothing and click Submit": leave every option as it is
    if ">" in path.strip(">") and not any(t.quoted or t.is_word("from") for t in args):
        # "select File>Open>Recent": a menu path, each level opened in turn
        return MenuStep(path=[part.strip() for part in path.split(">") if part.strip()])
    option, where = _split(args, ("from", "in", "on"), ("from",))
    if not where and not (args and args[0].quoted):
        option, where = _split(args, (), ("in",))
    return SelectStep(
        option=_need(text, option, "the option"), target=span_text(text, where) or None
    )


def check(text: str, verb: str, args: list[Token]) -> Step:
    if verb == "clear":
        if not any(t.is_word("checkbox", "check-box", "tickbox", "box") for t in args):
            raise CommandParseError("'clear' only unchecks: say 'clear the checkbox NAME'")
        lead = 2 if args and args[0].is_word("the") else 1
        if len(args) > lead and args[lead - 1].is_word("checkbox", "check-box", "tickbox"):
            args = args[lead:]
    checked = verb in ("check", "tick", "enable")
    return CheckStep(target=_need(text, args, "the checkbox"), checked=checked)


def _scroll_amount(rest: list[Token]) -> tuple[int | None, list[Token]]:
    """Read "by N", "N times", "N", "twice" at the head of the words after the direction."""
    if len(rest) >= 2 and rest[0].is_word("by"):
        amount = _count(rest[1].text)
        if amount is None:
            raise CommandParseError("'scroll ... by N' needs a whole number")
        return amount, rest[2:]
    if rest and rest[0].lower in _REPEAT_WORDS:
        return _REPEAT_WORDS[rest[0].lower], rest[1:]
    amount = _count(rest[0].lower) if rest and rest[0].lower not in ("a", "an") else None
    if amount is None:
        return None, rest
    rest = rest[1:]
    if rest and rest[0].is_word("times", "time", "clicks", "notches", "steps"):
        rest = rest[1:]
    return amount, rest


def scroll(text: str, verb: str, args: list[Token]) -> Step:
    if not args or args[0].lower not in _DIRECTIONS:
        raise CommandParseError("scroll needs a direction: up, down, left or right")
    amount, rest = _scroll_amount(args[1:])
    if amount is None:
        rest, amount = _strip_repeat(rest)
    if amount is None and len(rest) >= 2 and rest[-2].is_word("by"):
        amount, rest = _count(rest[-1].lower), rest[:-2]
    if rest and rest[0].is_word("in", "on", "over", "inside", "within"):
        rest = rest[1:]
    target = span_text(text, rest) or None
    return ScrollStep(direction=_DIRECTIONS[args[0].lower], amount=amount or 3, target=target)


def drag(text: str, verb: str, args: list[Token]) -> Step:
    if len(args) > 2 and args[0].is_word("and") and args[1].is_word("drop"):
        args = args[2:]
    start, end = _split(args, ("to", "onto", "into", "over"), ("to", "onto", "into", "over"))
    if not end:
        raise CommandParseError("expected 'drag A to B'")
    return DragStep(start=_need(text, start, "what to drag"), end=_need(text, end, "where to"))


def open_(text: str, verb: str, args: list[Token]) -> Step:
    what = _need(text, args, "an application or a web address")
    if verb in ("open", "launch", "start", "run"):
        return OpenStep(what=what, is_url=looks_like_url(what))
    if " " in what or not any(c in what for c in ".:/"):
        raise CommandParseError(
            f"'{verb}' needs a web address such as example.com (to press a control: click {what})"
        )
    return OpenStep(what=what, is_url=True)


def _strip_timeout(args: list[Token]) -> tuple[list[Token], float | None]:
    """Take "up to N seconds" / "for N seconds" / "within N s" off the end."""
    for size in (2, 1):
        if len(args) <= size:
            continue
        seconds = _duration(args[-size:])
        if seconds is None:
            continue
        lead = args[:-size]
        for intro in (("for", "up", "to"), ("up", "to"), ("at", "most"), ("for",), ("within",)):
            n = len(intro)
            if len(lead) > n and all(t.is_word(w) for t, w in zip(lead[-n:], intro, strict=True)):
                return lead[:-n], seconds
    return args, None


_DISAPPEAR = ("to disappear", "to vanish", "to close", "to go away", "to be gone", "disappears",
              "vanishes", "closes", "is gone")  # fmt: skip
_APPEAR = ("to appear", "to show", "to show up", "appears", "shows", "shows up", "is visible")
#: "wait for X ..." endings -> gone?; longest first so "to show up" beats "to show".
_STATES = sorted(
    [(tuple(p.split()), True) for p in _DISAPPEAR] + [(tuple(p.split()), False) for p in _APPEAR],
    key=lambda state: -len(state[0]),
)


def _strip_state(args: list[Token]) -> tuple[list[Token], bool | None]:
    for words, gone in _STATES:
        n = len(words)
        if len(args) > n and all(t.is_word(w) for t, w in zip(args[-n:], words, strict=True)):
            return args[:-n], gone
    return args, None


def wait(text: str, verb: str, args: list[Token]) -> Step:
    """ "wait N seconds" pauses; "wait for X [to disappear] [up to N s]" waits on the screen."""
    body = args[1:] if args and args[0].is_word("for", "until") else args
    if not args:
        return ActionStep(action=Wait())
    seconds = _duration(body)
    if seconds is not None:
        return ActionStep(action=Wait(seconds=seconds))
    if not args[0].is_word("for", "until"):
        raise CommandParseError("expected 'wait N seconds' or 'wait for TARGET'")
    body, timeout = _strip_timeout(body)
    body, gone = _strip_state(body)
    if timeout is None:
        body, timeout = _strip_timeout(body)
    target = _need(text, body, "what to wait for")
    if timeout is None:
        return WaitForStep(target=target, gone=bool(gone))
    return WaitForStep(target=target, gone=bool(gone), timeout=timeout)
