"""Cheap checks of an action's effect, used by command mode to decide whether to retry."""

from __future__ import annotations

import numpy as np

from guiagent.observation import Box, Element, Observation, Screen

#: Per-pixel grey-level difference that counts as a change (ignores compression-like noise).
_PIXEL_DELTA = 24


def changed_fraction(before: Observation, after: Observation, box: Box | None = None) -> float:
    """Fraction of pixels (inside ``box`` when given) that differ visibly between two frames."""
    a, b = before.image, after.image
    if a.shape != b.shape:
        return 1.0
    if box is not None:
        box = box.clip(a.shape[1], a.shape[0])
        if box.area == 0:
            return 0.0
        a = a[box.top : box.bottom, box.left : box.right]
        b = b[box.top : box.bottom, box.left : box.right]
    # Sub-sample every other pixel: a button press or a typed glyph still shows, at 1/4 the cost.
    diff = np.abs(a[::2, ::2].astype(np.int16) - b[::2, ::2].astype(np.int16)).max(axis=2)
    return float((diff > _PIXEL_DELTA).mean())


def screen_changed(before: Observation, after: Observation, box: Box | None = None) -> bool:
    return (
        changed_fraction(before, after, box) > 0.0005
        if box is None
        else (changed_fraction(before, after, box) > 0.002)
    )


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
