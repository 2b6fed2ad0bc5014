"""The colours a person would name in a control ("the blue button", "the red X"): its fill and
its ink, each named by hue, or grey / black / white when it has little colour."""

from __future__ import annotations

import cv2
import numpy as np

from guiagent.observation import Box

_SHARE = 0.08  # a colour covering less of the box than this is an edge, not its look
# hue bounds in degrees: (name, upper bound); a hue at or past the last wraps to red
_HUES = (
    ("red", 15),
    ("orange", 40),
    ("yellow", 70),
    ("green", 170),
    ("blue", 260),
    ("purple", 295),
    ("pink", 345),
)

#: every name ``name_of`` gives, and the shades a colour block's name may add ("light green")
COLOUR_NAMES = frozenset({name for name, _ in _HUES} | {"black", "white", "grey", "brown"})
SHADES = frozenset({"light", "dark"})


def strongest_channel(image: np.ndarray) -> np.ndarray:
    """Per pixel, the largest of an RGB image's three channels (OpenCV: fast). Of a
    difference or gradient image, how much the colour changes there in any channel."""
    return np.asarray(cv2.max(cv2.max(image[:, :, 0], image[:, :, 1]), image[:, :, 2]))


def colour_names(image: np.ndarray, box: Box) -> set[str]:
    """The names of the colours covering a fair share of ``box`` in an RGB ``image``."""
    h, w = image.shape[:2]
    region = box.clip(w, h)
    if region.area == 0:
        return set()
    crop = image[region.top : region.bottom, region.left : region.right].reshape(-1, 3)
    quant = (crop.astype(np.int32) // 32) @ np.array([64, 8, 1])
    counts = np.bincount(quant, minlength=512)
    names: set[str] = set()
    for q in np.nonzero(counts >= _SHARE * len(quant))[0]:
        names.add(name_of(crop[quant == q].mean(axis=0)))
    return names


def name_of(rgb: np.ndarray) -> str:
    """One RGB colour's everyday name."""
    pixel = np.clip(rgb, 0, 255).astype(np.uint8).reshape(1, 1, 3)
    hue, sat, val = (float(v) for v in cv2.cvtColor(pixel, cv2.COLOR_RGB2HSV_FULL)[0, 0])
    if sat < 0.22 * 255 or val < 0.2 * 255:
        if val < 0.25 * 255:
            return "black"
        return "white" if val > 0.88 * 255 else "grey"
    degrees = hue * 360 / 256
    if degrees < 45 and val < 0.6 * 255 and sat > 0.35 * 255:
        return "brown"  # a dark orange or red
    if 295 <= degrees < 330 and val < 0.7 * 255:
        return "purple"  # magenta, darkened ("purple" in CSS is #800080)
    return next((name for name, upper in _HUES if degrees < upper), "red")
