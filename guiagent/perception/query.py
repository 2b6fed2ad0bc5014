"""A person's target phrase, parsed: "the second Delete button", "the field right of 'Email'".

Parsing is deliberately shallow (role word at either end, ordinal in front, one spatial
relation); anything it does not recognise stays part of the text to match, so a label that
happens to contain a role word still matches literally.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from guiagent.perception.roles import ROLE_PHRASES

RELATIONS: list[tuple[str, str]] = [
    ("to the right of", "right_of"),
    ("on the right of", "right_of"),
    ("right of", "right_of"),
    ("to the left of", "left_of"),
    ("on the left of", "left_of"),
    ("left of", "left_of"),
    ("underneath", "below"),
    ("beneath", "below"),
    ("below", "below"),
    ("under", "below"),
    ("above", "above"),
    ("next to", "near"),
    ("close to", "near"),
    ("beside", "near"),
    ("near", "near"),
]
RELATION_WORDS = {
    "right_of": "right of",
    "left_of": "left of",
    "below": "below",
    "above": "above",
    "near": "next to",
}
_ORDINAL_WORDS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "last": -1,
}
_ORDINAL = re.compile(
    r"^(?:(?P<word>" + "|".join(_ORDINAL_WORDS) + r")|(?P<num>\d+)(?:st|nd|rd|th))\b\s*",
    re.IGNORECASE,
)
_ARTICLE = re.compile(r"^(?:(?:click|press|tap)\s+)?(?:on\s+|at\s+)?(?:the|a|an)\s+", re.I)
#: "click OK", "tap on Login": the verb a person puts in front of a target is not its text.
_VERB = re.compile(
    r"^(?:click|double-click|right-click|press|tap|hit|select|choose)\s+(?:on\s+)?", re.I
)
_NAMED = re.compile(r"\s+(?:labell?ed|named|called|titled|saying|with text)\s+", re.I)
_QUOTES = "'\"“”‘’`"
#: "... of the dialog", "... in the toolbar": where the target is anyway, not text to match.
_CONTAINER = re.compile(
    r"\s+(?:of|in|on|inside|within)\s+(?:the|this|that)\s+(?:dialog(?: box)?|window|page|"
    r"form|pop-?up|modal|panel|toolbar|sidebar|menu|menu bar|title bar|tab bar|screen)$",
    re.IGNORECASE,
)
_ROLE_PHRASES_LONGEST = sorted(ROLE_PHRASES, key=len, reverse=True)
#: Role words that are also everyday names: alone they are the name ("File" is a menu).
_NEVER_ALONE = frozenset({"file", "folder"})


@dataclass(frozen=True)
class Query:
    raw: str
    text: str = ""
    role: str | None = None
    ordinal: int | None = None  # 1-based; -1 is the last
    relation: str | None = None
    anchor: Query | None = None
    literal: str = ""  # the phrase minus articles/quotes, tried as plain text too
    quoted: bool = False


def ordinal_word(n: int) -> str:
    if n == -1:
        return "last"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _unquote(s: str) -> tuple[str, bool]:
    s = s.strip()
    if len(s) >= 2 and s[0] in _QUOTES and s[-1] in _QUOTES:
        return s[1:-1].strip(), True
    return s, False


_QUOTED = re.compile(r"""(?<!\w)(["'“‘`])(.+?)(["'”’`])(?!\w)""")


def _outside_quotes(s: str, pos: int) -> bool:
    """Whether position ``pos`` is not inside a quoted part of ``s`` ("Don't" is no quote)."""
    return not any(m.start() < pos < m.end() for m in _QUOTED.finditer(s))


def parse_query(raw: str) -> Query:
    """Parse a target phrase; never raises (an unparseable phrase is plain text)."""
    text, quoted = _unquote(" ".join(raw.split()))
    if quoted or not text:
        return Query(raw=raw, text=text, literal=text, quoted=quoted)
    low = text.lower()
    for phrase, relation in RELATIONS:
        for m in re.finditer(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", low):
            head, tail = text[: m.start()].strip(), text[m.end() :].strip()
            if head and tail and _outside_quotes(text, m.start()):
                target = _parse_simple(raw, head)
                anchor = _parse_simple(tail, _ARTICLE.sub("", tail))
                return Query(
                    raw=raw,
                    text=target.text,
                    role=target.role,
                    ordinal=target.ordinal,
                    relation=relation,
                    anchor=anchor,
                    literal=text,
                )
    return _parse_simple(raw, text)


def _parse_simple(raw: str, text: str) -> Query:
    verb = _VERB.match(text)
    if verb and verb.end() < len(text):
        text = text[verb.end() :]
    context = _CONTAINER.search(text)
    if context and _outside_quotes(text, context.start()):
        text = text[: context.start()]
    literal = _ARTICLE.sub("", text).strip()
    rest = literal
    ordinal = None
    m = _ORDINAL.match(rest)
    if m and (m.end() < len(rest) or m.group("word")):
        ordinal = _ORDINAL_WORDS[m.group("word").lower()] if m.group("word") else int(m["num"])
        rest = rest[m.end() :].strip()
    role = None
    named = _NAMED.search(rest)
    if named:
        role = _role_of(rest[: named.start()].strip())
        if role is not None or not rest[: named.start()].strip():
            rest = rest[named.end() :].strip()
    if role is None:
        role, rest = _split_role(rest)
    unq, quoted = _unquote(rest)
    literal_unq, _ = _unquote(literal)
    return Query(raw=raw, text=unq, role=role, ordinal=ordinal, literal=literal_unq, quoted=quoted)


def _role_of(phrase: str) -> str | None:
    phrase = _ARTICLE.sub("", phrase).strip().lower()
    return ROLE_PHRASES.get(phrase) or ROLE_PHRASES.get(phrase.rstrip("s"))


def _split_role(text: str) -> tuple[str | None, str]:
    """A role word at the end ("Save button") or the start ("menu File") of the phrase."""
    low = text.lower()
    for phrase in _ROLE_PHRASES_LONGEST:
        for form in (phrase + "s", phrase):
            if low == form and phrase not in _NEVER_ALONE:
                return ROLE_PHRASES[phrase], ""
            if low.endswith(" " + form):
                rest = text[: -len(form)].strip()
                if phrase in _NEVER_ALONE and rest.lower() in ROLE_PHRASES:
                    continue  # "menu File": the File menu
                return ROLE_PHRASES[phrase], rest
    for phrase in _ROLE_PHRASES_LONGEST:
        if low.startswith(phrase + " "):
            return ROLE_PHRASES[phrase], text[len(phrase) :].strip()
    return None, text
