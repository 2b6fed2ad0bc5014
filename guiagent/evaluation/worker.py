"""One task, start to finish, in a process of its own: skip check, private desktop, setup
steps, the agent through the one Runner, postconfig, scoring, ``result.json``.

A process per task because the task's HOME, DISPLAY and AT-SPI bus go into ``os.environ``
(libatspi binds to the first bus a process sees), and so the parent can end every process a
task started — even one whose agent hung — by ending this process's tree.

    python -m guiagent.evaluation.worker TASK_JSON OPTIONS_JSON
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from guiagent.config import Config, load_config
from guiagent.errors import CommandParseError, GuiAgentError
from guiagent.evaluation.providers.local import (
    OSWORLD_HOME,
    LocalDesktop,
    TaskSkipped,
    needs_browser,
    skip_reason,
)
from guiagent.evaluation.results import TaskResult, task_dir, write_result
from guiagent.evaluation.scoring import score
from guiagent.evaluation.tasks import EvalTask, placeholders, resolve
from guiagent.observation import RunState

log = logging.getLogger(__name__)


class Options(BaseModel):
    """What ``guiagent eval run`` hands each task."""

    out: Path
    agent: str = "command"
    grounding: str = "auto"
    max_steps: int = 15
    yes: bool = False
    config_path: Path | None = None
    cache_dir: Path | None = None
    base_url: str | None = None
    model: str | None = None


def task_config(opts: Options) -> Config:
    """The configuration every task of a run gets: the user's, with the run's options."""
    config = load_config(opts.config_path)
    if opts.base_url:
        config.models.base_url = opts.base_url
    if opts.model:
        config.models.model = opts.model
    config.runner.max_steps = opts.max_steps
    config.runner.kill_corner = False  # the agent's own clicks may land in a corner
    if opts.grounding == "vision":
        config.perception.accessibility = False
    return config


def _agent(task: EvalTask, opts: Options, config: Config, session: object) -> tuple[object, str]:
    """The agent for this task, and its kind; CommandParseError when command mode cannot read
    the instruction and the LLM agents are not asked for."""
    from guiagent.agents.command_mode.agent import CommandModeAgent
    from guiagent.agents.command_mode.parser import parse_command
    from guiagent.models.factory import endpoint_configured
    from guiagent.perception.ground import Grounder

    if opts.agent in ("auto", "command"):
        try:
            steps = parse_command(task.instruction)
        except CommandParseError:
            if opts.agent == "command" or not endpoint_configured(config.models):
                raise
        else:
            agent = CommandModeAgent(
                Grounder(), min_score=config.perception.min_ground_score, steps=steps
            )
            return agent, "command"
    from guiagent.agents.llm import LlmAgent
    from guiagent.models.base import UsageMeter
    from guiagent.models.factory import build_models

    meter = UsageMeter()
    models = build_models(config.models, meter)
    driver = session.driver  # type: ignore[attr-defined]
    llm = LlmAgent.from_models(
        models, allowed=driver.capabilities.actions, config=config.agents, grounder=Grounder(),
        meter=meter,
    )  # fmt: skip
    return llm, "llm"


def run_task(task: EvalTask, opts: Options) -> TaskResult:
    """Run one task here and return its result (never raises for the task's own failures)."""
    started = time.monotonic()
    result = _run_task(task, opts)
    result.seconds = round(time.monotonic() - started, 2)
    return result


def _run_task(task: EvalTask, opts: Options) -> TaskResult:
    base = TaskResult(id=task.id, domain=task.domain, status="ran", instruction=task.instruction)
    reason = skip_reason(task, opts.cache_dir)
    if reason is not None:
        return base.model_copy(update={"status": "skipped", "skip_reason": reason})
    config = task_config(opts)
    work = task_dir(opts.out, task.id)
    desktop = LocalDesktop(work, cache_dir=opts.cache_dir)
    try:
        desktop.start()
        folder = str(Path(task.path).resolve().parent) if task.path else ""
        values = placeholders(desktop.width, desktop.height, str(desktop.home), folder)
        task = resolve(task, values, OSWORLD_HOME, str(desktop.home))
        return _run_on(desktop, task, opts, config, base)
    except TaskSkipped as exc:
        return base.model_copy(update={"status": "skipped", "skip_reason": exc.message})
    except GuiAgentError as exc:
        return base.model_copy(update={"status": "error", "error": str(exc)})
    finally:
        desktop.close()


def _run_on(
    desktop: LocalDesktop, task: EvalTask, opts: Options, config: Config, base: TaskResult
) -> TaskResult:
    from guiagent.gate.approvals import AutoApproveChannel, DenyAllChannel
    from guiagent.session import platform_session

    platform = "browser" if needs_browser(task) else "linux"
    channel = AutoApproveChannel() if opts.yes else DenyAllChannel()
    with platform_session(platform, config, channel) as session:
        if platform == "browser":
            desktop.tabs = session.driver  # type: ignore[assignment]
        desktop.run_steps(task.config)
        try:
            agent, _kind = _agent(task, opts, config, session)
        except CommandParseError as exc:
            return base.model_copy(
                update={"error": f"command mode cannot read the instruction: {exc.message}"}
            )
        root = task_dir(opts.out, task.id)
        runner = session.runner(agent, trajectory_root=root)  # type: ignore[arg-type]
        result = runner.run(task.instruction)
        _settle()
        desktop.run_steps(task.evaluator.postconfig)
        gave_up = result.state is RunState.FAILED and _last_action(result.trajectory) == "fail"
        env = desktop.eval_env()
        env.a11y_dump = lambda: _a11y_text(session.driver)
        value = score(task, env, agent_gave_up=gave_up)
        usage = getattr(getattr(agent, "meter", None), "total", None)
        tokens = (usage.prompt_tokens + usage.completion_tokens) if usage else 0
        errors = env.extra.get("metric_errors")
        message = None if result.state is RunState.DONE else result.message
        if errors:
            message = "; ".join([*([message] if message else []), *errors])
        return base.model_copy(
            update={
                "score": value,
                "steps": result.steps,
                "tokens": tokens,
                "error": message,
                "trajectory": str(result.trajectory) if result.trajectory else None,
            }
        )


def _a11y_text(driver: Any) -> str:
    """The active window's accessibility tree as text, one "role 'name'" per element."""
    obs = driver.observe()
    if obs.accessibility is None:
        raise TaskSkipped("no accessibility tree on this task's display")
    return "\n".join(el.describe() for el in obs.accessibility)


def _settle() -> None:
    """Apps the agent opened keep running until scoring is done (they end with the display);
    give them a moment to flush what they were writing (a text editor saving, say)."""
    time.sleep(0.5)


def _last_action(trajectory: Path | None) -> str | None:
    if trajectory is None or not (trajectory / "steps.jsonl").exists():
        return None
    last = None
    for line in (trajectory / "steps.jsonl").read_text(encoding="utf-8").splitlines():
        data = json.loads(line)
        if isinstance(data.get("action"), dict):
            last = data["action"].get("type")
    return last


def run_miniwob(name: str, seed: int, opts: Options) -> TaskResult:
    """One MiniWoB++ episode through the MiniWoB suite (guiagent.evaluation.miniwob)."""
    task_id = f"miniwob:{name}#{seed}"
    folder = task_dir(opts.out, task_id)
    try:  # the MiniWoB suite, imported only when asked for
        from guiagent.evaluation.miniwob import run_miniwob_episode
    except ImportError as exc:
        reason = f"the MiniWoB suite is not available: {exc}"
        return TaskResult(id=task_id, domain="miniwob", status="skipped", skip_reason=reason)
    try:
        outcome = run_miniwob_episode(
            name, seed, agent=opts.agent, grounding=opts.grounding, out_dir=folder,
            config=task_config(opts), yes=opts.yes,
        )  # fmt: skip
    except GuiAgentError as exc:
        return TaskResult(id=task_id, domain="miniwob", status="error", error=str(exc))
    trajectory = getattr(outcome, "trajectory", None)
    return TaskResult(
        id=task_id,
        domain="miniwob",
        status="ran",
        score=float(outcome.score),
        steps=int(outcome.steps),
        seconds=round(float(outcome.seconds), 2),
        error=outcome.error or None,
        trajectory=str(trajectory) if trajectory else None,
    )


def _die_with_parent() -> None:
    """A killed ``eval run`` takes its workers along: the kernel sends SIGTERM when the parent
    dies (Linux), and SIGTERM from anyone ends everything this task started before exiting,
    so no display, app or browser outlives the run. The task leaves no result and reruns on
    resume."""
    if sys.platform.startswith("linux"):
        import ctypes

        parent = os.getppid()
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # the parent died before the request took hold
            os._exit(_TERMINATED)
    signal.signal(signal.SIGTERM, _end_task)


_PR_SET_PDEATHSIG = 1
_TERMINATED = 128 + signal.SIGTERM


def _end_task(signum: int, frame: object) -> None:
    """Kill what this task started, with the process groups they lead (a D-Bus daemon's
    activated services have left its tree by now but not its group), then exit at once."""
    from guiagent.platforms.linux.xvfb import _descendants, _kill_same

    below = _descendants({os.getpid()})
    own = os.getpgrp()
    groups = set()
    for pid in below:
        with contextlib.suppress(OSError):
            groups.add(os.getpgid(pid))
    groups.discard(own)
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for group in groups:
            with contextlib.suppress(OSError):
                os.killpg(group, sig)
        for pid, started in below.items():
            _kill_same(pid, started, sig)
        if sig is signal.SIGTERM:
            time.sleep(0.5)
    os._exit(_TERMINATED)


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args and args[0] == "--miniwob":
        opts = Options.model_validate_json(Path(args[3]).read_text(encoding="utf-8"))
        write_result(opts.out, run_miniwob(args[1], int(args[2]), opts))
        return 0
    task = EvalTask.model_validate_json(Path(args[0]).read_text(encoding="utf-8"))
    opts = Options.model_validate_json(Path(args[1]).read_text(encoding="utf-8"))
    result = run_task(task, opts)
    write_result(opts.out, result)
    return 0


if __name__ == "__main__":
    _die_with_parent()  # only as the worker process, never inside a caller's process
    sys.exit(main())
