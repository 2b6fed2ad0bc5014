"""Empty text fields found from pixels alone: a light box inside a thin darker frame.

OCR sees only what is written, so without an accessibility tree an empty input box is
invisible to grounding ("type 'x' into the text field"). Text fields across toolkits share one
look: a near-white interior, wider than tall, bounded by a one- or two-pixel darker border.
This cheap contour pass finds them so fusion can name them from the label beside them.
"""

from __future__ import annotations

import cv2
import numpy as np

from guiagent.observation import Box, Element
from guiagent.perception.regions import true_runs

#: Interior brightness (median, 0..255) a field has and a grey button does not.
_LIGHT = 248
#: How much darker than the interior its frame must be.
_CONTRAST = 40
#: How much darker than the interior a field's frame must be (web forms draw it pale grey).
_FRAME_CONTRAST = 30


def find_fields(image: np.ndarray, max_fields: int = 60) -> list[Element]:
    """Boxes that look like text fields (role ``text_field``; state ``multi_line`` when a
    resize grip shows), and small framed squares and circles (``checkbox``,
    ``radio_button``); source ``detector``.

    Each light region enclosed on its own (4-connected, so a rounded corner does not leak)
    whose size fits and whose one-pixel surround is darker is one control; typed text and a
    focus outline leave a field one region.
    """
    gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY) if image.ndim == 3 else image
    light = (gray >= _LIGHT).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(light, connectivity=4)
    rows, cols = gray.shape[:2]
    found: list[Element] = []
    for i in range(1, count):
        x, y, w, h, area = (int(v) for v in stats[i])
        role = _role_of(w, h, area)
        if role is None or x < 1 or y < 1 or x + w >= cols or y + h >= rows:
            continue
        window = (slice(y - 1, y + h + 1), slice(x - 1, x + w + 1))
        inside = labels[window] == i
        around = cv2.dilate(inside.astype(np.uint8), _CROSS).astype(bool) & ~inside
        if float(np.median(gray[window][around])) > _LIGHT - _FRAME_CONTRAST:
            continue
        box = Box(left=x - 1, top=y - 1, right=x + w + 1, bottom=y + h + 1)
        states = (
            frozenset({"multi_line"}) if role == "text_field" and _has_grip(gray, box) else None
        )
        found.append(
            Element(role=role, box=box, source="detector", score=0.8, states=states or frozenset())
        )
    found = [f for f in found if not _in_a_table(f, found)]
    found += _checked_boxes(image, gray)
    outlines = _outlines(gray)
    switches = find_switches(image, gray, outlines)
    found += find_sliders(image, gray, outlines)
    # a switch's knob looks like a radio button, a light track like a small field
    found = [f for f in found if not any(f.box.covered_by(s.box, 0.8) for s in switches)]
    found += switches
    found.sort(key=lambda el: (el.box.top, el.box.left))
    return found[:max_fields]


def _in_a_table(field: Element, found: list[Element], touch: int = 1) -> bool:
    """A light box sharing a border with another of the same height beside it, or of the
    same width above or below it: a table's cell, not a field (fields stand apart)."""
    if field.role != "text_field":
        return False
    a = field.box
    for other in found:
        b = other.box
        if other is field or other.role != "text_field":
            continue
        same_row = abs(a.top - b.top) <= touch and abs(a.bottom - b.bottom) <= touch
        if same_row and (abs(a.right - b.left) <= touch or abs(b.right - a.left) <= touch):
            return True
        same_column = abs(a.left - b.left) <= touch and abs(a.right - b.right) <= touch
        if same_column and (abs(a.bottom - b.top) <= touch or abs(b.bottom - a.top) <= touch):
            return True
    return False


