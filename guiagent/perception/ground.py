"""Grounding: a person's phrase -> ranked candidates on the current Screen.

Text decides first (see ``textmatch``), role words then boost or demote, an ordinal picks among
equally good matches in reading order, and a relation ("the field right of Email") resolves
spatially from an anchor. OCR text counts as a button etc. when nothing says otherwise: role
words boost, they only exclude when accessibility clearly says the element is something else.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from functools import lru_cache

import numpy as np

from guiagent.errors import TargetNotFound
from guiagent.observation import Box, Candidate, Element, Screen
from guiagent.perception import spatial
from guiagent.perception._hits import Hit, merge
from guiagent.perception.colours import COLOUR_NAMES, SHADES, colour_names
from guiagent.perception.icons.names import symbol_name
from guiagent.perception.layout import bands, reading_order, wrapped_lines
from guiagent.perception.query import LONGEST, MIDDLE, TRAIL, Query, ordinal_word, parse_query
from guiagent.perception.roles import LABELLED, normalise_role, role_matches
from guiagent.perception.textmatch import (
    CHEVRONS,
    CONTROL_WORDS,
    DRAWN_WORDS,
    FILLER_WORDS,
    TextMatch,
    cut_short,
    match_text,
    norm,
    same_word,
    similarity,
    stem,
    tokens,
    without_extensions,
)

_TEXT_ROLE = "text"


class Grounder:
    """Stateless; one instance can serve every screen."""

    def __init__(self, floor: float = 0.4) -> None:
        self.floor = floor  # candidates below this are not returned by ``locate``

    # -- public --------------------------------------------------------------------------
    def locate(self, screen: Screen, query: str) -> list[Candidate]:
        """Candidates for ``query``, best first; an empty list when nothing fits."""
        hits = self._hits(screen, parse_query(query))
        return [
            Candidate(element=h.element, score=round(min(1.0, h.score), 4), reason=h.reason)
            for h in hits
            if h.score >= self.floor
        ]

    def best(self, screen: Screen, query: str, min_score: float = 0.6) -> Candidate:
        """The best candidate scoring at least ``min_score``, else TargetNotFound with the
        three closest things seen (by text likeness when nothing matched at all)."""
        found = self.locate(screen, query)
        if found and found[0].score >= min_score:
            return found[0]
        seen = {(c.element.id, tuple(c.element.box.as_list())) for c in found[:3]}
        extra = [
            c
            for c in self._closest(screen, query)
            if (c.element.id, tuple(c.element.box.as_list())) not in seen
        ]
        closest = (found[:3] + extra)[:3]
        reason = f"best score {found[0].score:.2f} < {min_score:.2f}" if found else ""
        raise TargetNotFound(query, closest, reason)

    def find_text(self, screen: Screen, text: str) -> list[Element]:
        """Elements showing ``text`` (name or value), for checking typed/expected text.

        Stricter than ``locate``: the text must appear whole (spacing and case aside); only
        longer texts tolerate an OCR misread or two.
        """
        from rapidfuzz import fuzz

        want = norm(text)
        if not want:
            return []
        squeezed = want.replace(" ", "")
        scored: list[tuple[float, Element]] = []
        for el in screen.elements:
            best = 0.0
            for shown in (el.name, el.value or ""):
                have = norm(shown)
                if not have:
                    continue
                if want == have:
                    best = max(best, 1.0)
                elif len(want) <= 2:
                    best = max(best, 0.9 if want in tokens(shown) else 0.0)
                elif want in have or squeezed in have.replace(" ", ""):
                    best = max(best, 0.9)
                elif len(squeezed) >= 6 and _digits(want) in _digits(have):
                    # letters may be misread; numbers must be exact ("43" is not "42")
                    part = fuzz.partial_ratio(squeezed, have.replace(" ", "")) / 100
                    best = max(best, part if part >= 0.9 else 0.0)
            if best:
                scored.append((best, el))
        scored.sort(key=lambda p: -p[0])
        return [el for _, el in scored]

    # -- matching ------------------------------------------------------------------------
    def _hits(self, screen: Screen, q: Query) -> list[Hit]:
        if q.scope is not None:
            hits = self._within(screen, q)
        elif q.relation and q.anchor is not None:
            hits = merge(self._relative(screen, q), self._named_whole(screen, q))
        else:
            hits = self._matches(screen, q)
            if q.role and q.text and not q.shows and spatial.wants_field(q.role, hits):
                # "the Name field" with no field named Name: the field labelled Name.
                hits = merge(hits, self._relative(screen, _as_relation(q), named=True))
        if q.role == "menu_item" and len(hits) > 1 and hits[1].score >= hits[0].score - _TIE:
            hits = _prefer_menu_bar(hits, screen)
        if q.place is not None:
            hits = _prefer_place(hits, q.place, screen)
        # a size tells alike matches apart, but a relation has placed the target already
        size = None if q.relation or q.scope else q.size
        if q.colour is not None and screen.observation is not None:
            hits = _prefer_colour(
                hits, q.colour, screen.observation.image, look_only=not q.text, size=size
            )
        elif size is not None:
            hits = _prefer_size(hits, _near_top(hits), size)
        if q.ordinal is not None and q.position is None:  # else counted within the part
            hits = _pick_ordinal(hits, q.ordinal)
        # an anchor, or a label beside a field, has already decided
        placed = q.scope is not None or q.relation is not None or q.role in LABELLED
        if not placed and len(hits) > 1 and hits[1].score >= hits[0].score - _TIE:
            hits = _prefer_context(hits, q, screen)
        if q.spoken and hits:
            hits = _verb_on_its_row(hits, q, screen)
        bar = _WHOLE if q.fallback is not None and q.fallback.relation else _SHORTER_BAR
        described = self._hits(screen, q.fallback) if q.fallback and q.fallback.described else []
        if described and described[0].score >= _DESCRIBED and _fits(described[0], q.fallback):
            # "switch organisation (the Acme Logistics button in the side bar)": the
            # person's own description fits; the words before it only led up to it
            hits = merge([Hit(h.element, h.score * 0.8, h.reason) for h in hits], described)
        elif q.fallback is not None and (not hits or hits[0].score < bar):
            other = described if q.fallback.described else self._hits(screen, q.fallback)
            # a relation read in a name ("Odd for the 9") is as likely; a phrase read with a
            # word left out ("the refund ticket" as "refund") only where nothing else fits
            weight = _VARIANT if q.fallback.relation else _SHORTER_READING
            if q.fallback.relation and q.fallback.anchor is not None and other:
                # "the minus for children": the words the relation places it by are not it
                said = norm(q.fallback.anchor.text)
                hits = [
                    Hit(h.element, h.score * _ANCHOR_ITSELF, h.reason)
                    if norm(h.element.name) == said
                    else h
                    for h in hits
                ]
            hits = merge(hits, [Hit(h.element, h.score * weight, h.reason) for h in other])
        if q.role and not q.text and q.relation is None and q.scope is None:
            worded = self._kind_as_words(screen, q)
            if _any_good(worded):  # any text at all stood for the kind: none is it
                hits = merge([Hit(h.element, h.score * 0.5, h.reason) for h in hits], worded)
        if q.text and q.relation is None and q.scope is None and not _any_good(hits):
            hits = merge(hits, _one_word_named(screen, q.text))
            if q.role in _ONLY_ONE_ROLES:
                hits = merge(hits, _the_only_one(screen, q.role))
        return hits

    def _named_whole(self, screen: Screen, q: Query) -> list[Hit]:
        """ "the test file for the uploader" read as a relation (a test file near the
        uploader), where one label holds the words of both ("test_uploader.py")."""
        assert q.anchor is not None
        target, anchor = _written_words(q.text), _written_words(q.anchor.text)

        def both(el: Element) -> bool:
            words = _written_words(el.name)
            return not _by_shape(el) and bool(words & target) and bool(words & anchor)

        if not any(both(el) for el in screen.elements):
            return []  # the usual case: no need to match the whole phrase at all
        plain = Query(raw=q.raw, text=q.literal, literal=q.literal)
        return [
            h for h in self._matches(screen, plain) if h.score >= _BOTH_SAID and both(h.element)
        ]

    def _kind_as_words(self, screen: Screen, q: Query) -> list[Hit]:
        """ "go back to the menu" read as a kind of control (a menu item) where the screen
        shows none of that kind: the phrase's words are a label then ("← Back to menu"), and
        any text at all is no answer."""
        said = q.spoken or q.raw
        if any(role_matches(el.role, q.role or "") for el in screen.elements) or not said:
            return []
        return self._hits(screen, replace(q, text=said, literal=said, role=None, spoken=""))

    def _matches(self, screen: Screen, q: Query) -> list[Hit]:
        """Every element scored against the query's text and role (no relation)."""
        holders = [el for el in screen.elements if el.source != "ocr" and el.role != _TEXT_ROLE]
        # Text outside any element of the wanted role counts against it only where such
        # elements are known at all (with pixels alone no link is ever known as one).
        has_roles = bool(holders) and (
            not q.role or any(role_matches(el.role, q.role) for el in holders)
        )
        hits: list[Hit] = []
        drawn = [el.box for el in screen.elements if _by_shape(el)]
        for el in screen.elements:
            # a symbol read as text where no icon was recognised stands for one ("»")
            symbol = (
                el.source == "ocr"
                and bool(symbol_name(el.name))
                and not any(el.box.covered_by(box, 0.5) for box in drawn)
            )
            whole = _spoken_hit(el, q)
            if whole is not None:  # "Check for updates" is a button's name, not a verb + text
                hits.append(whole)
                continue
            hit = self._text_hit(el, q, symbol)
            if hit is None:
                continue
            if q.role:
                named = self._named_with_role_word(el, q)
                role_hit = _role_hit(hit, q.role, holders, has_roles, q.shows)
                if named is not None and (role_hit is None or named.score > role_hit.score):
                    role_hit = named
                if role_hit is None:
                    continue
                hit = role_hit
            hits.append(hit)
        if q.text and not any(h.score >= _WHOLE for h in hits):
            for joined in _joined_lines(screen.elements, q.text):
                hit = self._text_hit(joined, q)
                if hit is not None and (
                    not q.role or (hit := _role_hit(hit, q.role, holders, has_roles, q.shows))
                ):
                    hits.append(hit)
        return merge(hits)

    def _named_with_role_word(self, el: Element, q: Query) -> Hit | None:
        """ "Add item" as a whole name: the word read as a role ("item") may be part of the
        name, and then the element's own role does not matter."""
        words = len(q.literal.split())
        if not q.text or not q.literal or words < 2 or words > 4 or q.literal == q.text:
            return None
        for shown in (el.name, el.value or ""):
            m = match_text(q.literal, shown)
            if m is not None and m.score >= 0.75:
                return Hit(el, m.score * _confidence(el) * 0.97, f"{m.reason}, the whole phrase")
        return None

    def _text_hit(self, el: Element, q: Query, symbol: bool = False) -> Hit | None:
        if not q.text:
            if q.role is None:
                return Hit(el, 0.9, "any element") if q.ordinal is not None else None
            return Hit(el, 1.0, "")
        best: Hit | None = None
        # with a verb taken off, the whole phrase may be the name (see _spoken_hit): the text
        # left after the verb weighs a little less, so that name wins a tie
        parsed = _VARIANT if q.spoken else 1.0
        said = {v: _VARIANT for v in q.variants} | {q.text: parsed, q.literal: parsed}
        if q.spoken and q.spoken.split()[0].lower() not in _NOT_ICON_VERBS:
            said.setdefault(q.spoken, _VARIANT)  # "collapse all folders": the icon's name
        for wanted, factor in said.items():
            if not wanted:
                continue
            names = _said_names(el, symbol)
            icon = len(names) > 1
            if wanted == q.spoken and wanted not in (q.text, q.literal) and not icon:
                continue
            for shown, weight, own in (*names, (el.value or "", 0.9, False)):
                m = match_text(wanted, shown)
                if icon and own and (then := _icon_then_object(wanted, shown)) is not None:
                    m = then if m is None or then.score > m.score else m
                if m is None:
                    continue
                score = m.score * weight * factor * _confidence(el)
                if m.span is not None and el.source != "ocr" and len(shown) > 2 * len(wanted) + 10:
                    score *= 0.95  # a word inside a long text: its box centre is not the word
                if best is None or score > best.score:
                    target = el
                    hint = q.role == "text_field" and spatial.reads_as_hint(el.name)
                    if m.span is not None and el.source == "ocr" and shown is el.name and not hint:
                        target = spatial.sub_element(el, m.span)  # the word, not its line
                    best = Hit(target, score, m.reason)
        return best

    def _relative(self, screen: Screen, q: Query, named: bool = False) -> list[Hit]:
        """Hits for a relation; ``named``: the control was asked for by the anchor's words
        ("the Email field"), not placed beside them ("the field next to Email")."""
        assert q.anchor is not None and q.relation is not None
        anchors = self._matches(screen, q.anchor)
        target = Query(raw=q.raw, text=q.text, role=q.role, literal=q.text, variants=q.variants)
        if not anchors:  # "the globe next to the currency": the thing, wherever it is
            unplaced = self._matches(screen, target) if q.text else []
            return _unplaced(unplaced, q.anchor.text)
        targets = self._matches(screen, target) if (q.text or q.role) else []
        if not q.text and not q.role:
            targets = [Hit(el, 1.0, "") for el in screen.elements]
        found = spatial.relate(screen, q, anchors, targets, named=named)
        if q.text and _weak(anchors):
            found = merge(found, _unplaced(targets, q.anchor.text, seen=bool(anchors)))
        return found

    def _within(self, screen: Screen, q: Query) -> list[Hit]:
        """Hits for a target inside one of several alike parts: the one named by its anchor
        ("Maria's row") or counted ("the second post"); the phrase as written may also be a
        name ("Today's weather")."""
        assert q.scope is not None
        target = Query(raw=q.raw, text=q.text, role=q.role, literal=q.text, variants=q.variants)
        if q.text or q.role:
            targets = self._matches(screen, target)
        else:  # "middle of the bottom row": whatever is there, counted along it
            targets = [Hit(el, 0.9, "") for el in screen.elements if el.source != "ocr"]
        plain = Query(raw=q.raw, text=q.literal, literal=q.literal)
        whole = [h for h in self._matches(screen, plain) if h.score >= _WHOLE]
        if q.anchor is None:
            assert q.position is not None
            return merge(_pick_position(targets, q.scope, q.position, q.ordinal), whole)
        # a part is named by its title or author, not by an icon's guessed name
        anchors = [a for a in self._matches(screen, q.anchor) if not _by_shape(a.element)]
        found = spatial.relate(screen, replace(q, relation=q.scope), anchors, targets)
        if not found or _weak(anchors):  # a fuzzy "plane" for "the place card" places nothing
            found = merge(found, _unplaced(targets, q.anchor.text, seen=bool(anchors)))
        return merge(found, whole)

    def _closest(self, screen: Screen, query: str) -> list[Candidate]:
        q = parse_query(query)
        want = q.text or q.literal or query
        ranked = sorted(
            ((similarity(want, el.name), el) for el in screen.elements if el.name),
            key=lambda p: -p[0],
        )
        return [
            Candidate(element=el, score=round(s * 0.5, 4), reason=f"text likeness {s:.2f}")
            for s, el in ranked[:3]
        ]


