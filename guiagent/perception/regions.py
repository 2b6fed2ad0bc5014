"""Where on a frame text detection is worth running: areas with content, and areas that changed.

Screens are mostly flat (desktop background, empty editor space, window fill); running the
detector only over tiles that vary, or that differ from the previous frame, is what makes
OCR affordable on every step.
"""

from __future__ import annotations

import cv2
import numpy as np

from guiagent.observation import Box
from guiagent.perception.colours import strongest_channel

TILE = 16


def _tiles(mask: np.ndarray) -> np.ndarray:
    """Reduce a per-pixel bool mask to a per-tile one (any pixel set)."""
    h, w = mask.shape
    th, tw = -(-h // TILE), -(-w // TILE)
    padded = np.zeros((th * TILE, tw * TILE), np.uint8)
    padded[:h, :w] = mask
    return padded.reshape(th, TILE, tw, TILE).max(axis=(1, 3))


def _tile_boxes(tiles: np.ndarray, width: int, height: int, grow: int) -> list[Box]:
    """Connected groups of set tiles (after growing by ``grow`` tiles) as pixel boxes."""
    if grow:
        tiles = cv2.dilate(tiles, np.ones((2 * grow + 1, 2 * grow + 1), np.uint8))
    n, _labels, stats, _ = cv2.connectedComponentsWithStats(tiles, connectivity=8)
    boxes = []
    for i in range(1, n):
        x, y, w, h = (int(v) for v in stats[i, :4])
        boxes.append(Box.xywh(x * TILE, y * TILE, w * TILE, h * TILE).clip(width, height))
    return merge_boxes(boxes)


def content_regions(gray: np.ndarray, min_contrast: int = 24) -> list[Box]:
    """Boxes around everything that is not flat colour; text can only be there."""
    h, w = gray.shape
    th, tw = -(-h // TILE), -(-w // TILE)
    padded = np.pad(gray, ((0, th * TILE - h), (0, tw * TILE - w)), mode="edge")
    blocks = padded.reshape(th, TILE, tw, TILE)
    spread = blocks.max(axis=(1, 3)).astype(np.int16) - blocks.min(axis=(1, 3))
    return _tile_boxes((spread >= min_contrast).astype(np.uint8), w, h, grow=1)


def changed_regions(prev: np.ndarray, cur: np.ndarray, tolerance: int = 12) -> list[Box]:
    """Tight boxes around pixels that differ between two same-sized RGB frames.

    Nearby changes (within a tile) are grouped; each group's box hugs its changed pixels, so
    a change does not spill onto text lines next to it.
    """
    moved = cv2.absdiff(np.ascontiguousarray(prev), np.ascontiguousarray(cur))
    diff = (strongest_channel(moved) > tolerance).astype(np.uint8)
    h, w = diff.shape
    out = []
    for group in _tile_boxes(_tiles(diff), w, h, grow=1):
        window = diff[group.top : group.bottom, group.left : group.right]
        rows, cols = np.flatnonzero(window.any(axis=1)), np.flatnonzero(window.any(axis=0))
        if rows.size:
            out.append(
                Box(
                    left=group.left + int(cols[0]),
                    top=group.top + int(rows[0]),
                    right=group.left + int(cols[-1]) + 1,
                    bottom=group.top + int(rows[-1]) + 1,
                )
            )
    return merge_boxes(out)


def pad(box: Box, dx: int, dy: int, width: int, height: int) -> Box:
    return Box(
        left=box.left - dx, top=box.top - dy, right=box.right + dx, bottom=box.bottom + dy
    ).clip(width, height)


def true_runs(flags: np.ndarray | list[bool]) -> list[tuple[int, int]]:
    """(start, end) of each run of True in ``flags``, end exclusive."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], np.asarray(flags, np.int8), [0]])))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


def union(a: Box, b: Box) -> Box:
    return Box(
        left=min(a.left, b.left),
        top=min(a.top, b.top),
        right=max(a.right, b.right),
        bottom=max(a.bottom, b.bottom),
    )


def merge_boxes(boxes: list[Box], gap: int = 0) -> list[Box]:
    """Merge boxes that overlap (or come within ``gap`` px) until none do."""
    out = list(boxes)
    merged = True
    while merged:
        merged = False
        result: list[Box] = []
        for box in out:
            for i, other in enumerate(result):
                if _near(box, other, gap):
                    result[i] = union(box, other)
                    merged = True
                    break
            else:
                result.append(box)
        out = result
    return sorted(out, key=lambda b: (b.top, b.left))


def _near(a: Box, b: Box, gap: int) -> bool:
    return (
        a.left <= b.right + gap
        and b.left <= a.right + gap
        and a.top <= b.bottom + gap
        and b.top <= a.bottom + gap
    )
