"""Grounding benchmark over the ScreenSpot format: is the predicted point inside the box?

ScreenSpot / ScreenSpot-v2 (and the project's held-out set in ``benchmarks/grounding_set``) are
JSON lists of ``{img_filename, instruction, bbox [x, y, w, h], data_type text|icon, platform}``;
the original files say ``data_source`` instead of ``platform``, so either is read. Each image is
perceived once from its pixels alone (no accessibility tree: that is what the figures claim) and
each instruction grounded on that Screen the way a run would (``best`` with the configured
minimum score). A bad image is an error row, not a crash; a malformed file is a UsageError
naming the file, the entry and the field.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from guiagent.errors import GuiAgentError, TargetNotFound, UsageError
from guiagent.observation import Candidate, Screen

DATA_TYPES = ("text", "icon")


class _Grounder(Protocol):
    def locate(self, screen: Screen, query: str) -> list[Candidate]: ...
    def best(self, screen: Screen, query: str, min_score: float = 0.6) -> Candidate: ...


@dataclass(frozen=True)
class Target:
    """One benchmark entry; ``bbox`` is [x, y, w, h] in the image's pixels."""

    img_filename: str
    instruction: str
    bbox: tuple[float, float, float, float]
    data_type: str
    platform: str

    def contains(self, x: float, y: float) -> bool:
        bx, by, bw, bh = self.bbox
        return bx <= x <= bx + bw and by <= y <= by + bh

    def distance(self, x: float, y: float) -> float:
        """Pixels from (x, y) to the box (0 inside)."""
        bx, by, bw, bh = self.bbox
        dx = max(bx - x, 0.0, x - (bx + bw))
        dy = max(by - y, 0.0, y - (by + bh))
        return math.hypot(dx, dy)


@dataclass
class TargetResult:
    index: int
    target: Target
    hit: bool = False
    point: tuple[int, int] | None = None
    predicted: dict[str, Any] | None = None
    closest: dict[str, Any] | None = None
    error: str | None = None
    ground_ms: float | None = None
    #: the best candidate lies in the box, answered or not: ScreenSpot's protocol, where a
    #: model always gives a point (here one below the bar the agent acts on counts too)
    top_hit: bool = False

    def as_json(self) -> dict[str, Any]:
        t = self.target
        return {
            "index": self.index,
            "img_filename": t.img_filename,
            "instruction": t.instruction,
            "bbox": list(t.bbox),
            "data_type": t.data_type,
            "platform": t.platform,
            "hit": self.hit,
            "top_hit": self.top_hit,
            "point": list(self.point) if self.point else None,
            "predicted": self.predicted,
            "closest": self.closest,
            "error": self.error,
            "ground_ms": self.ground_ms,
        }


@dataclass
class BenchReport:
    results: list[TargetResult]
    perceive_ms: dict[str, float] = field(default_factory=dict)  # per image, first look

    def summary(self) -> dict[str, Any]:
        """Accuracy overall / per data_type / per platform (errors count as misses), the
        error count, and latency median and p90."""
        res = self.results
        ground = [r.ground_ms for r in res if r.ground_ms is not None]
        return {
            "targets": len(res),
            "hits": sum(r.hit for r in res),
            "errors": sum(r.error is not None for r in res),
            "accuracy": _accuracy(res),
            "by_data_type": _grouped(res, lambda r: r.target.data_type),
            "by_platform": _grouped(res, lambda r: r.target.platform),
            "always_answering": {
                "hits": sum(r.top_hit for r in res),
                "accuracy": _accuracy(res, top=True),
                "by_data_type": _grouped(res, lambda r: r.target.data_type, top=True),
            },
            "latency_ms": {
                "perceive_per_image": _stats(list(self.perceive_ms.values())),
                "ground_per_target": _stats(ground),
            },
        }

    def misses(self) -> list[TargetResult]:
        return [r for r in self.results if not r.hit]

    def as_json(self) -> dict[str, Any]:
        return {
            "summary": self.summary(),
            "misses": [r.as_json() for r in self.misses()],
        }


# -- reading --------------------------------------------------------------------------------


