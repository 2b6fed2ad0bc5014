"""Training samples: each glyph drawn the way a screen shows an icon, then seen the way the
namer sees a screen crop (``shapes.glyph`` then ``shapes.descriptor``), so the classifier
learns from exactly what it is given at run time.

A drawing is varied the ways a site's own icon differs from a font's: stroke weight, a small
turn, a squeeze, size (14..40 px), colours and blur.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor

import cv2
import numpy as np

from guiagent.grounding_models.icon_classifier.glyphs import Glyph
from guiagent.perception.icons.shapes import GRID, descriptor, glyph

_HI = 64  # glyphs are drawn this size, varied, then scaled down to the icon's size


@functools.lru_cache(maxsize=64)
def _font(path: str, size: int):  # type: ignore[no-untyped-def]
    from PIL import ImageFont

    return ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.BASIC)


def _drawn(g: Glyph) -> np.ndarray | None:
    """The glyph's ink at about _HI px (0..1), cropped to it."""
    from PIL import Image, ImageDraw

    canvas = Image.new("L", (_HI * 2, _HI * 2))
    try:
        ImageDraw.Draw(canvas).text(
            (_HI // 2, _HI // 2), g.char, font=_font(str(g.font), _HI), fill=255
        )
    except (ValueError, OSError):  # a glyph the font cannot lay out
        return None
    ink = np.asarray(canvas, np.float32) / 255.0
    ys, xs = np.nonzero(ink > 0.2)
    if len(xs) < 10:
        return None
    return ink[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]


def _varied(ink: np.ndarray, rng: random.Random) -> np.ndarray:
    """A stroke a little heavier or lighter, turned a few degrees, squeezed a little."""
    k = rng.choice((0, 0, 1, 2, 3))
    if k:
        kernel = np.ones((k, k), np.uint8)
        ink = (cv2.dilate if rng.random() < 0.6 else cv2.erode)(ink, kernel)
    h, w = ink.shape
    pad = max(h, w) // 4
    ink = cv2.copyMakeBorder(ink, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=0.0)
    centre = (ink.shape[1] / 2, ink.shape[0] / 2)
    turn = cv2.getRotationMatrix2D(centre, rng.uniform(-8, 8), 1.0)
    turn[0] *= rng.uniform(0.85, 1.15)  # squeezed or stretched across
    return cv2.warpAffine(ink, turn, (ink.shape[1], ink.shape[0]), flags=cv2.INTER_LINEAR)


def _on_screen(ink: np.ndarray, rng: random.Random) -> np.ndarray:
    """The ink as an icon on a screen: size, colours, margin and blur of a real crop."""
    size = rng.randint(14, 40)
    h, w = ink.shape
    scale = size / max(h, w)
    small = cv2.resize(
        ink, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA
    )
    if rng.random() < 0.3:
        small = cv2.GaussianBlur(small, (0, 0), rng.uniform(0.3, 0.8))
    small = np.clip(small, 0.0, 1.0)
    margin = rng.randint(3, 10)
    sh, sw = small.shape
    alpha = np.zeros((sh + 2 * margin, sw + 2 * margin), np.float32)
    alpha[margin : margin + sh, margin : margin + sw] = small
    light = rng.random() < 0.7
    bg = np.array([rng.randint(200, 255) if light else rng.randint(0, 70) for _ in range(3)])
    fg = np.array([rng.randint(0, 120) if light else rng.randint(170, 255) for _ in range(3)])
    if rng.random() < 0.25:  # a coloured icon (a brand blue, a warning red)
        fg = np.array([rng.randint(0, 255) for _ in range(3)])
        if np.abs(fg - bg).max() < 90:
            fg = 255 - bg
    rgb = bg[None, None, :] * (1 - alpha[..., None]) + fg[None, None, :] * alpha[..., None]
    return rgb.astype(np.uint8)


def sample(g: Glyph, rng: random.Random) -> tuple[np.ndarray, float, float] | None:
    """One drawing of ``g`` as the namer's input: GRID*GRID vector, aspect, density."""
    ink = _drawn(g)
    if ink is None:
        return None
    rgb = _on_screen(_varied(ink, rng), rng)
    found = glyph(rgb)
    if found is None:
        return None
    shape = descriptor(found[0])
    if shape is None:
        return None
    return shape.vector, shape.aspect, shape.density


def _chunk(args: tuple[list[Glyph], int, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    glyphs, variants, seed = args
    rng = random.Random(seed)
    vecs, forms, index = [], [], []
    for i, g in enumerate(glyphs):
        for _ in range(variants):
            got = sample(g, rng)
            if got is not None:
                vecs.append(got[0].astype(np.float16))
                forms.append((got[1], got[2]))
                index.append(i)
    return (
        np.asarray(vecs, np.float16).reshape(-1, GRID * GRID),
        np.asarray(forms, np.float32).reshape(-1, 2),
        np.asarray(index, np.int64),
    )


def samples(
    glyphs: Sequence[Glyph], variants: int, seed: int, workers: int = 2
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``variants`` drawings of each glyph: vectors (n, GRID*GRID), forms (n, 2) and the
    index of the glyph each came from (drawings that show no glyph are left out)."""
    glyphs = list(glyphs)
    step = max(1, len(glyphs) // (workers * 8))
    jobs = [
        (glyphs[i : i + step], variants, seed * 100_003 + i) for i in range(0, len(glyphs), step)
    ]
    with ProcessPoolExecutor(workers) as pool:
        parts = list(pool.map(_chunk, jobs))
    offsets = np.cumsum([0] + [len(j[0]) for j in jobs[:-1]])
    return (
        np.concatenate([p[0] for p in parts]),
        np.concatenate([p[1] for p in parts]),
        np.concatenate([p[2] + o for p, o in zip(parts, offsets, strict=True)]),
    )
