"""The runner on the real Linux driver: the gate holding a risky action until it times out, and
the kill switch (pointer pushed into a corner by a person) stopping a run."""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from guiagent.agents.command_mode.agent import CommandModeAgent
from guiagent.agents.command_mode.parser import parse_command
from guiagent.config import Config, RunnerConfig
from guiagent.errors import GateDenied
from guiagent.gate.approvals import QueueApprovalChannel
from guiagent.gate.gate import Gate
from guiagent.observation import RunState
from guiagent.perception.ground import Grounder
from guiagent.perception.perceiver import Perceiver
from guiagent.platforms.linux.driver import LinuxDriver
from guiagent.runner import Runner
from guiagent.testing.x11 import wait_for_window

pytestmark = [pytest.mark.x11, pytest.mark.ocr]


def build(
    tmp_path: Path, driver: LinuxDriver, sentence: str, channel: QueueApprovalChannel
) -> Runner:
    config = Config(data_dir=tmp_path)
    gate = Gate.from_config(config, channel)
    agent = CommandModeAgent(Grounder(), steps=parse_command(sentence))
    return Runner(
        driver,
        Perceiver(config.perception).perceive,
        agent,
        gate,
        config=RunnerConfig(settle_seconds=0.1),
        trajectory_root=tmp_path / "runs",
    )


def test_gate_holds_terminal_typing_and_denies_on_timeout(
    linux_driver: LinuxDriver, start_app: Callable[..., object], tmp_path: Path
) -> None:
    target = tmp_path / "must-not-exist.txt"
    start_app(["env", "PS1=ready> ", "xterm", "-e", "bash", "--norc", "--noprofile"])
    wait_for_window(linux_driver, "xterm", timeout=20)
    channel = QueueApprovalChannel(timeout=0.8)
    seen: list[str] = []
    runner = build(tmp_path, linux_driver, f"type 'touch {target}', press enter", channel)
    runner.on_event = lambda kind, data: seen.append(data.get("state", ""))
    result = runner.run("touch a file")
    assert result.state is RunState.FAILED
    assert isinstance(result.error, GateDenied)
    assert "terminal" in result.message
    assert "awaiting_confirmation" in seen
    assert not target.exists()
    audit = (tmp_path / "audit.jsonl").read_text()
    assert '"confirm"' in audit and "xterm" in audit


def test_pointer_in_a_corner_stops_the_run(
    vdisplay: object, linux_driver: LinuxDriver, start_app: Callable[..., object], tmp_path: Path
) -> None:
    start_app(["galculator"])
    wait_for_window(linux_driver, "galculator", timeout=20)
    sentence = ", ".join(["wait 1 seconds"] * 8) + ", click 7"
    runner = build(tmp_path, linux_driver, sentence, QueueApprovalChannel(timeout=1))

    def person_pushes_pointer_into_corner() -> None:
        subprocess.run(["xdotool", "mousemove", "0", "0"], check=True, env=vdisplay.child_env())  # type: ignore[attr-defined]

    timer = threading.Timer(1.5, person_pushes_pointer_into_corner)
    timer.start()
    try:
        result = runner.run("wait, then click 7")
    finally:
        timer.cancel()
    assert result.state is RunState.CANCELLED
    assert result.exit_code == 130
    assert result.steps < 9  # stopped before the click
    assert "corner" in result.message
