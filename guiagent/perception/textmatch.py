"""How well an element's text answers a person's words: exact beats case-insensitive beats a
word inside a longer label beats prefix beats fuzzy; short targets ("7", "+") match exactly.

OCR misreads (``Log in`` read as ``Login``, ``Calculater``) are why fuzzy matching exists;
``7`` matching ``17`` is why it is switched off for short targets.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

SHORT = 2  # targets this short (after normalising) must match exactly
_TRAIL = re.compile(r"[\s:.…*]+$")
_SPACE = re.compile(r"\s+")
_ELLIPSIS = re.compile(r"(…|\.\.\.?)\s*$")  # OCR reads "…" as two or three dots too


@lru_cache(maxsize=65536)
def norm(text: str) -> str:
    """Casefolded, NFKC, single-spaced, without a trailing colon or ellipsis (``Save As…``)."""
    text = unicodedata.normalize("NFKC", text).replace("_", " ")
    text = _SPACE.sub(" ", text).strip().casefold()
    stripped = _TRAIL.sub("", text)
    return stripped or text


def cut_short(name: str) -> bool:
    """A label cut short to fit ("Quarterly rep…"): its words go on unseen."""
    return _ELLIPSIS.search(name) is not None


def tokens(text: str) -> list[str]:
    return norm(text).split()


@dataclass(frozen=True)
class TextMatch:
    score: float
    reason: str
    span: tuple[int, int] | None = None  # char range of the match inside the element's text


# Grounding asks the same (phrase, name) pairs many times over (alike icons share names;
# anchors and other readings match again): these pure functions are cached.
@lru_cache(maxsize=262144)
def match_text(query: str, name: str) -> TextMatch | None:
    """Score ``name`` (an element's text) against ``query``; None when it is no match. Dots
    and bars that only separate parts of a summary ("2 adults · 1 child · 1 room") may go
    unsaid."""
    found = _match_text(query, name)
    spelled = _SPELLED.get(norm(name))
    if spelled is not None and query.strip().casefold() != name.strip().casefold():
        said = _match_text(query, spelled)  # "show temperatures in Fahrenheit" for "°F"
        if said is not None and (found is None or said.score > found.score):
            found = TextMatch(said.score * 0.95, f"{said.reason}, {name.strip()} spelled out")
    if _SEPARATOR.search(name) and not _SEPARATOR.search(query):
        plain = _match_text(query, _SEPARATOR.sub(" ", name))
        if plain is not None and (found is None or plain.score > found.score):
            return TextMatch(plain.score, f"{plain.reason}, separators aside")
    return found


_SEPARATOR = re.compile(r"\s+[·•|]\s+")

#: units and currencies a label shows as a symbol or code, as a person says them
_SPELLED = {
    "°f": "Fahrenheit", "°c": "Celsius", "°k": "Kelvin",
    "€": "euros", "eur": "euros", "£": "pounds", "gbp": "pounds", "$": "dollars",
    "usd": "dollars", "¥": "yen", "jpy": "yen", "chf": "Swiss francs",
    "%": "percent", "km": "kilometres", "mi": "miles", "kg": "kilograms", "lb": "pounds",
}  # fmt: skip


@lru_cache(maxsize=262144)
def _match_text(query: str, name: str) -> TextMatch | None:
    if not query or not name:
        return None
    if query == name.strip():
        return TextMatch(1.0, "exact text")
    q, n = norm(query), norm(name)
    if not q or not n:
        return None
    if q == n:
        if query.strip().casefold() == name.strip().casefold():
            return TextMatch(0.97, "case-insensitive")
        return TextMatch(0.95, "same text")
    if q.replace(" ", "") == n.replace(" ", ""):
        return TextMatch(0.93, "same text but spacing")
    if ocr_alike(q) == ocr_alike(n):
        return TextMatch(0.85, "same text but look-alike characters")
    if " ".join(map(stem, q.split())) == " ".join(map(stem, n.split())) and len(q) >= 4:
        return TextMatch(0.88, "same words, other endings")  # "customer" / "Customers"
    shown = name.rstrip()
    if len(query.strip()) <= 3 and shown[-1:] in CHEVRONS and norm(shown[:-1]) == q:
        return TextMatch(0.8, "text before a drop-down arrow")  # "MS ⌄" read as "MSV"
    if cut_short(name) and len(n) >= 6 and len(q) > len(n):
        head = fuzz.ratio(q[: len(n)], n) / 100  # a label cut short to fit: "Quarterly rep…"
        if head >= 0.9:
            return TextMatch(0.86 * head, f"text cut short with an ellipsis {head:.2f}")
    short = len(q) <= SHORT or not any(c.isalnum() for c in q)
    span = _token_span(q, name)
    if span is not None:
        ratio = len(q) / max(len(n), 1)
        if name[span[0] : span[1]] == query.strip():  # the case as written is a hint too
            return TextMatch(0.8 + 0.12 * ratio, "word in text, same case", span)
        return TextMatch(0.78 + 0.12 * ratio, "word in text", span)
    if short:
        return None
    glued = _glued_span(q, name)
    if glued is not None:
        return TextMatch(0.66, "word glued to the next (a space lost)", glued)
    if n.startswith(q) and len(q) >= 3:
        return TextMatch(0.7 + 0.15 * len(q) / len(n), "prefix")
    if _all_words(q, n):
        return TextMatch(0.7, "all the words, in another order")
    said = None if _titled(query) else said_in_phrase(query, name)  # "Print Preview" is a name
    heard = TextMatch(said, "its words said in the phrase") if said is not None else None
    ratio = fuzz.ratio(q, n) / 100
    if ratio >= 0.75 and min(len(q), len(n)) >= 4:
        return _better(TextMatch(0.9 * ratio, f"fuzzy {ratio:.2f}"), heard)
    word = _fuzzy_word_span(q, name)
    if word is not None:
        ratio, span = word
        return _better(TextMatch(0.8 * ratio, f"fuzzy word {ratio:.2f}", span), heard)
    part = fuzz.partial_ratio(q, n) / 100 if len(q) >= 5 and len(n) > len(q) else 0.0
    if part >= 0.88:
        return _better(TextMatch(0.72 * part, f"fuzzy part {part:.2f}"), heard)
    written = _written_as_is(query, name)
    if heard is not None:
        return _better(heard, written)
    if n in _SAME_ACTION.get(q, ()):
        return TextMatch(0.85, "another way to say it")
    if written is not None:
        return written
    most = None if _titled(query) else _most_words(query, name)
    piece = None if _titled(query) else _part_said(query, name)
    if most is not None:
        return _better(TextMatch(most, "most of its words said"), piece)
    return piece


#: a token no dictionary holds and no word matching reads whole: a time, an amount, an
#: identifier, a hashtag ("47:10", "by_date", "#wholegrain"; a file name is read by its words)
_PARTICULAR = re.compile(r"^(?=.*\d)[\d:.,/]{3,}$|^(?=.*[^\W\d_])(?=.*[\d_#@]).{3,}$")
_EDGE_PUNCTUATION = "()[]{}<>,;!?\"'“”‘’"


def _written_as_is(query: str, name: str) -> TextMatch | None:
    """A label whose own particular token the person wrote as it is shown ("the video that
    is 47:10 long", "more #wholegrain recipes", "jump to the by_date function"), its other
    words said or a count in brackets beside it ("by_date [12]"). Scored like a label's words
    said in the phrase, a little surer: no common word is written like that by chance."""
    core = _BRACKETED.sub(" ", name)
    shown = [t.strip(_EDGE_PUNCTUATION).casefold() for t in core.split()]
    particular = [t for t in shown if _PARTICULAR.match(t)]
    if not particular:
        return None
    tokens = [t.strip(_EDGE_PUNCTUATION).casefold() for t in query.split()]
    if not all(t in tokens for t in particular):
        return None
    said = [
        t if _PARTICULAR.match(t) else stem(t)
        for t in tokens
        if t and t not in _UNNAMING and (_PARTICULAR.match(t) or re.fullmatch(_WORD, t))
    ]
    rest = [stem(w) for t in shown if t not in particular for w in re.findall(_WORD, t)]
    if any(w not in said and w not in _UNSAID_IN_NAMES for w in rest):
        return None
    explained = sum(w in particular or w in rest for w in said)
    score = 0.65 + 0.18 * explained / len(said) + (0.04 if said[0] in shown else 0.0)
    if said[0] not in particular and said[0] not in rest:  # "copy the uploader_v2 path":
        score = min(score, _UNEXPLAINED_VERB)  # what to do is left unexplained
    return TextMatch(round(score, 4), "its own token written as shown")


_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]")


def _part_said(query: str, name: str) -> TextMatch | None:
    """Two labels read as one line ("Alfama, Lisbon Show on map"): the run of the line's
    words that the phrase says ("show Casa Azul on the map"), as a span of it, weaker than
    a label said whole."""
    if _BRACKETED.search(name):
        return None  # an aside or an icon's other names ("help (question, question mark)")
    words = list(re.finditer(r"\S+", name))
    if len(words) < 4 or len(words) > 12:
        return None  # "Keep screen awake" is one label: its words are said or not
    best: TextMatch | None = None
    for i in range(len(words)):
        for j in range(i + 2, len(words) + 1):  # a part of 2+ words, 2+ words left out
            if len(words) - (j - i) < 2:
                continue
            start, end = words[i].start(), words[j - 1].end()
            part = name[start:end].strip(_EDGE_PUNCTUATION)
            if len([w for w in re.findall(_WORD, part.casefold()) if w not in _UNNAMING]) < 2:
                continue  # one word of a long text ("... heated pool all year") names nothing
            score = said_in_phrase(query, part)
            if score is not None and score >= _PART_BAR and (best is None or score > best.score):
                best = TextMatch(round(score * 0.95, 4), "a part of the line said", (start, end))
    return best


_PART_BAR = 0.7  # a part said this well, at least, stands for a label of its own


def _better(spelled: TextMatch, heard: TextMatch | None) -> TextMatch:
    """A near spelling or the label's words said among the phrase's ("place my order" for
    "Place order •"): whichever is surer."""
    return heard if heard is not None and heard.score > spelled.score else spelled


#: words that say what kind of row a person means, not what it says ("the ticket about ...")
_ROW_WORDS = frozenset(
    {"ticket", "row", "entry", "item", "episode", "message", "post", "one", "about"}
)


@lru_cache(maxsize=65536)
def _most_words(query: str, name: str) -> float | None:
    """A row asked for by its content: "the ticket about the invoice address" for "#4815
    Invoice shows old address", "Priya's feature request". At least two of the phrase's
    words (numbers count) and two thirds of them are the row's; a weak match (0.61..0.69)."""
    said = [stem(w) for w in re.findall(r"[^\W_]+", norm(query)) if w not in _UNROW]
    shown = {stem(w) for w in re.findall(r"[^\W_]+", norm(name))}
    if len(said) < 2 or len(shown) > 12:
        return None
    found = sum(any(same_word(w, s) for s in shown) for w in said)
    if found < 2 or found < 2 * len(said) / 3:
        return None
    return round(0.61 + 0.08 * found / len(said), 4)


#: What sites label one action in different words ("log in" on a "Sign in" button).
_SAME_ACTION: dict[str, frozenset[str]] = {
    said: frozenset(group) - {said}
    for group in (
        ("sign in", "log in", "login", "log on"),
        ("sign out", "log out", "logout"),
        ("sign up", "register", "create account", "join"),
    )
    for said in group
}


#: Numbers said in words, each at its value's index ("two" is 2).
CARDINALS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
             "ten", "eleven", "twelve")  # fmt: skip

#: Words that carry no name of their own in a person's phrase or a label.
# fmt: off
FILLER_WORDS = frozenset(("a", "an", "the", "to", "of", "for", "in", "on", "at", "by", "with",
                           "from", "and", "or", "my", "me", "i", "it", "its", "this", "that",
                           "your", "our", "all", "is", "are", "be"))
# fmt: on
#: Words for kinds of control that are never a label ("the From account drop-down"; "Menu",
#: "Files" or "Options" may well be one).
CONTROL_WORDS = frozenset(
    {
        "button",
        "btn",
        "field",
        "textfield",
        "textbox",
        "input",
        "box",
        "checkbox",
        "tickbox",
        "radio",
        "link",
        "hyperlink",
        "icon",
        "drop",
        "down",
        "dropdown",
        "entry",
    }
)  # fmt: skip
_UNNAMING = FILLER_WORDS | CONTROL_WORDS
_UNROW = FILLER_WORDS | _ROW_WORDS


_WORD = re.compile(r"[^\W\d_]+")


def _titled(text: str) -> bool:
    """Several words, each capitalised: a label as written, not a description."""
    words = re.findall(_WORD, text)
    return len(words) >= 2 and all(
        w[0].isupper() for w in words if w.casefold() not in FILLER_WORDS
    )


#: Plurals no ending rule undoes.
_IRREGULAR = {"children": "child", "people": "person", "men": "man", "women": "woman",
              "mice": "mouse", "feet": "foot", "teeth": "tooth", "geese": "goose"}  # fmt: skip


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A word without its plural or verb ending, so "reviews" meets "Review"."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    for end, keep in (("ies", "y"), ("ing", ""), ("es", ""), ("ed", ""), ("s", "")):
        if word.endswith(end) and len(word) - len(end) >= 3:
            return word[: -len(end)] + keep
    return word


@lru_cache(maxsize=65536)
def said_in_phrase(query: str, name: str) -> float | None:
    """A label whose every word the person said among others ("find coffee nearby" for
    "Coffee", "submit the reply" for "Submit"): scored 0.62..0.9 by the share of the
    phrase's words the label explains, more when it holds the phrase's first word (what to
    do comes first) or a word written with a capital (a name: "the recent Olympiapark
    entry"), less when it leaves such a name out. A count or an aside in brackets in the
    label ("Reviews (214)", "Reference (optional)") and a shape's modifiers ("swap vertical")
    may go unsaid."""
    if name.rstrip().endswith("-"):
        return None  # the first line of a word broken over two ("Anne-")
    words = re.findall(_WORD, unicodedata.normalize("NFKC", query))
    core = without_extensions(_ASIDE.sub(" ", name))  # "test_uploader.py": its words
    core = _HYPHENATED.sub(lambda m: _unhyphenated(m, words), core)  # "Wi-Fi" said "wifi"
    shown = [stem(w) for w in re.findall(_WORD, norm(core)) if w not in _UNSAID_IN_NAMES]
    words = _joined(words, set(shown))
    said = [stem(w.casefold()) for w in words if w.casefold() not in _UNNAMING]
    named = {stem(w.casefold()) for w in words[1:] if w[0].isupper()}
    if len(said) < 2 or not shown or len(shown) > len(said) or max(map(len, shown)) < 3:
        return None
    numbers, its_numbers = set(re.findall(r"\d+", query)), set(re.findall(r"\d+", core))
    if numbers and its_numbers and not its_numbers <= numbers:
        return None  # "the 10-day forecast" is no "7-DAY FORECAST"
    shown = [next((w for w in said if same_word(w, s)), s) for s in shown]
    if not set(shown) <= set(said):
        return None
    if len(shown) == len(said):  # every word, fillers and a count aside: "place my order"
        if not numbers <= its_numbers:
            return None  # names "Place order", but "open ticket 4819" is no "Open tickets"
        return 0.86 if shown == said else 0.84
    share = sum(w in shown for w in said) / len(said)
    score = 0.62 + 0.18 * share + (0.04 if said[0] in shown else 0.0)
    if named:
        score += 0.06 if named & set(shown) else -0.04
    if numbers and its_numbers:  # the number said too ("see the 10-day forecast": "10 days")
        score += 0.03
    if said[0] not in shown:  # "unlock the front door": what to do is left unexplained,
        score = min(score, _UNEXPLAINED_VERB)  # a control named for it comes first
    return round(score, 4)


_UNEXPLAINED_VERB = 0.7


_HYPHENATED = re.compile(r"\b([^\W\d_]+)-([^\W\d_]+)\b")


def _unhyphenated(m: re.Match[str], said: list[str]) -> str:
    joined = f"{m[1]}{m[2]}"
    return joined if joined.casefold() in {w.casefold() for w in said} else m[0]


def _joined(words: list[str], shown: set[str]) -> list[str]:
    """The phrase's words with two said apart joined where the label writes them as one
    ("when does the sun rise" for "Sunrise", "sign up" for "Signup")."""
    out: list[str] = []
    for word in words:
        if out and stem(f"{out[-1]}{word}".casefold()) in shown:
            out[-1] = f"{out[-1]}{word}"
        else:
            out.append(word)
    return out


def same_word(said: str, shown: str) -> bool:
    """One word in two forms: "departure" for a "Depart" label, "printer" for "Print",
    "arrival" for "arrive" (a silent e dropped before the ending)."""
    if said == shown:
        return True
    short, long_ = sorted((said, shown), key=len)
    return len(short) >= 5 and long_.startswith(short.removesuffix("e"))


_ASIDE = re.compile(r"\([^)]*\)")
#: a file name's extension, which a person leaves unsaid ("the test file for the uploader")
_EXTENSION = re.compile(r"(?<=[^\W_])\.[a-z][a-z0-9]{1,3}\b")


def without_extensions(text: str) -> str:
    """``text`` with file names' extensions taken off ("Stall budget.xlsx" -> "Stall budget")."""
    return _EXTENSION.sub(" ", text)


#: how an icon is drawn, which a person seldom says ("account circle outline": "account")
DRAWN_WORDS = frozenset({
    "vertical", "horizontal", "outline", "outlined", "circle", "square", "filled", "alt",
    "round", "rounded", "sharp", "solid",
})  # fmt: skip
#: a label's words a person leaves out
_UNSAID_IN_NAMES = FILLER_WORDS | DRAWN_WORDS


#: Characters OCR confuses with each other, folded to one ("b2O" read as "b20", "nlC" as "nIC"),
#: and the multiplication / cross signs a close button draws where a person writes "x".
_ALIKE = str.maketrans(
    {
        "0": "o",
        "1": "l",
        "i": "l",
        "|": "l",
        "!": "l",
        "/": "l",
        "×": "x",
        "✕": "x",
        "✖": "x",
        "╳": "x",
    }  # fmt: skip
)


def ocr_alike(text: str) -> str:
    """``text`` casefolded, without spaces, with look-alike characters made one."""
    return text.casefold().replace(" ", "").translate(_ALIKE)


def similarity(a: str, b: str) -> float:
    """Loose 0..1 likeness, for reporting the closest texts when nothing matched."""
    na, nb = norm(a), norm(b)
    if not na or not nb:
        return 0.0
    return fuzz.ratio(na, nb) / 100


def _token_span(q: str, name: str) -> tuple[int, int] | None:
    """Where the query's words sit as whole words inside ``name`` (char offsets in ``name``).

    Word edges are letters/digits for a word-like query, whitespace for a symbol (so ``+``
    is found in ``7 + 8`` but not in ``+/-``).
    """
    left = r"(?<!\w)" if q[0].isalnum() else r"(?<!\S)"
    right = r"(?!\w)" if q[-1].isalnum() else r"(?!\S)"
    pattern = left + r"\s+".join(re.escape(t) for t in q.split()) + right
    folded = name.casefold()
    if len(folded) != len(name):
        folded = name.lower()
    m = re.search(pattern, folded)
    return None if m is None else (m.start(), m.end())


def _fuzzy_word_span(q: str, name: str) -> tuple[float, tuple[int, int]] | None:
    """The run of words in ``name`` most like ``q`` (as many words as ``q`` has), when a
    misread letter or two is all that differs ("choncus" for "rhoncus")."""
    if len(q) < 5:
        return None
    words = list(re.finditer(r"\S+", name))
    size = len(q.split())
    best: tuple[float, tuple[int, int]] | None = None
    for i in range(len(words) - size + 1):
        start, end = words[i].start(), words[i + size - 1].end()
        ratio = fuzz.ratio(q, norm(name[start:end])) / 100
        if ratio >= 0.8 and (best is None or ratio > best[0]):
            best = (ratio, (start, end))
    return best


def _all_words(q: str, n: str) -> bool:
    """Every word of a several-word query is a word of ``n``, in any order ("create new
    folder" in an icon named "new folder (create folder, ...)")."""
    wanted = re.findall(r"\w+", q)
    if len(wanted) < 2:
        return False
    have = set(re.findall(r"\w+", n))
    return all(w in have for w in wanted)


#: What OCR makes of the small arrow a menu button draws after its label.
#: how OCR reads the arrow a closed drop-down draws after its text
CHEVRONS = frozenset("vV√▾▼⌄ˇ")
_GLUE_REST = 3  # letters the other word keeps, so "Save" is not found in "Saved"


def _glued_span(q: str, name: str) -> tuple[int, int] | None:
    """A one-word query at the start or end of a longer word, the rest itself a word
    ("nam" in "ultricesnam"): OCR dropped the space between two words."""
    if len(q) < 3 or not q.isalpha():
        return None
    folded = name.casefold() if len(name.casefold()) == len(name) else name.lower()
    for m in re.finditer(r"[^\W\d_]+", folded):
        word, start = m.group(), m.start()
        if len(word) < len(q) + _GLUE_REST:
            continue
        if word.endswith(q):
            return start + len(word) - len(q), m.end()
        if word.startswith(q):
            return start, start + len(q)
    return None


def same_text(a: str, b: str) -> bool:
    """Whether two texts say the same (for de-duplicating OCR against accessibility names)."""
    na, nb = norm(a).replace(" ", ""), norm(b).replace(" ", "")
    if not na or not nb:
        return False
    if na == nb:
        return True
    if min(len(na), len(nb)) <= SHORT:
        return False
    if na in nb or nb in na:
        return True
    return fuzz.ratio(na, nb) >= 80