#: Words of a request too common to single out a label alone ("I need ...", "only ...").
_PLAIN_WORDS = frozenset(
    {"need", "want", "like", "only", "more", "some", "this", "that", "there", "here", "page",
     "screen", "please", "just", "also", "about", "make", "take", "give", "find", "look",
     "thing", "things", "anything", "something", "again", "still", "what", "where", "when",
     "which", "have", "does", "show", "open", "other", "into", "onto", "them", "they",
     "text"}
)  # fmt: skip
#: where a request's circumstances begin ("... while I cook", "... when they arrive")
_CLAUSE = re.compile(r"\b(?:while|when|whenever|because|since|until|so that)\b", re.I)
#: "this note", "that file": the one open or selected, not a label saying "note"
_POINTING = frozenset({"this", "that", "these", "those"})
#: a label of at most this many words may be named by one of them
_ONE_WORD_LABEL = 3
_ONE_WORD_SCORE = 0.6
#: ... in a request of at least this many words
_ONE_WORD_PHRASE = 3


#: kinds of control a screen seldom shows more than one of by chance: "the price slider"
#: is the only slider there, whatever its label says
_ONLY_ONE_ROLES = frozenset({"slider", "combo_box", "radio_button", "checkbox"})
_ONLY_ONE_SCORE = 0.7  # the kind said, and nothing else of it there: surer than one word


