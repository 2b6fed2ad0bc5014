"""A person's target phrase, parsed: "the second Delete button", "the field right of 'Email'",
"go to the Downloads section", "the button to save", "the minus button for Oat milk".

Parsing is deliberately shallow (a leading verb, role word at either end, ordinal in front,
one spatial relation, a purpose clause, a place on the screen); anything it does not
recognise stays part of the text to match, so a label that happens to contain a role word
still matches literally, and the phrase as said, verb and all, is kept too ("Open Recent"
is a name, not "open" + "Recent").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from guiagent.perception.roles import ROLE_PHRASES
from guiagent.perception.textmatch import CARDINALS, FILLER_WORDS

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
    ("for", "near"),  # "the field for Email", "the minus button for Oat milk": with a role only
]
#: Relations that only hold when the words before them name a kind of control, so that a
#: name like "Search for files" stays a name.
_ROLE_ONLY_RELATIONS = frozenset({"for"})
RELATION_WORDS = {
    "right_of": "right of",
    "left_of": "left of",
    "below": "below",
    "above": "above",
    "near": "next to",
    "row": "in the row of",
    "block": "in the part under",
    "part": "on the part of",
    "column": "in the column under",
    "holds": "holding",
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
#: "the middle card", "the centre square": the middle one of those in reading order (not
#: "the middle name", which is a name)
_MIDDLE_ONE = re.compile(r"(?:middle|centre|center|central)\s+(?P<what>\w+)", re.I)
_COUNTED_THINGS = frozenset({"square", "card", "cell", "tile", "one", "dot", "circle", "item"})
_ARTICLE = re.compile(r"^(?:(?:click|press|tap)\s+)?(?:on\s+|at\s+)?(?:the|a|an)\s+", re.I)
#: "click OK", "tap on Login", "go to Settings", "open the View menu": the verb a person puts
#: in front of a target is not its text.
_VERB = re.compile(
    r"^(?:(?:double-|right-)?click|press|tap|hit|select|choose|pick|open|visit|follow|show|change|set|"
    r"start|begin|launch|switch(?!\s+(?:on|off|to)\b)(?=\s+\S)|"
    r"expand|collapse|activate|use|(?:go|jump|switch|navigate|move|get|return)\s+(?:back\s+)?to|"
    r"focus(?:\s+on)?|(?:un)?tick(?:\s+off)?|(?:un)?check(?!\s+box)(?:\s+off)?|(?:switch|turn)\s+(?:on|off)|"
    r"toggle|enable|disable|"
    r"(?:type|write|enter(?:\s+text)?|fill)\s+(?:in(?:to)?|on)|"
    r"(?:type|write|enter|fill\s+in)(?=\s+(?:the|a|an|your|my|what|where|who|which|how|when)\s))"
    r"\s+(?:on\s+)?",
    re.I,
)
#: "type hello in the search box": what is typed, then the field it goes in
_TYPE_INTO = re.compile(
    r"^(?:type|write|enter|fill\s+in|put)\s+\S.*?\s+(?:in|into|inside)\s+"
    r"(?P<where>(?:the|a|an|this|that)\s+(?:.*\s)?(?:field|box|input|entry|area|bar)\b.*)$",
    re.I,
)
#: Verbs that say which kind of control the target is when the phrase does not.
_VERB_ROLE = (
    (
        re.compile(
            r"^(?:(?:un)?(?:tick|check)|(?:switch|turn) o(?:n|ff)|toggle|enable|disable)\b", re.I
        ),
        "checkbox",
    ),
    (re.compile(r"^(?:type|write|enter|fill)\b", re.I), "text_field"),
)
#: "the button to save", "the up arrow to go to the parent folder": what it is for.
_PURPOSE = re.compile(r"\s+(?:to|that|which)\s+", re.I)
#: Where on the screen: "the X at the top right", "Sheet in the menu bar".
_PLACE = re.compile(
    r"\s+(?:at|in|on|along)\s+(?:the\s+)?(?P<where>(?:very\s+|far\s+)?(?:top|bottom|upper|lower|left|"
    r"right)(?:[\s-]+(?:left|right))?)(?:\s+(?:hand\s+)?(?:corner|side|edge|end))?"
    r"(?:\s+of\s+the\s+(?:screen|window|page|dialog))?$",
    re.I,
)
_PLACE_WORDS = {"upper": "top", "lower": "bottom", "very": "", "far": ""}
#: "the top-left check box": a corner said before the thing
_CORNER = re.compile(
    r"^(?:the\s+)?(?P<where>(?:top|bottom|upper|lower)[\s-](?:left|right))\s+", re.I
)
#: "episode 39, the one about owls": a thing, then a description of it
_THE_ONE = re.compile(
    r"(?P<which>.+?),?\s+the\s+one\s+(?:about|with|called|named|showing|that says|from|by)\s+"
    r"(?P<what>.+)",
    re.I,
)
#: "minus, last item", "the heart, second post": a thing, then the part it is on, counted
_COMMA_COUNTED = re.compile(
    r"(?P<which>[^,]+?),\s+(?:the\s+|on\s+the\s+)?(?P<n>(?:first|second|third|fourth|fifth|"
    r"last|top|bottom)\s+(?:item|row|line|entry|post|card|message|comment))",
    re.I,
)
#: "harbourlabs, the organisation": a name, then a lower-case word or two for its kind
_APPOSITIVE = re.compile(r"(?P<which>[^,]+?),\s+the\s+(?P<what>[a-z]+(?:\s+[a-z]+)?)")
#: "absolute value, top right": a place said after a comma
_COMMA_PLACE = re.compile(
    r"(?P<what>.+?),\s+(?:at\s+the\s+|on\s+the\s+)?(?P<where>(?:top|bottom|upper|lower)"
    r"(?:\s+(?:left|right))?|left|right)",
    re.I,
)
#: ``Query.place`` of a target said to be in a breadcrumb trail ("Events in the path")
TRAIL = "trail"
#: Bars whose place a person names with them: "Sheet in the menu bar".
_BAR_PLACES = {
    "menu bar": "top",
    "menubar": "top",
    "title bar": "top",
    "toolbar": "top",
    "tool bar": "top",
    "tab bar": "top",
    "header": "top",
    "navigation bar": "top",
    "status bar": "bottom",
    "footer": "bottom",
    "sidebar": "left",
    "side bar": "left",
    "file tree": "left",
    "folder tree": "left",
    # a breadcrumb trail: names with separators between them, wherever it is
    "trail": TRAIL,
    "breadcrumb": TRAIL,
    "breadcrumbs": TRAIL,
    "path": TRAIL,
}
#: a place on a board said instead of its square ("the corner of the board")
_BOARD_PLACES = {"corner": "square", "middle": "centre square", "centre": "centre square",
                 "center": "centre square"}  # fmt: skip
#: "the Downloads section": a word for a part of the page that no element names itself.
_PART = re.compile(r"\s+(?:section|area|category|part)$", re.I)
_FILLER = re.compile(r"\b(?:the|a|an)\s+", re.I)
#: colour words a person may say of a control, as ``ground`` tells them apart
COLOURS = frozenset(
    ["grey", "gray", "blue", "red", "green", "yellow", "orange", "purple", "pink", "black", "white"]
)
#: how a control looks, said before what it is ("the little pencil", "the blue plus button"):
#: words a name rarely starts with, tried away as a variant
_LOOK = re.compile(
    r"^(?:(?:little|small|tiny|big|large|round|rounded|square|circular|grey|gray|blue|red|"
    r"green|yellow|orange|purple|pink|black|white|dark|light|bold|floating|filled|solid|"
    r"empty|outlined)\s+)+",  # lower case only: "Dark mode" as written is a name
)
#: look words that name no icon: "the big blue button" is only a look ("bold" is an icon)
_PLAIN_LOOK = (
    frozenset({"little", "small", "tiny", "big", "large", "round", "rounded", "square"}) | COLOURS
)
#: what a field holds, said at the end of a phrase for the field ("the departure date")
_VALUE_NOUNS = frozenset({"date", "time", "amount", "password"})
_NAMED = re.compile(r"\s+(?:labell?ed|named|called|titled|saying|with text)\s+", re.I)
_QUOTES = "'\"“”‘’`"
#: "... of the dialog", "... in the toolbar": where the target is anyway, not text to match.
_CONTAINER = re.compile(
    r"\s+(?:of|in|on|inside|within)\s+(?:the|this|that)\s+(?P<named>(?:[\w.-]+\s+){0,2}?)"
    r"(?P<bar>dialog(?: box)?|window|page|bar|"
    r"form|pop-?up|modal|panel|toolbar|tool bar|sidebar|side bar|menu|menu ?bar|title bar|"
    r"tab bar|status bar|navigation bar|header|footer|screen|list|trail|breadcrumbs?|path|"
    r"file tree|folder tree|"
    r"board|grid)$",
    re.IGNORECASE,
)
_ROLE_PHRASES_LONGEST = sorted(ROLE_PHRASES, key=len, reverse=True)
#: Role words that are also everyday names: alone they are the name ("File" is a menu).
_NEVER_ALONE = frozenset({"file", "folder", "arrow", "symbol", "key"})
#: Role words that are as often plain nouns ("open the customer list", "my files"): the
#: phrase is also tried as a plain name (``Query.fallback``).
#: "... at the far right of the pagination": where within a region
_SIDE_OF = re.compile(
    r"\s+(?:at|on|in)\s+the\s+(?:far\s+|very\s+)?(?P<side>right|left|top|bottom)"
    r"(?:\s+(?:end|side|edge|corner))?\s+of\s+(?:the\s+)?\S.*$",
    re.I,
)
#: "(the door with the red arrow)": a description in brackets (a name there is capitalised)
_ASIDE = re.compile(r"\s*\((?P<what>(?:the|a|an|its|it|click|which|that)\b[^()]*)\)")
_COMMA_PURPOSE = re.compile(r",\s*(?:so as |in order )?to\s+(?P<goal>\S.*)$")
#: a comma between words (not inside a number: "1,284")
_COMMA = re.compile(r"(?<!\d),\s*|,(?!\d)\s*")
#: "hide the toolbar", "bring back the thumbnail bar": a thing shown or hidden
_HIDE = re.compile(r"^(?:hide|bring back|unhide)\s+(?P<what>\S.*)$", re.I)
#: "select all tickets", "tick every row on this page": the box that selects them all
_SELECT_ALL = re.compile(r"^(?:select|tick|check|choose|mark)\s+(?:all|every|each)\b", re.I)
#: Verbs that say a switch, or a button that turns something on ("turn on subtitles")
_SWITCH_VERB = re.compile(r"^(?:(?:switch|turn) o(?:n|ff)|toggle|enable|disable)\b", re.I)
#: "the cell reference box showing G20", "the small box that says Vitae"
_SHOWING = re.compile(
    r"(?P<what>.+?)\s+(?:showing|that shows|which shows|that says|which says|saying|"
    r"displaying|reading)\s+(?P<name>\S.*)",
    re.I,
)
#: "the destination box with Lisbon in it", "the field containing 42": a control by what
#: is in it
_HOLDING = re.compile(
    r"(?P<what>.+?)\s+(?:with\s+(?P<name>\S.*?)\s+(?:in|on|inside)\s+it|"
    r"(?:that|which)\s+(?:already\s+|still\s+)?(?:has|holds|contains)\s+(?P<name2>\S.*?)"
    r"(?:\s+in\s+it)?|"
    r"containing\s+(?P<name3>\S.*))",
    re.I,
)
#: "how many guests: the 2 adults, 1 child button": a question, then what answers it
_ASKED = re.compile(r"(?:how|what|which|where|who|when|why)\b[^:]*:\s+(?P<rest>\S.*)", re.I)
#: Questions about something on the screen: the thing asked about is the target.
_QUESTIONS = tuple(
    re.compile(pattern, re.I)
    for pattern in (
        r"(?:any|are\s+there\s+any|is\s+there\s+an?|do\s+i\s+have\s+any|got\s+any)\s+"
        r"(?P<what>[^?]+?)(?:\s+for\s+(?:me|us))?\s*\?",
        r"what(?:'s|’s|\s+is)\s+in\s+(?:my|the|our)\s+(?P<what>[^?]+?)\s*\?",
        r"where(?:'s|’s|\s+is|\s+are)\s+(?P<what>[^?]+?)\s*\?",
        r"(?:did|do|does|has|have|is|are)\s+(?:the\s+|my\s+|our\s+)?(?P<what>[\w-]+(?:\s+[\w-]+)?)"
        r"\s+(?:pass|passed|fail|failed|work|worked|done|ready|finished|arrive|arrived)\s*\?",
    )
)
#: "switch home (Elm Street)": a description, then the words the control shows
_SHOWN = re.compile(r"(?P<what>[a-z][^()]*?)\s*\((?P<name>[A-Z0-9][^()]*)\)")
#: "a person with a plus", "the square with a minus": a shape and the mark drawn on it.
_MARKED = re.compile(
    r"(?P<thing>[a-z]+(?: [a-z]+)?) with (?:a |an |the )?(?P<mark>[a-z]+(?: [a-z]+)?)", re.I
)
_NOUN_ROLES = frozenset({"list", "entry", "item", "file", "folder", "option", "image", "menu"})
#: Plurals that name a thing, not controls of a kind: "more options" is a menu button.
_NOT_PLURAL_ROLES = frozenset({"option"})
#: Words a name never ends with: a role word after them is the thing acted on ("create a
#: new file", "search across all files"), not the kind of control named.
_NOT_A_NAME_END = frozenset(
    {"a", "an", "the", "new", "every", "each", "this", "that", "these", "those", "my",
     "your", "our", "their", "his", "her", "its", "some", "any", "other", "another"}
)  # fmt: skip


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
    #: other texts the target may show: what it is for ("the pencil icon to rename" ->
    #: "rename file")
    variants: tuple[str, ...] = ()
    #: the phrase with the verb taken off ``text``: it may be the name ("Open Recent")
    spoken: str = ""
    #: where on the screen the person said it is: top, bottom, left, right, top left, ...
    place: str | None = None
    colour: str | None = None  # "the blue plus button": a colour said before the name
    size: str | None = None  # "the big blue button": "big" or "small", said the same way
    #: which of several alike parts the target sits in: "row" (one band across), "block" (a
    #: message, post or card that starts at its author or title), "column" or "part" (either
    #: of a row or a block: a person's things, "Tomas's password"); with ``anchor``
    #: naming the part ("Maria's row") or ``position`` counting it ("the second post")
    scope: str | None = None
    position: int | None = None  # 1-based, -1 the last, MIDDLE the middle one
    #: another reading tried when the phrase as a whole matches nothing well ("Odd for the
    #: 9": a name, or Odd next to 9)
    fallback: Query | None = None
    #: ``text`` is what the control shows ("the box showing 17"), not a label beside it
    shows: bool = False
    #: words naming the part of the screen it is in ("share" of "the gear in the share
    #: panel"): written near the target, not on it
    context: str = ""
    #: this reading is the person's own description in brackets ("(the Acme Logistics
    #: button in the side bar)"): where it fits, it says more than the words before it
    described: bool = False


MIDDLE = 0
LONGEST = -2  # the part with the most matches in it: a table's column of check boxes


def ordinal_word(n: int) -> str:
    if n == -1:
        return "last"
    if n == MIDDLE:
        return "middle"
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
    if (aside := _ASIDE.search(text)) and _outside_quotes(text, aside.start()):
        # "quit Geany (the door with the red arrow)": a description in brackets, aside
        rest = (text[: aside.start()] + text[aside.end() :]).strip()
        if rest:
            q = parse_query(rest)
            described = parse_query(aside["what"])
            if _describes(described, aside["what"]):  # where the words fit nothing well
                aside_q = replace(described, raw=raw, fallback=q.fallback, described=True)
                q = replace(q, fallback=aside_q)
            return replace(q, raw=raw, variants=(*q.variants, aside["what"]))
    if (counted := _COMMA_COUNTED.fullmatch(text)) and _outside_quotes(text, counted.start("n")):
        # "minus, last item": the thing, then which part it is on
        part = re.sub(r"\b(?:item|line|entry)$", "row", counted["n"])  # "item" is also a role
        which = counted["which"] if _ARTICLE.match(counted["which"]) else f"the {counted['which']}"
        return replace(parse_query(f"{which} on the {part}"), raw=raw)
    if (apposed := _APPOSITIVE.fullmatch(text)) and _outside_quotes(text, apposed.start("what")):
        # "harbourlabs, the organisation": the name, then what kind of thing it is
        return replace(parse_query(apposed["which"]), raw=raw)
    if (one := _THE_ONE.fullmatch(text)) and _outside_quotes(text, one.start("what")):
        # "episode 39, the one about owls": what it is, then what it is about
        q = parse_query(one["which"])
        return replace(q, raw=raw, variants=(*q.variants, one["what"]))
    if (goal := _COMMA_PURPOSE.search(text)) and _outside_quotes(text, goal.start()):
        # "the plus at the bottom left, to add a sheet": the thing, then what it is for
        q = parse_query(text[: goal.start()])
        return replace(q, raw=raw, variants=(*q.variants, goal["goal"]))
    if (placed := _COMMA_PLACE.fullmatch(text)) and _outside_quotes(text, placed.start("where")):
        # "absolute value, top right": where it is, said after a pause
        q = parse_query(placed["what"])
        where = " ".join(_PLACE_WORDS.get(w, w) for w in placed["where"].lower().split())
        return replace(q, raw=raw, place=q.place or where)
    if "," in text and (plain := _COMMA.sub(" ", text)) != text and _outside_quotes(text, 0):
        # "the circle with a line through it, on Daniel's row": a comma only pauses
        return replace(parse_query(plain), raw=raw)
    if (typed := _TYPE_INTO.match(text)) and _outside_quotes(text, typed.start("where")):
        into = parse_query(typed["where"])  # "type the language in the box next to X"
        return replace(into, raw=raw, role=into.role or "text_field")
    if (side := _SIDE_OF.search(text)) and _outside_quotes(text, side.start()):
        # "the double arrow at the far right of the pagination": a place within a region
        # the screen need not name
        inner = parse_query(text[: side.start()])
        return replace(inner, raw=raw, place=inner.place or side["side"].lower())
    if (showing := _SHOWING.fullmatch(text)) and _outside_quotes(text, showing.start("name")):
        # "the rows per page drop-down showing 10": the control by what it shows
        return _shown_by(raw, parse_query(showing["what"]), showing["name"])
    if (held := _HOLDING.fullmatch(text)) and _outside_quotes(text, held.start("what")):
        described = parse_query(held["what"])
        name = held["name"] or held["name2"] or held["name3"]
        if described.role is not None:  # a control by the words it shows
            return _shown_by(raw, described, name)
        if described.text and not described.relation:
            # "the square that already has a circle in it": the thing around the other
            inner = _parse_simple(name, _ARTICLE.sub("", name))
            return replace(described, raw=raw, relation="holds", anchor=inner)
    if (asked := _ASKED.fullmatch(text)) and _outside_quotes(text, asked.start("rest")):
        return replace(parse_query(asked["rest"]), raw=raw)
    for question in _QUESTIONS:
        if (about := question.fullmatch(text)) and _outside_quotes(text, about.start("what")):
            # "any notifications for me?", "did the checks pass?": what the question is about
            return replace(parse_query(about["what"]), raw=raw)
    if (shown := _SHOWN.fullmatch(text)) and _outside_quotes(text, shown.start("name")):
        # "my profile menu (Jana)": what the control shows, said in brackets after what it is
        described = parse_query(shown["what"])
        return replace(parse_query(shown["name"]), raw=raw, fallback=described)
    for pattern, verb in _COUNTING:
        if (counted := pattern.fullmatch(text)) and _outside_quotes(text, counted.start("thing")):
            # "one more smashed cucumber", "make one loaf fewer": a stepper's plus or minus
            return replace(parse_query(f"{verb} {counted['thing']}"), raw=raw)
    if (way := _WITH_NAMED.fullmatch(text)) and _outside_quotes(text, way.start("name")):
        named = parse_query(way["name"])
        return replace(named, raw=raw, variants=(*named.variants, text), literal=way["name"])
    if (taken := _TAKE_OFF.fullmatch(text)) and _outside_quotes(text, taken.start("what")):
        # "take the dumplings off the order": remove them
        return replace(parse_query("remove " + taken["what"]), raw=raw)
    if (binned := _TO_THE_BIN.fullmatch(text)) and _outside_quotes(text, binned.start("what")):
        # "move GitHub to the trash": the delete button for it
        return replace(parse_query("delete " + binned["what"]), raw=raw)
    if text.startswith("back to ") and len(text) > 8:  # "back to Baking" (while "Back to
        return replace(parse_query(text[8:]), raw=raw, spoken=text)  # top" is a name)
    if re.match(r"look\s+(?:for|up)\s", text, re.I):
        return _parse_simple(raw, text)  # "look for a file" is no "for" relation
    scoped = _scoped(raw, text)
    if scoped is not None:
        return scoped
    low = text.lower()
    fallback: Query | None = None
    for phrase, relation in RELATIONS:
        for m in re.finditer(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", low):
            head, tail = text[: m.start()].strip(), text[m.end() :].strip()
            if head and tail and _outside_quotes(text, m.start()):
                target = _parse_simple(raw, head)
                if phrase in _ROLE_ONLY_RELATIONS and target.role is None:
                    if fallback is None and target.text and len(tail.split()) <= 3:
                        anchor = _parse_simple(tail, _ARTICLE.sub("", tail))
                        fallback = replace(target, relation=relation, anchor=anchor)
                    continue
                anchor = _without_kind(_parse_simple(tail, _ARTICLE.sub("", tail)))
                return Query(
                    raw=raw,
                    text=target.text,
                    role=target.role,
                    ordinal=target.ordinal,
                    relation=relation,
                    anchor=anchor,
                    literal=text,
                    variants=target.variants,
                    place=target.place,
                    spoken=target.spoken,
                    colour=target.colour,
                    size=target.size,
                )
    simple = _parse_simple(raw, text)
    return replace(simple, fallback=fallback or _other_reading(simple))


#: One more or one fewer of a thing: its stepper's plus or minus ("add" / "remove" reads)
_COUNTING = (
    (
        re.compile(r"(?:(?:we|i)\s+(?:need|want)\s+)?(?:one|an?)\s+more\s+(?P<thing>.+)", re.I),
        "add",
    ),
    (re.compile(r"add\s+(?:another|one\s+more)\s+(?P<thing>.+)", re.I), "add"),
    (
        re.compile(r"(?:make\s+(?:it\s+)?)?(?:one|an?)\s+(?P<thing>.+?)\s+(?:fewer|less)", re.I),
        "remove",
    ),
    (re.compile(r"(?:make\s+(?:it\s+)?)?one\s+(?:fewer|less)\s+(?P<thing>.+)", re.I), "remove"),
)
#: "move GitHub to the trash", "send the draft to the bin": deleting it
#: "pay with PayPal", "sign in with Google", "share via WhatsApp": the way to do it, named,
#: is the control (often written with the verb: "Continue with Google")
_WITH_NAMED = re.compile(
    r"(?P<verb>[a-z]+(?:\s+(?:in|up|on))?)\s+(?:with|via|using|through)\s+"
    r"(?P<name>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2})"
)
#: "take the dumplings off the order": the control that removes them from it
_TAKE_OFF = re.compile(
    r"(?:take|remove|drop|delete)\s+(?P<what>.+?)\s+(?:off|out\s+of|from)\s+(?:the|my|our)\s+"
    r"(?:order|list|basket|cart|bag|plan|playlist|queue)",
    re.I,
)
_TO_THE_BIN = re.compile(
    r"(?:move|send|put|throw)\s+(?P<what>.+?)\s+(?:in)?to\s+(?:the\s+)?"
    r"(?:trash|bin|recycle bin|rubbish bin|wastebasket|trash can)",
    re.I,
)


def _other_reading(q: Query) -> Query | None:
    if _SELECT_ALL.match(q.spoken or q.raw):  # "select all tickets": a table's header box
        return Query(
            raw=q.raw, role="checkbox", literal="select all", scope="column", position=LONGEST,
            ordinal=1,
        )  # fmt: skip
    return _reading_without_a_word(q)


def _reading_without_a_word(q: Query) -> Query | None:
    """A second reading of a plain phrase, for when the first matches nothing well: a role
    word that is as often a noun taken as part of the name ("the customer list"), or a kind
    of thing the screen need not show dropped ("untick the refund ticket": its row shows
    "Refund for double charge")."""
    if q.role == "checkbox" and _SWITCH_VERB.match(q.spoken):
        return replace(q, role=None, fallback=None)  # "turn on subtitles": the CC button
    words = q.literal.split()
    if len(words) < 2 or q.quoted:
        return None
    last = words[-1].lower()
    if q.role is not None and (_role_of(last) == q.role) and _singular(last) in _NOUN_ROLES:
        return Query(raw=q.raw, text=q.literal, literal=q.literal, place=q.place, spoken=q.spoken)
    said = q.text.split()
    # "the rugbrød recipe", "the refund ticket": a lowercase word saying what kind of
    # thing the named one is
    kind_said = len(said) >= 2 and said[-1].isalpha() and said[-1].islower()
    kind_said = kind_said and said[-1] not in _NAME_ENDINGS
    if kind_said and said[-2].lower() not in _NOT_A_NAME_END | FILLER_WORDS:
        shorter = " ".join(said[:-1])
        return replace(q, text=shorter, literal=shorter, variants=(), spoken="")
    return None


_LONG_NAMES = re.compile(
    r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|"
    r"april|june|july|august|september|october|november|december)\b",
    re.I,
)


def _abbreviated(text: str) -> str:
    """Day and month names as screens shorten them ("Wednesday" -> "Wed"), "and" as "&",
    an hour said on the 12-hour clock as the 24-hour clock shows it ("3 pm" -> "15:00")."""
    text = _LONG_NAMES.sub(lambda m: m.group(1)[:3], text)
    text = _HOUR.sub(
        lambda m: f"{int(m[1]) % 12 + (12 if m[2].lower() == 'pm' else 0):02d}:00", text
    )
    return re.sub(r"\band\b", "&", text)


#: "number four", "the digit 7", "seven", "page 2": the numeral a screen or a key shows;
#: "the header of column D", "row 12": the letter or number a sheet's header shows
_NUMERAL = re.compile(
    r"(?:(?:(?:the\s+)?header\s+of\s+)?(?P<kind>number|(?:hex\s+)?digit|numeral|page|column|row|"
    r"episode|chapter|lesson|track|season|question|slide|level)"
    r"\s+)?(?P<n>\d+|"
    + "|".join(CARDINALS)
    + r"|(?<=column )[A-Z]{1,2}|(?<=hex digit )[A-F])(?:\s+header)?",
    re.I,
)


def _numeral(text: str) -> str | None:
    """The numeral (or column letter) a number said in words or after "number", "page",
    "row" or "column" stands for, else None."""
    m = _NUMERAL.fullmatch(text)
    if m is None or (m["n"].isdigit() and not m["kind"]):
        return None
    return _digits(m["n"]).upper()  # a numeral, or a column's letter


def _digits(said: str) -> str:
    """A number said in words ("one", "a") in digits; anything else as it is."""
    low = said.lower()
    if low in ("a", "an"):
        return "1"
    return str(CARDINALS.index(low)) if low in CARDINALS else said


#: "tip one euro", "the 5 dollar option": an amount as a screen writes it ("€1", "$5")
_MONEY = re.compile(
    r"\b(?P<n>\d+(?:[.,]\d+)?|a|an|" + "|".join(CARDINALS) + r")\s+"
    r"(?P<unit>euros?|dollars?|pounds?|bucks?|quid)\b",
    re.I,
)
_CURRENCY = {"euro": "€", "dollar": "$", "buck": "$", "pound": "£", "quid": "£"}


def _money(text: str) -> list[str]:
    """How the amount said in ``text`` is written on screens ("one euro" -> "€1", "1 €")."""
    m = _MONEY.search(text)
    if m is None:
        return []
    amount = _digits(m["n"])
    sign = _CURRENCY[m["unit"].lower().rstrip("s")]
    return [f"{sign}{amount}", f"{amount} {sign}", f"{amount}{sign}"]


#: "the down chevron": a direction said before a pointing shape, which icon names say after
_POINTING = re.compile(
    r"(?P<way>up|down|left|right)\s+(?P<shape>chevron|caret|triangle|angle)", re.I
)
#: What a calculator's keys show for the operations people name in words
_KEY_LABELS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("factorial", "x factorial"), ("x!", "n!")),
    **dict.fromkeys(("absolute value", "absolute value bars", "abs"), ("|x|", "abs")),
    **dict.fromkeys(
        ("reciprocal", "one over x", "1 over x", "x to the minus one", "inverse"),
        ("1/x", "x⁻¹", "x-1"),
    ),
    **dict.fromkeys(
        ("x to the power y", "x to the y", "power", "raise x to a power", "x to a power"),
        ("xʸ", "x^y", "xy", "yˣ"),
    ),
    **dict.fromkeys(
        ("times ten to the power of", "times ten to the power", "exponent", "scientific notation"),
        ("×10ʸ", "×10", "EXP", "EE"),
    ),  # fmt: skip
    **dict.fromkeys(("natural log", "natural logarithm"), ("ln",)),
    **dict.fromkeys(("logarithm", "log base 10", "common log"), ("log",)),
    **dict.fromkeys(("square root", "root"), ("√", "√x", "sqrt")),
    **dict.fromkeys(("x squared",), ("x²", "x^2")),
    **dict.fromkeys(("pi",), ("π",)),
    **dict.fromkeys(("percent", "per cent", "percentage"), ("%",)),
    **dict.fromkeys(("change sign", "plus minus", "plus or minus", "negate"), ("±", "+/-")),
    **dict.fromkeys(("complex conjugate", "conjugate"), ("conj",)),
    **dict.fromkeys(("integer part", "the integer part"), ("int",)),
    **dict.fromkeys(("fractional part", "the fractional part"), ("frac",)),
    **dict.fromkeys(("modulo", "modulus", "remainder"), ("mod",)),
}

#: "look for a file", "find a chat": what a search box or button is for
_LOOK_FOR = re.compile(
    r"(?:look\s+(?:for|up)|search\s+for|find|seek)\s+(?:a|an|the|my|some|another)\s+\w", re.I
)
#: "show more people to follow", "see all reviews": a list's "Show more" / "See all" link
_MORE_OF = re.compile(r"(?:show|see|view|load|read)\s+(?:more|all|less|everything)\b", re.I)


#: "3 pm", "11am": an hour on the 12-hour clock
_HOUR = re.compile(r"\b(1[0-2]|0?[1-9])\s*([ap]m)\b", re.I)


#: Words that end a control's name rather than say what kind of thing it is for
_NAME_ENDINGS = frozenset({"options", "settings", "preferences", "menu", "tools", "details"})


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


#: Repeated parts a control sits in, by how they are laid out: "the edit button in Maria's
#: row", "the heart on the second post", "the plus in the Done list".
# fmt: off
_ROW_KINDS = ("row", "line", "entry", "item", "track", "song", "file", "contact", "email", "mail",
              "order", "ticket", "task", "transaction", "notification", "result", "record",
              "person", "member", "participant", "user", "device", "invoice", "episode", "lesson",
              "step", "search", "payment", "purchase", "booking", "trip", "flight",
              "account", "trend", "document", "doc", "spreadsheet", "folder")
_BLOCK_KINDS = ("message", "post", "comment", "card", "tile", "event", "review", "reply", "tweet",
                "photo", "picture", "video", "thread", "chat", "conversation", "note", "panel",
                "widget", "story", "article", "listing", "product", "deal", "offer", "tab")
# fmt: on
_SCOPE_KINDS = {
    **dict.fromkeys(_ROW_KINDS, "row"),
    **dict.fromkeys(_BLOCK_KINDS, "block"),
    **dict.fromkeys(("column", "list", "lane"), "column"),
}
_KIND = r"(?P<kind>" + "|".join(sorted(_SCOPE_KINDS, key=len, reverse=True)) + r")s?"
_SCOPE_WORD = r"(?:in|on|of|from|inside|within|under|underneath|below|beneath|at|for)"
#: "... on Tom's message", "... in the second row": the part named or counted before its kind
_SCOPE_TAIL = re.compile(
    r"\s+" + _SCOPE_WORD + r"\s+(?:the\s+)?(?P<anchor>\S(?:.*?\S)?)\s+" + _KIND + "$", re.I
)
#: "... on episode 41", "... in row 3": the kind, then its number
_SCOPE_NUMBERED = re.compile(
    r"\s+" + _SCOPE_WORD + r"\s+(?:the\s+)?" + _KIND + r"\s+(?P<anchor>\d+)$", re.I
)
#: "... on the message from Tom", "... in the row for Invoice 42": the kind, then the part
_SCOPE_BY = re.compile(
    r"\s+" + _SCOPE_WORD + r"\s+(?:the\s+)?" + _KIND
    + r"\s+(?:by|from|of|for|about|with|titled|named|called)\s+(?P<anchor>.+)$",
    re.I,
)  # fmt: skip
#: "like Tom's post", "delete the row for Invoice 42": what to do to a part is the control
#: in it that does it
_ACT_ON = re.compile(
    r"(?P<verb>\w+(?:\s+(?:to|on))?)\s+(?:the\s+)?(?:(?P<owner>\S(?:.*?\S)?)(?:'s|’s)\s+"
    + _KIND
    + r"|"
    + _KIND.replace("kind", "kind2")
    + r"\s+(?:by|from|of|for|about|titled|named|called)\s+(?P<anchor>.+)"
    + r"|(?P<named>\S+(?:\s+\S+){0,2})\s+"  # "close the api.py tab", "hide the CupFinal trend"
    + _KIND.replace("kind", "kind3")
    + r"|"  # "queue episode 41"
    + _KIND.replace("kind", "kind4")
    + r"\s+(?P<number>\d+))",
    re.I,
)
#: "reply to Nadia", "wave to Sam Lee": an action on a person's part of the page
_TO_SOMEONE = re.compile(r"(?P<verb>[a-z]+)\s+to\s+(?P<who>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)")
#: "reset Tomas Novak's password", "Maria's trash icon": a thing on a named person's part
_POSSESSED = re.compile(
    r"(?:(?P<verb>[a-z]+)\s+)?(?:the\s+)?(?P<owner>[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,2})"
    r"(?:'s|’s)\s+(?P<thing>[a-z].*)"
)
_SCOPED_WORDS = re.compile(r"\s" + _SCOPE_WORD + r"\s", re.I)
#: "the map link on Hotel Miradouro": a control on the card a proper name heads
_ON_NAMED = re.compile(
    r"the\s+(?P<thing>[a-z][\w -]*?)\s+(?:on|under|beside)\s+"
    r"(?P<name>[A-Z][\w'’.-]*(?:\s+[A-Z0-9][\w'’.-]*)+)"
)
_POSITIONS = {
    **_ORDINAL_WORDS,
    **dict.fromkeys(["top", "upper", "topmost", "left", "leftmost"], 1),
    **dict.fromkeys(["bottom", "lower", "bottommost", "right", "rightmost"], -1),
    **dict.fromkeys(["middle", "centre", "center"], MIDDLE),
}
#: words before a named part that ask for the part itself, not a control on it ("watch the
#: Glacier Express video", "read the 212 reviews", "my Deutsche Bahn account")
_LOOK_VERBS = frozenset({"watch", "read", "view", "see", "my", "our"})
#: the part the person is looking at: nothing a screenshot tells apart, so the kind is dropped
_DEICTIC = frozenset({"this", "that", "selected", "current", "open", "highlighted", "active"})
_ARTICLES = frozenset({"the", "a", "an"})
_COUNTED = frozenset({"row", "column", "line"})
_POSSESSIVE = re.compile(r"\s*(?:'s|’s|'|’)$")


#: a counted row or column, then the region it is in: "... on the bottom row of the basket"
_OF_REGION = re.compile(
    r"(?P<head>.+\b(?:row|column|line)s?)\s+(?:of|in|on)\s+the\s+[\w-]+(?:\s+[\w-]+)?", re.I
)


def _scoped(raw: str, text: str) -> Query | None:
    """A target inside one of several alike parts ("the three dots on Tom's message", "the
    Even button in the middle row"), or None when the phrase names no such part."""
    if (region := _OF_REGION.fullmatch(text)) and (inner := _scoped(raw, region["head"])):
        return replace(inner, literal=text)  # "the bin on the bottom row of the basket"
    if (to := _TO_SOMEONE.fullmatch(text)) and not _only_verb(f"{to['verb']} to"):
        anchor = _parse_simple(to["who"], to["who"])  # "reply to Nadia": on Nadia's post
        return Query(raw=raw, text=to["verb"], literal=text, scope="block", anchor=anchor)
    act = _ACT_ON.fullmatch(text)
    owner = (act.group("owner") or act.group("named")) if act else None
    if act and not _ARTICLE.match(text) and not (owner and _SCOPED_WORDS.search(f" {owner} ")):
        said_kind = next(k for k in act.group("kind", "kind2", "kind3", "kind4") if k)
        kind = _SCOPE_KINDS[said_kind.lower()]
        said = owner or act.group("anchor") or act.group("number")
        if said.lower() in _DEICTIC | _ARTICLES:
            return None  # "save the file": no part named
        if act.group("named") and not re.search(r"[A-Z\d.]", said):
            return None  # "create a new ticket": words about it, not its name
        anchor = _parse_simple(said, _ARTICLE.sub("", said))
        verb = (act.group("verb") or "").lower()
        if kind == "row" and verb in ("select", "tick", "check"):
            # "select Omar's row": the check box on it, where rows have them; else the row
            itself = replace(anchor, raw=raw, literal=text)
            return Query(
                raw=raw, role="checkbox", literal=text, scope="row", anchor=anchor,
                fallback=itself,
            )  # fmt: skip
        if _only_verb(act.group("verb")) or verb in _LOOK_VERBS:
            # "open Tom's message", "watch the Glacier Express video": the part itself
            return replace(anchor, raw=raw, literal=text)
        verb = act.group("verb").split()[0]
        return Query(raw=raw, text=verb, literal=text, scope=kind, anchor=anchor)
    if (on := _ON_NAMED.fullmatch(text)) and len(on["thing"].split()) <= 3:
        # "the map link on Hotel Miradouro", "the heart on Casa Azul": on the card so named
        target = _parse_simple(raw, on["thing"])
        anchor = _parse_simple(on["name"], on["name"])
        return replace(target, literal=text, scope="part", anchor=anchor)
    if (owned := _POSSESSED.fullmatch(text)) and not _SCOPED_WORDS.search(f" {owned['thing']} "):
        # "reset Tomas Novak's password": the control for it on that person's row or card
        verb, thing = owned["verb"], owned["thing"]
        target = _parse_simple(raw, thing)
        if target.text and not (verb and _only_verb(verb)):
            anchor = _parse_simple(owned["owner"], owned["owner"])
            said = (f"{verb} {target.text}",) if verb else ()
            return replace(target, literal=text, scope="part", anchor=anchor,
                           variants=(*target.variants, *said))  # fmt: skip
    for m in reversed(list(re.finditer(r"\s+" + _SCOPE_WORD + r"\s+", text, re.I))):
        if not _outside_quotes(text, m.start()):
            continue
        tail = text[m.start() :]
        found = _SCOPE_TAIL.fullmatch(tail) or _SCOPE_BY.fullmatch(tail)
        found = found or _SCOPE_NUMBERED.fullmatch(tail)
        if found is None:
            continue
        head = text[: m.start()].strip()
        target = _parse_simple(raw, head)
        alone = _ARTICLE.sub("", head).lower()
        if alone in _POSITIONS and alone not in _ORDINAL_WORDS:
            # "middle of the bottom row", "left of the top row": which one along the part
            target = Query(raw=raw, literal=head, ordinal=_POSITIONS[alone])
        if target.literal not in (target.text, *target.variants):  # "down arrow" as said
            target = replace(target, variants=(*target.variants, target.literal))
        if not (target.text or target.role or target.ordinal is not None) or _only_verb(head):
            return None  # "type in the message box": a verb is no target
        kind = _SCOPE_KINDS[found.group("kind").lower()]
        said = _POSSESSIVE.sub("", (found.group("anchor") or "").strip()).strip()
        low = said.lower()
        if low in _DEICTIC | _ARTICLES or not said:  # "the X on the card": the one in view
            return replace(target, literal=text)
        if low in COLOURS:  # "the three dots on the blue card": the one drawn on blue
            return replace(target, literal=text, colour=low)
        low = re.sub(r"^(?:far|very)\s+", "", low)  # "the far left column": the leftmost
        position = _POSITIONS.get(low) if low in _POSITIONS else _numbered(low)
        if position is None and low.isdigit() and found.group("kind").lower() in _COUNTED:
            position = int(low)  # "row 3": counted, where "episode 41" is named
        if position is not None:
            return replace(target, literal=text, scope=kind, position=position)
        part = _parse_simple(said, _ARTICLE.sub("", said))
        return replace(target, literal=text, scope=kind, anchor=part)
    return None


def _without_kind(anchor: Query) -> Query:
    """ "next to the Porto search": the anchor may be shown without the kind of part it is."""
    words = anchor.text.split()
    if len(words) >= 2 and words[-1].lower().rstrip("s") in _SCOPE_KINDS:
        return replace(anchor, variants=(*anchor.variants, " ".join(words[:-1])))
    return anchor


def _shown_by(raw: str, described: Query, shown: str) -> Query:
    """A control asked for by the words it shows ("the Sort drop-down showing Newest"); what
    it is said to be is the other reading ("the box" alone names any box, so none)."""
    other = described if described.text else None
    return replace(
        _parse_simple(raw, shown), raw=raw, role=described.role, fallback=other, shows=True
    )


def _titled_with_kind(text: str, verb_end: int) -> bool:
    """ "Start Menu": a capitalised verb and only a capitalised kind of control after it."""
    rest = text[verb_end:].strip()
    if not (text[:1].isupper() and rest[:1].isupper()):
        return False
    role, left = _split_role(rest)
    return role is not None and not left


def _describes(q: Query, said: str) -> bool:
    """A bracketed aside that says how the target looks or where it is ("the plus at the
    top", "the 123 drop-down"), not what to do ("click its title")."""
    if re.match(r"(?:click|tap|press|which|that|it|its)\b", said, re.I):
        return False
    return bool(q.text or q.role or q.anchor)


def _only_verb(words: str) -> bool:
    """ "open", "type in": a verb with nothing after it names no target."""
    m = _VERB.match(words + " x")
    return m is not None and m.end() == len(words) + 1


def _numbered(word: str) -> int | None:
    m = re.fullmatch(r"(\d+)(?:st|nd|rd|th)", word)
    return int(m.group(1)) if m else None


#: "turn Wi-Fi on": the switch's state said after its name
_SWITCHED = re.compile(r"^(?P<verb>switch|turn)\s+(?P<name>.+?)\s+(?P<state>on|off)$", re.I)


def _parse_simple(raw: str, text: str) -> Query:
    if switched := _SWITCHED.match(text):
        text = f"{switched['verb']} {switched['state']} {switched['name']}"
    variants: list[str] = []
    verb_role = None
    spoken = ""
    verb = _VERB.match(text)
    if verb and _titled_with_kind(text, verb.end()):
        verb = None  # "Start Menu", "Open Button": a name as written, the verb its first word
    if verb and verb.end() < len(text):
        spoken = _ARTICLE.sub("", text).strip()  # "Open Recent" may be the name
        verb_role = next((role for rx, role in _VERB_ROLE if rx.match(text)), None)
        text = text[verb.end() :]
    text, place, context = _where(text)
    purpose = _PURPOSE.search(text)
    if purpose and _outside_quotes(text, purpose.start()):
        head = _ARTICLE.sub("", text[: purpose.start()]).strip()
        kind, thing = _split_role(head)
        if kind is not None:  # "the button to save": a kind of control, then what it does
            goal = text[purpose.end() :].strip()
            goal_verb = _VERB.match(goal)
            goal = _FILLER.sub("", goal[goal_verb.end() :] if goal_verb else goal).strip()
            if thing:  # "the pencil icon to rename the file": it may show either
                variants.append(goal)
                text = text[: purpose.start()]
            elif goal:
                return Query(raw=raw, text=goal, role=kind, literal=goal, place=place,
                             spoken=spoken, context=context)  # fmt: skip
        elif spoken and head and len(head.split()) <= 3:  # "press OK to log in": OK
            goal = text[purpose.end() :].strip()
            variants.append(_FILLER.sub("", goal).strip())
            text = text[: purpose.start()]
    literal = _ARTICLE.sub("", text).strip()
    rest = literal
    ordinal = None
    m = _ORDINAL.match(rest)
    if m and (m.end() < len(rest) or m.group("word")):
        ordinal = _ORDINAL_WORDS[m.group("word").lower()] if m.group("word") else int(m["num"])
        rest = rest[m.end() :].strip()
    elif (middle := _MIDDLE_ONE.fullmatch(rest)) and (
        middle["what"].lower() in _COUNTED_THINGS or _role_of(middle["what"].lower())
    ):
        ordinal, rest = MIDDLE, middle["what"]  # "the centre square", "the middle button"
    role = None
    named = _NAMED.search(rest)
    if named:
        role = _role_of(rest[: named.start()].strip())
        if role is not None or not rest[: named.start()].strip():
            rest = rest[named.end() :].strip()
    if role is None:
        whole = rest
        role, rest = _split_role(rest)
        if role == "icon" and re.search(r"\barrows?$", whole, re.I) and rest:
            variants.append(whole)  # "the down arrow": icon names say "arrow down"
    described = literal != text.strip() or bool(spoken)  # "the ...", "change ...": not a name
    if role is None and described and rest.lower().rsplit(" ", 1)[-1] in _VALUE_NOUNS:
        role = "text_field"  # "the departure date": what is typed there names a field
    unq, quoted = _unquote(rest)
    literal_unq, _ = _unquote(literal)
    colour = size = None
    if (
        not quoted
        and role
        and (look := _LOOK.fullmatch(unq + " "))
        and _PLAIN_LOOK & set(unq.split())
    ):
        unq = ""  # "the big blue button": only how it looks, then what it is
        colour, size = _look_of(look.group(0))
    elif not quoted and (look := _LOOK.match(unq)) and (plain := unq[look.end() :].strip()):
        variants.append(plain)  # "the little pencil": the name may hold the words, or not
        colour, size = _look_of(look.group(0))
    if not quoted and (toggled := _HIDE.match(spoken or unq)):
        # "hide the toolbar": a menu's "Show Toolbar" item toggles it either way
        variants.append("show " + _ARTICLE.sub("", toggled["what"]))
    if not quoted and (short := _abbreviated(unq)) != unq:
        variants.append(short)  # "Wednesday's forecast": the screen says "Wed"
    if not quoted and _LOOK_FOR.match(spoken or text):
        variants.append("search")  # "look for a file", "find a chat": the search box
    if spoken and (more := _MORE_OF.match(spoken)) and more.end() < len(spoken):
        variants.append(more.group(0))  # "show more people to follow": the "Show more" link
    if not quoted and (pointing := _POINTING.fullmatch(unq)):
        variants.append(f"{pointing['shape']} {pointing['way']}")  # icon names: "chevron down"
    if not quoted and (keys := _KEY_LABELS.get(_ARTICLE.sub("", unq).lower())):
        variants += keys  # "the factorial key": a calculator's "x!"
    if not quoted and (numeral := _numeral(unq)):
        variants.append(numeral)  # "number four": the 4
    if not quoted:
        variants += _money(unq)  # "tip one euro": the €1 button
    if not quoted and (hour := _HOUR.search(unq)) and hour.group(0) != unq:
        variants.append(_abbreviated(hour.group(0)))  # "the forecast for 3 pm": 15:00
    for said in [unq, *variants] if not quoted else []:
        if marked := _MARKED.fullmatch(said):
            # "the person with a plus": icons are named by the mark and the thing it is on
            thing, mark = marked["thing"], marked["mark"]
            variants += [f"{mark} {thing}", f"{thing} {mark}"]
    return Query(
        raw=raw,
        text=unq,
        # "tick the third box": the verb says which kind of box
        role=verb_role if verb_role == "checkbox" and role == "text_field" else role or verb_role,
        ordinal=ordinal,
        literal=literal_unq,
        quoted=quoted,
        variants=tuple(v for v in variants if v and v != literal_unq),
        place=place,
        spoken=spoken,
        colour=colour,
        size=size,
        context=context,
    )


_SIZE_WORDS = {"big": "big", "large": "big", "small": "small", "little": "small", "tiny": "small"}


def _look_of(words: str) -> tuple[str | None, str | None]:
    """The colour and the size ("big" / "small") among look words said before a thing."""
    said = words.split()
    colour = next((w for w in said if w in COLOURS), None)
    return colour, next((_SIZE_WORDS[w] for w in said if w in _SIZE_WORDS), None)


def _where(text: str) -> tuple[str, str | None, str]:
    """``text`` without a trailing place ("at the top right", "in the menu bar", "section"),
    the place it names on the screen, if any, and the words naming the part it is in ("share"
    of "in the share panel")."""
    place = None
    context = ""
    if (corner := _CORNER.match(text)) and corner.end() < len(text):
        place = " ".join(
            _PLACE_WORDS.get(w, w) for w in re.split(r"[\s-]", corner["where"].lower())
        )
        text = text[corner.end() :]
    if where := _trailing(_PLACE, text):
        words = where.group("where").lower().replace("-", " ").split()
        place = " ".join(w for w in (_PLACE_WORDS.get(w, w) for w in words) if w) or None
        text = text[: where.start()]
    if container := _trailing(_CONTAINER, text):
        if not container["named"]:  # "the ticket toolbar" need not be the page's top bar
            place = place or _BAR_PLACES.get(" ".join(container["bar"].lower().split()))
        context = container["named"].strip()
        text = text[: container.start()]
        said = _ARTICLE.sub("", text).strip().lower()
        if container["bar"].lower() in ("board", "grid") and said in _BOARD_PLACES:
            text = _BOARD_PLACES[said]  # "the top right corner of the board": that square
    # "the Downloads section" is Downloads; "the section" and "text area" stay as they are
    said_role = _ARTICLE.sub("", text).strip().lower() in ROLE_PHRASES
    if (part := _trailing(_PART, text)) and not said_role:
        text = text[: part.start()]
    return text, place, context


def _trailing(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """A trailing place or part of ``text`` that may be dropped: outside quotes, and with
    words before it that still name a target."""
    m = pattern.search(text)
    if m is None or not _outside_quotes(text, m.start()):
        return None
    return m if _ARTICLE.sub("", text[: m.start()].strip() + " ").strip() else None


def _role_of(phrase: str) -> str | None:
    phrase = _ARTICLE.sub("", phrase).strip().lower()
    return ROLE_PHRASES.get(phrase) or ROLE_PHRASES.get(phrase.rstrip("s"))


def _split_role(text: str) -> tuple[str | None, str]:
    """A role word at the end ("Save button") or the start ("menu File") of the phrase."""
    low = text.lower()
    for phrase in _ROLE_PHRASES_LONGEST:
        plural = () if phrase in _NOT_PLURAL_ROLES else (phrase + "s",)
        for form in (*plural, phrase):
            if low == form and phrase not in _NEVER_ALONE:
                return ROLE_PHRASES[phrase], ""
            if low.endswith(" " + form):
                rest = text[: -len(form)].strip()
                if len(rest) > 1 and rest.lower().rsplit(" ", 1)[-1] in _NOT_A_NAME_END:
                    return None, text  # "create a new file": the file is what is made
                if phrase in _NEVER_ALONE and rest.lower() in ROLE_PHRASES:
                    continue  # "menu File": the File menu
                if rest in ROLE_PHRASES and text[-len(form)].isupper():
                    continue  # "tab Buttons": a kind of control, then a name as written
                return ROLE_PHRASES[phrase], rest
    for phrase in _ROLE_PHRASES_LONGEST:
        if low.startswith(phrase + " ") and not low.startswith(phrase + " with "):
            return ROLE_PHRASES[phrase], text[len(phrase) :].strip()
    return None, text
