"""Geometry for grounding: word sub-boxes, relations to an anchor, and inferred fields.

Synthetic elements made here (a word inside an OCR line, a field assumed right of its label)
have id -1: they are not part of the Screen, so an action must target their point.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

import numpy as np

from guiagent.observation import Box, Element, Screen
from guiagent.perception._hits import Hit, merge
from guiagent.perception.query import RELATION_WORDS, Query
from guiagent.perception.roles import ROLE_WORDS, normalise_role, role_matches

_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
_MAX_DISTANCE = 600.0
_LABEL_REACH = 200.0  # px from a label within which its field sits
_FIELD_WIDTH = 160
_SYNTHETIC = {"text_field", "checkbox", "radio_button"}  # inferred beside a label when unseen
_LABELLED = _SYNTHETIC | {"combo_box"}  # controls named by a label beside them
#: How a field's hint text reads ("Search Murmur", "Type a message…"): no label, the field
_HINT = re.compile(r"^(?:search|find|type|enter|write|filter|ask)\b|(?:\.\.\.|…)$", re.I)
_PARTS = frozenset({"row", "block", "column", "part"})  # relations to the part a target sits in


def reads_as_hint(text: str) -> bool:
    """Whether a text reads like the hint inside an empty field ("Type a message", "Search
    in Drive", "Add a comment…"): a few words, no sentence and nothing quoted (a task's
    instructions start with "Enter" too)."""
    words = text.split()
    sentence = text.rstrip().endswith(".") or any(q in text for q in "\"“”'‘’")
    return 0 < len(words) <= 6 and not sentence and _HINT.search(text) is not None


@lru_cache(maxsize=1)
def _font() -> object | None:
    try:
        from PIL import ImageFont

        return ImageFont.truetype(_FONT, 20)
    except OSError:
        return None


def _advance(text: str) -> float:
    """Relative drawn width of ``text`` (DejaVu Sans metrics; char count without the font)."""
    font = _font()
    if font is None:
        return float(len(text))
    return float(font.getlength(text))  # type: ignore[attr-defined]


def sub_element(el: Element, span: tuple[int, int]) -> Element:
    """The part of an OCR line that holds characters ``span`` (proportional to glyph widths)."""
    start, end = span
    if start <= 0 and end >= len(el.name):
        return el
    total = _advance(el.name) or 1.0
    left = el.box.left + round(el.box.width * _advance(el.name[:start]) / total)
    right = el.box.left + round(el.box.width * _advance(el.name[:end]) / total)
    box = Box(left=left, top=el.box.top, right=max(right, left + 1), bottom=el.box.bottom)
    return el.model_copy(update={"id": -1, "name": el.name[start:end], "box": box})


def wants_field(role: str, hits: list[Hit]) -> bool:
    """ "The Name field": no field/checkbox is itself named like that, so look beside the label."""
    if role not in _LABELLED:
        return False
    # a field showing the words (a drop-down's choice, a hint) answers less surely, but does
    return not any(
        can_be(h.element, role) and h.score >= (0.6 if h.element.value else 0.75) for h in hits
    )


def can_be(el: Element, role: str) -> bool:
    """Whether ``el`` may be a ``role``: from pixels, a closed drop-down list looks like a
    field, so a detected field may be the drop-down asked for."""
    if role_matches(el.role, role):
        return True
    seen_field = el.source == "detector" and normalise_role(el.role) == "text_field"
    return role == "combo_box" and seen_field


def relate(
    screen: Screen, q: Query, anchors: list[Hit], targets: list[Hit], named: bool = False
) -> list[Hit]:
    """Targets scored by how well they sit in the asked direction from the best anchor. A
    field ``named`` by words with no field beside them may be those words (its hint text)."""
    assert q.relation is not None
    if not anchors:
        return []
    anchors = _prefer_other_role(anchors, q.role)
    words = RELATION_WORDS[q.relation]
    # a drop-down named by its label sits just right of it; words with no drop-down there
    # are the value one shows ("the Text Files drop-down"), not a label
    beside_only = named and q.role == "combo_box"
    relation = "right_of" if beside_only else q.relation
    reach = _LABEL_REACH if beside_only else _MAX_DISTANCE
    hits: list[Hit] = []
    for anchor in anchors:
        a = anchor.element
        nearest = math.inf
        for target in targets:
            t = target.element
            if q.role in _LABELLED and not can_be(t, q.role) and not (q.text and named is False):
                # text beside a label is not a field or a checkbox; but a drop-down asked
                # for by what it shows ("the Editor drop-down next to Dana") is that text
                continue
            if t.id == a.id and t.id >= 0 or (relation != "holds" and _overlaps(t.box, a.box)):
                continue
            d = distance(relation, a.box, t.box, q.role)
            if relation in ("near", "block") and "switch" in t.states:
                # a switch sits at the far end of its label's row, however wide the row, or
                # on a tile with its name, above or beside it
                in_row = distance("row", a.box, t.box, q.role)
                d = in_row if in_row is not None else distance("tile", a.box, t.box, None)
            if d is None or d > reach:
                continue
            nearest = min(nearest, d)
            # a part's name said loosely ("the salary line") weighs less than a label's
            # inside a part, how far from its name the target sits matters little
            # the anchor found where the target is asked for is evidence, not doubt: a
            # loosely said anchor ("the zoom buttons") costs the target only part of its
            # score; a field asked for by its label's words is only as sure as they are
            if relation in _PARTS:
                said, far = 0.6 + 0.4 * anchor.score, 0.1
            else:
                said, far = (anchor.score if named else 0.75 + 0.25 * anchor.score), 0.3
            score = said * target.score * (0.98 - far * d / _MAX_DISTANCE)
            hits.append(Hit(t, score, f"{words} {a.name!r}"))
        hint = nearest == math.inf and _HINT.search(a.name) is not None
        if named and q.role == "text_field" and (_LABEL_REACH < nearest < math.inf or hint):
            # fields elsewhere but none beside the words: they are most likely the hint
            # text inside a field drawn without a frame ("Search flags"); clicking it focuses it
            hits.append(Hit(a, anchor.score * 0.8, "no field beside it: a field's hint text"))
    if not hits and q.role in _SYNTHETIC:
        for anchor in anchors[:1]:
            el = infer_widget(screen, q.relation, anchor.element, q.role or "")
            why = f"no {q.role} found; assumed {words} {anchor.element.name!r}"
            hits.append(Hit(el, anchor.score * 0.7, why))
    return merge(hits)


def _prefer_other_role(anchors: list[Hit], role: str | None) -> list[Hit]:
    """The anchor of "the field next to Name" is the label, not a field named Name."""
    top = anchors[0].score
    good = [a for a in anchors if a.score >= top - 0.1][:4]
    # a control found from pixels takes its name from the words beside it: those words, as
    # read, are the anchor ("the minus next to Rooms" is not the minus inside Rooms' box)
    read = {a.element.name for a in good if a.element.source == "ocr"}
    good = [a for a in good if a.element.source != "detector" or a.element.name not in read]
    if role is None:
        return good
    others = [a for a in good if not can_be(a.element, role)]
    return others or good


def _overlaps(t: Box, a: Box) -> bool:
    """The same thing twice, not a check box whose label's OCR box reaches into it."""
    return t.intersection(a) >= 0.8 * min(t.area, a.area) > 0