def _the_only_one(screen: Screen, role: str) -> list[Hit]:
    """The one element of ``role`` on the screen, weakly, when there is exactly one."""
    found = [el for el in screen.elements if role_matches(el.role, role)]
    if len(found) != 1:
        return []
    return [Hit(found[0], _ONLY_ONE_SCORE, f"the only {role.replace('_', ' ')} on the screen")]


def _any_good(hits: list[Hit]) -> bool:
    return any(h.score >= _ONE_WORD_SCORE for h in hits)


def _one_word_named(screen: Screen, text: str) -> list[Hit]:
    """ "hotels with a pool" for a "Swimming pool" filter: where nothing else fits, the
    short label holding the last of the phrase's own words shown anywhere, when no other
    text on the screen holds it. A control named by it is preferred to the words beside it."""
    if len(text.split()) < _ONE_WORD_PHRASE:
        return []  # a name or a label as written ("Anne-Corinne"), not a request
    main = _CLAUSE.split(text)[0]  # "keep the screen on while I cook": what, not when
    written = re.findall(r"[^\W\d_]+", main)
    words = [norm(w) for w in written]
    said = [
        w
        for i, w in enumerate(words)
        if len(w) >= 4 and w not in FILLER_WORDS | CONTROL_WORDS | _PLAIN_WORDS
        and (i == 0 or words[i - 1] not in _POINTING)  # "delete this note": the one shown
    ]  # fmt: skip
    if not said:
        return []
    # the last word said is the most particular ("with a pool"); where no label holds it,
    # an earlier word is no answer ("the errors and warnings counter" is no "Found 1 error")
    last = said[-1]
    if any(w[:1].isupper() and norm(w) == last for w in written[1:]):
        return []  # a name ("share it with Dana") says whose, not which control
    word = stem(last)
    holders = [
        el
        for el in screen.elements
        if el.name and not _by_shape(el) and not cut_short(el.name)  # it may say it later
        and any(same_word(word, stem(w)) for w in re.findall(r"[^\W\d_]+", norm(el.name)))
    ]  # fmt: skip
    if not holders or len({norm(el.name).strip("•·* ") for el in holders}) > 1:
        return []  # said nowhere, or in several places: no one label
    if len(norm(holders[0].name).split()) > _ONE_WORD_LABEL:
        return []
    return [
        Hit(
            el,
            _ONE_WORD_SCORE + 0.01 if el.source != "ocr" else _ONE_WORD_SCORE,
            f"the one label saying {word!r}",
        )
        for el in holders
    ]


