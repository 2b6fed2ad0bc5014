"""Assembles the pieces a run needs — display, driver, perceiver, gate, runner — from one Config.

Surfaces (CLI, daemon, tray, evaluation) call this instead of wiring components themselves, so
every run gets the same gate, audit log, redaction and trajectory.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from guiagent.agents.base import Agent
from guiagent.config import Config
from guiagent.errors import UsageError
from guiagent.gate.approvals import ApprovalChannel
from guiagent.gate.gate import Gate
from guiagent.gate.killswitch import KillSwitch
from guiagent.perception.perceiver import Perceiver
from guiagent.platforms.base import Driver
from guiagent.redact import Redactor
from guiagent.runner import EventHook, QuestionChannel, Runner

log = logging.getLogger(__name__)


@dataclass
class Session:
    """A live driver with the shared services around it; build one Runner per task."""

    config: Config
    driver: Driver
    perceiver: Perceiver
    gate: Gate
    kill_switch: KillSwitch = field(default_factory=KillSwitch)
    redactor: Redactor = field(default_factory=Redactor)

    def runner(
        self,
        agent: Agent,
        *,
        trajectory_root: Path | None = None,
        on_event: EventHook | None = None,
        questions: QuestionChannel | None = None,
    ) -> Runner:
        return Runner(
            self.driver,
            self.perceiver.perceive,
            agent,
            self.gate,
            config=self.config.runner,
            kill_switch=self.kill_switch,
            redactor=self.redactor,
            trajectory_root=trajectory_root or self.config.runs_dir,
            on_event=on_event,
            questions=questions,
        )


@contextlib.contextmanager
def virtual_display_if(wanted: bool, config: Config) -> Iterator[str | None]:
    """Start a private Xvfb + window manager (+ AT-SPI bus) for the duration, when asked."""
    if not wanted:
        yield None
        return
    from guiagent.platforms.linux.xvfb import VirtualDisplay

    with VirtualDisplay(accessibility=config.linux.accessibility) as display:
        display.apply()
        try:
            yield display.display
        finally:
            display.restore()


@contextlib.contextmanager
def linux_session(
    config: Config, channel: ApprovalChannel, *, kill_switch: KillSwitch | None = None
) -> Iterator[Session]:
    """A session on the X display named by config or $DISPLAY."""
    from guiagent.platforms.linux.driver import LinuxDriver

    with _around(LinuxDriver(config.linux), config, channel, kill_switch) as session:
        yield session


@contextlib.contextmanager
def browser_session(
    config: Config,
    channel: ApprovalChannel,
    *,
    kill_switch: KillSwitch | None = None,
    start_url: str | None = None,
) -> Iterator[Session]:
    """A session in a Chromium of its own (headless unless ``config.browser.headless`` is
    off), on ``start_url`` when given."""
    from guiagent.platforms.browser.driver import BrowserDriver

    driver = BrowserDriver(config.browser, start_url=start_url)
    with _around(driver, config, channel, kill_switch) as session:
        yield session


@contextlib.contextmanager
def _around(
    driver: Driver, config: Config, channel: ApprovalChannel, kill_switch: KillSwitch | None
) -> Iterator[Session]:
    """The shared services around a started driver; the driver is closed when done."""
    redactor = Redactor()
    try:
        gate = Gate.from_config(config, channel, redactor=redactor)
        yield Session(
            config,
            driver,
            Perceiver(config.perception),
            gate,
            kill_switch=kill_switch or KillSwitch(),
            redactor=redactor,
        )
    finally:
        driver.close()


PLATFORMS = ("linux", "browser")


@contextlib.contextmanager
def platform_session(
    platform: str,
    config: Config,
    channel: ApprovalChannel,
    *,
    kill_switch: KillSwitch | None = None,
    start_url: str | None = None,
) -> Iterator[Session]:
    """A session on ``platform`` (one of ``PLATFORMS``)."""
    if platform == "browser":
        with browser_session(
            config, channel, kill_switch=kill_switch, start_url=start_url
        ) as session:
            yield session
    elif platform == "linux":
        with linux_session(config, channel, kill_switch=kill_switch) as session:
            yield session
    else:
        raise UsageError(f"unknown platform {platform!r}; known: {', '.join(PLATFORMS)}")
