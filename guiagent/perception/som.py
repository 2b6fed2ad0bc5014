"""Set-of-marks: each element's box and id drawn on a copy of the screenshot.

A model (or a person debugging grounding) names an element by the number drawn on it. Labels
go just outside a box's corner where they cover no other element's text, inside it otherwise;
colours tell the source apart (a11y green, OCR blue, detector orange, remote purple).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from guiagent.errors import PerceptionError
from guiagent.observation import Box, Element

COLOURS: dict[str, tuple[int, int, int]] = {
    "a11y": (0, 150, 60),
    "ocr": (20, 90, 230),
    "detector": (230, 120, 0),
    "remote": (150, 40, 190),
}
_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


@lru_cache(maxsize=4)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(_FONT, size)
    except OSError:
        return ImageFont.load_default()


def render_som(
    image: np.ndarray | Image.Image, elements: Sequence[Element], font_size: int = 12
) -> Image.Image:
    """A copy of ``image`` with every element's box and ``id`` drawn on it."""
    if isinstance(image, np.ndarray):
        if image.ndim != 3 or image.shape[2] < 3 or image.size == 0:
            raise PerceptionError(f"set-of-marks needs an RGB image, got shape {image.shape}")
        base = Image.fromarray(np.ascontiguousarray(image[:, :, :3]).astype(np.uint8), "RGB")
    else:
        base = image.convert("RGB")
    canvas = base.convert("RGBA")
    overlay = Image.new("RGBA", canvas.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    font = _font(font_size)
    width, height = canvas.size
    taken: list[Box] = []
    boxes = [el.box for el in elements]
    for el in sorted(elements, key=lambda e: -e.box.area):  # small boxes drawn last, on top
        colour = COLOURS.get(el.source, (200, 0, 0))
        b = el.box.clip(width, height)
        if b.width < 1 or b.height < 1:
            continue
        draw.rectangle([b.left, b.top, b.right - 1, b.bottom - 1], outline=(*colour, 255), width=2)
        text = str(el.id)
        x0, y0, x1, y1 = (int(v) for v in draw.textbbox((0, 0), text, font=font))
        tag = _place(b, x1 - x0 + 6, y1 - y0 + 4, width, height, boxes, taken)
        taken.append(tag)
        draw.rectangle([tag.left, tag.top, tag.right - 1, tag.bottom - 1], fill=(*colour, 225))
        draw.text((tag.left + 3 - x0, tag.top + 2 - y0), text, fill=(255, 255, 255, 255), font=font)
    return Image.alpha_composite(canvas, overlay).convert("RGB")


def save_som(
    path: str | Path, image: np.ndarray | Image.Image, elements: Sequence[Element]
) -> Path:
    """Render and write a set-of-marks PNG; returns the path written."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    render_som(image, elements).save(out)
    return out


def _place(
    b: Box, w: int, h: int, width: int, height: int, boxes: list[Box], taken: list[Box]
) -> Box:
    """The first label spot that stays on screen and covers no element or other label."""
    spots = [
        Box.xywh(b.left, b.top - h, w, h),  # above, left-aligned
        Box.xywh(b.left - w, b.top, w, h),  # left of the top-left corner
        Box.xywh(b.right - w, b.top - h, w, h),  # above, right-aligned
        Box.xywh(b.right, b.top, w, h),  # right of the top-right corner
        Box.xywh(b.left, b.bottom, w, h),  # below
        Box.xywh(b.left, b.top, w, h),  # inside the top-left corner
    ]
    on_screen = [
        s for s in spots if s.left >= 0 and s.top >= 0 and s.right <= width and s.bottom <= height
    ]
    for spot in on_screen:
        if not any(spot.intersection(o) for o in taken) and not any(
            spot.intersection(o) for o in boxes if o != b and not _contains(o, b)
        ):
            return spot
    for spot in on_screen:
        if not any(spot.intersection(o) for o in taken):
            return spot
    return (on_screen or spots)[-1].clip(width, height)


def _contains(outer: Box, inner: Box) -> bool:
    return inner.intersection(outer) == inner.area