#: A label scoring this against a relation's whole phrase holds the target's words and the
#: anchor's (a label holding one of them alone scores about 0.71).
_BOTH_SAID = 0.76
#: A bracketed description matching this well leads the reading before it.
_DESCRIBED = 0.7
#: A match this good needs no wrapped-line candidates.
_WHOLE = 0.9
#: A name this like the whole phrase is the element the person named, verb and all.
_WHOLE_NAME = 0.9
#: A second reading of the phrase ("Recent" for "Open Recent", "rename file" for "the pencil
#: icon to rename the file") weighs a little less than the first.
_VARIANT = 0.96
#: The phrase read with a word left out or a role word taken as a name (Query.fallback).
_SHORTER_READING = 0.9
#: ... tried only when the phrase as said found nothing this good (an icon's other name
#: scores 0.78: "the paint bucket" is that icon, not the word "paint")
_SHORTER_BAR = 0.75
#: ... and the anchor of such a relation, found by the whole phrase, weighs this much
_ANCHOR_ITSELF = 0.9
#: Matches this close to the best are told apart by the place the person named.
_PLACE_MARGIN = 0.15


_ARTICLES = re.compile(r"\b(?:the|a|an)\s+", re.I)
_ICON_NAME = re.compile(r"^(.+?) \((.+)\)$")
_DRAWN = re.compile(r"\b(?:" + "|".join(sorted(DRAWN_WORDS)) + r")\b\s*")
# An icon's name is a guess from its shape, where text on the screen was read: an exact
# icon name weighs as a word inside a text does, its other names a little less.
_ICON_NAMED = 0.8
_ALTERNATIVE = 0.78
_SYMBOL = 0.97
_WEAK_ANCHOR = 0.7


def _by_shape(el: Element) -> bool:
    """An icon named from its shape (a guess), not from words on the screen."""
    return el.source == "detector" and el.role == "icon"


def _said_names(el: Element, symbol: bool = False) -> list[tuple[str, float, bool]]:
    """The names an element goes by, with weights (and True: its own name, not its value):
    an icon named from its shape ("visibility (reveal, show, eye)") by each of its names
    alone, so that "visibility" is that icon's exact name rather than a word in a longer one
    ("visibility off")."""
    # a field or check box detected from pixels is named by its label, never by its shape
    by_shape = el.source == "detector" and normalise_role(el.role) not in LABELLED
    m = _ICON_NAME.match(el.name) if by_shape else None
    own: list[tuple[str, float, bool]] = []
    named, alternative = _ICON_NAMED, _ALTERNATIVE
    if symbol and (stands_for := symbol_name(el.name)):  # "»" drawn as text
        # a symbol read as text says less than an icon recognised where it is drawn
        own, m = [(el.name, 1.0, True)], _ICON_NAME.match(stands_for)
        named = alternative = _ALTERNATIVE * _SYMBOL
        if m is None:
            return [*own, (stands_for, named, True)]
    if m is None:
        return [(el.name, 1.0, True)]
    names = [*own, (m.group(1), named, True)]
    names += [(alt, alternative, True) for alt in m.group(2).split(", ")]
    # how the glyph is drawn is seldom said: "account circle outline" answers to "account"
    plain = [(_DRAWN.sub("", n).strip(), w * 0.98, True) for n, w, _ in names if _DRAWN.search(n)]
    return names + [p for p in plain if p[0]]


_ICON_THEN = "the icon's name, then what it acts on"


@lru_cache(maxsize=65536)
def _icon_then_object(wanted: str, name: str) -> TextMatch | None:
    """An icon asked for by what it does (to what): "Search settings", "Delete message",
    "manage extensions", "schedule the post for later" - its name, first or among up to
    three other words (fillers and plural endings aside)."""
    said = [stem(w) for w in norm(wanted).split() if w not in FILLER_WORDS]
    own = [stem(w) for w in norm(name).split() if w not in FILLER_WORDS]
    if set(norm(name).split()) <= _COLOUR_WORDS:
        # a colour block's name is no action ("the blue Stand numbers" is text drawn in
        # blue); said last, it is the block ("highlight it in yellow", "the pale green button")
        plain = [w for w in said if w not in _CONTROL_STEMS]
        if len(plain) > len(own) and plain[-len(own) :] == own:
            return TextMatch(0.86, "the colour said last")
        return None
    if own and said == own and len(norm(wanted).split()) > len(own):
        return TextMatch(0.96, "the icon's name")  # "my account", "play it on the TV"
    if not own or len(said) <= len(own) or len(said) > len(own) + 3:
        return None
    first = said[: len(own)] == own
    if first and norm(wanted).split()[len(name.split()) :][:1] == ["for"]:
        return None  # "the minus for children": a relation (see ``Query.fallback``)
    if first:  # above a label naming only the thing acted on ("refresh the views")
        return TextMatch(0.92, _ICON_THEN)
    if any(said[i : i + len(own)] == own for i in range(1, len(said) - len(own) + 1)):
        return TextMatch(0.86, "the icon's name among the words")
    return None


