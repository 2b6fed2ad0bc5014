"""Observation -> Screen: run the enabled sources (accessibility, OCR) and fuse them.

One Perceiver lives for a run so its OCR engine keeps the models loaded and the previous
frame, which is what makes each step's OCR incremental.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from guiagent.config import PerceptionConfig
from guiagent.errors import PerceptionError
from guiagent.observation import Box, Element, Observation, Screen
from guiagent.perception.boards import find_cells
from guiagent.perception.fields import find_fields
from guiagent.perception.fuse import fuse
from guiagent.perception.icons import IconClassifier, classifier, find_icons, name_icons
from guiagent.perception.links import text_and_links
from guiagent.perception.ocr import OcrEngine
from guiagent.perception.ratings import find_ratings
from guiagent.perception.swatches import find_swatches

if TYPE_CHECKING:
    from guiagent.perception.detector import ElementDetector


class Perceiver:
    def __init__(
        self,
        config: PerceptionConfig | None = None,
        ocr: OcrEngine | None = None,
        *,
        fields: bool = False,
    ):
        self.config = config or PerceptionConfig()
        self._ocr = ocr
        self._detector: ElementDetector | None = None
        #: the last detection: OCR calls so far then, frame shape, elements
        self._detected: tuple[int, tuple[int, ...], list[Element]] | None = None
        #: where no accessibility tree comes, find empty text fields by their frames
        self.fields = fields

    @property
    def ocr(self) -> OcrEngine:
        """The OCR engine, created on first use (models load on its first read)."""
        if self._ocr is None:
            self._ocr = OcrEngine(
                min_score=self.config.ocr_min_score,
                fast_rec=self.config.ocr_fast_rec,
                rec_height=self.config.ocr_rec_height,
            )
        return self._ocr

    @property
    def detector(self) -> ElementDetector:
        """The element detector, created on first use (its model loads then, once)."""
        if self._detector is None:
            from guiagent.perception.detector import ElementDetector

            self._detector = ElementDetector()
        return self._detector

    def _detect(self, image: np.ndarray) -> list[Element]:
        """The detector's elements, reusing the previous frame's where OCR found the frame
        unchanged or changed in parts only (the same pixel comparison serves both)."""
        ocr = self._ocr if self.config.ocr else None
        calls = sum(ocr.calls.values()) if ocr is not None else -1
        last = self._detected
        mode = ocr.stats.mode if ocr is not None else "full"
        follows = last is not None and calls == last[0] + 1 and last[1] == image.shape
        if last is not None and follows and mode == "unchanged":
            found = last[2]
        elif last is not None and follows and mode == "incremental" and ocr is not None:
            found = self.detector.detect_changed(image, last[2], ocr.stats.changed)
        else:
            found = self.detector.detect(image)
        self._detected = (calls, image.shape, found) if ocr is not None else None
        return found

    @property
    def icon_classifier(self) -> IconClassifier | None:
        """The learned icon classifier (loaded once per process), None when configured off."""
        return None if self.config.icon_classifier == "off" else classifier()

    def perceive(self, observation: Observation) -> Screen:
        """Elements of every enabled source, fused; timings per stage in ``timings_ms``."""
        t0 = time.perf_counter()
        timings: dict[str, float] = {}
        texts: list[Element] = []
        if self.config.ocr:
            if self.fields and not (self.config.accessibility and observation.accessibility):
                # pixels only: no tree says which words are links, their colour does
                texts = text_and_links(observation.image, self.ocr.read(observation.image))
            else:
                texts = self.ocr.recognize(observation.image)
            timings["ocr"] = _ms(t0)
            timings["ocr_detect"] = round(self.ocr.stats.detect_ms, 2)
            timings["ocr_recognise"] = round(self.ocr.stats.recognise_ms, 2)
        a11y = observation.accessibility if self.config.accessibility else None
        pixels_only = not a11y
        if pixels_only and self.fields:  # pixels only: OCR cannot see an empty field
            t_fields = time.perf_counter()
            a11y = find_fields(observation.image)
            timings["fields"] = _ms(t_fields)
        naming = pixels_only and self.fields and self.config.icons
        if naming:  # icon-only controls, by shape
            t_icons = time.perf_counter()
            learned = self.icon_classifier
            a11y = name_icons(observation.image, list(a11y or []), learned=learned)
            everywhere = learned if self.config.icon_classifier == "all" else None
            icons = find_icons(observation.image, texts, learned=everywhere)
            a11y = _add_new(_unless_icons(a11y, icons, texts), icons)
            timings["icons"] = _ms(t_icons)
            t_swatches = time.perf_counter()  # flat colour blocks: no icon is drawn on them
            a11y = _in_place_of(a11y, find_swatches(observation.image, texts), 0.6)
            timings["swatches"] = _ms(t_swatches)
            t_cells = time.perf_counter()  # a board's squares, a row of cards
            a11y = _in_place_of(a11y, find_cells(observation.image, [*texts, *a11y]), 0.8)
            timings["cells"] = _ms(t_cells)
            t_ratings = time.perf_counter()  # a row of stars, by its count
            a11y = _in_place_of(a11y, find_ratings(observation.image, [*texts, *a11y]), 0.5)
            timings["ratings"] = _ms(t_ratings)
        if pixels_only and self.config.detector:  # controls the finders above missed
            t_det = time.perf_counter()
            kept = list(a11y or [])
            found = _unlabelled(self._detect(observation.image), texts)
            found = [el for el in found if _missed(el, kept)]
            if naming:
                found = name_icons(observation.image, found, learned=self.icon_classifier)
            a11y = kept + found
            timings["detector"] = _ms(t_det)
        t1 = time.perf_counter()
        elements = fuse(a11y, texts, observation.width, observation.height)
        timings["fuse"] = _ms(t1)
        timings["total"] = _ms(t0)
        return Screen(
            elements=elements,
            width=observation.width,
            height=observation.height,
            observation=observation,
            timings_ms=timings,
        )

    def perceive_image(self, image: str | Path | np.ndarray) -> Screen:
        """Perceive a screenshot file or RGB array (platform ``image``, no accessibility)."""
        return self.perceive(Observation(image=load_image(image), platform="image"))


def load_image(image: str | Path | np.ndarray) -> np.ndarray:
    """An RGB uint8 array from a path or an array; PerceptionError when it cannot be read."""
    if isinstance(image, np.ndarray):
        arr = image
    else:
        from PIL import Image, UnidentifiedImageError

        try:
            with Image.open(image) as img:
                arr = np.asarray(img.convert("RGB"))
        except (OSError, UnidentifiedImageError, ValueError) as exc:
            raise PerceptionError(f"cannot read image {image}: {exc}") from exc
    if arr.ndim == 2:
        arr = np.repeat(arr[:, :, None], 3, axis=2)
    if arr.ndim != 3 or arr.shape[2] not in (3, 4) or arr.size == 0:
        raise PerceptionError(f"not an RGB image: shape {arr.shape}")
    return np.ascontiguousarray(arr[:, :, :3].astype(np.uint8, copy=False))


def _missed(found: Element, kept: list[Element]) -> bool:
    """Whether a detected control is one the finders missed: not one of theirs (IoU 0.3),
    nor a ghost lying across two of theirs or in the gap between them (a box between two
    stacked fields, touching each within a couple of pixels)."""
    if any(found.box.iou(k.box) > 0.3 for k in kept):
        return False
    b = found.box
    reach = Box(left=b.left - _GAP, top=b.top - _GAP, right=b.right + _GAP, bottom=b.bottom + _GAP)
    return sum(1 for k in kept if reach.intersection(k.box) > 0) < 2


_GAP = 2  # px: a detected box this close to two found controls lies between them


def _unlabelled(found: list[Element], texts: list[Element]) -> list[Element]:
    """Detected controls with no OCR text on them: icons, empty fields, check marks. Where
    text is drawn, OCR already places it exactly; a coarser detector box around it would
    only move the point grounding clicks."""
    return [el for el in found if not any(el.box.intersection(t.box) > 0 for t in texts)]


_SURE_ICON = 0.95  # an icon matched this well is that icon, not a look-alike control


def _unless_icons(
    guessed: list[Element], icons: list[Element], texts: list[Element]
) -> list[Element]:
    """The field finder's check boxes and radio buttons, less those that are clearly a
    toolbar icon (a round icon reads as a radio button): matched as an icon, neither a
    check box nor a radio one, and with no words beside it to be its label."""
    sure = [
        i.box
        for i in icons
        if i.score >= _SURE_ICON and not any(w in i.name for w in ("check", "radio"))
    ]
    return [
        el
        for el in guessed
        if not (
            el.source == "detector"
            and el.role in ("checkbox", "radio_button")
            and "switch" not in el.states  # a pill with a knob: a switch, whatever it is like
            and any(el.box.iou(b) > 0.5 for b in sure)
            and not any(_label_beside(el.box, t.box) for t in texts)
        )
    ]


def _label_beside(box: Box, text: Box) -> bool:
    """Whether ``text`` sits right of ``box`` on its row, where a check box's label does."""
    same_row = min(box.bottom, text.bottom) - max(box.top, text.top) > 0.5 * box.height
    return same_row and 0 <= text.left - box.right <= 2 * box.height


def _add_new(kept: list[Element], found: list[Element], iou: float = 0.5) -> list[Element]:
    """``kept`` plus the ``found`` elements that are not already there."""
    return kept + [el for el in found if not any(el.box.iou(k.box) > iou for k in kept)]


def _in_place_of(kept: list[Element], found: list[Element], iou: float) -> list[Element]:
    """``found`` in place of the ``kept`` elements it overlaps by more than ``iou``: a later
    finder that knows what a box is (a swatch, a board's square, a star rating) replaces an
    earlier guess at it (an unnamed icon, a field)."""
    return [el for el in kept if not any(el.box.iou(f.box) > iou for f in found)] + found


def _ms(since: float) -> float:
    return round((time.perf_counter() - since) * 1000, 2)
