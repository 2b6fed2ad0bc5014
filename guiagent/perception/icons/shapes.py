"""Glyphs as shapes: the ink that contrasts with a crop's background, cropped, padded square
and scaled to GRID x GRID, so size, colour, padding and stroke rendering matter little."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from guiagent.observation import Box

GRID = 24  # glyphs are compared as GRID x GRID shapes
BLUR = 1.0


@dataclass(frozen=True)
class Shape:
    """A glyph as matching sees it: its look at GRID x GRID, and its proportions."""

    vector: np.ndarray  # unit vector, GRID * GRID
    aspect: float  # log(width / height) of the ink's bounding box
    density: float  # mean ink inside that box


def descriptor(ink: np.ndarray) -> Shape | None:
    """The shape of an ink map (0..1 floats): cropped to its ink, padded square, scaled to
    GRID and blurred, so size, padding and stroke rendering matter little."""
    ys, xs = np.nonzero(ink > 0.3)
    if len(xs) < 3:
        return None
    crop = ink[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
    h, w = crop.shape
    side = max(h, w) + 2
    square = np.zeros((side, side), np.float32)
    top, left = (side - h) // 2, (side - w) // 2
    square[top : top + h, left : left + w] = crop
    interp = cv2.INTER_AREA if side > GRID else cv2.INTER_LINEAR
    small = cv2.resize(square, (GRID, GRID), interpolation=interp)
    small = cv2.GaussianBlur(small, (0, 0), BLUR)
    vec = small.ravel() - small.mean()
    norm = float(np.linalg.norm(vec))
    if norm <= 1e-6:
        return None
    aspect = float(np.log(w / h))
    return Shape((vec / norm).astype(np.float32), aspect, float(crop.mean()))


def ink_map(rgb: np.ndarray) -> np.ndarray | None:
    """How far each pixel of a crop stands out from the crop's commonest colour (0..1); None
    when nothing does (a blank region)."""
    dist = np.abs(rgb.astype(np.float32) - _commonest(rgb.reshape(-1, 3))).max(axis=2)
    return _scaled(dist, float(np.percentile(dist, 99.5)))


def _commonest(pixels: np.ndarray) -> np.ndarray:
    """The commonest colour of (n, 3) pixels, to 1/16 of each channel, as their median."""
    pixels = pixels.astype(np.int32)
    quant = (pixels // 16) @ np.array([256, 16, 1])
    return np.median(pixels[quant == np.bincount(quant).argmax()], axis=0)


def _scaled(dist: np.ndarray, contrast: float) -> np.ndarray | None:
    """Colour distances as ink 0..1 against the crop's contrast (faint differences are no
    ink); None when nothing stands out."""
    if contrast < 40:
        return None
    ink = np.clip(dist / contrast, 0.0, 1.0)
    ink[dist < 0.2 * contrast] = 0.0
    return ink


def glyph(
    rgb: np.ndarray, ink: np.ndarray | None = None
) -> tuple[np.ndarray, tuple[int, int, int, int]] | None:
    """The glyph inside a crop: its ink map and bounding box (x, y, w, h) in the crop.

    Ink touching the crop's edge (a neighbour) or spanning most of it (a button's frame) is
    left out; what stays is the icon. ``ink``: the crop's ``ink_map``, when already made.
    """
    ink = ink_map(rgb) if ink is None else ink
    if ink is None:
        return None
    binary = (ink > 0.35).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    keep = [i for i in range(1, count) if not _frame_like(stats[i], binary.shape)]
    frames = [i for i in keep if _box_frame(labels == i, stats[i])]
    if len(frames) < len(keep):  # a frame around a glyph; alone, a square is the icon itself
        keep = [i for i in keep if i not in frames]
    if not keep:
        return None
    kept = cv2.dilate(np.isin(labels, keep).astype(np.uint8), np.ones((3, 3), np.uint8))
    ink = ink * kept.astype(np.float32)
    ys, xs = np.nonzero(ink > 0.3)
    if len(xs) < 3 or text_like(ink):
        return None
    x0, y0, x1, y1 = xs.min(), ys.min(), xs.max() + 1, ys.max() + 1
    return ink[y0:y1, x0:x1], (int(x0), int(y0), int(x1 - x0), int(y1 - y0))


def plate_glyph(
    rgb: np.ndarray, ink: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray] | None:
    """The glyph on a filled plate (a round or square button filled with one colour, its icon
    drawn in another) and the plate with its glyph filled in, as ink maps; None when the crop
    holds no plate. Seen whole, every such button is a disc with a mark, and discs look alike.
    ``ink``: the crop's ``ink_map``, when already made."""
    ink = ink_map(rgb) if ink is None else ink
    if ink is None:
        return None
    binary = (ink > 0.35).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    rows, cols = binary.shape
    for i in range(1, count):
        x, y, w, h, _ = (int(v) for v in stats[i, :5])
        if x == 0 or y == 0 or x + w >= cols or y + h >= rows:
            continue  # plates stand on the background; this is the background around one
        if w < 0.6 * cols or h < 0.6 * rows:
            continue
        contours, _ = cv2.findContours(
            (labels == i).astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE
        )
        outline = max(contours, key=cv2.contourArea)
        area = cv2.contourArea(outline)
        if area < 0.6 * w * h or area < 0.9 * cv2.contourArea(cv2.convexHull(outline)):
            continue  # not a disc or a (rounded) square
        filled = np.zeros((rows, cols), np.uint8)
        cv2.drawContours(filled, [outline], -1, 1, thickness=-1)
        if (labels == i).sum() < 0.6 * filled.sum():
            continue  # an outline (a ring, a magnifier), not a filled plate
        inside = cv2.erode(filled, np.ones((3, 3), np.uint8), iterations=2).astype(bool)
        cut = _unlike_commonest(rgb, inside)
        if cut is None:
            return None
        ys, xs = np.nonzero(cut > 0.3)
        if len(xs) < 6 or text_like(cut):
            return None
        plain = filled[y : y + h, x : x + w].astype(np.float32)
        return cut[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1], plain
    return None


