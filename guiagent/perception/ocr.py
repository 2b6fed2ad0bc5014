"""ONNX OCR for screenshots, incremental across frames.

The first frame is read in full (detection only over areas with content). Each later frame of
the same size is diffed against the previous one: only the changed areas, grown to cover any
text line they touch, are detected and recognised again; every other line is reused. A button
press that updates a display therefore costs a few milliseconds, not a full pass.
"""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Literal

import cv2
import numpy as np

from guiagent.errors import PerceptionError
from guiagent.observation import Box, Element
from guiagent.perception import glyphs, regions
from guiagent.perception._onnx import (
    REC_HEIGHT,
    RawBox,
    RawText,
    TextDetector,
    TextRecognizer,
    default_threads,
)
from guiagent.perception.layout import reading_order

_PAD = 8  # context around a detection region, px
_FULL_FRACTION = 0.5  # a change covering more than this of the frame is read in full
#: A change touching more than this share of the previous frame's lines (of at least
#: ``_SAME_SCREEN_MIN_LINES``) means another screen: it is read in full.
_SAME_SCREEN_SHARE = 0.6
_SAME_SCREEN_MIN_LINES = 5
_CACHE_SIZE = 4096  # recognised crops remembered by their pixels (scrolled/moved text)


@dataclass(frozen=True)
class OcrWord:
    text: str
    box: Box
    score: float


@dataclass(frozen=True)
class OcrLine:
    """One detected text box: its text, score and word boxes (from the CTC positions)."""

    text: str
    box: Box
    score: float
    words: tuple[OcrWord, ...] = ()

    def segments(self) -> list[OcrLine]:
        """Split where words sit far apart: separate widgets the detector joined."""
        if len(self.words) < 2:
            return [self]
        gap_limit = max(12, int(self.box.height * 1.2))
        groups: list[list[OcrWord]] = [[self.words[0]]]
        for word in self.words[1:]:
            if word.box.left - groups[-1][-1].box.right > gap_limit:
                groups.append([word])
            else:
                groups[-1].append(word)
        if len(groups) == 1:
            return [self]
        return [_line_of(group, self.box) for group in groups]


def _line_of(words: list[OcrWord], line_box: Box) -> OcrLine:
    box = Box(
        left=words[0].box.left, top=line_box.top, right=words[-1].box.right, bottom=line_box.bottom
    )
    score = sum(w.score for w in words) / len(words)
    return OcrLine(" ".join(w.text for w in words), box, score, tuple(words))


@dataclass
class OcrStats:
    """What the last call did; ``mode`` is ``full``, ``incremental`` or ``unchanged``."""

    mode: Literal["full", "incremental", "unchanged"] = "full"
    regions: list[Box] = field(default_factory=list)
    #: where the frame differs from the previous one (incremental mode; other passes
    #: reuse it: the element detector reads only these parts again)
    changed: list[Box] = field(default_factory=list)
    region_pixels: int = 0
    frame_pixels: int = 0
    lines_reused: int = 0
    lines_recognised: int = 0
    cache_hits: int = 0
    detect_ms: float = 0.0
    recognise_ms: float = 0.0


