"""Reading order: rows top to bottom, left to right within a row, as a person scans a screen."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from guiagent.observation import Box

T = TypeVar("T")


def reading_order(items: Sequence[T], box_of: Callable[[T], Box]) -> list[T]:
    """Sort by rows: an item joins a row when its vertical centre lies within the row's band."""
    rows: list[tuple[int, int, list[T]]] = []  # (band top, band bottom, members)
    for item in sorted(items, key=lambda it: (box_of(it).top, box_of(it).left)):
        box = box_of(item)
        cy = (box.top + box.bottom) // 2
        for i, (top, bottom, members) in enumerate(rows):
            if top <= cy < bottom and box.height < 3 * max(1, bottom - top):
                members.append(item)
                rows[i] = (top, bottom, members)
                break
        else:
            rows.append((box.top, max(box.bottom, box.top + 1), [item]))
    rows.sort(key=lambda r: r[0])
    return [it for _t, _b, members in rows for it in sorted(members, key=lambda m: box_of(m).left)]


def wrapped_lines(upper: Box, lower: Box) -> bool:
    """Two lines of one wrapped text: ``lower`` starts about one line below ``upper`` and
    they share columns (OCR boxes are padded, so the boxes themselves may overlap)."""
    line = max(1, min(upper.height, lower.height))
    drop = (lower.top + lower.bottom - upper.top - upper.bottom) / 2
    shared = min(upper.right, lower.right) - max(upper.left, lower.left)
    return 0.5 * line <= drop <= 1.6 * line and shared > 0


def bands(items: Sequence[T], box_of: Callable[[T], Box], across: bool = True) -> list[list[T]]:
    """Items grouped into rows (``across``) or columns, in order: an item joins a band when its
    centre lies within half the band's first item's size of that item's centre."""

    def centre(it: T) -> float:
        b = box_of(it)
        return (b.top + b.bottom) / 2 if across else (b.left + b.right) / 2

    def size(it: T) -> int:
        b = box_of(it)
        return b.height if across else b.width

    groups: list[list[T]] = []
    for item in sorted(items, key=centre):
        if groups and abs(centre(item) - centre(groups[-1][0])) <= size(groups[-1][0]) / 2:
            groups[-1].append(item)
        else:
            groups.append([item])
    return groups
