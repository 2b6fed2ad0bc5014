"""The runner loop with the command-mode agent, the real gate and a recording driver."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np

from guiagent.actions import Action, Click, Hotkey, Key, TypeText
from guiagent.agents.command_mode.agent import CommandModeAgent
from guiagent.agents.command_mode.parser import parse_command
from guiagent.config import Config, RunnerConfig
from guiagent.errors import GateDenied, StepFailed, TargetNotFound
from guiagent.gate.approvals import AutoApproveChannel, DenyAllChannel, QueueApprovalChannel
from guiagent.gate.gate import Gate
from guiagent.gate.killswitch import KillSwitch
from guiagent.observation import Box, Element, Observation, RunState, Screen
from guiagent.perception.ground import Grounder
from guiagent.platforms.base import Driver
from guiagent.redact import Redactor
from guiagent.runner import Runner
from guiagent.testing.recording import RecordingDriver, blank_observation
from guiagent.trajectory import read_trajectory


def a11y(role: str, name: str, box: tuple[int, int, int, int], *states: str) -> Element:
    return Element(
        role=role, name=name, box=Box.xywh(*box), source="a11y", states=frozenset(states)
    )


def perceive(obs: Observation) -> Screen:
    """Perception for unit tests: the a11y elements, numbered; no OCR."""
    elements = [el.model_copy(update={"id": i}) for i, el in enumerate(obs.accessibility or [])]
    return Screen(elements=elements, width=obs.width, height=obs.height, observation=obs)


FORM = [
    a11y("label", "Name", (10, 10, 40, 20)),
    a11y("text_field", "Name", (60, 10, 120, 20), "editable"),
    a11y("label", "Password", (10, 40, 40, 20)),
    a11y("text_field", "Password", (60, 40, 120, 20), "editable"),
    a11y("button", "OK", (10, 80, 60, 24)),
    a11y("button", "Delete", (80, 80, 60, 24)),
]


def form_frames(done: list[Action]) -> Observation:
    """The form as an accessible app shows it: typed text becomes the field's value, and the
    pixels change a little with every executed action."""
    elements = list(FORM)
    typed_into: list[Box] = []
    for action in done:
        if isinstance(action, TypeText) and action.target and action.target.point:
            p = action.target.point
            elements = [
                el.model_copy(update={"value": action.text}) if el.box.contains(p.x, p.y) else el
                for el in elements
            ]
            typed_into += [el.box for el in elements if el.box.contains(p.x, p.y)]
    obs = blank_observation(elements=elements, app="formapp", title="Form")
    for box in typed_into:  # glyphs (or bullets) drawn in the field
        obs.image[box.top + 5 : box.bottom - 5, box.left + 4 : box.left + 30] = 0
    for i, _ in enumerate(done):
        obs.image[150 + i % 40, 10:300] = 0
    return obs


def make_runner(
    tmp_path: Path,
    driver: Driver,
    sentence: str,
    *,
    channel: object | None = None,
    kill: KillSwitch | None = None,
    max_steps: int = 30,
) -> tuple[Runner, Redactor]:
    config = Config(data_dir=tmp_path)
    redactor = Redactor()
    gate = Gate.from_config(config, channel or AutoApproveChannel(), redactor=redactor)
    agent = CommandModeAgent(Grounder(), steps=parse_command(sentence), appear_timeout=0.0)
    runner = Runner(
        driver,
        perceive,
        agent,
        gate,
        config=RunnerConfig(max_steps=max_steps, settle_seconds=0, kill_corner=True),
        kill_switch=kill,
        redactor=redactor,
        trajectory_root=tmp_path / "runs",
    )
    return runner, redactor


def test_click_resolves_the_element_to_its_centre(tmp_path: Path) -> None:
    driver = RecordingDriver(form_frames)
    runner, _ = make_runner(tmp_path, driver, "click OK")
    result = runner.run("click OK")
    assert result.state is RunState.DONE, result.message
    assert driver.executed == [Click(target={"point": {"x": 40, "y": 92}})]  # type: ignore[arg-type]
    lines = read_trajectory(result.trajectory)  # type: ignore[arg-type]
    step = next(line for line in lines if line.get("step") == 1)
    assert step["gate"]["verdict"] == "allow"
    assert (result.trajectory / step["screenshot"]).exists()  # type: ignore[operator]


def test_type_into_field_then_press_keys(tmp_path: Path) -> None:
    driver = RecordingDriver(form_frames)
    runner, _ = make_runner(tmp_path, driver, "type 'Ana' into Name, press ctrl+s")
    result = runner.run("fill the form")
    assert result.state is RunState.DONE, result.message
    typed = driver.executed[0]
    assert isinstance(typed, TypeText) and typed.text == "Ana"
    assert typed.target is not None and typed.target.point is not None
    assert Box.xywh(60, 10, 120, 20).contains(typed.target.point.x, typed.target.point.y)
    assert driver.executed[-1] == Hotkey(keys=["ctrl", "s"])


def test_secret_never_reaches_trajectory_or_audit(tmp_path: Path) -> None:
    driver = RecordingDriver(form_frames)
    runner, _ = make_runner(tmp_path, driver, "type password 'hunter2' into Password")
    result = runner.run("log in")
    assert result.state is RunState.DONE, result.message
    assert isinstance(driver.executed[0], TypeText) and driver.executed[0].secret
    for path in [*(result.trajectory.glob("*.jsonl")), tmp_path / "audit.jsonl"]:  # type: ignore[union-attr]
        text = path.read_text()
        assert text, path
        assert "hunter2" not in text, path


def test_gate_denies_destructive_text_and_nothing_runs(tmp_path: Path) -> None:
    driver = RecordingDriver(form_frames)
    runner, _ = make_runner(tmp_path, driver, "type 'rm -rf /' into Name")
    result = runner.run("danger")
    assert result.state is RunState.FAILED
    assert isinstance(result.error, GateDenied)
    assert result.exit_code == 1
    assert driver.executed == []
    audit = [json.loads(x) for x in (tmp_path / "audit.jsonl").read_text().splitlines()]
    assert audit[-1]["verdict"] == "deny"


def test_confirm_without_answer_is_denied(tmp_path: Path) -> None:
    driver = RecordingDriver(form_frames)
    channel = QueueApprovalChannel(timeout=0.2)
    runner, _ = make_runner(tmp_path, driver, "click Delete", channel=channel)
    result = runner.run("delete it")
    assert isinstance(result.error, GateDenied), result.message
    assert driver.executed == []


def test_confirm_approved_from_another_thread(tmp_path: Path) -> None:
    driver = RecordingDriver(form_frames)
    channel = QueueApprovalChannel(timeout=10)
    runner, _ = make_runner(tmp_path, driver, "click Delete", channel=channel)
    states: list[str] = []
    runner.on_event = lambda kind, data: states.append(data.get("state", ""))

    def approve() -> None:
        for _ in range(200):
            pending = channel.pending()
            if pending:
                channel.resolve(pending[0].id, True)
                return
            threading.Event().wait(0.02)

    helper = threading.Thread(target=approve)
    helper.start()
    result = runner.run("delete it")
    helper.join()
    assert result.state is RunState.DONE, result.message
    assert len(driver.executed) == 1
    assert "awaiting_confirmation" in states


def test_deny_all_channel_refuses_confirmations(tmp_path: Path) -> None:
    driver = RecordingDriver(form_frames)
    runner, _ = make_runner(tmp_path, driver, "click Delete", channel=DenyAllChannel())
    assert isinstance(runner.run("x").error, GateDenied)


def test_target_not_found_lists_closest(tmp_path: Path) -> None:
    driver = RecordingDriver(form_frames)
    runner, _ = make_runner(tmp_path, driver, "click Cancel")
    result = runner.run("click Cancel")
    assert result.state is RunState.FAILED and result.exit_code == 1
    assert isinstance(result.error, TargetNotFound)
    assert "Cancel" in result.message
    assert driver.executed == []


def test_kill_switch_stops_before_the_next_action(tmp_path: Path) -> None:
    kill = KillSwitch()
    driver = RecordingDriver(form_frames)
    runner, _ = make_runner(tmp_path, driver, "press tab, press tab", kill=kill)
    runner.on_event = lambda kind, data: kill.trip("test") if kind == "step" else None
    result = runner.run("tabs")
    assert result.state is RunState.CANCELLED
    assert driver.executed == [Key(key="tab")]


def test_pointer_in_corner_cancels(tmp_path: Path) -> None:
    from guiagent.actions import Point

    driver = RecordingDriver(form_frames, pointer=Point(x=0, y=0))
    runner, _ = make_runner(tmp_path, driver, "press tab")
    result = runner.run("tab")
    assert result.state is RunState.CANCELLED
    assert driver.executed == []


def test_max_steps(tmp_path: Path) -> None:
    driver = RecordingDriver(form_frames)
    runner, _ = make_runner(tmp_path, driver, "press tab 5 times", max_steps=2)
    result = runner.run("tabs")
    assert result.state is RunState.DONE  # one Key action with presses=5
    runner, _ = make_runner(tmp_path, driver, "press tab, press tab, press tab", max_steps=2)
    result = runner.run("tabs")
    assert result.state is RunState.FAILED and "max_steps" in result.message


def test_wait_for_times_out_with_candidates(tmp_path: Path) -> None:
    driver = RecordingDriver(form_frames)
    steps = parse_command("wait for 'Saved' up to 1 seconds")
    assert steps[0].kind == "wait_for"
    runner, _ = make_runner(tmp_path, driver, "wait for 'Saved' up to 1 seconds")
    result = runner.run("wait")
    assert result.state is RunState.FAILED
    assert isinstance(result.error, (TargetNotFound, StepFailed))


def test_check_uses_accessible_state(tmp_path: Path) -> None:
    box = (10, 120, 100, 20)
    done_count = {"n": 0}

    def frames(done: list[Action]) -> Observation:
        done_count["n"] = len(done)
        states = ("checked",) if done else ()
        el = a11y("checkbox", "Subscribe", box, *states)
        obs = blank_observation(elements=[el])
        obs.image[:] = np.uint8(200 if done else 255)
        return obs

    driver = RecordingDriver(frames)
    runner, _ = make_runner(tmp_path, driver, "check Subscribe")
    assert runner.run("check").state is RunState.DONE
    assert len(driver.executed) == 1
    runner, _ = make_runner(tmp_path, driver, "check Subscribe")
    result = runner.run("again")  # already checked now: nothing to do
    assert result.state is RunState.DONE and "already" in result.message
    assert len(driver.executed) == 1