def _unlike_commonest(rgb: np.ndarray, where: np.ndarray) -> np.ndarray | None:
    """Ink of the pixels in ``where`` that differ from the commonest colour there (0..1)."""
    if where.sum() < 9:
        return None
    dist = np.abs(rgb.astype(np.float32) - _commonest(rgb[where])).max(axis=2) * where
    return _scaled(dist, float(dist.max()))


def text_like(ink: np.ndarray) -> bool:
    """Ink that reads as a word: three or more unlike pieces side by side in a wide run
    ("Hello"), where a row of icon dots has like pieces. Such ink is no icon here, and icon
    font glyphs that are words ("html") are no icons in the library either."""
    binary = (ink > 0.35).astype(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    parts = stats[1:][stats[1:, 4] >= 3]
    if len(parts) < 3:
        return False
    x0, y0 = parts[:, 0].min(), parts[:, 1].min()
    x1, y1 = (parts[:, 0] + parts[:, 2]).max(), (parts[:, 1] + parts[:, 3]).max()
    if x1 - x0 < 1.8 * (y1 - y0):
        return False
    w, h = parts[:, 2], parts[:, 3]
    return bool(h.max() >= 1.3 * h.min() or w.max() >= 1.6 * w.min())


def _frame_like(stat: np.ndarray, shape: tuple[int, ...]) -> bool:
    """A component that is a frame or a neighbour, not a glyph: it touches the crop's edge
    or is a long thin line along one side (a frame broken at its corners)."""
    x, y, w, h, area = (int(v) for v in stat[:5])
    rows, cols = shape[:2]
    if x == 0 or y == 0 or x + w >= cols or y + h >= rows:
        return True
    edge = 5  # px from the crop's side
    side = y + h <= edge or y >= rows - edge
    upright = x + w <= edge or x >= cols - edge
    # a rounded frame's sides are cut short by its corners (drawn too faint to count)
    return (w >= 0.4 * cols and h <= 2 and side) or (h >= 0.4 * rows and w <= 2 and upright)


def _box_frame(part: np.ndarray, stat: np.ndarray) -> bool:
    """A button's frame: a component as large as the crop whose ink lies along its own
    bounding box (an icon's outline, a bin or a magnifier, does not)."""
    x, y, w, h, area = (int(v) for v in stat[:5])
    rows, cols = part.shape
    if w < 0.8 * cols or h < 0.8 * rows or area >= 0.45 * w * h:
        return False
    inner = part[y + 2 : y + h - 2, x + 2 : x + w - 2]
    return int(inner.sum()) <= 0.15 * area


def box_descriptor(image: np.ndarray, box: Box) -> Shape | None:
    """The shape of the glyph inside ``box`` (a little margin around it for background)."""
    return box_shapes(image, box)[0]


def box_shapes(image: np.ndarray, box: Box) -> tuple[Shape | None, tuple[Shape, Shape] | None]:
    """The glyph inside ``box`` as a shape, and, where it sits on a filled plate, the shapes
    of the glyph cut out of the plate and of the bare plate (see ``plate_glyph``)."""
    crop = _crop(image, box)
    ink = None if crop is None else ink_map(crop)
    if crop is None or ink is None:
        return None, None
    whole = None
    found = glyph(crop, ink)
    if found is not None and 6 <= max(found[1][2:]) <= 96:
        whole = descriptor(found[0])
    plate = None
    cut = plate_glyph(crop, ink)
    if cut is not None and max(cut[0].shape) >= 5:
        shapes = descriptor(cut[0]), descriptor(cut[1])
        if shapes[0] is not None and shapes[1] is not None:
            plate = (shapes[0], shapes[1])
    return whole, plate


#: px of background read around a box (a glyph's edge needs it to stand out)
CROP_MARGIN = 2


def _crop(image: np.ndarray, box: Box, pad: int = CROP_MARGIN) -> np.ndarray | None:
    """``box`` with a little margin around it (for the background), None when tiny."""
    h, w = image.shape[:2]
    region = Box(
        left=box.left - pad, top=box.top - pad, right=box.right + pad, bottom=box.bottom + pad
    ).clip(w, h)
    if region.width < 6 or region.height < 6:
        return None
    return image[region.top : region.bottom, region.left : region.right]
