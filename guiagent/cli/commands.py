"""The CLI's subcommands. Each one assembles a session (guiagent.session) and reports."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from PIL import Image

from guiagent.agents.command_mode.agent import CommandModeAgent
from guiagent.agents.command_mode.parser import COMMAND_FORMS, parse_command
from guiagent.agents.command_mode.steps import Step, TypeStep
from guiagent.cli.output import Output
from guiagent.config import Config, load_config
from guiagent.errors import CommandParseError, PerceptionError, UsageError
from guiagent.gate.approvals import (
    ApprovalChannel,
    AutoApproveChannel,
    CliApprovalChannel,
)
from guiagent.gate.killswitch import KillSwitch
from guiagent.observation import Observation, Screen
from guiagent.perception.perceiver import Perceiver
from guiagent.perception.remote import grounder_for
from guiagent.runner import RunResult
from guiagent.session import Session, platform_session, virtual_display_if


def dispatch(args: argparse.Namespace, out: Output) -> int:
    handlers = {
        "do": cmd_do,
        "run": cmd_run,
        "screenshot": cmd_screenshot,
        "perceive": cmd_perceive,
        "ground": cmd_ground,
        "doctor": cmd_doctor,
        "forms": cmd_forms,
    }
    return handlers[args.command](args, out)


def _config(args: argparse.Namespace) -> Config:
    config = load_config(args.config)
    if getattr(args, "max_steps", None):
        config.runner.max_steps = args.max_steps
    if getattr(args, "base_url", None):
        config.models.base_url = args.base_url
    if getattr(args, "model", None):
        config.models.model = args.model
    return config


class CliChannel(CliApprovalChannel):
    """The terminal answers confirmations and, the same way, an agent's ``ask_user``."""

    def answer_question(self, question: str, timeout: float) -> str | None:
        fd = self._input_fd()
        if fd is None or not os.isatty(fd):
            self._say(f"guiagent asks: {question} (no terminal to answer on)")
            return None
        self._say(f"guiagent asks: {question}")
        self._say(f"  answer (no answer in {timeout:g}s ends the run): ", end="")
        return self._read_line(fd, timeout)


def _channel(args: argparse.Namespace, config: Config, kill: KillSwitch) -> ApprovalChannel:
    if getattr(args, "yes", False):
        return AutoApproveChannel()
    # A Ctrl+C while a confirmation is asked stops waiting at once.
    return CliChannel(timeout=config.gate.confirm_timeout, stop=lambda: kill.tripped)


@contextlib.contextmanager
def _session(args: argparse.Namespace, config: Config, out: Output) -> Iterator[Session]:
    platform = getattr(args, "platform", None) or "linux"
    url = getattr(args, "url", None)
    if platform == "browser":
        config.browser.headless = not getattr(args, "headed", False)
    elif url or getattr(args, "headed", False):
        raise UsageError("--url and --headed apply to --platform browser")
    with virtual_display_if(bool(getattr(args, "virtual_display", False)), config) as display:
        if display:
            out.progress(f"virtual display {display} started")
        kill = KillSwitch()
        channel = _channel(args, config, kill)
        with platform_session(
            platform, config, channel, kill_switch=kill, start_url=url
        ) as session:
            redacting = session.redactor.log_filter()
            handlers = logging.getLogger().handlers
            for handler in handlers:
                handler.addFilter(redacting)
            try:
                yield session
            finally:
                for handler in handlers:
                    handler.removeFilter(redacting)


# -- do / run ---------------------------------------------------------------------------------
def cmd_do(args: argparse.Namespace, out: Output) -> int:
    """``--agent auto``: command mode when the whole sentence parses, else the LLM agents."""
    from guiagent.models.factory import HOW_TO_CONFIGURE, endpoint_configured

    config = _config(args)
    mode = getattr(args, "agent", "command")
    if mode in ("auto", "command"):
        try:  # a sentence nobody understands fails before any set-up
            steps = parse_command(args.sentence)
        except CommandParseError as exc:
            if mode == "command" or not endpoint_configured(config.models):
                if mode == "auto":
                    exc.hint = (f"{exc.hint}; " if exc.hint else "") + (
                        "or, for the LLM agents, " + HOW_TO_CONFIGURE
                    )
                raise
        else:
            # a password in the sentence is hidden from the very first trajectory line
            secrets = {s.text for s in steps if isinstance(s, TypeStep) and s.secret}
            return _run_steps(args, out, args.sentence, steps, secrets=secrets, config=config)
    return _run_llm(args, out, config)


def _run_llm(args: argparse.Namespace, out: Output, config: Config) -> int:
    from guiagent.agents.llm import LlmAgent
    from guiagent.models.base import UsageMeter
    from guiagent.models.factory import build_models
    from guiagent.scripts.loader import list_skills, user_skill_dir

    meter = UsageMeter()
    models = build_models(config.models, meter)  # no endpoint / key / server: exit 2 now
    out.progress("models: " + ", ".join(f"{r} {m.name}" for r, m in models.items()))
    skills = list_skills([user_skill_dir()])
    with _session(args, config, out) as session:
        agent = LlmAgent.from_models(
            models,
            allowed=session.driver.capabilities.actions,
            config=config.agents,
            skills=skills,
            skill_dirs=[user_skill_dir()],
            grounder=grounder_for(config.perception),
            meter=meter,
        )
        runner = session.runner(agent, trajectory_root=args.out, on_event=_progress(out))
        with session.kill_switch.install_sigint():
            result = runner.run(args.sentence)
        if args.screenshot and result.final_observation is not None:
            _save(result.final_observation, args.screenshot)
        stats = agent.run_stats()
        usage = meter.total
        out.progress(
            f"model calls: {stats['model_calls']} ({stats['model_calls_per_step']}/step),"
            f" tokens: {usage.prompt_tokens} prompt + {usage.completion_tokens} completion"
            + (f", cost ${usage.cost_usd:.4f}" if usage.cost_usd else "")
        )
        return _report(result, out, session)