_CONTROL_STEMS = frozenset(stem(w) for w in CONTROL_WORDS)
#: the words of a colour block's bare colour names ("dark blue")
_COLOUR_WORDS = COLOUR_NAMES | SHADES


def _spoken_hit(el: Element, q: Query) -> Hit | None:
    """The phrase as said, verb and all, as an element's whole name ("Open Recent", "Check
    for updates"): then the verb was part of the name, and the role it suggested is moot."""
    if not q.spoken:
        return None
    said = _ARTICLES.sub("", q.spoken)
    for name, weight, _ in _said_names(el):  # "show the password": an icon's other name
        m = match_text(said, name)
        if m is not None and m.score >= _WHOLE_NAME and m.span is None:
            score = m.score * weight * _confidence(el)
            return Hit(el, score, f"{m.reason}, the whole phrase as said")
    return None


def _prefer_place(hits: list[Hit], place: str, screen: Screen) -> list[Hit]:
    """ "The X at the top right", "Sheet in the menu bar": among the matches nearly as good
    as the best, the one furthest that way comes first; the others lose a little. Relative,
    not absolute, so a window that does not fill the screen still works."""
    if place == TRAIL:  # said outright, so a trail's word beats a better match elsewhere
        wide = [h for h in hits if h.score >= max(0.5, hits[0].score - 2 * _PLACE_MARGIN)]
        in_trail = [hit for hit in wide if _in_a_trail(hit.element, screen)]
        return _promote(hits, in_trail[0], "in the trail") if in_trail else hits
    pool = _near_top(hits)
    if len(pool) < 2:
        return hits
    w, h = max(1, screen.width), max(1, screen.height)
    words = place.split()

    def towards(hit: Hit) -> float:
        x, y = hit.element.box.center.x, hit.element.box.center.y
        return sum(
            {"top": -y / h, "bottom": y / h, "left": -x / w, "right": x / w}.get(word, 0.0)
            for word in words
        )

    return _promote(hits, max(pool, key=towards), f"the one at the {place}")


#: what separates the names of a breadcrumb trail ("Home / Settings", "My files › Events");
#: a bar only when drawn on its own (inside a line of text it separates anything)
_TRAIL_MARKS = frozenset("/›>»\\→")
_TRAIL_ALONE = _TRAIL_MARKS | {"|"}
_TRAIL_ICONS = ("chevron right", "angle right", "arrow right", "keyboard arrow right", "next")
_TRAIL_REACH = 40  # px from the name to its separator


def _in_a_trail(el: Element, screen: Screen) -> bool:
    """Whether ``el`` is one name of a breadcrumb trail: a separator mark or a right-pointing
    chevron just before or after it on its row, or separators in the line OCR read it in."""
    box = el.box
    for other in screen.elements:
        if other is el or not _same_row(box, other.box):
            continue
        if other.box.covered_by(box, 0.5) or box.covered_by(other.box, 0.8):
            if el.name in other.name and any(m in other.name for m in _TRAIL_MARKS):
                return True  # the whole trail read as one line; this word matched inside it
            continue
        gap = max(other.box.left - box.right, box.left - other.box.right)
        if gap > _TRAIL_REACH:
            continue
        name = other.name.strip()
        if name and (set(name) <= _TRAIL_ALONE or name.startswith(_TRAIL_ICONS)):
            return True
    return False


def _prefer_menu_bar(hits: list[Hit], screen: Screen) -> list[Hit]:
    """ "The Calculator menu" where the window's title says Calculator too: of the tied words,
    the one in a row of short words (a menu bar), not one standing alone."""
    tied = [h for h in hits if h.score >= hits[0].score - _TIE and h.element.source == "ocr"]
    words = [el.box for el in screen.elements if el.source == "ocr" and len(el.name.split()) <= 2]

    def neighbours(hit: Hit) -> int:
        box = hit.element.box
        return sum(_same_row(box, other) and other != box for other in words)

    ranked = sorted(tied, key=neighbours, reverse=True)
    if len(ranked) < 2 or neighbours(ranked[0]) < 2 or neighbours(ranked[1]) >= 2:
        return hits
    return _promote(hits, ranked[0], "in a row of menus")


def _prefer_colour(
    hits: list[Hit],
    colour: str,
    image: np.ndarray,
    look_only: bool = False,
    size: str | None = None,
) -> list[Hit]:
    """ "The blue plus button": among the matches nearly as good as the best, the best one
    drawn in that colour (fill or ink) comes first. None or all of them in it: no change.
    ``look_only`` ("the red button"): the colour is all that was said, so any plausible
    match may be the one (the word on a red key, not only a detected button)."""
    pool = [h for h in hits if h.score >= 0.5] if look_only else _near_top(hits)
    said = "grey" if colour == "gray" else colour
    chosen = [h for h in pool if said in colour_names(image, h.element.box)]
    if size is not None and chosen:
        return _prefer_size(hits, chosen, size, f"drawn in {said}, ")
    if not chosen or len(chosen) == len(pool):
        return hits
    return _promote(hits, max(chosen, key=lambda h: h.score), f"drawn in {said}")


def _prefer_size(hits: list[Hit], pool: list[Hit], size: str, why: str = "") -> list[Hit]:
    """ "The big blue button", "the small black triangle": of ``pool`` (the matches the words
    leave, best first), the largest or the smallest comes first."""
    if len(pool) < 2:
        return _promote(hits, pool[0], why.rstrip(", ")) if pool else hits
    big = size == "big"
    chosen = max(pool, key=lambda h: h.element.box.area if big else -h.element.box.area)
    return _promote(hits, chosen, f"{why}the {'biggest' if big else 'smallest'}")


