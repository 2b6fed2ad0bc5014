"""Per-task results: one ``<task>/result.json`` per finished task (what makes a run
resumable), gathered into ``results.json``; merging shards; the per-domain table."""

from __future__ import annotations

import json
import re
import shutil
from collections import defaultdict
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

Status = Literal["ran", "skipped", "error"]


class TaskResult(BaseModel):
    id: str
    domain: str
    status: Status
    score: float = 0.0
    steps: int = 0
    seconds: float = 0.0
    tokens: int = 0
    error: str | None = None
    skip_reason: str | None = None
    trajectory: str | None = None
    instruction: str = ""


def task_dir(out: Path, task_id: str) -> Path:
    """A task's folder: its id made safe as a file name (``miniwob:click-button#3``)."""
    return out / "tasks" / re.sub(r"[^A-Za-z0-9._-]+", "_", task_id)


def write_result(out: Path, result: TaskResult) -> None:
    folder = task_dir(out, result.id)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / "result.json.tmp"
    tmp.write_text(result.model_dump_json(indent=2), encoding="utf-8")
    tmp.replace(folder / "result.json")


def read_results(out: Path) -> list[TaskResult]:
    results = []
    for path in sorted((out / "tasks").glob("*/result.json")):
        try:
            results.append(TaskResult.model_validate_json(path.read_text(encoding="utf-8")))
        except ValueError:
            continue  # a half-written result: that task is rerun
    return results


def finished_ids(out: Path) -> set[str]:
    return {r.id for r in read_results(out)}


def write_summary(out: Path, results: list[TaskResult], wall_seconds: float | None = None) -> Path:
    data = {
        "summary": summarise(results),
        "wall_seconds": wall_seconds,
        "tasks": [r.model_dump() for r in results],
    }
    path = out / "results.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def summarise(results: list[TaskResult]) -> dict[str, dict[str, float]]:
    """Per domain (and "all"): tasks, ran, skipped, errors, mean score over the ran ones."""
    groups: dict[str, list[TaskResult]] = defaultdict(list)
    for r in results:
        groups[r.domain].append(r)
        groups["all"].append(r)
    table = {}
    for domain, rs in sorted(groups.items(), key=lambda kv: (kv[0] == "all", kv[0])):
        ran = [r for r in rs if r.status == "ran"]
        table[domain] = {
            "tasks": len(rs),
            "ran": len(ran),
            "skipped": sum(r.status == "skipped" for r in rs),
            "errors": sum(r.status == "error" for r in rs),
            "score": round(sum(r.score for r in ran) / len(ran), 4) if ran else 0.0,
            "seconds": round(sum(r.seconds for r in rs), 1),
        }
    return table


def merge(dirs: list[Path], out: Path) -> list[TaskResult]:
    """Results (and trajectories) of several shard folders copied into ``out``; later
    folders win on equal ids."""
    by_id: dict[str, TaskResult] = {}
    for d in dirs:
        for r in read_results(d):
            source, dest = task_dir(d, r.id), task_dir(out, r.id)
            if source.resolve() != dest.resolve():
                shutil.copytree(source, dest, dirs_exist_ok=True, ignore=_no_home)
                if r.trajectory and Path(r.trajectory).is_relative_to(source):
                    moved = dest / Path(r.trajectory).relative_to(source)
                    r = r.model_copy(update={"trajectory": str(moved)})
                write_result(out, r)
            by_id[r.id] = r
    return sorted(by_id.values(), key=lambda r: r.id)


def _no_home(folder: str, names: list[str]) -> list[str]:
    """A task's private HOME stays where it is: only results and trajectories travel."""
    return [n for n in names if n in ("home", "terminal-logs")]
