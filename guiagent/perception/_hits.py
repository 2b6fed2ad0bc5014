"""A scored grounding match before it becomes a Candidate, shared by ground and spatial."""

from __future__ import annotations

from dataclasses import dataclass

from guiagent.observation import Element

_PASSIVE = frozenset({"text", "label", "static", "static_text", "heading", "paragraph"})


@dataclass(frozen=True)
class Hit:
    element: Element
    score: float
    reason: str


def merge(*groups: list[Hit]) -> list[Hit]:
    """Best hit per element (by id, or by box for synthetic ones), best first."""
    best: dict[tuple[int, tuple[int, ...]], Hit] = {}
    for group in groups:
        for hit in group:
            key = (hit.element.id, tuple(hit.element.box.as_list()))
            if key not in best or hit.score > best[key].score:
                best[key] = hit
    return sorted(best.values(), key=_rank)


def _rank(h: Hit) -> tuple[float, bool, int, int]:
    """Score first; on a tie a control beats a plain label of the same name, then position."""
    passive = h.element.role in _PASSIVE
    return (-round(h.score, 4), passive, h.element.box.top, h.element.box.left)