class OcrEngine:
    """Reads text lines off RGB screenshots; models load once, on first use, and stay."""

    def __init__(
        self,
        *,
        min_score: float = 0.5,
        threads: int | None = None,
        charset: Literal["latin", "all"] = "latin",
        incremental: bool = True,
        fast_rec: bool = True,
        rec_height: int = REC_HEIGHT,
    ) -> None:
        self.min_score = min_score
        self.fast_rec = fast_rec
        self.rec_height = rec_height
        self.threads = threads or default_threads()
        self.charset = charset
        self.incremental = incremental
        self._det: TextDetector | None = None
        self._rec: TextRecognizer | None = None
        self._prev: np.ndarray | None = None
        self._lines: list[OcrLine] = []
        self._cache: OrderedDict[bytes, RawText] = OrderedDict()
        self.stats = OcrStats()
        self.calls: dict[str, int] = {"full": 0, "incremental": 0, "unchanged": 0}

    # -- public --------------------------------------------------------------------------
    def warm_up(self) -> None:
        """Load both models now (they load lazily otherwise); raises PerceptionError."""
        self._models()

    def reset(self) -> None:
        """Forget the previous frame: the next call reads in full."""
        self._prev = None
        self._lines = []
        self._cache.clear()

    @property
    def lines(self) -> list[OcrLine]:
        """The last frame's lines, with word boxes."""
        return list(self._lines)

    def read(self, image: np.ndarray) -> list[OcrLine]:
        """Text lines of ``image`` (RGB uint8), reusing the previous frame's where unchanged."""
        rgb = _check_image(image)
        h, w = rgb.shape[:2]
        prev = self._prev if self.incremental else None
        if prev is not None and prev.shape == rgb.shape:
            changed = regions.changed_regions(prev, rgb)
            area = sum(b.area for b in changed)
            if not changed:
                self.stats = OcrStats(mode="unchanged", frame_pixels=w * h)
                self.stats.lines_reused = len(self._lines)
                self.calls["unchanged"] += 1
                return self.lines
            if area <= _FULL_FRACTION * w * h and not self._another_screen(changed):
                lines = self._incremental(rgb, changed)
                self.stats.changed = changed
                self._prev, self._lines = rgb.copy(), lines
                self.calls["incremental"] += 1
                return self.lines
        lines = self._full(rgb)
        self._prev, self._lines = rgb.copy(), lines  # a copy: callers may reuse their buffer
        self.calls["full"] += 1
        return self.lines

    def recognize(self, image: np.ndarray) -> list[Element]:
        """The lines of ``image`` as ``text`` elements (split at wide gaps), screenshot px."""
        return [
            Element(role="text", source="ocr", name=seg.text, box=seg.box, score=seg.score)
            for line in self.read(image)
            for seg in line.segments()
        ]

    def _another_screen(self, changed: list[Box]) -> bool:
        """Whether the change touches most of the previous frame's text: then the frames do
        not belong together (another window, another page) and a full read is both cheaper and
        right, where patching would keep stale lines between the changes."""
        old = self._lines
        if len(old) < _SAME_SCREEN_MIN_LINES:
            return False
        touched = sum(1 for ln in old if any(ln.box.intersection(c) for c in changed))
        return touched > _SAME_SCREEN_SHARE * len(old)

    # -- passes --------------------------------------------------------------------------
    def _full(self, rgb: np.ndarray) -> list[OcrLine]:
        h, w = rgb.shape[:2]
        gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
        areas = [regions.pad(b, _PAD, _PAD, w, h) for b in regions.content_regions(gray)]
        self.stats = OcrStats(mode="full", frame_pixels=w * h)
        return self._read_regions(rgb, regions.merge_boxes(areas))

    def _incremental(self, rgb: np.ndarray, changed: list[Box]) -> list[OcrLine]:
        h, w = rgb.shape[:2]
        old = self._lines
        # Grow each change over the old lines it touches, so a line is re-read whole ...
        grown = _cover(changed, old)
        # ... and detect in a margin around it whose edges cut through no known line.
        areas = _cover([regions.pad(b, 2 * _PAD, _PAD, w, h) for b in grown], old)
        self.stats = OcrStats(mode="incremental", frame_pixels=w * h)
        fresh = self._read_regions(rgb, areas, only_within=grown)
        kept = [
            ln
            for ln in old
            if not any(ln.box.intersection(b) for b in grown)
            and not any(_same_place(ln.box, f.box) for f in fresh)
        ]
        self.stats.lines_reused = len(kept)
        return _reading_order(kept + fresh)

    def _read_regions(
        self, rgb: np.ndarray, areas: list[Box], only_within: list[Box] | None = None
    ) -> list[OcrLine]:
        det, rec = self._models()
        bgr = np.ascontiguousarray(rgb[:, :, ::-1])
        t0 = time.perf_counter()
        found: list[Box] = []
        for area in areas:
            crop = bgr[area.top : area.bottom, area.left : area.right]
            for det_box in det(crop):
                box = _shift(det_box, area)
                if only_within is None or any(box.intersection(g) for g in only_within):
                    found.append(box)
        found = _dedupe(found)
        gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
        lone = [g for a in areas for g in glyphs.lone_glyphs(gray, a, found)]
        lone = [
            g for g in lone if only_within is None or any(g.intersection(o) for o in only_within)
        ]
        t1 = time.perf_counter()
        boxes = found + lone
        texts = self._recognise(rec, [bgr[b.top : b.bottom, b.left : b.right] for b in boxes])
        t2 = time.perf_counter()
        lines = []
        for i, (box, raw) in enumerate(zip(boxes, texts, strict=True)):
            text = raw.text.strip()
            if i >= len(found) and not _symbol(text, raw.score):
                continue
            if text and raw.score >= self.min_score:
                words = _words(raw.text, raw.spans, box, raw.score)
                lines.append(OcrLine(text, _trim(box, words), raw.score, words))
        self.stats.regions = areas
        self.stats.region_pixels = sum(a.area for a in areas)
        self.stats.lines_recognised = len(found)
        self.stats.detect_ms = (t1 - t0) * 1000
        self.stats.recognise_ms = (t2 - t1) * 1000
        return _reading_order(lines)

    def _recognise(self, rec: TextRecognizer, crops: list[np.ndarray]) -> list[RawText]:
        """Recognise crops, skipping any whose exact pixels were read before."""
        keys = [_key(c) for c in crops]
        todo = [i for i, k in enumerate(keys) if k not in self._cache]
        self.stats.cache_hits = len(crops) - len(todo)
        for i, text in zip(todo, rec([crops[i] for i in todo]) if todo else [], strict=True):
            self._cache[keys[i]] = text
        out = []
        for k in keys:
            self._cache.move_to_end(k)
            out.append(self._cache[k])
        while len(self._cache) > _CACHE_SIZE:
            self._cache.popitem(last=False)
        return out

    def _models(self) -> tuple[TextDetector, TextRecognizer]:
        if self._det is None or self._rec is None:
            self._det = TextDetector(self.threads)
            self._rec = TextRecognizer(
                self.threads, self.charset, fast=self.fast_rec, height=self.rec_height
            )
        return self._det, self._rec


