"""The LLM agents in a real headless Chromium: the scripted model answers with element ids of
the screen it was shown (as a set-of-marks model does), and the runner gates each action."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from guiagent.agents.llm import LlmAgent
from guiagent.agents.llm_types import Decision, Plan, Reflection
from guiagent.config import Config, RunnerConfig
from guiagent.gate.approvals import AutoApproveChannel
from guiagent.gate.gate import Gate
from guiagent.observation import RunState
from guiagent.perception.ground import Grounder
from guiagent.perception.perceiver import Perceiver
from guiagent.platforms.browser.driver import BrowserDriver
from guiagent.platforms.browser.localserver import StaticServer
from guiagent.runner import Runner
from guiagent.testing.scripted_model import ScriptedChatModel
from guiagent.trajectory import read_trajectory

pytestmark = [pytest.mark.browser, pytest.mark.ocr]

WEB = Path(__file__).resolve().parent.parent / "data" / "web"


@pytest.fixture
def web() -> Iterator[StaticServer]:
    with StaticServer(WEB) as server:
        yield server


def test_scripted_llm_agent_logs_in_through_the_browser(tmp_path: Path, web: StaticServer) -> None:
    config = Config(data_dir=tmp_path)
    perceiver = Perceiver(config.perception)
    with BrowserDriver(config.browser, start_url=web.url("login.html")) as driver:
        # The ids the model will see: the same page perceived the same way.
        screen = perceiver.perceive(driver.observe())
        grounder = Grounder()
        ids = {
            q: grounder.best(screen, q).element.id
            for q in ("the Username field", "the Password field", "Remember me", "Log in button")
        }
        model = ScriptedChatModel(
            {
                Plan: [{"subgoals": [{"text": "log in as ana"}]}],
                Decision: [
                    {
                        "thought": "fill the form and log in",
                        "actions": [
                            {
                                "type": "type_text",
                                "text": "ana",
                                "target": {"element": ids["the Username field"]},
                            },
                            {
                                "type": "type_text",
                                "text": "s3cret",
                                "secret": True,
                                "target": {"element": ids["the Password field"]},
                            },
                            {"type": "click", "target": {"element": ids["Remember me"]}},
                            {"type": "click", "target": {"element": ids["Log in button"]}},
                        ],
                        "expect": "Welcome",
                        "subgoal_done": True,
                    },
                    {"actions": [{"type": "done", "message": "logged in"}]},
                ],
                Reflection: [{"outcome": "succeeded", "reason": "logged in"}],
            }
        )
        agent = LlmAgent(model, allowed=driver.capabilities.actions)
        runner = Runner(
            driver,
            perceiver.perceive,
            agent,
            Gate.from_config(config, AutoApproveChannel()),
            config=RunnerConfig(max_steps=12, settle_seconds=0.1, kill_corner=False),
            trajectory_root=tmp_path / "runs",
        )
        result = runner.run("log in as ana with password s3cret, remember me")

    assert result.state is RunState.DONE, result.message
    posts = web.posts("/login")
    assert [p.form for p in posts] == [
        {"username": ["ana"], "password": ["s3cret"], "remember": ["yes"]}
    ]
    assert result.trajectory is not None
    steps = [line for line in read_trajectory(result.trajectory) if "step" in line]
    assert [s["action"]["type"] for s in steps][:4] == ["type_text", "type_text", "click", "click"]
    assert all(s["gate"]["allowed"] for s in steps[:4])
    assert "s3cret" not in "".join(str(s["action"]) for s in steps), (
        "the secret the agent typed is masked in the trajectory"
    )