def distance(relation: str, a: Box, t: Box, role: str | None) -> float | None:
    """Pixels from anchor ``a`` to target ``t`` along ``relation``; None if it lies elsewhere."""
    acx, acy = (a.left + a.right) / 2, (a.top + a.bottom) / 2
    tcx, tcy = (t.left + t.right) / 2, (t.top + t.bottom) / 2
    same_row = abs(tcy - acy) <= max(a.height, t.height) * 0.75
    h_overlap = min(a.right, t.right) - max(a.left, t.left)
    gap_x = max(0, max(t.left - a.right, a.left - t.right))
    gap_y = max(0, max(t.top - a.bottom, a.top - t.bottom))
    if relation == "holds":  # the anchor drawn inside the target
        inside = t.left <= acx <= t.right and t.top <= acy <= t.bottom
        return math.hypot(tcx - acx, tcy - acy) if inside and t.area > a.area else None
    if relation == "right_of":
        return gap_x + 2 * abs(tcy - acy) if same_row and tcx > a.right - 2 else None
    if relation == "left_of":
        return gap_x + 2 * abs(tcy - acy) if same_row and tcx < a.left + 2 else None
    if relation == "row":  # one band across, however far apart
        band = max(a.height, t.height) * 0.75 + 4
        return 2 * abs(tcy - acy) + 0.1 * gap_x if abs(tcy - acy) <= band else None
    if relation == "part":  # a person's row across a table, or their card or post
        found = [d for r in ("row", "block") if (d := distance(r, a, t, role)) is not None]
        return min(found) if found else None
    if relation == "block":  # a message, post or card starts at its author or title
        lead = max(a.height, 12)
        if tcy < a.top - 2 * lead:
            return None  # above where the part starts: an earlier one
        return math.hypot(gap_x, gap_y) * (1.5 if tcy < a.top else 1.0)
    if relation == "tile":  # a tile shows its switch above or beside its name, at its right
        if tcy < a.top - 4 * max(a.height, 12):
            return None
        return math.hypot(gap_x, gap_y) * (2.0 if tcx < a.left else 1.0)
    if relation == "column":  # under its heading
        inside = h_overlap > 0 or abs(tcx - acx) <= max(a.width, t.width)
        return gap_y + 0.5 * abs(tcx - acx) if inside and tcy > acy else None
    column = h_overlap > 0 or abs(t.left - a.left) <= 40
    if relation == "below":
        return gap_y + 0.5 * abs(t.left - a.left) if column and tcy > a.bottom - 2 else None
    if relation == "above":
        return gap_y + 0.5 * abs(t.left - a.left) if column and tcy < a.top + 2 else None
    # "next to" / "near": anywhere, but where such widgets sit relative to their label first.
    d = math.hypot(gap_x, gap_y)
    kind = normalise_role(role or "")
    if kind in ROLE_WORDS["checkbox"] | ROLE_WORDS["radio_button"]:
        return d if same_row else None  # one in another row is another item's
    if same_row and tcx > acx:
        return d
    if column and tcy > acy:
        return d * 1.2 + 10
    return d * 1.5 + 20


