"""One element list from accessibility and OCR: each thing on screen once, named, in reading order.

Accessibility elements carry roles and states, OCR carries what is actually drawn. Where both
describe the same thing the accessibility element wins (OCR text inside it is dropped); an
unnamed button takes the text drawn inside it, and an unnamed field or checkbox takes the label
drawn beside it, so "the Name field" can be found by name.
"""

from __future__ import annotations

from collections.abc import Iterable

from guiagent.observation import Box, Element
from guiagent.perception.layout import reading_order
from guiagent.perception.roles import CONTAINERS, LABELLED, SELF_LABELLED, normalise_role
from guiagent.perception.textmatch import same_text

_LABEL_ROLES = frozenset({"text", "label", "static", "static_text"})
_CHECKLIKE = frozenset({"checkbox", "check_box", "radio_button", "radio", "switch", "toggle"})


def fuse(
    accessibility: Iterable[Element] | None,
    ocr: Iterable[Element],
    width: int,
    height: int,
) -> list[Element]:
    """Merge both sources; ids are 0..n-1 in reading order."""
    a11y = _clean_a11y(accessibility or [], width, height)
    texts = [el for el in ocr if el.name.strip() and el.box.clip(width, height).area > 0]
    a11y = [el for el in a11y if not _a_letter_of(el, texts)]
    a11y, texts = _name_from_inner_text(a11y, texts)
    texts = [t for t in texts if not _covered(t, a11y)]
    a11y = _attach_labels(a11y, texts + [el for el in a11y if _is_label(el)])
    a11y = _shown_inside(a11y, texts)
    ordered = reading_order(a11y + texts, lambda el: el.box)
    return [el.model_copy(update={"id": i}) for i, el in enumerate(ordered)]


def _clean_a11y(elements: Iterable[Element], width: int, height: int) -> list[Element]:
    """Drop off-screen boxes and bare containers; clip the rest to the screen."""
    out = []
    screen_area = width * height
    for el in elements:
        box = el.box.clip(width, height)
        if box.area == 0:
            continue
        role = normalise_role(el.role)
        if role in CONTAINERS and (not el.name.strip() or box.area > 0.25 * screen_area):
            continue
        out.append(el if box == el.box else el.model_copy(update={"box": box}))
    return out


def _a_letter_of(el: Element, texts: list[Element]) -> bool:
    """A check box or radio found from pixels in the middle of a word OCR read: a letter's
    ring ("o", "D"), not a control (a real box may start its line, not go on it)."""
    if el.source != "detector" or normalise_role(el.role) not in _CHECKLIKE:
        return False
    c = el.box.center
    return any(
        t.box.left + 0.6 * t.box.height <= c.x <= t.box.right - t.box.height / 4
        and t.box.top <= c.y <= t.box.bottom
        for t in texts
    )


def _snug(text: Box, holder: Box) -> bool:
    """The holder is about the size of a widget around this text, not a whole window."""
    return holder.height <= max(4 * text.height, text.height + 40) and holder.area <= max(
        30 * text.area, 4000
    )


def _name_from_inner_text(
    a11y: list[Element], texts: list[Element]
) -> tuple[list[Element], list[Element]]:
    """An unnamed button/tab/menu item is named by the OCR text drawn inside it."""
    used: set[int] = set()
    out = []
    for el in a11y:
        if el.name.strip() or normalise_role(el.role) not in SELF_LABELLED:
            out.append(el)
            continue
        inner = [
            (i, t)
            for i, t in enumerate(texts)
            if i not in used and t.box.covered_by(el.box, 0.8) and _snug(t.box, el.box)
        ]
        if not inner:
            out.append(el)
            continue
        used.update(i for i, _ in inner)
        ordered = reading_order([t for _, t in inner], lambda t: t.box)
        out.append(el.model_copy(update={"name": " ".join(t.name for t in ordered)}))
    return out, [t for i, t in enumerate(texts) if i not in used]


def _shown_inside(a11y: list[Element], texts: list[Element]) -> list[Element]:
    """A field found from pixels shows its value, a drop-down's choice or a hint in it: that
    text is its value ("the Sort by drop-down" is the box showing "Sort: Last updated").
    The text stays an element of its own too."""
    out = []
    for el in a11y:
        if el.source != "detector" or el.value or normalise_role(el.role) != "text_field":
            out.append(el)
            continue
        inner = [t for t in texts if t.box.covered_by(el.box, 0.8)]
        # one line in a box about its height: a field; several lines make it a card
        one_line = len(inner) == 1 and el.box.height <= 3 * inner[0].box.height
        if one_line:
            shown = " ".join(t.name for t in reading_order(inner, lambda t: t.box))
            el = el.model_copy(update={"value": shown})
        out.append(el)
    return out


