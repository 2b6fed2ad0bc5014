"""The LLM agents on a real app: the Tk form under Xvfb, the real Linux driver, OCR perception,
the real gate and runner, driven by the scripted model (which, like a vision model, answers in
the downscaled screenshot's pixels)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from guiagent.agents.llm import LlmAgent
from guiagent.agents.llm_types import Decision, Plan, Reflection
from guiagent.config import AgentsConfig, Config, PerceptionConfig, RunnerConfig
from guiagent.gate.approvals import AutoApproveChannel
from guiagent.gate.gate import Gate
from guiagent.models.base import Message
from guiagent.observation import RunState
from guiagent.perception.perceiver import Perceiver
from guiagent.runner import Runner
from guiagent.testing.scripted_model import ScriptedChatModel
from guiagent.testing.x11 import wait_for_window, wait_until

pytestmark = pytest.mark.x11


def test_scripted_llm_agent_fills_the_tk_form(
    linux_driver: Any,
    start_app: Callable[..., Any],
    tk_form_cmd: Callable[[str], tuple[list[str], Path]],
    tmp_path: Path,
) -> None:
    cmd, out = tk_form_cmd("Tk Form")
    start_app(cmd)
    window = wait_for_window(linux_driver, "Tk Form", active=True)
    layout = out.with_name(out.name + ".layout.json")

    def settled() -> dict[str, list[int]] | None:
        if not layout.exists():
            return None
        rects: dict[str, list[int]] = json.loads(layout.read_text())["widgets"]
        box = next((w.box for w in linux_driver.list_windows() if w.id == window.id), None)
        ok = box is not None and all(box.contains(x, y) for x, y, _w, _h in rects.values())
        return rects if ok else None

    rects = wait_until(settled, 10, message="form layout")

    def to(widget: str, messages: Sequence[Message]) -> dict[str, Any]:
        """A target in the pixels of the image the model was sent."""
        scale = messages[-1].images()[0].width / 1280
        x, y, w, h = rects[widget]
        p = linux_driver.geometry.to_pixels(x + w // 2, y + h // 2)
        return {"point": {"x": round(p.x * scale), "y": round(p.y * scale)}}

    def fill(messages: Sequence[Message], _type: type) -> dict[str, Any]:
        return {
            "thought": "fill both fields, tick Subscribe, submit",
            "actions": [
                {"type": "type_text", "text": "Ana Lopez", "target": to("name", messages)},
                {"type": "type_text", "text": "ana@example.org", "target": to("email", messages)},
                {"type": "click", "target": to("subscribe", messages)},
                {"type": "click", "target": to("submit", messages)},
            ],
            "expect": "ana@example.org",
            "subgoal_done": True,
        }

    model = ScriptedChatModel(
        {
            Plan: [{"subgoals": [{"text": "fill and submit the form"}]}],
            Decision: [fill, {"actions": [{"type": "done", "message": "submitted"}]}],
            Reflection: [{"outcome": "succeeded", "reason": "the form shows the values"}],
        }
    )
    config = Config(data_dir=tmp_path, perception=PerceptionConfig(accessibility=True))
    gate = Gate.from_config(config, AutoApproveChannel())
    agent = LlmAgent(
        model, allowed=linux_driver.capabilities.actions, config=AgentsConfig(max_image_side=1024)
    )
    runner = Runner(
        linux_driver,
        Perceiver(config.perception).perceive,
        agent,
        gate,
        config=RunnerConfig(settle_seconds=0.3, kill_corner=False, max_steps=10),
        trajectory_root=tmp_path / "runs",
    )
    result = runner.run("put Ana Lopez, ana@example.org in the form, subscribe and submit")
    assert result.state is RunState.DONE, result.message
    values = wait_until(lambda: out.exists() and json.loads(out.read_text()), 10)
    assert values["name"] == "Ana Lopez"
    assert values["email"] == "ana@example.org"
    assert values["subscribe"] is True and values["submits"] == 1
    stats = agent.run_stats()
    assert stats["queued_steps"] == 3  # one decision call for four gated actions
    assert stats["model_calls"]["decision"] == 2
    image = model.calls_for(Decision)[0].messages[-1].images()[0]
    assert (image.width, image.height) == (1024, 640)