def _progress(out: Output) -> Any:
    def on_event(kind: str, data: dict[str, Any]) -> None:
        if kind == "step":
            out.progress(f"step {data['step']}: {data['action']}")

    return on_event


def cmd_run(args: argparse.Namespace, out: Output) -> int:
    from guiagent.scripts.loader import load_task

    params = {}
    for item in args.param:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise UsageError(f"--param expects KEY=VALUE, got {item!r}")
        params[key.strip()] = value
    task = load_task(args.script, params)
    return _run_steps(args, out, task.name, task.steps, secrets=set(task.secrets))


def _run_steps(
    args: argparse.Namespace,
    out: Output,
    task: str,
    steps: list[Step],
    secrets: set[str],
    config: Config | None = None,
) -> int:
    config = config or _config(args)
    with _session(args, config, out) as session:
        for secret in secrets:
            session.redactor.add(secret)
        agent = CommandModeAgent(
            grounder_for(config.perception),
            min_score=config.perception.min_ground_score,
            steps=steps,
        )

        def on_event(kind: str, data: dict[str, Any]) -> None:
            if kind == "step":
                out.progress(f"step {data['step']}: {data['action']}")

        runner = session.runner(agent, trajectory_root=args.out, on_event=on_event)
        with session.kill_switch.install_sigint():
            result = runner.run(task)
        if args.screenshot and result.final_observation is not None:
            _save(result.final_observation, args.screenshot)
        return _report(result, out, session)


def _report(result: RunResult, out: Output, session: Session) -> int:
    data = {
        "run_id": result.run_id,
        "state": result.state.value,
        "steps": result.steps,
        "message": result.message,
        "trajectory": str(result.trajectory) if result.trajectory else None,
        "exit_code": result.exit_code,
    }
    if result.exit_code == 0:
        out.result(f"done in {result.steps} step(s): {result.message}", data)
    else:
        out.error(result.message)
        if out.json_mode:
            out.result("", data)
    if result.trajectory:
        out.progress(f"trajectory: {result.trajectory}")
    return result.exit_code


# -- screenshot / perceive / ground -----------------------------------------------------------
def cmd_screenshot(args: argparse.Namespace, out: Output) -> int:
    config = _config(args)
    with _session(args, config, out) as session:
        obs = session.driver.observe()
        _save(obs, args.out)
    out.result(f"saved {args.out} ({obs.width}x{obs.height})", {"path": str(args.out)})
    return 0


def _observe_for(args: argparse.Namespace, out: Output) -> tuple[Observation, Screen]:
    config = _config(args)
    perceiver = Perceiver(config.perception)
    if args.screen:
        with _session(args, config, out) as session:
            obs = session.driver.observe()
            return obs, perceiver.perceive(obs)
    if not args.image.exists():
        raise UsageError(f"image not found: {args.image}")
    screen = perceiver.perceive_image(args.image)
    if screen.observation is None:
        raise PerceptionError(f"could not read {args.image}")
    return screen.observation, screen


def cmd_perceive(args: argparse.Namespace, out: Output) -> int:
    obs, screen = _observe_for(args, out)
    if args.som:
        from guiagent.perception.som import render_som

        render_som(obs.image, screen.elements).save(args.som)
        out.progress(f"set-of-marks written to {args.som}")
    data = {
        "width": screen.width,
        "height": screen.height,
        "timings_ms": screen.timings_ms,
        "elements": [el.model_dump(mode="json") for el in screen.elements],
    }
    lines = [el.describe() for el in screen.elements] or ["no elements found"]
    out.result("\n".join(lines), data)
    return 0


def cmd_ground(args: argparse.Namespace, out: Output) -> int:
    _obs, screen = _observe_for(args, out)
    grounder = grounder_for(_config(args).perception)
    # best() raises TargetNotFound naming the closest things seen, for exit code 1.
    best = grounder.best(screen, args.query, _config(args).perception.min_ground_score)
    if args.all:
        candidates = grounder.locate(screen, args.query)
        out.result("\n".join(c.describe() for c in candidates), [c.as_json() for c in candidates])
    else:
        out.result(best.describe(), best.as_json())
    return 0


def _save(obs: Observation, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(obs.image).save(path)


# -- doctor / forms ---------------------------------------------------------------------------
def cmd_doctor(args: argparse.Namespace, out: Output) -> int:
    from guiagent.cli.doctor import run_checks

    checks = run_checks()
    failed = 0
    for check in checks:
        if check.ok:
            mark = "[green]ok[/green]     "
        else:
            mark = "[red]MISSING[/red]" if check.required else "[yellow]absent[/yellow] "
        out.err.print(f"{mark} {check.name}: {check.detail}")
        if not check.ok:
            failed += check.required
            out.err.print(f"        fix: {check.fix}")
    out.result(
        "all required pieces present" if not failed else f"{failed} required piece(s) missing",
        {"checks": [c.__dict__ for c in checks]},
    )
    return 0 if not failed else 1


def cmd_forms(args: argparse.Namespace, out: Output) -> int:
    out.result("\n".join(COMMAND_FORMS), {"forms": COMMAND_FORMS})
    return 0