def _covered(text: Element, a11y: list[Element]) -> bool:
    """Whether an accessibility element already says what this OCR text says, where it is."""
    for el in a11y:
        if not _overlap(text.box, el.box):
            continue  # (most pairs: a cheap test first)
        if not (text.box.covered_by(el.box, 0.6) or text.box.iou(el.box) >= 0.3):
            continue
        if not _snug(text.box, el.box):
            continue
        if _part_of_prose(text, el):
            continue  # one line of a paragraph: it says where its words are, the paragraph not
        if same_text(text.name, el.name) or (el.value and same_text(text.name, el.value)):
            return True
    return False


def _part_of_prose(text: Element, el: Element) -> bool:
    """An OCR line that is only a small part of a long accessible text (a paragraph)."""
    if normalise_role(el.role) not in _LABEL_ROLES:
        return False
    return len(text.name.strip()) * 2 < len(el.name.strip()) and el.box.height > 2 * text.box.height


def _is_label(el: Element) -> bool:
    return normalise_role(el.role) in _LABEL_ROLES and bool(el.name.strip())


def _attach_labels(a11y: list[Element], labels: list[Element]) -> list[Element]:
    """An unnamed field/checkbox takes the nearest label left of it, above it, or (for a
    checkbox) right of it."""
    out = []
    holders = [el for el in a11y if normalise_role(el.role) in LABELLED | SELF_LABELLED]
    for el in a11y:
        role = normalise_role(el.role)
        if el.name.strip() or role not in LABELLED:
            out.append(el)
            continue
        best: tuple[float, Element] | None = None
        for lab in labels:
            if lab is el or not _worded(lab.name):
                continue
            d = _label_distance(lab.box, el.box, role in _CHECKLIKE)
            if d is None or (best is not None and d >= best[0]):
                continue  # elsewhere, or no nearer: the costlier checks below can wait
            if any(
                h is not el and lab.box.covered_by(h.box, 0.8) and not el.box.covered_by(h.box, 0.8)
                for h in holders
            ):  # what another field or button shows ("Sort: Last updated"), not a frame
                continue  # around both (a group's box read as a field)
            if any(_between(h.box, lab.box, el.box) for h in a11y if h is not el):
                continue  # a control between them: the text labels something else
            best = (d, lab)
        if best is None:
            out.append(el)
        else:
            name = best[1].name.strip().rstrip(":").strip()
            out.append(el.model_copy(update={"name": name}))
    return out


def _overlap(a: Box, b: Box) -> bool:
    return a.left < b.right and b.left < a.right and a.top < b.bottom and b.top < a.bottom


def _between(mid: Box, left: Box, right: Box) -> bool:
    """Whether ``mid`` sits on the row between ``left`` and ``right``."""
    row = min(mid.bottom, right.bottom) - max(mid.top, right.top) >= 0.5 * mid.height
    return row and mid.left >= left.right - 2 and mid.right <= right.left + 2


def _worded(name: str) -> bool:
    """A label says something: a stray glyph read as "a" or "l" names no field."""
    return sum(ch.isalnum() for ch in name) >= 2


def _label_distance(lab: Box, el: Box, checklike: bool) -> float | None:
    """How far a label sits from a widget in a place labels go; None when it is elsewhere."""
    v_overlap = min(lab.bottom, el.bottom) - max(lab.top, el.top)
    same_row = v_overlap >= 0.5 * min(lab.height, el.height)
    h_overlap = min(lab.right, el.right) - max(lab.left, el.left)
    found: list[float] = []
    if same_row and lab.right <= el.left + 4 and el.left - lab.right <= 300:
        # a checkbox's own label is on its right; text on its left ends the previous item
        gap = max(0, el.left - lab.right)
        found.append(gap * 1.5 + 20 if checklike else gap)
    # (an OCR box may start inside the box glyph it was drawn beside)
    beyond = lab.left >= el.left + 2 and lab.right >= el.right + 8
    if same_row and checklike and beyond and lab.left - el.right <= 60:
        found.append(max(0, lab.left - el.right) * 0.5)
    stacked = h_overlap > 0 or abs(lab.left - el.left) <= 12
    if stacked and lab.bottom <= el.top + 4 and el.top - lab.bottom <= 40:
        found.append(max(0, el.top - lab.bottom) * 1.5 + 10)
    return min(found) if found else None
