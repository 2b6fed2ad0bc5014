"""Solid colour blocks found from pixels: colour swatches, coloured tiles and squares.

A colour picker's swatches, a game board's coloured squares or a legend's keys carry no text
and no icon, so neither OCR nor the icon library sees them, yet people ask for them by colour
("the purple square", "pick the dark green"). Each is a region of one flat colour, nearly
filling its bounding box, set apart from the page around it by an edge.
"""

from __future__ import annotations

import cv2
import numpy as np

from guiagent.observation import Box, Element
from guiagent.perception.colours import name_of, strongest_channel

_MIN_SIDE = 12  # px: smaller flat blocks are glyph parts, bullets or borders
_MAX_SHARE = 0.12  # of the screen's area: larger flat regions are panels and backgrounds
_FILL = 0.95  # of its bounding box a block's region covers (a square, nothing drawn on it)
_ROUND = (0.72, 0.86)  # ... or a round one covers (a disc fills pi/4 of its square)
_ASPECT = 3.0  # longest side over shortest: a swatch or tile, not a bar or rule
_FLAT = 6.0  # colour spread (std, 0..255) inside a block
_EDGE = 24  # colour step (any channel) that separates regions


def find_swatches(image: np.ndarray, texts: list[Element], limit: int = 40) -> list[Element]:
    """Flat colour blocks with no text on them (role ``icon``, source ``detector``), named by
    colour: "purple square (purple, purple box, purple swatch, square, box, swatch)".

    White and light grey blocks are left out: on a light page they are panels, fields and
    cells, which other finders name.
    """
    if image.ndim != 3:
        return []
    rows, cols = image.shape[:2]
    image = np.ascontiguousarray(image)
    step = np.zeros((rows, cols), dtype=bool)
    step[:, 1:] |= _largest_step(image[:, 1:], image[:, :-1]) > _EDGE
    step[1:, :] |= _largest_step(image[1:, :], image[:-1, :]) > _EDGE
    inside = (~step).astype(np.uint8)
    _, labels, stats, _ = cv2.connectedComponentsWithStats(inside, connectivity=4)
    x, y, w, h, area = (stats[:, k].astype(np.int64) for k in range(5))
    short, long_ = np.minimum(w, h), np.maximum(w, h)
    keep = (short >= _MIN_SIDE) & (w * h <= _MAX_SHARE * rows * cols)
    fill = area / np.maximum(w * h, 1)
    disc = (long_ <= 1.15 * short) & (fill >= _ROUND[0]) & (fill <= _ROUND[1])
    keep &= (long_ <= _ASPECT * short) & ((fill >= _FILL) | disc)
    keep &= (x > 0) & (y > 0) & (x + w < cols) & (y + h < rows)  # not cut by the screen's edge
    keep[0] = False
    found: list[Element] = []
    for i in np.flatnonzero(keep):
        left, top, width, height = (int(v) for v in stats[i, :4])
        box = Box.xywh(left, top, width, height)
        if any(box.intersection(t.box) > 0.2 * t.box.area for t in texts):
            continue  # a button or a field with words on it
        region = (slice(top, top + height), slice(left, left + width))
        if disc[i] and _holed((labels[region] == i).astype(np.uint8)):
            continue  # a round button with a glyph cut out of it: the icon finder's
        colours = image[region][labels[region] == i]
        if float(colours.std(axis=0).max()) > _FLAT:
            continue
        mean = colours.mean(axis=0)
        if _like_around(image, box, mean):
            continue  # the inside of an outlined button: the page's own colour
        base = name_of(mean)
        colour = base if base in ("black", "white") else _shade(mean) + base
        if colour in ("white", "grey", "light grey"):
            continue
        found.append(_swatch(box, colour, round_=bool(disc[i])))
        if len(found) >= limit:
            break
    return found


def _holed(mask: np.ndarray) -> bool:
    """Whether a region has holes (a glyph drawn on it) of more than 2% of its area."""
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    filled = np.zeros_like(mask)
    cv2.drawContours(filled, contours, -1, 1, thickness=-1)
    return int(filled.sum()) - int(mask.sum()) > 0.02 * int(mask.sum())


def _like_around(image: np.ndarray, box: Box, colour: np.ndarray, gap: int = 4) -> bool:
    """Whether the page just outside ``box`` (past a frame line) has the block's colour."""
    rows, cols = image.shape[:2]
    outer = Box(
        left=max(0, box.left - gap), top=max(0, box.top - gap),
        right=min(cols, box.right + gap), bottom=min(rows, box.bottom + gap),
    )  # fmt: skip
    ring = np.concatenate(
        [
            image[outer.top, outer.left : outer.right],
            image[outer.bottom - 1, outer.left : outer.right],
            image[outer.top : outer.bottom, outer.left],
            image[outer.top : outer.bottom, outer.right - 1],
        ]
    )
    around = np.median(ring, axis=0)
    return float(np.abs(around - colour).max()) < 2 * _EDGE


def _largest_step(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Per pixel, the largest channel difference between two RGB images."""
    return strongest_channel(cv2.absdiff(np.ascontiguousarray(a), np.ascontiguousarray(b)))


def _shade(rgb: np.ndarray) -> str:
    """ "light " or "dark " where the colour is far from its hue's full tone, else ""."""
    pixel = np.clip(rgb, 0, 255).astype(np.uint8).reshape(1, 1, 3)
    _, sat, val = (float(v) for v in cv2.cvtColor(pixel, cv2.COLOR_RGB2HSV_FULL)[0, 0])
    if sat < 0.22 * 255:
        return "light " if 0.6 * 255 < val <= 0.88 * 255 else ""
    if val < 0.45 * 255:
        return "dark "
    return "light " if sat < 0.5 * 255 and val > 0.8 * 255 else ""


def _swatch(box: Box, colour: str, round_: bool = False) -> Element:
    base = colour.split()[-1]
    shape, kinds = (
        ("circle", ("dot", "swatch")) if round_ else ("square", ("box", "swatch", "tile"))
    )
    alts = [colour, *(f"{colour} {kind}" for kind in kinds)]
    if base != colour:
        alts += [f"{base} {shape}", base]
    alts += [shape, *kinds]
    name = f"{colour} {shape} ({', '.join(alts)})"
    return Element(role="icon", name=name, box=box, source="detector", score=0.8)
