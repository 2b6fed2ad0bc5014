"""Runs at scale: N workers, one process per task (its own display and browser), a per-task
timeout that ends the task's whole process tree, resumable output folders, shards.

Tasks whose ``result.json`` is already in the output folder are not rerun, so a killed run
resumes where it stopped; a task whose worker died or hung gets an error result with the
reason and the run goes on.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from guiagent.evaluation.providers.local import skip_reason
from guiagent.evaluation.results import TaskResult, finished_ids, task_dir, write_result
from guiagent.evaluation.tasks import BrokenTask, EvalTask, MiniwobTask, TaskItem
from guiagent.evaluation.worker import Options

OnDone = Callable[[TaskResult], None]
_STOPPING = threading.Event()  # set on Ctrl+C: interrupted tasks leave no result, so they rerun


def _kill_tree(proc: subprocess.Popen[bytes]) -> None:
    """End the worker and everything below it (Xvfb, apps, Chromium), by pid and start time."""
    from guiagent.platforms.linux.xvfb import _descendants, _kill_same

    below = _descendants({proc.pid})
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(proc.pid, sig)
        for pid, started in below.items():
            _kill_same(pid, started, sig)
        if sig is signal.SIGTERM:
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=3.0)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=3.0)


def _spawn(argv: list[str], folder: Path, timeout: float) -> str | None:
    """Run a worker; the reason it failed to leave a result, or None."""
    log = (folder / "worker.log").open("wb")
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "guiagent.evaluation.worker", *argv],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    finally:
        log.close()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_tree(proc)
        return f"timed out after {timeout:g} s"
    _kill_tree(proc)  # anything the task left behind goes with it
    if not (folder / "result.json").exists():
        tail = (folder / "worker.log").read_text(errors="replace").strip()[-400:]
        return f"worker exited with {proc.returncode}: {tail}"
    return None


def run_one(item: TaskItem, opts: Options, timeout: float) -> TaskResult:
    """One task in a worker process; always returns (and writes) a result."""
    started = time.monotonic()
    folder = task_dir(opts.out, item.id)
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(item, BrokenTask):
        result = TaskResult(id=item.id, domain=item.domain, status="error", error=str(item.error))
        write_result(opts.out, result)
        return result
    (folder / "options.json").write_text(opts.model_dump_json(), encoding="utf-8")
    if isinstance(item, MiniwobTask):
        argv = ["--miniwob", item.name, str(item.seed), str(folder / "options.json")]
        domain, instruction = "miniwob", ""
    else:
        assert isinstance(item, EvalTask)
        reason = skip_reason(item, opts.cache_dir)
        if reason is not None:  # decided here: no worker, no display for a skipped task
            result = TaskResult(
                id=item.id, domain=item.domain, status="skipped", skip_reason=reason,
                instruction=item.instruction,
            )  # fmt: skip
            write_result(opts.out, result)
            return result
        (folder / "task.json").write_text(item.model_dump_json(), encoding="utf-8")
        argv = [str(folder / "task.json"), str(folder / "options.json")]
        domain, instruction = item.domain, item.instruction
    if _STOPPING.is_set():
        raise KeyboardInterrupt
    failure = _spawn(argv, folder, timeout)
    if _STOPPING.is_set():
        raise KeyboardInterrupt
    if failure is None:
        return TaskResult.model_validate_json((folder / "result.json").read_text("utf-8"))
    result = TaskResult(
        id=item.id,
        domain=domain,
        status="error",
        error=failure,
        instruction=instruction,
        seconds=round(time.monotonic() - started, 2),
        trajectory=_trajectory(folder),
    )
    write_result(opts.out, result)
    return result


def _trajectory(folder: Path) -> str | None:
    runs = sorted(p for p in folder.iterdir() if (p / "steps.jsonl").exists())
    return str(runs[-1]) if runs else None


def pending(items: list[TaskItem], out: Path) -> list[TaskItem]:
    """The tasks with no result in ``out`` yet (resuming a killed run)."""
    done = finished_ids(out)
    return [item for item in items if item.id not in done]


def run_all(
    items: list[TaskItem],
    opts: Options,
    *,
    workers: int = 1,
    timeout: float = 600.0,
    on_done: OnDone | None = None,
) -> list[TaskResult]:
    """Run ``items`` on ``workers`` parallel workers, calling ``on_done`` as each finishes."""
    results: list[TaskResult] = []
    _STOPPING.clear()
    pool = ThreadPoolExecutor(max_workers=max(1, workers))
    futures = [pool.submit(run_one, item, opts, timeout) for item in items]
    try:
        for future in as_completed(futures):
            result = future.result()
            results.append(result)
            if on_done is not None:
                on_done(result)
    except KeyboardInterrupt:
        _STOPPING.set()  # workers got the Ctrl+C too; their tasks are rerun on resume
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return results
