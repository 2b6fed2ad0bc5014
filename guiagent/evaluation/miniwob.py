"""One MiniWoB++ episode played by a guiagent agent through the real Runner and Gate.

The harness opens and seeds the episode (``miniwob_pages``), hands the agent nothing but the
instruction the page shows, runs the same loop every surface runs, and reads the reward only
after the run has ended. ``grounding="vision"`` hides the page's DOM from perception, so the
agent works from the screenshot alone, as it would on a desktop without accessibility.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from guiagent.agents.base import Agent
from guiagent.config import Config
from guiagent.errors import CommandParseError, GuiAgentError, UsageError
from guiagent.evaluation.miniwob_pages import MiniWobEpisode, MiniWobPages
from guiagent.gate.approvals import ApprovalChannel, AutoApproveChannel, DenyAllChannel
from guiagent.gate.gate import Gate
from guiagent.observation import ActionResult, Observation
from guiagent.perception.ground import Grounder
from guiagent.perception.perceiver import Perceiver
from guiagent.platforms.base import Capabilities, Driver
from guiagent.redact import Redactor
from guiagent.runner import Runner

if TYPE_CHECKING:
    from guiagent.actions import Action
    from guiagent.platforms.browser.driver import BrowserDriver

GROUNDINGS = ("auto", "vision")
AGENTS = ("command", "llm", "auto")


@dataclass(frozen=True)
class EpisodeOutcome:
    """What one episode scored; ``error`` says why a run did not finish cleanly."""

    task_id: str
    seed: int
    score: float
    raw_reward: float
    steps: int
    seconds: float
    error: str | None = None
    trajectory: Path | None = None


class ScreenshotOnly:
    """A driver seen through a screenshot alone: the page's element tree is withheld."""

    def __init__(self, inner: Driver) -> None:
        self.inner = inner

    @property
    def capabilities(self) -> Capabilities:
        return self.inner.capabilities

    def observe(self) -> Observation:
        return self.inner.observe().model_copy(update={"accessibility": None})

    def execute(self, action: Action) -> ActionResult:
        return self.inner.execute(action)

    def close(self) -> None:
        self.inner.close()


def _build_agent(agent: str, instruction: str, config: Config, driver: Driver) -> Agent:
    """The agent ``guiagent do --agent`` would pick for this sentence."""
    from guiagent.agents.command_mode.agent import CommandModeAgent
    from guiagent.agents.command_mode.parser import parse_command

    if agent in ("command", "auto"):
        try:
            steps = parse_command(instruction)
        except CommandParseError:
            from guiagent.models.factory import endpoint_configured

            if agent == "command" or not endpoint_configured(config.models):
                raise
        else:
            return CommandModeAgent(
                Grounder(), min_score=config.perception.min_ground_score, steps=steps
            )
    from guiagent.agents.llm import LlmAgent
    from guiagent.models.base import UsageMeter
    from guiagent.models.factory import build_models

    meter = UsageMeter()
    return LlmAgent.from_models(
        build_models(config.models, meter),
        allowed=driver.capabilities.actions,
        config=config.agents,
        grounder=Grounder(),
        meter=meter,
    )


def _episode_config(config: Config, grounding: str, out_dir: Path) -> Config:
    run = config.model_copy(deep=True)
    run.perception.ocr = True
    run.perception.accessibility = grounding == "auto"
    run.gate.audit_log = out_dir / "audit.jsonl"
    run.runner.kill_corner = False  # no person is at a headless browser's pointer
    return run


def run_miniwob_episode(
    task: str,
    seed: int,
    *,
    agent: str = "command",
    grounding: str = "auto",
    out_dir: Path,
    config: Config,
    yes: bool = False,
    driver: BrowserDriver | None = None,
    pages: MiniWobPages | None = None,
    perceiver: Perceiver | None = None,
) -> EpisodeOutcome:
    """Play ``miniwob:TASK`` with ``seed``; the score is 1.0 only when the page says success.

    ``driver``/``pages``/``perceiver`` are reused across episodes when given (much faster);
    otherwise each is opened for this episode and closed after it.
    """
    if grounding not in GROUNDINGS:
        raise UsageError(f"unknown grounding {grounding!r}; known: {', '.join(GROUNDINGS)}")
    if agent not in AGENTS:
        raise UsageError(f"unknown agent {agent!r}; known: {', '.join(AGENTS)}")
    from guiagent.platforms.browser.driver import BrowserDriver

    run_config = _episode_config(config, grounding, out_dir)
    own_driver = driver is None
    own_pages = pages is None
    browser = driver or BrowserDriver(run_config.browser)
    served = pages or MiniWobPages().start()
    t0 = time.monotonic()
    try:
        episode = MiniWobEpisode(browser, served, task, seed)
        instruction = episode.start()
        seen: Driver = ScreenshotOnly(browser) if grounding == "vision" else browser
        outcome = _play(episode, instruction, seen, agent, run_config, yes, out_dir, perceiver)
        result = episode.result()
    finally:
        if own_pages:
            served.stop()
        if own_driver:
            browser.close()
    steps, error, trajectory = outcome
    if error is None and not result.success:
        error = result.reason or "the page did not record a success"
    return EpisodeOutcome(
        task_id=f"miniwob:{task}",
        seed=seed,
        score=1.0 if result.success else 0.0,
        raw_reward=result.raw_reward,
        steps=steps,
        seconds=round(time.monotonic() - t0, 3),
        error=error,
        trajectory=trajectory,
    )


def _play(
    episode: MiniWobEpisode,
    instruction: str,
    driver: Driver,
    agent: str,
    config: Config,
    yes: bool,
    out_dir: Path,
    perceiver: Perceiver | None,
) -> tuple[int, str | None, Path | None]:
    """Run the agent on the instruction: (steps, error or None, trajectory folder)."""
    try:
        player = _build_agent(agent, instruction, config, driver)
    except CommandParseError as exc:
        return 0, f"parse: {exc.message}", None
    except GuiAgentError as exc:  # no model endpoint for --agent llm, and the like
        return 0, f"{type(exc).__name__}: {exc.message}", None
    channel: ApprovalChannel = AutoApproveChannel() if yes else DenyAllChannel()
    redactor = Redactor()
    gate = Gate.from_config(config, channel, redactor=redactor)
    vision = not config.perception.accessibility
    if perceiver is None:
        perceiver = Perceiver(config.perception, fields=vision)
    else:
        perceiver.config, perceiver.fields = config.perception, vision
    runner = Runner(
        driver,
        perceiver.perceive,
        player,
        gate,
        config=config.runner,
        redactor=redactor,
        trajectory_root=out_dir / f"{episode.task}-{episode.seed}",
    )
    try:
        run = runner.run(instruction)
    except GuiAgentError as exc:  # the loop reports errors itself; this is a last resort
        return 0, f"{type(exc).__name__}: {exc.message}", None
    error = None if run.error is None else f"{type(run.error).__name__}: {run.message}"
    return run.steps, error, run.trajectory
