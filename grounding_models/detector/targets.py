"""Training samples for the detector: screens fitted into the input canvas, augmented, and
turned into CenterNet targets (elliptic Gaussian centre peaks, log sizes, offsets).

numpy and OpenCV only, so it can be tested without torch.
"""

from __future__ import annotations

import json
import pickle
import random
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from guiagent.grounding_models.detector import CLASSES

CANVAS = (384, 512)  # height, width of the training input
STRIDE = 4
MAX_OBJECTS = 192
CLASS_INDEX = {name: i for i, name in enumerate(CLASSES)}


@dataclass
class Screen:
    """One cached screen: JPEG bytes of the image fitted into the canvas, boxes scaled alike."""

    jpeg: bytes
    boxes: np.ndarray  # (n, 4) float32, canvas pixels
    classes: np.ndarray  # (n,) int64


def fit_scale(width: int, height: int, canvas: tuple[int, int] = CANVAS) -> float:
    return min(canvas[1] / width, canvas[0] / height)


def load_screens(data: Path, canvas: tuple[int, int] = CANVAS) -> list[Screen]:
    """Read ``labels.jsonl`` and the images of one data folder, fitted into ``canvas``; kept
    in ``cache_HxW.pkl`` beside them, since decoding thousands of large PNGs takes minutes."""
    cache = data / f"cache_{canvas[0]}x{canvas[1]}.pkl"
    labels = data / "labels.jsonl"
    if cache.is_file() and cache.stat().st_mtime >= labels.stat().st_mtime:
        with cache.open("rb") as fh:
            cached: list[Screen] = pickle.load(fh)
        return cached
    screens = []
    for line in (data / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        img = cv2.imread(str(data / item["image"]), cv2.IMREAD_COLOR)
        if img is None:
            continue
        h, w = img.shape[:2]
        s = fit_scale(w, h, canvas)
        img = cv2.resize(img, (round(w * s), round(h * s)), interpolation=cv2.INTER_AREA)
        ok, jpeg = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, 93])
        if not ok:
            continue
        boxes = [b for b in item["boxes"] if b[4] in CLASS_INDEX]
        screens.append(
            Screen(
                jpeg=jpeg.tobytes(),
                boxes=np.array([b[:4] for b in boxes], np.float32).reshape(-1, 4) * s,
                classes=np.array([CLASS_INDEX[b[4]] for b in boxes], np.int64),
            )
        )
    with cache.open("wb") as fh:
        pickle.dump(screens, fh)
    return screens