def load_targets(path: Path) -> list[Target]:
    """The entries of a ScreenSpot-format file; UsageError naming file, entry and field."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: not JSON: {exc}") from exc
    if not isinstance(raw, list):
        raise UsageError(f"{path}: expected a JSON list of targets, got {type(raw).__name__}")
    return [_target(path, i, entry) for i, entry in enumerate(raw)]


def _target(path: Path, i: int, entry: object) -> Target:
    where = f"{path}: entry {i}"
    if not isinstance(entry, dict):
        raise UsageError(f"{where}: expected an object, got {type(entry).__name__}")

    def text(name: str) -> str:
        value = entry.get(name)
        if not isinstance(value, str) or not value.strip():
            raise UsageError(f"{where}: field {name!r} must be a non-empty string")
        return value

    bbox = entry.get("bbox")
    if (
        not isinstance(bbox, list)
        or len(bbox) != 4
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in bbox)
    ):
        raise UsageError(f"{where}: field 'bbox' must be four numbers [x, y, w, h]")
    if bbox[2] <= 0 or bbox[3] <= 0:
        raise UsageError(f"{where}: field 'bbox' has a width or height <= 0: {bbox}")
    data_type = text("data_type").lower()
    if data_type not in DATA_TYPES:
        raise UsageError(f"{where}: field 'data_type' must be text or icon, got {data_type!r}")
    platform = entry.get("platform", entry.get("data_source", "unknown"))
    if not isinstance(platform, str):
        raise UsageError(f"{where}: field 'platform' must be a string")
    return Target(
        img_filename=text("img_filename"),
        instruction=text("instruction"),
        bbox=(float(bbox[0]), float(bbox[1]), float(bbox[2]), float(bbox[3])),
        data_type=data_type,
        platform=platform or "unknown",
    )


# -- running --------------------------------------------------------------------------------


def run_bench(
    targets: Iterable[Target],
    images: Path,
    perceive: Callable[[Path], Screen],
    grounder: _Grounder,
    *,
    min_score: float = 0.6,
    on_result: Callable[[TargetResult], None] | None = None,
) -> BenchReport:
    """Ground every target; ``perceive`` runs once per image (its Screen is cached)."""
    screens: dict[str, Screen | str] = {}  # a Screen, or why the image could not be used
    report = BenchReport(results=[])
    for index, target in enumerate(targets):
        key = target.img_filename
        if key not in screens:
            t0 = time.perf_counter()
            try:
                screens[key] = perceive(images / key)
                report.perceive_ms[key] = _ms(t0)
            except (GuiAgentError, OSError, ValueError) as exc:
                screens[key] = str(exc) or type(exc).__name__
        screen = screens[key]
        if isinstance(screen, str):
            result = TargetResult(index, target, error=f"image: {screen}")
        else:
            result = score_target(index, target, screen, grounder, min_score)
        report.results.append(result)
        if on_result is not None:
            on_result(result)
    return report


def score_target(
    index: int, target: Target, screen: Screen, grounder: _Grounder, min_score: float
) -> TargetResult:
    """Ground one instruction; on a miss, also the candidate that came closest to the box."""
    result = TargetResult(index, target)
    t0 = time.perf_counter()
    best: Candidate | None = None
    try:
        best = grounder.best(screen, target.instruction, min_score=min_score)
    except TargetNotFound as exc:
        seen = [c for c in exc.candidates if isinstance(c, Candidate)]
        result.closest = _closest(target, seen) or {"reason": "nothing similar on the screen"}
        result.top_hit = bool(seen) and target.contains(seen[0].point.x, seen[0].point.y)
    except GuiAgentError as exc:
        result.error = f"grounding: {exc}"
    result.ground_ms = _ms(t0)
    if best is not None:
        p = best.point
        result.point = (p.x, p.y)
        result.predicted = _describe(best, target)
        result.hit = result.top_hit = target.contains(p.x, p.y)
        if not result.hit:
            result.closest = _closest(target, grounder.locate(screen, target.instruction))
    return result


def _closest(target: Target, found: list[Candidate]) -> dict[str, Any] | None:
    """The candidate whose point lies nearest the box, with its rank (1 = best)."""
    if not found:
        return None
    ranked = list(enumerate(found, 1))
    rank, cand = min(ranked, key=lambda rc: target.distance(rc[1].point.x, rc[1].point.y))
    return {"rank": rank, **_describe(cand, target)}


def _describe(cand: Candidate, target: Target) -> dict[str, Any]:
    el = cand.element
    p = cand.point
    return {
        "name": el.name,
        "role": el.role,
        "source": el.source,
        "box": el.box.as_list(),
        "score": round(cand.score, 3),
        "reason": cand.reason,
        "off_by_px": round(target.distance(p.x, p.y), 1),
    }


# -- figures --------------------------------------------------------------------------------


def _accuracy(results: list[TargetResult], top: bool = False) -> float | None:
    if not results:
        return None
    return round(sum(r.top_hit if top else r.hit for r in results) / len(results), 4)


def _grouped(
    results: list[TargetResult], key: Callable[[TargetResult], str], top: bool = False
) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[TargetResult]] = {}
    for r in results:
        groups.setdefault(key(r), []).append(r)
    return {
        name: {
            "targets": len(rs),
            "hits": sum(r.top_hit if top else r.hit for r in rs),
            "accuracy": _accuracy(rs, top),
        }
        for name, rs in sorted(groups.items())
    }


def _stats(values: list[float]) -> dict[str, float | int | None]:
    if not values:
        return {"n": 0, "median": None, "p90": None}
    ordered = sorted(values)
    return {
        "n": len(ordered),
        "median": round(_quantile(ordered, 0.5), 2),
        "p90": round(_quantile(ordered, 0.9), 2),
    }


def _quantile(ordered: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    pos = (len(ordered) - 1) * q
    lo = math.floor(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def _ms(since: float) -> float:
    return round((time.perf_counter() - since) * 1000, 2)
