"""Name icon-only controls from pixels, by matching them against the icons installed here.

Toolbars, dialogs and web pages show many controls with no text: OCR sees nothing there, so
"the Delete icon" could not be found from a screenshot alone. Desktop apps draw these icons
from the installed icon themes (GTK: Adwaita symbolic icons) and web pages mostly from icon
fonts (Font Awesome, Material Icons), so a library built from the same files on this machine
names most of them. Each icon's name comes from its file / glyph name ("edit-delete-symbolic"
-> "delete") plus a few everyday words for it ("trash", "bin").

Glyphs are compared as shapes, not colours: the ink is whatever contrasts with the box's
background (so dark-on-light, light-on-dark and recoloured symbolic icons look the same),
cropped to its bounding box, padded square and scaled to one size, so 16..48 px icons and
padded buttons compare alike. A weak match returns nothing rather than a wrong name.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from typing import Any

import cv2
import numpy as np

from guiagent.observation import Box, Element
from guiagent.perception.colours import strongest_channel
from guiagent.perception.icons.catalogue import (
    MIN_SCORE,
    IconLibrary,
    IconMatch,
    build_library,
    library,
    load_library,
)
from guiagent.perception.icons.classifier import IconClassifier, classifier
from guiagent.perception.icons.names import MAX_ALTS, human_name
from guiagent.perception.icons.shapes import (
    CROP_MARGIN,
    GRID,
    Shape,
    box_descriptor,
    box_shapes,
    descriptor,
    glyph,
)
from guiagent.perception.roles import ROLE_WORDS, normalise_role

__all__ = [
    "GRID",
    "IconClassifier",
    "IconLibrary",
    "IconMatch",
    "build_library",
    "classifier",
    "descriptor",
    "find_icons",
    "glyph",
    "human_name",
    "icon_candidates",
    "library",
    "load_library",
    "match_icon",
    "name_icons",
]


def match_icon(
    image: np.ndarray, box: Box, lib: IconLibrary | None = None, top: int = 3
) -> list[IconMatch]:
    """Icons the glyph inside ``box`` looks like, best first; empty when it looks like none."""
    lib = lib if lib is not None else library()
    shape = box_descriptor(image, box)
    if lib is None or shape is None:
        return []
    return lib.match(shape, top=top)


_EXACT = 0.98  # a shape matching an icon this well is that icon, whatever else it looks like
_LOOSE = 0.8  # below the library's bar, a match may still name an icon that nothing else fits
_MARGIN = 0.05  # ... when the next other icon is this much less alike
_TIE = 0.02  # matches this close are one glyph under several names
_PLATE_MARGIN = 0.03  # a whole control matching this much worse than its cut glyph is that glyph
_ICON_SIZED = (8, 96)  # a box this small..large (both sides) may be an icon
# Roles an icon-only control has (a field's or checkbox's name is its label, not a shape).
_ICON_ROLES = ROLE_WORDS["button"] | ROLE_WORDS["icon"] | {"link", "menu_item", "tab", "unknown"}


def name_icons(
    image: np.ndarray,
    elements: Iterable[Element],
    lib: IconLibrary | None = None,
    learned: IconClassifier | None = None,
) -> list[Element]:
    """``elements`` with each unnamed icon-sized control named after the icon it shows (its
    score becomes the shape likeness); the rest, and those that look like no icon, as given.
    Fields and checkboxes are never named here: their name is their label. ``learned``: the
    icon classifier, asked about the controls no installed icon matches (its probability
    becomes the score)."""
    out = list(elements)
    lib = lib if lib is not None else library()
    if lib is None:
        return out
    keys = {i: _pixels_key(image, el.box) for i, el in enumerate(out) if _nameable(el)}
    pending: dict[int, bytes] = {}  # element -> the key of its pixels, not named before
    with _MEMO_LOCK:
        memo = _memo(lib, learned)
        for i, key in keys.items():
            known = memo.get(key, _UNSEEN)
            if known is _UNSEEN:
                pending[i] = key
            elif known is not None:
                out[i] = out[i].model_copy(update=known)
    named = _named(image, [out[i] for i in pending], lib, learned)
    with _MEMO_LOCK:
        for (i, key), update in zip(pending.items(), named, strict=True):
            memo[key] = update
            memo.move_to_end(key)
            if update is not None:
                out[i] = out[i].model_copy(update=update)
        while len(memo) > _MEMO_SIZE:
            memo.popitem(last=False)
    return out


def _named(
    image: np.ndarray, elements: list[Element], lib: IconLibrary, learned: IconClassifier | None
) -> list[dict[str, str | float] | None]:
    """The name and score each element gets (None: it looks like no icon)."""
    out: list[dict[str, str | float] | None] = [None] * len(elements)
    shapes: list[Shape] = []
    # element, and where its whole glyph, plate cut and bare plate are in ``shapes``
    todo: list[tuple[int, list[int | None]]] = []
    for i, el in enumerate(elements):
        whole, plate = box_shapes(image, el.box)
        at: list[int | None] = []
        for shape in (whole, *(plate or (None, None))):
            at.append(len(shapes) if shape is not None else None)
            if shape is not None:
                shapes.append(shape)
        if at != [None, None, None]:
            todo.append((i, at))
    if not shapes:
        return out
    matches = [_confident(m) for m in lib.match_many(shapes, top=6, min_score=_LOOSE)]
    unmatched: list[tuple[int, int]] = []  # element, its glyph's place in ``shapes``
    for i, at in todo:
        found = _plate_or_whole(*(matches[k] if k is not None else [] for k in at))
        if found:
            out[i] = {"name": _merged_name(found), "score": found[0].score}
        elif learned is not None:  # the glyph cut from its plate, else the whole control
            k = at[1] if at[1] is not None else at[0]
            if k is not None:
                unmatched.append((i, k))
    if unmatched and learned is not None:
        concepts = learned.classify([shapes[k] for _, k in unmatched])
        for (i, _), concept in zip(unmatched, concepts, strict=True):
            if concept is not None:
                out[i] = {"name": concept.name, "score": round(concept.probability, 4)}
    return out


# Names already given, by the pixels they were given for: a frame that changed in one place
# names only the icons there again (an icon's name depends on its pixels alone).
_MEMO_SIZE = 4096
_MEMO_LOCK = threading.Lock()
_MEMOS: dict[tuple[int, int], tuple[object, object, OrderedDict[bytes, Any]]] = {}
_UNSEEN = object()


def _memo(lib: IconLibrary, learned: IconClassifier | None) -> OrderedDict[bytes, Any]:
    """The names given with this library and classifier (a new one starts afresh). Each
    entry holds its library and classifier, so their ids stay theirs. Call with the lock."""
    key = (id(lib), id(learned))
    if key not in _MEMOS:
        if len(_MEMOS) >= 4:
            _MEMOS.clear()
        _MEMOS[key] = (lib, learned, OrderedDict())
    return _MEMOS[key][2]


def _pixels_key(image: np.ndarray, box: Box) -> bytes:
    """A digest of what naming ``box`` reads: its pixels with the margin ``box_shapes``
    takes, and their size."""
    h, w = image.shape[:2]
    m = CROP_MARGIN
    area = Box(left=box.left - m, top=box.top - m, right=box.right + m, bottom=box.bottom + m)
    area = area.clip(w, h)
    crop = np.ascontiguousarray(image[area.top : area.bottom, area.left : area.right])
    digest = hashlib.blake2b(crop.tobytes(), digest_size=16)
    digest.update(f"{crop.shape}".encode())
    return digest.digest()


def _confident(found: list[IconMatch]) -> list[IconMatch]:
    """The matches worth naming an icon by: a likeness above the library's bar, or a little
    below it with no other icon near (a site's own drawing of a printer or a bell is a
    little off every font's, but still far more like the printer than like anything else)."""
    if not found or found[0].score >= MIN_SCORE:
        return found
    others = [m for m in found if m.score < found[0].score - _TIE]
    if not others or others[0].score <= found[0].score - _MARGIN:
        return found[:1]  # its own name only: near-ties this loose are other icons
    return []


def _plate_or_whole(
    whole: list[IconMatch], cut: list[IconMatch], plain: list[IconMatch]
) -> list[IconMatch]:
    """A control's icon, from the matches of the whole control, the glyph cut out of its
    plate and the bare plate (empty where there is none). Seen whole, a small glyph on a
    round button is a disc like any other ("pause circle"), so the whole counts only when it
    matches better than its bare plate does; an icon that is itself a plate with a symbol
    ("zoom in", "info circle") then keeps its own name, with the symbol's as an alternative."""
    if not cut:
        return whole
    if not whole or (plain and whole[0].score <= plain[0].score):
        if whole and whole[0].score >= _EXACT:  # a plate that is itself an icon file
            return [cut[0], dataclasses.replace(whole[0], score=cut[0].score), *cut[1:]]
        return cut
    if whole[0].score >= cut[0].score - _PLATE_MARGIN:
        return [whole[0], dataclasses.replace(cut[0], score=whole[0].score), *whole[1:]]
    return cut


def _nameable(el: Element) -> bool:
    lo, hi = _ICON_SIZED
    sized = lo <= el.box.width <= hi and lo <= el.box.height <= hi
    return sized and not el.name.strip() and normalise_role(el.role) in _ICON_ROLES


def find_icons(
    image: np.ndarray,
    texts: Sequence[Element],
    lib: IconLibrary | None = None,
    learned: IconClassifier | None = None,
) -> list[Element]:
    """Named icons of a screenshot: the proposals of ``icon_candidates`` that look like a
    known icon, one element per icon (role ``icon``, source ``detector``)."""
    proposals = icon_candidates(image, texts)
    named = [el for el in name_icons(image, proposals, lib, learned) if el.name]
    # a loosely matched "icon" on a short word OCR read ("OK") is that word
    said = _xyxy(t.box for t in texts if len(re.findall(r"[^\W_]", t.name)) >= 2)
    on_said = _on_words(_xyxy(el.box for el in named), said)
    named = [el for el, on in zip(named, on_said, strict=True) if el.score >= MIN_SCORE or not on]
    return _dedupe(named)


def _merged_name(found: list[IconMatch], tie: float = 0.02) -> str:
    """The best match's name, with the names of icons that fit as well added as alternatives
    (the same "+" is list-add in a theme and "add" in a font)."""
    parts: list[str] = []
    for m in found:
        if m.score < found[0].score - tie:
            break
        head, _, rest = m.name.partition(" (")
        parts += [head, *(p for p in rest.rstrip(")").split(", ") if p)]
    unique = list(dict.fromkeys(parts))
    alts = unique[1 : 2 * MAX_ALTS + 1]
    return f"{unique[0]} ({', '.join(alts)})" if alts else unique[0]


def _dedupe(elements: list[Element]) -> list[Element]:
    """One element per icon: a box mostly inside another is a part of that icon (the plus in
    a zoom-in magnifier) or the glyph in its button's frame; the outer one stays unless the
    inner one is clearly the better match (then the outer one is two icons merged)."""
    boxes = np.array([el.box.as_list() for el in elements], np.int64).reshape(-1, 4)
    areas = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    lo, hi = boxes[:, :2], boxes[:, 2:]
    overlap = np.minimum(hi[:, None], hi[None, :]) - np.maximum(lo[:, None], lo[None, :])
    w, h = np.clip(overlap, 0, None).transpose(2, 0, 1)
    inside = w * h >= 0.8 * areas[:, None]  # [inner, outer]
    np.fill_diagonal(inside, False)
    dropped: set[int] = set()
    heads = [el.name.split(" (")[0] for el in elements]
    for j in range(len(elements)):  # the outer box of repeated strokes is the icon: the bars
        parts = np.flatnonzero(inside[:, j])  # of a list icon are no three minus signs
        if len(parts) >= 2 and len({heads[i] for i in parts}) == 1 and heads[parts[0]] != heads[j]:
            dropped.update(int(i) for i in parts)
    for i, j in zip(*np.nonzero(inside), strict=True):
        if i == j or i in dropped or j in dropped:
            continue
        if areas[i] == areas[j] and i < j:
            continue  # the same box twice: the later one goes
        dropped.add(int(i) if elements[j].score >= elements[i].score - 0.03 else int(j))
    kept = [el for k, el in enumerate(elements) if k not in dropped]
    return sorted(kept, key=lambda el: (el.box.top, el.box.left))


def icon_candidates(image: np.ndarray, texts: Sequence[Element]) -> list[Element]:
    """Boxes of compact non-text blobs that may be icons (role ``icon``, unnamed): connected
    ink at two grouping distances (a glyph's strokes, then a row of dots), 8..64 px, roughly
    square, not on words OCR read (short or sparse reads excepted: often misread icons)."""
    edges = _edges(image)
    h, w = edges.shape
    words = _xyxy(t.box for t in texts if _wordlike(t))
    found = []
    for gap in (3, 7):
        grouped = cv2.dilate(edges, np.ones((gap, gap), np.uint8))
        _, _, stats, _ = cv2.connectedComponentsWithStats(grouped, connectivity=8)
        xywh = stats[1:, :4][_icon_shaped(stats[1:])].astype(np.int64)
        xyxy = np.concatenate([xywh[:, :2], xywh[:, :2] + xywh[:, 2:]], axis=1)
        xyxy = np.clip(xyxy, 0, [w, h, w, h])
        found.append(xyxy[~_on_words(xyxy, words)])
    boxes = _unique_boxes(np.concatenate(found))
    return [
        Element(
            role="icon", box=Box(left=a, top=b, right=c, bottom=d), source="detector", score=0.5
        )
        for a, b, c, d in boxes.tolist()
    ]


def _xyxy(boxes: Iterable[Box]) -> np.ndarray:
    """Boxes as rows of x1, y1, x2, y2 (none: an empty 0x4 array)."""
    return np.array([b.as_list() for b in boxes], np.int64).reshape(-1, 4)


def _edges(image: np.ndarray) -> np.ndarray:
    """Pixels where the colour changes (strongest channel of a 3x3 morphological gradient)."""
    kernel = np.ones((3, 3), np.uint8)
    gradient = cv2.morphologyEx(image, cv2.MORPH_GRADIENT, kernel)[:, :, :3]
    return (strongest_channel(gradient) >= 32).astype(np.uint8)


def _icon_shaped(stats: np.ndarray) -> np.ndarray:
    """Which components (rows of x, y, w, h, area) are 8..64 px and at most 4:1."""
    w, h = stats[:, 2], stats[:, 3]
    big, small = np.maximum(w, h), np.minimum(w, h)
    return (big >= 8) & (big <= 64) & (small >= 4) & (big <= 4 * small)


def _wordlike(text: Element) -> bool:
    """OCR text that is really words: more than three characters (an icon with letters in
    it, a spelling check's "abc", is read as a short word) and not spread thin (a row of
    icons read as "aaae" has one character per icon width)."""
    n = len(text.name.strip())
    if not re.search(r"[^\W_]{2}", text.name):
        return False  # "<1>", "O]": punctuation around a letter is an icon misread
    return n > 3 and text.box.width <= 0.9 * n * text.box.height


def _intersections(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Overlap areas of every box of ``a`` with every box of ``b`` (rows of x1, y1, x2, y2)."""
    lo = np.maximum(a[:, None, :2], b[None, :, :2])
    hi = np.minimum(a[:, None, 2:], b[None, :, 2:])
    side = np.clip(hi - lo, 0, None)
    return side[..., 0] * side[..., 1]


def _areas(boxes: np.ndarray) -> np.ndarray:
    return (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])


def _on_words(boxes: np.ndarray, words: np.ndarray) -> np.ndarray:
    """Which boxes lie on a word OCR read (a third of either overlapping)."""
    if len(words) == 0 or len(boxes) == 0:
        return np.zeros(len(boxes), bool)
    inter = _intersections(boxes, words)
    hit = (inter >= 0.3 * _areas(boxes)[:, None]) | (inter >= 0.3 * _areas(words)[None, :])
    return np.asarray(hit.any(axis=1), dtype=bool)


def _unique_boxes(boxes: np.ndarray) -> np.ndarray:
    """The boxes in order, less any nearly the same (IoU 0.8) as one kept before it."""
    inter = _intersections(boxes, boxes)
    areas = _areas(boxes)
    iou = inter / np.maximum(areas[:, None] + areas[None, :] - inter, 1)
    kept: list[int] = []
    for i in range(len(boxes)):
        if not kept or iou[i, kept].max() < 0.8:
            kept.append(i)
    return boxes[kept]