def infer_widget(screen: Screen, relation: str, anchor: Element, role: str) -> Element:
    """Where a field/checkbox labelled by ``anchor`` most likely is, when none was detected:
    the free space right of (or below) a label for a field, left of it for a checkbox."""
    a = anchor.box
    h = max(a.height, 12)
    if role == "text_field":
        if relation in ("below",):
            box = Box.xywh(a.left, a.bottom + 4, _FIELD_WIDTH, h + 8)
        elif relation == "above":
            box = Box.xywh(a.left, a.top - h - 12, _FIELD_WIDTH, h + 8)
        elif relation == "left_of":
            box = Box(
                left=a.left - 8 - _FIELD_WIDTH, top=a.top - 4, right=a.left - 8, bottom=a.bottom + 4
            )
        else:
            right = _free_until(screen, a, a.right + 6 + _FIELD_WIDTH)
            box = Box(left=a.right + 6, top=a.top - 4, right=right, bottom=a.bottom + 4)
            drawn = _drawn_field(screen, a, _free_until(screen, a, a.right + 800))
            box = drawn or box
    else:
        side, gap = max(10, int(h * 0.8)), max(3, h // 4)
        top = a.top + (a.height - side) // 2
        if relation == "right_of":
            box = Box.xywh(a.right + gap, top, side, side)
        elif relation in ("below", "above"):
            dy = a.bottom + 4 if relation == "below" else a.top - side - 4
            box = Box.xywh(a.left, dy, side, side)
        else:  # a checkbox sits left of its label
            box = Box.xywh(a.left - gap - side, top, side, side)
    box = box.clip(screen.width, screen.height)
    return Element(id=-1, role=role, name="", box=box, source="ocr", score=anchor.score)


def _drawn_field(screen: Screen, a: Box, limit: int) -> Box | None:
    """The field's own borders right of the label, when the screenshot shows them: the first
    two columns whose pixels change sharply along the label's whole height."""
    obs = screen.observation
    if obs is None:
        return None
    quarter = a.height // 4  # the middle of the label's height: a field's border spans it
    top, bottom = max(0, a.top + quarter), min(obs.height, a.bottom - quarter)
    left, right = a.right + 2, min(obs.width, limit)
    if bottom - top < 4 or right - left < 24:
        return None
    band = obs.image[top:bottom, left:right].astype(np.int16).max(axis=2)
    edges = (np.abs(np.diff(band, axis=1)) > 25).mean(axis=0) >= 0.9
    cols = np.flatnonzero(edges)
    if cols.size == 0:
        return None
    x1 = int(cols[0])
    later = cols[cols > x1 + 24]
    x2 = int(later[0]) if later.size else min(x1 + _FIELD_WIDTH, right - left - 1)
    return Box(left=left + x1 + 1, top=a.top - 4, right=left + x2 + 1, bottom=a.bottom + 4)


def _free_until(screen: Screen, a: Box, limit: int) -> int:
    """The right edge of the free space right of ``a``: up to the next label on its row.
    Plain text close to the label is taken for the field's content and spanned over."""
    row = [
        el
        for el in screen.elements
        if min(el.box.bottom, a.bottom) - max(el.box.top, a.top)
        > 0.5 * min(a.height, el.box.height)
        and el.box.left > a.right + 12
    ]
    right = limit
    for el in sorted(row, key=lambda e: e.box.left):
        if el.box.left >= right:
            break
        content = el.source == "ocr" and not el.name.rstrip().endswith(":")
        if content and el.box.left - a.right <= 120:
            right = max(right, min(el.box.right + 8, a.right + 400))
            continue
        right = el.box.left - 4
        break
    return max(right, a.right + 30)
