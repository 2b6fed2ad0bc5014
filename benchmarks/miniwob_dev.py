"""Command mode (no LLM) on the MiniWoB++ development set: per-task success and the mean.

    python benchmarks/miniwob_dev.py [--seeds 10] [--grounding vision auto] [--tasks ...]

Each grounding mode plays every task with seeds 0..N-1 in one reused headless Chromium; the
target (issue 4) is >= 95% mean success for both ``vision`` (screenshot only) and ``auto``.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from guiagent.config import Config
from guiagent.evaluation.miniwob import EpisodeOutcome, run_miniwob_episode
from guiagent.evaluation.miniwob_pages import MiniWobPages
from guiagent.perception.perceiver import Perceiver
from guiagent.platforms.browser.driver import BrowserDriver

DEV_TASKS = [
    "click-button", "click-link", "click-dialog", "click-dialog-2", "click-test",
    "click-test-2", "click-widget", "click-tab", "click-tab-2", "click-option",
    "click-checkboxes", "focus-text", "focus-text-2", "enter-text", "enter-text-2",
    "enter-password", "login-user", "choose-list", "click-collapsible", "click-menu",
]  # fmt: skip


def run_mode(
    grounding: str, tasks: list[str], seeds: int, out: Path, verbose: bool, scale: float
) -> dict[str, list[EpisodeOutcome]]:
    config = Config()
    config.runner.max_steps = 30
    config.browser.device_scale_factor = scale
    results: dict[str, list[EpisodeOutcome]] = {}
    perceiver = Perceiver(config.perception)
    with MiniWobPages() as pages, BrowserDriver(config.browser) as driver:
        for task in tasks:
            for seed in range(seeds):
                outcome = run_miniwob_episode(
                    task,
                    seed,
                    grounding=grounding,
                    out_dir=out / grounding,
                    config=config,
                    driver=driver,
                    pages=pages,
                    perceiver=perceiver,
                )
                results.setdefault(task, []).append(outcome)
                if verbose and outcome.score < 1:
                    why = (outcome.error or "").splitlines()[0]
                    print(f"  FAIL {grounding} {task} seed {seed}: {why}", flush=True)
            scores = [o.score for o in results[task]]
            print(f"{grounding:6} {task:18} {sum(scores)}/{len(scores)}", flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--grounding", nargs="+", default=["vision", "auto"])
    parser.add_argument("--tasks", nargs="+", default=DEV_TASKS)
    parser.add_argument("--out", type=Path, default=None, help="trajectories (default: a tmp dir)")
    parser.add_argument("--json", type=Path, default=None, help="write the figures here")
    parser.add_argument("--scale", type=float, default=1.0, help="screenshot pixels per CSS px")
    parser.add_argument("-v", "--verbose", action="store_true", help="print each failure")
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="miniwob-dev-"))
    summary: dict[str, dict[str, object]] = {}
    for grounding in args.grounding:
        t0 = time.monotonic()
        results = run_mode(grounding, args.tasks, args.seeds, out, args.verbose, args.scale)
        wall = time.monotonic() - t0
        per_task = {t: sum(o.score for o in r) / len(r) for t, r in results.items()}
        mean = sum(per_task.values()) / len(per_task)
        episodes = sum(len(r) for r in results.values())
        print(
            f"== {grounding}: mean success {mean:.1%} over {len(per_task)} tasks x {args.seeds}"
            f" seeds; wall {wall:.0f}s ({episodes / wall * 60:.1f} episodes/min, 1 worker)",
            flush=True,
        )
        summary[grounding] = {"mean": mean, "per_task": per_task, "wall_s": round(wall, 1)}
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2))
    print(f"trajectories: {out}")


if __name__ == "__main__":
    main()