def _check_image(image: object) -> np.ndarray:
    if not isinstance(image, np.ndarray):
        raise PerceptionError(f"OCR needs an image array, got {type(image).__name__}")
    if image.size == 0 or image.ndim not in (2, 3) or min(image.shape[:2]) < 4:
        raise PerceptionError(f"OCR got an empty or degenerate image of shape {image.shape}")
    img = image
    if img.dtype != np.uint8:
        if not np.issubdtype(img.dtype, np.number):
            raise PerceptionError(f"OCR cannot read an image of dtype {img.dtype}")
        img = np.clip(img, 0, 255).astype(np.uint8)
    if img.ndim == 2:
        img = np.repeat(img[:, :, None], 3, axis=2)
    elif img.shape[2] == 4:
        img = img[:, :, :3]
    elif img.shape[2] != 3:
        raise PerceptionError(f"OCR needs RGB pixels, got {img.shape[2]} channels")
    return np.ascontiguousarray(img)


def _symbol(text: str, score: float) -> bool:
    """A lone blob counts only as a confidently read symbol or digit (a calculator's keys);
    letters there are icon noise."""
    return 0 < len(text) <= 2 and not any(c.isalpha() for c in text) and score >= 0.9


def _key(crop: np.ndarray) -> bytes:
    digest = hashlib.blake2b(np.ascontiguousarray(crop).tobytes(), digest_size=16)
    digest.update(repr(crop.shape).encode())
    return digest.digest()


def _cover(boxes: list[Box], lines: list[OcrLine]) -> list[Box]:
    """Grow ``boxes`` until every line they touch lies wholly inside one of them."""
    grown = regions.merge_boxes(boxes)
    while True:
        touched = [ln.box for ln in lines if any(ln.box.intersection(g) for g in grown)]
        new = regions.merge_boxes(grown + touched)
        if new == grown:
            return grown
        grown = new


def _same_place(old: Box, fresh: Box) -> bool:
    """A fresh line replaces an old one it mostly covers; padded boxes of neighbouring lines
    touch at their edges, and that must not drop the line next to a change."""
    return old.intersection(fresh) > 0.4 * min(old.area, fresh.area)


def _shift(raw: RawBox, area: Box) -> Box:
    return Box(
        left=raw.left + area.left,
        top=raw.top + area.top,
        right=raw.right + area.left,
        bottom=raw.bottom + area.top,
    )


def _dedupe(boxes: list[Box]) -> list[Box]:
    """Regions overlap at their padding; keep one of two boxes that are the same text."""
    out: list[Box] = []
    for box in sorted(boxes, key=lambda b: -b.area):
        if not any(box.intersection(o) > 0.6 * min(box.area, o.area) for o in out):
            out.append(box)
    return out


def _words(
    text: str, spans: list[tuple[float, float]], box: Box, score: float
) -> tuple[OcrWord, ...]:
    """Word boxes from the per-character x-spans the CTC decoder reports."""
    if len(spans) != len(text):
        return (OcrWord(text.strip(), box, score),) if text.strip() else ()
    words: list[OcrWord] = []
    start = None
    for i, ch in enumerate([*text, " "]):
        if ch != " " and start is None:
            start = i
        elif ch == " " and start is not None:
            left = box.left + int(spans[start][0])
            right = box.left + int(np.ceil(spans[i - 1][1]))
            # CTC spikes sit inside glyphs: widen by a little, never past the line.
            margin = max(1, box.height // 6)
            wbox = Box(
                left=max(box.left, left - margin),
                top=box.top,
                right=min(box.right, right + margin),
                bottom=box.bottom,
            )
            words.append(OcrWord(text[start:i], wbox, score))
            start = None
    return tuple(words)


def _trim(box: Box, words: tuple[OcrWord, ...]) -> Box:
    """Cut a non-text glyph the detector joined to a line (a checkbox, an icon) off its box."""
    if not words:
        return box
    slack = max(8, int(box.height * 0.8))
    left = words[0].box.left if words[0].box.left - box.left > slack else box.left
    right = words[-1].box.right if box.right - words[-1].box.right > slack else box.right
    return Box(left=left, top=box.top, right=right, bottom=box.bottom)


def _reading_order(lines: list[OcrLine]) -> list[OcrLine]:
    return reading_order(lines, lambda ln: ln.box)