#: Matches this close are a tie that other words of the phrase may settle.
_TIE = 0.02
_CONTEXT_REACH = 400.0  # px: how far a word of context may sit from the control it singles out
_CONTEXT_HOLDERS = 3  # a word of context written more often than this singles nothing out


def _prefer_context(hits: list[Hit], q: Query, screen: Screen) -> list[Hit]:
    """ "hide the savings balance" with an eye on every card: the tied match nearest to text
    holding the phrase's other words ("savings") comes first."""
    tied = [h for h in hits if h.score >= hits[0].score - _TIE]
    # among alike controls tied with a label ("+" twice and "Children"), the label may be
    # context rather than a candidate: surely so when only the controls do what is said
    # first ("report ... the Spotify payment"), else only if it singles out none itself
    name, count = Counter(h.element.name for h in tied).most_common(1)[0]
    alike = [h for h in tied if h.element.name == name]
    tries = [tied]
    if count >= 2 and len(alike) < len(tied):
        first = stem(norm(q.literal or q.text).split()[0])
        doers = [h for h in tied if _does(h, first)]
        # the words of those that don't only say what is acted on: context ("suspend Lena
        # Fischer" with a ban icon on every row, also recognised as "block")
        tries = [doers, tied] if 2 <= len(doers) < len(tied) else [tied, alike]
    for candidates in tries:
        decided = _by_context(hits, candidates, q, screen)
        if decided is not None:
            return decided
    return hits


def _fits(hit: Hit, described: Query | None) -> bool:
    """Whether a bracketed description's best match is what it describes: an icon, or a
    label holding one of its words ("(the two arrows)" is no "2" written on the screen)."""
    if described is None or _by_shape(hit.element):
        return True
    words = {stem(w) for w in re.findall(r"[^\W\d_]{3,}", norm(described.literal))}
    return bool(words & _written_words(hit.element.name))


def _does(hit: Hit, verb: str) -> bool:
    """Whether ``hit`` is named for what the phrase says to do first: its name holds the
    verb, or an icon's name answered it before what it acts on ("suspend" a "ban" icon)."""
    named = {stem(w) for w in re.findall(r"\w+", norm(hit.element.name))}
    return verb in named or hit.reason.startswith(_ICON_THEN)


def _written_words(text: str) -> set[str]:
    """The word stems of a text, a file name's stem among them ("Stall budget.xlsx" holds
    "budget") and a path's parts ("src/app/uploader.py" holds "uploader.py")."""
    words = _PATH_PARTS.split(f"{norm(text)} {norm(without_extensions(text))}")
    return {stem(w) for w in words if w}


_PATH_PARTS = re.compile(r"[\s/\\]+")


def _by_context(hits: list[Hit], tied: list[Hit], q: Query, screen: Screen) -> list[Hit] | None:
    """``hits`` with the one of ``tied`` that the phrase's other words single out first, or
    None when they single out none."""
    phrase = f"{q.literal or q.text} {q.context}"  # "the gear in the share panel": share
    said = {stem(w) for w in norm(phrase).split() if w not in FILLER_WORDS}
    named = {stem(w) for h in tied for w in norm(h.element.name).replace(",", " ").split()}
    context = said - named - {stem(w) for w in CONTROL_WORDS}
    # a name ("the Spotify payment") singles out better than the kind of thing it is
    names = {stem(norm(w)) for w in (q.literal or q.text).split()[1:] if w[:1].isupper()}
    context = (context & names) or context
    if not context:
        return None
    texts = [(el.box, _written_words(el.name)) for el in screen.elements if el.source == "ocr"]
    holders: list[Box] = []
    anywhere: list[Box] = []
    for word in context:
        boxes = [box for box, words in texts if word in words]
        anywhere += boxes
        if len(boxes) <= _CONTEXT_HOLDERS:  # a word written everywhere singles none out
            holders += boxes
    # a control belongs to the label written just before it on its row ("Children - 0 +"),
    # even where the next label starts closer to it, and however often the word is written
    # elsewhere ("room" in the search summary and a card's title too)
    owned = [h for h in tied if _label_before(h.element.box, texts) in anywhere]
    if len(owned) == 1:
        return _promote(hits, owned[0], "by the other words said, written before it")
    if not holders:
        return None
    # or to the row those words are on, however far along it ("Soil is a crowd ... [download]")
    in_row = [h for h in tied if any(_same_row(h.element.box, box) for box in holders)]
    if len(in_row) == 1:
        return _promote(hits, in_row[0], "by the other words said, on its row")

    def reach(hit: Hit) -> float:
        # what a control belongs to is written before it: left of it or above it
        b = hit.element.box
        return min(
            _gap(b, h) * (3.0 if h.left > b.right or h.top > b.bottom else 1.0) for h in holders
        )

    nearest = min(tied, key=reach)
    if reach(nearest) > _CONTEXT_REACH or sum(reach(h) == reach(nearest) for h in tied) > 1:
        return None
    return _promote(hits, nearest, "by the other words said")


#: Verbs done to a thing by clicking the thing itself ("open Videos", "select Tuesday").
_ITSELF_VERBS = frozenset(
    {"open", "select", "choose", "pick", "visit", "show", "go", "click", "press", "tap", "hit",
     "use", "expand", "collapse", "focus", "switch", "navigate", "jump", "move", "activate",
     "check", "uncheck", "tick", "untick", "toggle", "type", "enter", "write", "fill"}
)  # fmt: skip


#: Verbs that say how to reach a thing, not what an icon for it is called ("show amounts in
#: US cups" is no eye icon); "collapse all folders" is the collapse icon.
_NOT_ICON_VERBS = (_ITSELF_VERBS - {"collapse", "expand"}) | {"change", "set"}