def _checked_boxes(image: np.ndarray, gray: np.ndarray) -> list[Element]:
    """Ticked check boxes: a small square filled with an accent colour, its frame solid all
    round, with a light tick inside. Letters and dark icons of that size are strokes in grey,
    and a filled bullet has no tick. (A theme that ticks in grey is not seen here.)"""
    if image.ndim != 3:
        return []
    r, g, b = cv2.split(np.ascontiguousarray(image[:, :, :3]))
    saturation = cv2.subtract(cv2.max(cv2.max(r, g), b), cv2.min(cv2.min(r, g), b))
    filled = (saturation > 80).astype(np.uint8)
    _count, _labels, stats, _ = cv2.connectedComponentsWithStats(filled, connectivity=8)
    w_, h_, area_ = stats[:, 2], stats[:, 3], stats[:, 4]
    fill = area_ / np.maximum(w_ * h_, 1)
    sized = (w_ >= 9) & (w_ <= 24) & (h_ >= 9) & (h_ <= 24) & (np.abs(w_ - h_) <= 2)
    found = []
    candidates = np.flatnonzero(sized & (fill >= 0.6) & (fill <= 0.95))
    for i in candidates[candidates > 0]:  # label 0 is the background
        x, y, w, h = (int(v) for v in stats[i, :4])
        cell = filled[y : y + h, x : x + w]
        ring = np.concatenate([cell[1, 1:-1], cell[-2, 1:-1], cell[1:-1, 1], cell[1:-1, -2]])
        tick = int((gray[y + 2 : y + h - 2, x + 2 : x + w - 2] >= _LIGHT - _CONTRAST).sum())
        if ring.mean() < 0.95 or tick < 4:
            continue
        box = Box(left=x, top=y, right=x + w, bottom=y + h)
        states = frozenset({"checked"})
        found.append(Element(role="checkbox", box=box, source="detector", score=0.8, states=states))
    return found


Outline = tuple[int, int, int, int]  # x, y, w, h of an edge outline's bounding box


