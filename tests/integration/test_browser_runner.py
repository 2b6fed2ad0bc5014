"""The whole loop in a real browser: Runner + CommandModeAgent (no LLM) + the real gate with
its audit log, the default Perceiver (page elements + OCR), a headless Chromium, and a login
page served by a real http.server that records what the form posts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from guiagent.agents.command_mode.agent import CommandModeAgent
from guiagent.agents.command_mode.parser import parse_command
from guiagent.agents.command_mode.steps import TypeStep
from guiagent.config import Config, RunnerConfig
from guiagent.gate.approvals import AutoApproveChannel
from guiagent.gate.gate import Gate
from guiagent.observation import RunState
from guiagent.perception.ground import Grounder
from guiagent.perception.perceiver import Perceiver
from guiagent.platforms.browser.driver import BrowserDriver
from guiagent.platforms.browser.localserver import StaticServer
from guiagent.redact import Redactor
from guiagent.runner import Runner
from guiagent.trajectory import read_trajectory

pytestmark = [pytest.mark.browser, pytest.mark.ocr]

WEB = Path(__file__).resolve().parent.parent / "data" / "web"
SENTENCE = (
    "type 'ana' into the field next to Username, type password 's3cret' into Password, "
    "check 'Remember me', click 'Log in'"
)


@pytest.fixture
def web() -> Iterator[StaticServer]:
    with StaticServer(WEB) as server:
        yield server


def test_command_mode_logs_in_through_the_browser(tmp_path: Path, web: StaticServer) -> None:
    config = Config(data_dir=tmp_path)
    steps = parse_command(SENTENCE)
    # as the CLI does: a sentence's secrets are known before its first line is recorded
    redactor = Redactor(s.text for s in steps if isinstance(s, TypeStep) and s.secret)
    gate = Gate.from_config(config, AutoApproveChannel(), redactor=redactor)
    agent = CommandModeAgent(Grounder(), steps=steps)
    with BrowserDriver(config.browser, start_url=web.url("login.html")) as driver:
        runner = Runner(
            driver,
            Perceiver(config.perception).perceive,
            agent,
            gate,
            config=RunnerConfig(max_steps=20, settle_seconds=0.1),
            redactor=redactor,
            trajectory_root=tmp_path / "runs",
        )
        result = runner.run(SENTENCE)
        final_url = driver.observe().url

    assert result.state is RunState.DONE, result.message
    posts = web.posts("/login")
    assert len(posts) == 1
    assert posts[0].form == {"username": ["ana"], "password": ["s3cret"], "remember": ["yes"]}
    assert final_url == web.url("login")

    assert result.trajectory is not None
    lines = read_trajectory(result.trajectory)
    steps = [line for line in lines if "step" in line]
    assert [s["action"]["type"] for s in steps][:4] == ["type_text", "type_text", "click", "click"]
    for path in result.trajectory.rglob("*"):
        if path.is_file() and path.suffix != ".png":
            assert "s3cret" not in path.read_text(encoding="utf-8", errors="replace"), path
    audit = config.audit_log_path
    assert audit.exists() and "s3cret" not in audit.read_text(encoding="utf-8")
