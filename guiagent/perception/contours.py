"""A classical element detector: closed rectangular outlines found from edges. The baseline
the trained detector must beat, and a fallback where its model file is absent.

Controls are mostly drawn as framed or filled rectangles (buttons, fields, drop-downs) and
small squares or circles (check boxes, radio buttons); their outlines close, while text
strokes form small, ragged contours that the shape tests drop.
"""

from __future__ import annotations

import cv2
import numpy as np

from guiagent.errors import PerceptionError
from guiagent.observation import Box, Element


def detect_contours(image: np.ndarray, max_elements: int = 300) -> list[Element]:
    """Boxes of framed or filled controls in ``image`` (RGB uint8), source ``detector``.

    Roles are guessed from shape alone: small squares are check boxes, small circles radio
    buttons, wide light boxes text fields, other rectangles buttons.
    """
    if image.ndim != 3 or image.shape[0] < 8 or image.shape[1] < 8:
        raise PerceptionError(f"contour detector needs an RGB image, got shape {image.shape}")
    gray = cv2.cvtColor(np.ascontiguousarray(image[:, :, :3]), cv2.COLOR_RGB2GRAY)
    edges = cv2.Canny(gray, 30, 90)
    edges = cv2.morphologyEx(edges, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8))
    contours, _ = cv2.findContours(edges, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    rows, cols = gray.shape
    found: list[tuple[Box, str, float]] = []
    for contour in contours:
        x, y, w, h = cv2.boundingRect(contour)
        if w < 9 or h < 9 or h > 120 or w > 0.6 * cols or h > 0.5 * rows:
            continue
        area = cv2.contourArea(contour)
        fill = area / float(w * h)
        small = w <= 28 and h <= 28 and abs(w - h) <= 3
        if small and 0.65 <= fill <= 0.85:
            role = "radio_button"
        elif small and fill > 0.85:
            role = "checkbox"
        elif fill >= 0.85 and h >= 14 and w >= 16:
            inner = gray[y + h // 4 : y + h - h // 4, x + 3 : x + w - 3]
            wide = w >= 4 * h and inner.size and float(np.std(inner)) < 25
            role = "text_field" if wide else "button"
        else:
            continue
        found.append((Box.xywh(x, y, w, h), role, round(min(1.0, fill), 3)))
    kept: list[tuple[Box, str, float]] = []
    for box, role, score in sorted(found, key=lambda f: -f[0].area):
        if any(box.iou(k[0]) > 0.7 for k in kept):
            continue
        kept.append((box, role, score))
    kept.sort(key=lambda f: (f[0].top, f[0].left))
    return [
        Element(role=role, box=box, source="detector", score=score)
        for box, role, score in kept[:max_elements]
    ]