def _outlines(gray: np.ndarray) -> list[Outline]:
    """The bounding boxes of a screenshot's edge outlines, where switches and sliders are
    looked for (found once for both)."""
    edges = cv2.Canny(gray, 30, 90)
    contours, _ = cv2.findContours(edges, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    return [(x, y, w, h) for x, y, w, h in map(cv2.boundingRect, contours)]


def find_switches(
    image: np.ndarray, gray: np.ndarray, outlines: list[Outline] | None = None
) -> list[Element]:
    """Toggle switches: a pill about twice as wide as tall whose one end holds a round knob
    of a colour unlike the track at the other end (role ``checkbox``, state ``switch``, and
    ``checked`` when the knob sits right). A pill button or chip has the same colour at both
    ends, with its text between."""
    if image.ndim != 3:
        return []
    rgb = image.astype(np.int16)
    found: list[Element] = []
    for x, y, w, h in _outlines(gray) if outlines is None else outlines:
        if not (12 <= h <= 40 and 1.4 * h <= w <= 2.8 * h):
            continue
        box = Box(left=x, top=y, right=x + w, bottom=y + h)
        if any(box.iou(f.box) > 0.6 for f in found):
            continue
        knob = _knob(rgb, x, y, w, h)
        if knob is None:
            continue
        states = frozenset({"switch", "checked"} if knob == "right" else {"switch"})
        found.append(Element(role="checkbox", box=box, source="detector", score=0.8, states=states))
    return found


def find_sliders(
    image: np.ndarray, gray: np.ndarray, outlines: list[Outline] | None = None
) -> list[Element]:
    """Sliders: a thin track (3..14 px, at least ``_TRACK_MIN`` long) with a round knob on it
    standing out above and below (role ``slider``; the box spans the track and the knob). A
    rule or an underline has no knob; a switch's pill is as tall as its knob."""
    if image.ndim != 3:
        return []
    rgb = image.astype(np.int16)
    found: list[Element] = []
    for x, y, w, h in _outlines(gray) if outlines is None else outlines:
        if not (3 <= h <= 14 and w >= _TRACK_MIN) or y < 20 or y + 20 > rgb.shape[0]:
            continue
        box = _slider_at(rgb, x, y, w, h)
        if box is not None and not any(box.iou(f.box) > 0.5 for f in found):
            found.append(Element(role="slider", box=box, source="detector", score=0.8))
    return found


_TRACK_MIN = 40  # px of track a slider shows, at least
_KNOB = (8, 36)  # px across a slider's knob


def _slider_at(rgb: np.ndarray, x: int, y: int, w: int, h: int) -> Box | None:
    """The slider whose track piece is at (x, y, w, h): the track followed along its middle
    row as long as it is unlike the page, and a knob on it (a run of columns inked above and
    below the track, about as long as it is tall); None when there is no knob."""
    rows = rgb.shape[0]
    cy = y + h // 2
    page = np.median(rgb[y - 3, x : x + w], axis=0)  # just above the track

    def inked(row: int) -> np.ndarray:
        """Which pixels of ``row`` are unlike the page."""
        return np.asarray(np.abs(rgb[row] - page).max(axis=1) > 30)

    track = inked(cy)
    before, after = np.flatnonzero(~track[:x]), np.flatnonzero(~track[x + w :])
    left = int(before[-1]) + 1 if len(before) else 0
    right = x + w + int(after[0]) if len(after) else len(track)  # exclusive
    lo, hi = _KNOB
    first = h // 2 + 2  # the first rows above and below the track
    if cy - first < 0 or cy + first >= rows:
        return None
    runs = true_runs((inked(cy - first) & inked(cy + first))[left:right])
    if len(runs) != 1 or not lo <= runs[0][1] - runs[0][0] <= hi:
        return None  # no knob standing out of the track, or more than one thing on it
    a, b = runs[0][0] + left, runs[0][1] + left
    reach = first
    while (
        reach < hi
        and cy + reach + 1 < rows
        and (inked(cy - reach - 1)[a:b] & inked(cy + reach + 1)[a:b]).any()
    ):
        reach += 1
    width, height = b - a, 2 * reach + 1
    round_knob = 0.7 <= width / height <= 1.4 and height >= h + 4
    if not round_knob or (right - left) - width < _TRACK_MIN:
        return None
    return Box(left=left, top=cy - reach, right=right, bottom=cy + reach + 1)


def _knob(rgb: np.ndarray, x: int, y: int, w: int, h: int) -> str | None:
    """Which end of the pill at (x, y, w, h) holds the knob, if it is a switch at all."""
    r = max(2, int(h * 0.15))
    cy = y + h // 2

    def spot(cx: int) -> np.ndarray | None:
        patch = rgb[cy - r : cy + r + 1, cx - r : cx + r + 1].reshape(-1, 3)
        if patch.size == 0 or patch.std(axis=0).max() > 12:
            return None  # not one flat colour: text or an edge, no knob
        return patch.mean(axis=0)

    left, right = spot(x + h // 2), spot(x + w - h // 2 - 1)
    track = rgb[y + max(2, h // 8), x + w // 2]
    if left is None or right is None or np.abs(left - right).max() < 40:
        return None
    return "left" if np.abs(left - track).max() > np.abs(right - track).max() else "right"


_CROSS = cv2.getStructuringElement(cv2.MORPH_CROSS, (3, 3))


def _has_grip(gray: np.ndarray, box: Box, size: int = 14) -> bool:
    """A resize grip in the field's lower right corner: short parallel diagonal strokes, the
    mark of a multi-line text area."""
    patch = gray[box.bottom - 1 - size : box.bottom - 1, box.right - 1 - size : box.right - 1]
    ys, xs = np.nonzero(patch < _LIGHT - _CONTRAST)
    if len(ys) < 6:
        return False
    per_diagonal = np.bincount(xs + ys)
    strokes = per_diagonal[per_diagonal >= 3]
    return len(strokes) >= 2 and int(strokes.sum()) >= 0.8 * len(ys)


def _role_of(w: int, h: int, area: int) -> str | None:
    """What a light region of this size and fill would be, if a control at all."""
    if 10 <= h <= 160 and w >= 30 and w >= 1.8 * h and area >= 0.6 * w * h:
        return "text_field"
    if 9 <= w <= 24 and 9 <= h <= 24 and abs(w - h) <= 2:
        fill = area / (w * h)
        if fill >= 0.88:
            return "checkbox"
        if 0.6 <= fill < 0.88:
            return "radio_button"
    return None