def augment(
    screen: Screen, rng: random.Random, canvas: tuple[int, int] = CANVAS
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """RGB canvas (H, W, 3) uint8, boxes and classes after random scale, placement and
    colour changes (inversion, grey, contrast) so themes the generator lacks still look known.
    """
    bgr = cv2.imdecode(np.frombuffer(screen.jpeg, np.uint8), cv2.IMREAD_COLOR)
    if bgr is None:
        raise ValueError("a cached screen does not decode")
    img = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
    boxes = screen.boxes.copy()
    s = rng.uniform(0.7, 1.6)  # up to about the scale of a small window shown whole
    if abs(s - 1) > 0.02:
        h, w = img.shape[:2]
        img = cv2.resize(img, (max(8, round(w * s)), max(8, round(h * s))))
        boxes *= s
    ch, cw = canvas
    out = np.empty((ch, cw, 3), np.uint8)
    out[:] = img[0, 0] if rng.random() < 0.7 else rng.randrange(256)
    h, w = img.shape[:2]
    # a random window of the image, placed at a random spot of the canvas
    sx = rng.randint(0, max(0, w - cw))
    sy = rng.randint(0, max(0, h - ch))
    dx = rng.randint(0, max(0, cw - w))
    dy = rng.randint(0, max(0, ch - h))
    crop = img[sy : sy + ch, sx : sx + cw]
    out[dy : dy + crop.shape[0], dx : dx + crop.shape[1]] = crop
    boxes += np.array([dx - sx, dy - sy, dx - sx, dy - sy], np.float32)
    area = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    lo = np.array([dx, dy, dx, dy], np.float32)
    hi = np.array([dx + crop.shape[1], dy + crop.shape[0]] * 2, np.float32)
    clipped = np.clip(boxes, lo, hi)
    carea = (clipped[:, 2] - clipped[:, 0]) * (clipped[:, 3] - clipped[:, 1])
    keep = carea > 0.6 * np.maximum(area, 1e-6)
    boxes, classes = clipped[keep], screen.classes[keep]
    roll = rng.random()
    if roll < 0.15:
        out = 255 - out
    elif roll < 0.25:
        grey = cv2.cvtColor(out, cv2.COLOR_RGB2GRAY)
        out = np.repeat(grey[:, :, None], 3, axis=2)
    if rng.random() < 0.3:
        gain, bias = rng.uniform(0.7, 1.3), rng.uniform(-30, 30)
        out = np.clip(out.astype(np.float32) * gain + bias, 0, 255).astype(np.uint8)
    if rng.random() < 0.25:
        out = out[:, :, rng.sample(range(3), 3)]
    return np.ascontiguousarray(out), boxes, classes


def encode(
    boxes: np.ndarray, classes: np.ndarray, canvas: tuple[int, int] = CANVAS
) -> dict[str, np.ndarray]:
    """CenterNet targets at ``canvas / STRIDE``: heatmap (C + 1, h, w; the last channel is
    any class, see model.Detector), and per object (padded to MAX_OBJECTS) the flat centre
    index, log size in input pixels, sub-cell offset, mask."""
    oh, ow = canvas[0] // STRIDE, canvas[1] // STRIDE
    heat = np.zeros((len(CLASSES) + 1, oh, ow), np.float32)
    index = np.zeros(MAX_OBJECTS, np.int64)
    size = np.zeros((MAX_OBJECTS, 2), np.float32)
    offset = np.zeros((MAX_OBJECTS, 2), np.float32)
    mask = np.zeros(MAX_OBJECTS, np.float32)
    # the size is taught around each centre too (weighted by its peak), not at one cell only:
    # many more supervised cells per screen, which is what a short CPU run needs
    dense_size = np.zeros((2, oh, ow), np.float32)
    dense_weight = np.zeros((oh, ow), np.float32)
    ys, xs = np.arange(oh, dtype=np.float32)[:, None], np.arange(ow, dtype=np.float32)[None, :]
    order = np.argsort(-(boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1]))
    for k, i in enumerate(order[:MAX_OBJECTS]):
        x0, y0, x1, y1 = boxes[i]
        bw, bh = max(x1 - x0, 1.0), max(y1 - y0, 1.0)
        cx, cy = (x0 + x1) / 2 / STRIDE, (y0 + y1) / 2 / STRIDE
        ix, iy = min(int(cx), ow - 1), min(int(cy), oh - 1)
        sx = max(0.54 * bw / STRIDE / 6, 0.4)
        sy = max(0.54 * bh / STRIDE / 6, 0.4)
        rx, ry = int(3 * sx) + 1, int(3 * sy) + 1
        ya, yb = max(0, iy - ry), min(oh, iy + ry + 1)
        xa, xb = max(0, ix - rx), min(ow, ix + rx + 1)
        g = np.exp(
            -((xs[:, xa:xb] - ix) ** 2) / (2 * sx * sx) - ((ys[ya:yb] - iy) ** 2) / (2 * sy * sy)
        )
        for c in (classes[i], len(CLASSES)):
            np.maximum(heat[c, ya:yb, xa:xb], g, out=heat[c, ya:yb, xa:xb])
        closer = g > dense_weight[ya:yb, xa:xb]
        dense_weight[ya:yb, xa:xb][closer] = g[closer]
        dense_size[0, ya:yb, xa:xb][closer] = np.log(bw)
        dense_size[1, ya:yb, xa:xb][closer] = np.log(bh)
        index[k] = iy * ow + ix
        size[k] = np.log([bw, bh])
        offset[k] = (cx - ix, cy - iy)
        mask[k] = 1.0
    return {
        "heat": heat,
        "index": index,
        "size": size,
        "offset": offset,
        "mask": mask,
        "dense_size": dense_size,
        "dense_weight": dense_weight,
    }