def _verb_on_its_row(hits: list[Hit], q: Query, screen: Screen) -> list[Hit]:
    """ "follow Green Roofs Co.", "open report.pdf" where each row has its own "Follow" or
    "Open" button: the button on the named thing's row, not the name."""
    verb = norm(q.spoken.split()[0])
    top = hits[0].element
    if norm(top.name) == verb or verb in _ITSELF_VERBS:
        return hits
    named = [el for el in screen.elements if norm(el.name) == verb and el.box != top.box]
    on_row = [el for el in named if _same_row(el.box, top.box) and el.box.left > top.box.left]
    if not on_row:
        return hits
    chosen = min(on_row, key=lambda el: el.box.left)
    return _promote(hits, Hit(chosen, hits[0].score, ""), f"{q.spoken.split()[0]!r} on its row")


def _same_row(a: Box, b: Box) -> bool:
    return abs((a.top + a.bottom) - (b.top + b.bottom)) / 2 <= max(a.height, b.height) * 0.75


def _label_before(box: Box, texts: list[tuple[Box, set[str]]]) -> Box | None:
    """The nearest text with a word in it left of ``box`` on its row (counts and signs such as
    a stepper's "0" skipped), within reach."""
    mid = (box.top + box.bottom) / 2
    before = [
        b
        for b, words in texts
        if b.right <= box.left + 2
        and b.top <= mid <= b.bottom
        and box.left - b.right <= _CONTEXT_REACH
        and any(w[:1].isalpha() for w in words)
    ]
    return max(before, key=lambda b: b.right, default=None)


def _gap(a: Box, b: Box) -> float:
    dx = max(0, b.left - a.right, a.left - b.right)
    dy = max(0, b.top - a.bottom, a.top - b.bottom)
    return float((dx * dx + dy * dy) ** 0.5)


def _near_top(hits: list[Hit]) -> list[Hit]:
    """The hits nearly as good as the best, among which a said place or colour decides."""
    top = hits[0].score if hits else 0.0
    return [h for h in hits if h.score >= max(0.5, top - _PLACE_MARGIN)]


def _promote(hits: list[Hit], chosen: Hit, why: str) -> list[Hit]:
    """``chosen`` first with the best score, the others a little lower."""
    top = hits[0].score
    reason = ", ".join(r for r in (chosen.reason, why) if r)
    out = [Hit(chosen.element, max(chosen.score, top), reason)]
    out += [Hit(x.element, x.score * 0.9, x.reason) for x in hits if x is not chosen]
    return merge(out)


def _joined_lines(elements: list[Element], wanted: str) -> list[Element]:
    """Names wrapped over two OCR lines ("Anne-" over "Corinne") as one element each, so a
    label that wrapped in a narrow menu or cell can still be found. Only pairs whose upper line
    starts the wanted text are joined."""
    texts = [el for el in elements if el.source == "ocr" and el.name.strip()]
    head = norm(wanted)
    out: list[Element] = []
    for upper in texts:
        start = norm(upper.name).rstrip("-")
        if not start or not head.startswith(start) or len(start) >= len(head):
            continue
        for lower in texts:
            if lower is upper or not wrapped_lines(upper.box, lower.box):
                continue
            glue = "" if upper.name.rstrip().endswith("-") else " "
            name = upper.name.rstrip() + glue + lower.name.strip()
            box = Box(
                left=min(upper.box.left, lower.box.left),
                top=upper.box.top,
                right=max(upper.box.right, lower.box.right),
                bottom=lower.box.bottom,
            )
            score = min(upper.score, lower.score)
            out.append(
                upper.model_copy(update={"id": -1, "name": name, "box": box, "score": score})
            )
    return out


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def _confidence(el: Element) -> float:
    """OCR confidence nudges the score; accessibility names are taken as they are."""
    return 1.0 if el.source == "a11y" else 0.85 + 0.15 * max(0.0, min(1.0, el.score))


def _role_hit(
    hit: Hit, role: str, holders: list[Element], has_roles: bool, shows: bool = False
) -> Hit | None:
    """``hit`` as a match for ``role``: kept, moved to the control holding its text, or
    weakened. ``shows``: the text was said as what the control shows ("the box showing 17"),
    so text with no frame found around it is still the control's own."""
    el = hit.element
    why = f"{hit.reason}, " if hit.reason else ""
    if role == "text_area" and role_matches(el.role, role):
        lines = "multi_line" in el.states
        return Hit(el, hit.score * (1.0 if lines else 0.8), f"{why}field, multi-line: {lines}")
    if role_matches(el.role, role):
        return Hit(el, hit.score, f"{why}role {role}")
    if role == "link" and "clickable" in el.states and normalise_role(el.role) == _TEXT_ROLE:
        return Hit(el, hit.score * 0.97, f"{why}clickable text")  # a <span> acting as a link
    if el.source == "detector" and el.role == "text_field" and role == "combo_box":
        # from pixels a closed drop-down list looks like a field
        return Hit(el, hit.score * 0.95, f"{why}a field, maybe a {role}")
    if el.source == "ocr" or normalise_role(el.role) == _TEXT_ROLE:
        holder = _holder(el.box, holders)
        if holder is not None and role_matches(holder.role, role):
            one_line = role == "text_area" and "multi_line" not in holder.states
            return Hit(holder, hit.score * (0.8 if one_line else 1.0), f"{why}text inside {role}")
        if holder is not None:  # a role guessed from pixels is weaker evidence against
            factor = 0.85 if holder.source == "detector" else 0.6
            return Hit(el, hit.score * factor, f"{why}inside a {holder.role}, not a {role}")
        if role == _TEXT_ROLE:
            return Hit(el, hit.score, f"{why}role text")
        if role in ("icon", "button") and symbol_name(el.name):
            return Hit(el, hit.score, f"{why}a symbol drawn as text")
        if role == "combo_box" and _ends_in_an_arrow(el.name):
            return Hit(el, hit.score, f"{why}a drop-down drawn as its text and arrow")
        if role == "text_field" and spatial.reads_as_hint(el.name):
            # "Type a message", "Search…": the hint inside a field drawn without a frame
            return Hit(el, hit.score * 0.9, f"{why}a field's hint text")
        if shows and role in ("text_field", "combo_box", "button"):
            return Hit(el, hit.score * 0.9, f"{why}the words it shows, no frame seen")
        if role == "text_field":  # a field's text is its label or content, not the field
            return Hit(el, hit.score * 0.6, f"{why}text, not a field")
        factor = 0.9 if not has_roles else 0.8
        return Hit(el, hit.score * factor, f"{why}text, no role info")
    return Hit(el, hit.score * 0.55, f"{why}role {el.role}, not {role}")


