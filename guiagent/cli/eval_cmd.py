"""``guiagent eval run`` / ``guiagent eval merge``: OSWorld-style task files, the shipped
desktop suite and MiniWoB++ episodes, run in parallel, resumably, shardable; results.json,
a per-domain table and report.html."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import TYPE_CHECKING

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from guiagent.cli.output import Output
from guiagent.errors import UsageError
from guiagent.evaluation.results import TaskResult, summarise

if TYPE_CHECKING:
    from guiagent.evaluation.worker import Options


def add_eval_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ev = sub.add_parser("eval", help="run OSWorld-style task files and MiniWoB++ episodes")
    evsub = ev.add_subparsers(dest="eval_command", metavar="EVAL_COMMAND", required=True)
    run = evsub.add_parser("run", help="run tasks: files, folders, globs, desktop, miniwob:TASK")
    run.add_argument(
        "tasks",
        nargs="+",
        metavar="TASKS",
        help="task files (JSON/YAML), folders, globs, 'desktop' (the shipped suite),"
        " miniwob:TASK or miniwob:all",
    )
    run.add_argument(
        "--agent",
        choices=["command", "llm", "auto"],
        default="command",
        help="command (default): the instruction read by the embedded grammar, no LLM;"
        " llm: the planner/decision/reflection agents; auto: command when it parses",
    )
    run.add_argument(
        "--grounding",
        choices=["auto", "vision"],
        default="auto",
        help="auto: accessibility tree + OCR; vision: the screenshot only",
    )
    run.add_argument("--base-url", help="llm/auto: an OpenAI-compatible endpoint for the agents")
    run.add_argument("--model", help="llm/auto: the model name at that endpoint")
    run.add_argument("--workers", type=int, default=1, help="tasks run at once (default 1)")
    run.add_argument("--out", type=Path, required=True, help="results folder (resumable)")
    run.add_argument("--yes", action="store_true", help="approve what the gate would ask about")
    run.add_argument("--shard", help="i/n: run only the i-th of n shares of the tasks")
    run.add_argument("--timeout", type=float, default=600.0, help="seconds per task")
    run.add_argument("--max-steps", type=int, default=15, help="steps per task (default 15)")
    run.add_argument("--episodes", type=int, default=1, help="MiniWoB++: seeds per task")
    run.add_argument("--seed", type=int, default=0, help="MiniWoB++: first seed")
    run.add_argument("--cache", type=Path, help="local copies of task downloads (<host>/<path>)")
    run.add_argument("--json", action="store_true", help="print the summary as JSON")
    merge = evsub.add_parser("merge", help="merge shard folders into one results folder")
    merge.add_argument("dirs", nargs="+", type=Path)
    merge.add_argument("--out", type=Path, required=True)
    merge.add_argument("--json", action="store_true")


def _check_models(opts: Options) -> None:
    """No endpoint, key or server for the LLM agents: exit 2 now, not once per task."""
    from guiagent.evaluation.worker import task_config
    from guiagent.models.base import UsageMeter
    from guiagent.models.factory import build_models

    build_models(task_config(opts).models, UsageMeter())


def _shard(spec: str | None) -> tuple[int, int]:
    if spec is None:
        return 1, 1
    index, sep, count = spec.partition("/")
    if not sep or not index.isdigit() or not count.isdigit() or not 1 <= int(index) <= int(count):
        raise UsageError(f"--shard expects i/n with 1 <= i <= n, got {spec!r}")
    return int(index), int(count)


def cmd_eval(args: argparse.Namespace, out: Output) -> int:
    if args.eval_command == "merge":
        return _merge(args, out)
    return _run(args, out)


def _run(args: argparse.Namespace, out: Output) -> int:
    from guiagent.evaluation.results import read_results
    from guiagent.evaluation.run import pending, run_all
    from guiagent.evaluation.tasks import load_tasks, shard
    from guiagent.evaluation.worker import Options

    index, count = _shard(args.shard)
    if args.workers < 1 or args.max_steps < 1 or args.timeout <= 0:
        raise UsageError("--workers, --max-steps and --timeout must be positive")
    items = shard(load_tasks(args.tasks, episodes=args.episodes, seed=args.seed), index, count)
    args.out.mkdir(parents=True, exist_ok=True)
    todo = pending(items, args.out)
    if len(todo) < len(items):
        out.progress(f"resuming: {len(items) - len(todo)} of {len(items)} task(s) already done")
    opts = Options(
        out=args.out.resolve(),
        agent=args.agent,
        grounding=args.grounding,
        max_steps=args.max_steps,
        yes=args.yes,
        config_path=args.config,
        cache_dir=args.cache.resolve() if args.cache else None,
        base_url=args.base_url,
        model=args.model,
    )
    if opts.agent == "llm" and todo:
        _check_models(opts)
    started = time.monotonic()
    with Progress(
        TextColumn("[bold]eval"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=out.err,
        transient=False,
    ) as progress:
        bar = progress.add_task("", total=len(todo))

        def on_done(result: TaskResult) -> None:
            mark = {"ran": f"score {result.score:g}", "skipped": "skipped"}.get(
                result.status, "error"
            )
            progress.update(bar, advance=1, description=f"{result.id}: {mark}")

        run_all(todo, opts, workers=args.workers, timeout=args.timeout, on_done=on_done)
    wanted = {item.id for item in items}
    results = [r for r in read_results(args.out) if r.id in wanted]
    return _finish(args.out, results, out, time.monotonic() - started)


def _merge(args: argparse.Namespace, out: Output) -> int:
    from guiagent.evaluation.results import merge

    missing = [str(d) for d in args.dirs if not (d / "tasks").is_dir()]
    if missing:
        raise UsageError(f"not a results folder: {', '.join(missing)}")
    args.out.mkdir(parents=True, exist_ok=True)
    return _finish(args.out, merge(args.dirs, args.out), out, None)


def _finish(folder: Path, results: list[TaskResult], out: Output, wall: float | None) -> int:
    from guiagent.evaluation.report import write_report
    from guiagent.evaluation.results import write_summary

    path = write_summary(folder, results, wall)
    report = write_report(folder, results, wall)
    table = summarise(results)
    grid = Table(title="results per domain")
    for column in ("domain", "tasks", "ran", "skipped", "errors", "score"):
        grid.add_column(column, justify="left" if column == "domain" else "right")
    for domain, row in table.items():
        grid.add_row(
            domain,
            *(str(int(row[k])) for k in ("tasks", "ran", "skipped", "errors")),
            f"{row['score']:.3f}",
        )
    if not out.json_mode:
        out.err.print(grid)
        if wall is not None:
            out.err.print(f"wall time {wall:.1f} s")
    out.result(
        f"results: {path}\nreport: {report}",
        {"results": str(path), "report": str(report), "summary": table, "wall_seconds": wall},
    )
    return 0
