"""Cheap checks of an action's effect, used by command mode to decide whether to retry."""

from __future__ import annotations

import cv2
import numpy as np

from guiagent.observation import Box, Element, Observation, Screen
from guiagent.perception.colours import strongest_channel

#: Per-pixel grey-level difference that counts as a change (ignores compression-like noise).
_PIXEL_DELTA = 24
#: Pixels that must change inside a box: a check mark is a dozen or more.
_MIN_BOX_PIXELS = 8
#: Sampled pixels that must change in a whole frame: a blinking text cursor is about ten, one
#: digit in a calculator's display about seventy.
_MIN_FRAME_SAMPLES = 24


def changed_pixels(
    before: Observation, after: Observation, box: Box | None = None
) -> tuple[int, int]:
    """(changed, total) sampled pixels, inside ``box`` when given, between two frames.

    A whole frame is sampled at every other pixel in each direction (a button press or a typed
    glyph still shows); a box is compared in full, since a check mark is only a dozen pixels.
    """
    a, b = before.image, after.image
    if a.shape != b.shape:  # a resized screen: everything changed
        return b.shape[0] * b.shape[1], b.shape[0] * b.shape[1]
    if box is not None:
        box = box.clip(a.shape[1], a.shape[0])
        if box.area == 0:
            return 0, 0
        a = a[box.top : box.bottom, box.left : box.right]
        b = b[box.top : box.bottom, box.left : box.right]
        diff = np.abs(a.astype(np.int16) - b.astype(np.int16)).max(axis=2)
        return int((diff > _PIXEL_DELTA).sum()), int(diff.size)
    # a whole frame: OpenCV's per-channel difference, then every other pixel (≈ 2.5x faster)
    most = strongest_channel(cv2.absdiff(np.ascontiguousarray(a), np.ascontiguousarray(b)))
    most = most[::2, ::2]
    return int(np.count_nonzero(most > _PIXEL_DELTA)), int(most.size)


def screen_changed(before: Observation, after: Observation, box: Box | None = None) -> bool:
    """A visible change: a few pixels inside a control's box (a tick, a glyph), or a
    few dozen across the whole screen (so a blinking text cursor alone does not count)."""
    changed, _total = changed_pixels(before, after, box)
    return changed >= _MIN_BOX_PIXELS if box is not None else frame_changed(changed)


def frame_changed(changed: int) -> bool:
    """Whether ``changed`` sampled pixels of a whole frame (``changed_pixels``) are a change."""
    return changed >= _MIN_FRAME_SAMPLES


def element_state(screen: Screen, like: Element) -> Element | None:
    """The element on ``screen`` that is the same control as ``like`` (a11y boxes are stable)."""
    best: Element | None = None
    best_iou = 0.5
    for el in screen.elements:
        if el.source != like.source or el.role != like.role:
            continue
        iou = el.box.iou(like.box)
        if iou > best_iou:
            best, best_iou = el, iou
    return best


def grow(box: Box, pixels: int) -> Box:
    return Box(
        left=box.left - pixels,
        top=box.top - pixels,
        right=box.right + pixels,
        bottom=box.bottom + pixels,
    )
