"""``guiagent bench grounding PATH``: ScreenSpot-format grounding accuracy and latency.

Kept apart from ``commands`` so the benchmark's options and report do not crowd the run
surfaces; ``main`` registers it with one call.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from rich.table import Table

from guiagent.cli.output import Output
from guiagent.errors import UsageError


def add_bench_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    bench = sub.add_parser("bench", help="benchmarks: grounding accuracy on ScreenSpot files")
    bsub = bench.add_subparsers(dest="bench_command", metavar="BENCH_COMMAND", required=True)
    gr = bsub.add_parser(
        "grounding",
        help="ground each instruction of a ScreenSpot-format JSON on its screenshot",
    )
    gr.add_argument("path", type=Path, help="JSON list of {img_filename, instruction, bbox, ...}")
    gr.add_argument("--images", type=Path, help="image folder (default: the JSON's folder)")
    gr.add_argument(
        "--grounding",
        choices=["vision"],
        default="vision",
        help="vision (the only mode): screenshots alone, no accessibility tree",
    )
    gr.add_argument(
        "--no-fields",
        action="store_true",
        help="leave out the empty-field finder that vision mode adds to OCR",
    )
    gr.add_argument("--limit", type=int, help="only the first N targets")
    gr.add_argument("--misses", type=int, default=20, help="misses listed (default 20)")
    gr.add_argument("--json", action="store_true", help="print summary and misses as JSON")


def cmd_bench(args: argparse.Namespace, out: Output) -> int:
    from guiagent.config import load_config
    from guiagent.evaluation.grounding_bench import TargetResult, load_targets, run_bench
    from guiagent.observation import Screen
    from guiagent.perception.perceiver import Perceiver
    from guiagent.perception.remote import grounder_for

    targets = load_targets(args.path)
    if args.limit is not None:
        if args.limit < 1:
            raise UsageError(f"--limit must be at least 1, got {args.limit}")
        targets = targets[: args.limit]
    images = args.images or args.path.parent
    if not images.is_dir():
        raise UsageError(f"--images {images} is not a folder")
    config = load_config(args.config).perception
    config.accessibility = False  # screenshots only: the figures claim exactly that
    # as ``eval --grounding vision`` perceives: OCR plus the empty-field finder
    perceiver = Perceiver(config, fields=not args.no_fields)
    out.progress(f"{len(targets)} targets from {args.path}, images in {images}")
    _warm_up(perceiver, [images / t.img_filename for t in targets[:3]])

    def progress(result: TargetResult) -> None:
        done = result.index + 1
        if done % 50 == 0 and done < len(targets):
            out.progress(f"{done}/{len(targets)} grounded")

    def perceive(path: Path) -> Screen:
        # every image cold: the OCR engine would otherwise reuse unchanged lines of the
        # previous image when the sizes match, and the figures would depend on file order
        perceiver.ocr.reset()
        return perceiver.perceive_image(path)

    report = run_bench(
        targets,
        images,
        perceive,
        grounder_for(config),
        min_score=config.min_ground_score,
        on_result=progress,
    )
    if args.json:
        out.result("", report.as_json())
        return 0
    _print(out, report.summary(), [m.as_json() for m in report.misses()][: args.misses])
    return 0


def _warm_up(perceiver: Any, paths: list[Path]) -> None:
    """Load the models on one image first, so per-image latency measures perception, not
    model loading (which a run pays once)."""
    from guiagent.errors import GuiAgentError

    for path in paths:
        try:
            perceiver.perceive_image(path)
            return
        except GuiAgentError:
            continue


def _pct(group: dict[str, Any]) -> str:
    acc = group["accuracy"]
    return "-" if acc is None else f"{acc * 100:.1f}%"


def _print(out: Output, summary: dict[str, Any], misses: list[dict[str, Any]]) -> None:
    table = Table(title="grounding accuracy (point inside the box)")
    for col in ("group", "targets", "hits", "accuracy"):
        table.add_column(col, justify="left" if col == "group" else "right")
    rows = [("overall", summary)]
    rows += [(f"type {k}", v) for k, v in summary["by_data_type"].items()]
    rows += [(f"platform {k}", v) for k, v in summary["by_platform"].items()]
    for name, g in rows:
        table.add_row(name, str(g["targets"]), str(g["hits"]), _pct(g))
    out.out.print(table)
    always = summary["always_answering"]
    per_type = ", ".join(f"{k} {_pct(v)}" for k, v in always["by_data_type"].items())
    out.out.print(
        f"always answering the best candidate (ScreenSpot's protocol, no bar): "
        f"{always['hits']}/{summary['targets']} = {_pct(always)} ({per_type})"
    )
    lat = summary["latency_ms"]
    for label, key in (
        ("perceive per image", "perceive_per_image"),
        ("ground per target", "ground_per_target"),
    ):
        s = lat[key]
        out.out.print(f"{label}: median {s['median']} ms, p90 {s['p90']} ms (n={s['n']})")
    if summary["errors"]:
        out.out.print(f"errors (counted as misses): {summary['errors']}")
    if misses:
        out.out.print(f"misses (first {len(misses)}):")
    for m in misses:
        line = f"  {m['img_filename']}: {m['instruction']!r} [{m['data_type']}]"
        if m["error"]:
            out.out.print(f"{line} error: {m['error']}", markup=False)
            continue
        pred = m["predicted"]
        got = f"picked {pred['name']!r} off by {pred['off_by_px']} px" if pred else "not found"
        near = m["closest"] or {}
        if "name" in near:
            got += f"; closest #{near['rank']} {near['name']!r} off by {near['off_by_px']} px"
        out.out.print(f"{line} {got}", markup=False)