def _ends_in_an_arrow(name: str) -> bool:
    """ "10√", "Newest ⌄": a closed drop-down's text with its arrow read as a letter or sign
    (a "v" only after a digit or a space: "Kyiv" is a word)."""
    shown = name.rstrip()
    if len(shown) < 2 or shown[-1] not in CHEVRONS:
        return False
    return not shown[-1].isalpha() or not shown[-2].isalpha()


def _holder(box: Box, elements: list[Element]) -> Element | None:
    """The smallest non-text element that contains ``box``."""
    inside = [el for el in elements if box.area and box.intersection(el.box) >= 0.8 * box.area]
    return min(inside, key=lambda el: el.box.area) if inside else None


def _as_relation(q: Query) -> Query:
    anchor = Query(raw=q.text, text=q.text, literal=q.text)
    return Query(raw=q.raw, role=q.role, relation="near", anchor=anchor, literal=q.literal)


#: A target whose anchor or part is not seen ("the place card" describes, it is no label)
#: weighs this much of its own match.
_UNPLACED = 0.8


def _weak(anchors: list[Hit]) -> bool:
    """Anchors only loosely like what was said: the target may be elsewhere."""
    return not anchors or max(a.score for a in anchors) < _WEAK_ANCHOR


#: ... or this much where the anchor is a kind of thing no text names ("next to the title")
_UNPLACED_BY_KIND = 0.9
#: anchors that describe a part of the page rather than quote a label on it
_KIND_ANCHORS = frozenset(
    {"title", "heading", "header", "name", "logo", "photo", "picture", "image", "avatar",
     "price", "date", "rating", "thumbnail"}
)  # fmt: skip


def _unplaced(targets: list[Hit], anchor: str, seen: bool = False) -> list[Hit]:
    why = f"none near {anchor!r}" if seen else f"nothing like {anchor!r} seen"
    kind = not seen and anchor.lower().removeprefix("the ") in _KIND_ANCHORS
    factor = _UNPLACED_BY_KIND if kind else _UNPLACED
    return [Hit(h.element, h.score * factor, f"{h.reason}; {why}".lstrip("; ")) for h in targets]


def _pick_position(
    hits: list[Hit], scope: str, position: int, ordinal: int | None = None
) -> list[Hit]:
    """Among the matches as good as the best, the best one in the counted row, column or part
    ("the second post": parts in reading order; rows top down; columns left to right), or
    the ``ordinal``-th in it ("the third box of the bottom row")."""
    if not hits:
        return []
    top = hits[0].score
    pool = [h for h in hits if h.score >= max(0.5, top - 0.12)]
    # rows and columns of the thing asked for: alike icons, not another near match
    alike = [h for h in pool if h.element.name == hits[0].element.name]
    if len(alike) >= 2 and _by_shape(hits[0].element):
        pool = alike
    if scope == "block":
        groups = [[h] for h in reading_order(pool, lambda h: h.element.box)]
    else:
        groups = bands(pool, lambda h: h.element.box, across=scope == "row")
    longest = max(range(len(groups)), key=lambda i: len(groups[i]))
    index = {MIDDLE: len(groups) // 2, -1: len(groups) - 1, LONGEST: longest}.get(
        position, position - 1
    )
    if not 0 <= index < len(groups):
        return [Hit(h.element, h.score * 0.5, f"{h.reason}; only {len(groups)} such") for h in hits]
    chosen = max(groups[index], key=lambda h: h.score)
    if ordinal is not None:
        along = sorted(
            groups[index], key=lambda h: h.element.box.left if scope == "row" else h.element.box.top
        )
        at = _counted(ordinal, len(along))
        if not 0 <= at < len(along):
            return [
                Hit(h.element, h.score * 0.5, f"{h.reason}; only {len(along)} there") for h in hits
            ]
        chosen = along[at]
    said = {MIDDLE: "middle", LONGEST: "longest"}.get(position) or ordinal_word(position)
    reason = f"{chosen.reason}, in the {said} {scope}".lstrip(", ")
    rest = [Hit(h.element, h.score * 0.6, h.reason) for h in hits if h is not chosen]
    return [Hit(chosen.element, chosen.score, reason), *rest]


def _counted(ordinal: int, count: int) -> int:
    """The index the ``ordinal``-th of ``count`` things has (1-based, negative from the end,
    MIDDLE the centre of an odd count); out of range when there is no such one."""
    if ordinal == MIDDLE:  # of a row, or of a board read row by row: its centre
        return count // 2 if count % 2 else -1
    return ordinal - 1 if ordinal > 0 else count + ordinal


def _pick_ordinal(hits: list[Hit], ordinal: int) -> list[Hit]:
    """Among the matches as good as the best, the n-th in reading order; the rest after it."""
    if not hits:
        return []
    top = hits[0].score
    pool = [h for h in hits if h.score >= max(0.5, top - 0.12)]
    # "the first slide": counted among the things of the kind most of the matches are, not
    # among whatever else matched nearly as well (a "Slide" menu above the strip)
    kind, count = Counter(h.element.role for h in pool).most_common(1)[0]
    if count >= 2:
        pool = [h for h in pool if h.element.role == kind]
    ordered = reading_order(pool, lambda h: h.element.box)
    index = _counted(ordinal, len(ordered))
    if not 0 <= index < len(ordered):
        return [
            Hit(h.element, h.score * 0.5, f"{h.reason}; only {len(ordered)} such") for h in hits
        ]
    chosen = ordered[index]
    label = f"{ordinal_word(ordinal)} match" if ordinal != -1 else "last match"
    reason = f"{chosen.reason}, {label}" if chosen.reason else label
    rest = [Hit(h.element, h.score * 0.6, h.reason) for h in hits if h is not chosen]
    return [Hit(chosen.element, chosen.score, reason), *rest]
