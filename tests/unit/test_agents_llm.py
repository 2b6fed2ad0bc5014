"""Whole tasks with the LLM agents on the scripted model, through the real Runner and gate
with a recording driver that simulates a small app: pages change when buttons are clicked."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guiagent.actions import Action, Back, Click, Hotkey, Key, TypeText
from guiagent.agents.llm import LlmAgent
from guiagent.agents.llm_types import Decision, Plan, Reflection
from guiagent.config import AgentsConfig, Config, RunnerConfig
from guiagent.errors import ModelOutputError
from guiagent.gate.approvals import AutoApproveChannel, PendingApproval
from guiagent.gate.gate import Gate
from guiagent.observation import Box, Element, Observation, RunState, Screen
from guiagent.runner import Runner, RunResult
from guiagent.testing.recording import ALL_ACTIONS, RecordingDriver, blank_observation
from guiagent.testing.scripted_model import ScriptedChatModel
from guiagent.trajectory import read_trajectory


def a11y(role: str, name: str, box: tuple[int, int, int, int], *states: str) -> Element:
    return Element(
        role=role, name=name, box=Box.xywh(*box), source="a11y", states=frozenset(states)
    )


PAGES: dict[str, list[Element]] = {
    "home": [
        a11y("button", "Settings", (20, 20, 80, 24)),
        a11y("button", "Reports", (120, 20, 80, 24)),
        a11y("button", "Save", (220, 20, 60, 24)),
        a11y("text_field", "Name", (20, 80, 200, 24), "editable"),
        a11y("text_field", "Email", (20, 120, 200, 24), "editable"),
        a11y("button", "Submit", (20, 160, 80, 24)),
    ],
    "settings": [
        a11y("label", "Settings page", (20, 20, 120, 24)),
        a11y("checkbox", "Dark mode", (20, 60, 120, 24)),
    ],
    "reports": [a11y("label", "Monthly reports", (20, 20, 160, 24))],
    "popup": [a11y("label", "Did you mean Ana Lopez?", (0, 0, 320, 200))],
}
SHADE = {"home": 255, "settings": 200, "reports": 150, "popup": 90}


@dataclass
class App:
    """Replays executed actions into a page; clicks on a page's buttons navigate."""

    popup_on_name: bool = False
    log: list[str] = field(default_factory=list)

    def frame(self, done: list[Action]) -> Observation:
        page, stack, checked, typed = "home", [], False, {}
        for action in done:
            if isinstance(action, Back) and stack:
                page = stack.pop()
            elif isinstance(action, (Click, TypeText)) and action.target and action.target.point:
                p = action.target.point
                hit = next((e for e in PAGES[page] if e.box.contains(p.x, p.y)), None)
                if hit is None:
                    continue
                if hit.name in ("Settings", "Reports"):
                    stack.append(page)
                    page = hit.name.lower()
                elif hit.name == "Dark mode":
                    checked = not checked
                elif isinstance(action, TypeText):
                    typed[hit.name] = action.text
                    if hit.name == "Name" and self.popup_on_name:
                        page = "popup"
        elements = []
        for el in PAGES[page]:
            if el.name == "Dark mode" and checked:
                el = el.model_copy(update={"states": frozenset({"checked"})})
            if el.name in typed:
                el = el.model_copy(update={"value": typed[el.name]})
            elements.append(el)
        obs = blank_observation(elements=elements, app="demo", title=page.title())
        obs.image[:] = SHADE[page]
        if checked and page == "settings":
            obs.image[60:84, 20:44] = 0
        for i, _name in enumerate(typed):
            obs.image[84 + 40 * i : 100 + 40 * i, 24:60] = 0
        return obs


def perceive(obs: Observation) -> Screen:
    elements = [el.model_copy(update={"id": i}) for i, el in enumerate(obs.accessibility or [])]
    return Screen(elements=elements, width=obs.width, height=obs.height, observation=obs)


class AnsweringChannel(AutoApproveChannel):
    """Approves confirmations and answers questions, like a person at the terminal."""

    def __init__(self, answer: str | None) -> None:
        self.answer = answer
        self.asked: list[str] = []

    def ask(self, pending: PendingApproval) -> bool:
        return True

    def answer_question(self, question: str, timeout: float) -> str | None:
        self.asked.append(question)
        return self.answer


def plan(*goals: str, skill: dict[str, Any] | None = None) -> dict[str, Any]:
    subgoals: list[dict[str, Any]] = [{"text": g} for g in goals]
    if skill:
        subgoals[0].update(skill)
    return {"subgoals": subgoals, "current": 0, "summary": ""}


def act(*actions: dict[str, Any], expect: str = "", done: bool = False) -> dict[str, Any]:
    return {"thought": "", "actions": list(actions), "expect": expect, "subgoal_done": done}


def click(element: int) -> dict[str, Any]:
    return {"type": "click", "target": {"element": element}}


DONE = act({"type": "done", "message": "finished"})


def run(
    tmp_path: Path,
    model: ScriptedChatModel,
    task: str,
    *,
    app: App | None = None,
    channel: Any = None,
    config: AgentsConfig | None = None,
    actions: frozenset[str] = ALL_ACTIONS,
) -> tuple[RunResult, RecordingDriver, LlmAgent]:
    app = app or App()
    driver = RecordingDriver(app.frame, actions=actions)
    gate = Gate.from_config(Config(data_dir=tmp_path), channel or AutoApproveChannel())
    agent = LlmAgent(model, allowed=driver.capabilities.actions, config=config)
    runner = Runner(
        driver,
        perceive,
        agent,
        gate,
        config=RunnerConfig(max_steps=20, settle_seconds=0, kill_corner=False),
        trajectory_root=tmp_path / "runs",
    )
    return runner.run(task), driver, agent


def clicked(driver: RecordingDriver) -> list[str]:
    names = []
    for action in driver.executed:
        if isinstance(action, Click) and action.target.point:
            names.append(f"click@{action.target.point.x},{action.target.point.y}")
        else:
            names.append(action.type)
    return names


def test_wrong_click_is_caught_by_reflection_and_undone(tmp_path: Path) -> None:
    model = ScriptedChatModel(
        {
            Plan: [plan("open Settings", "turn on Dark mode")],
            Decision: [
                act(click(1), expect="Dark mode"),  # Reports: the wrong page
                act(click(0), expect="Dark mode", done=True),
                act(click(1), expect="", done=True),
                DONE,
            ],
            Reflection: [
                {"outcome": "wrong_page", "reason": "Reports opened", "recovery": "back"},
                {"outcome": "succeeded", "reason": "checked"},
            ],
        }
    )
    result, driver, agent = run(tmp_path, model, "turn on dark mode")
    assert result.state is RunState.DONE, result.message
    assert clicked(driver) == ["click@160,32", "back", "click@60,32", "click@80,72"]
    # Reflection: the model for the wrong page and the last click, locally for "Dark mode".
    assert len(model.calls_for(Reflection)) == 2
    second = model.calls_for(Decision)[1].text()
    assert "wrong page: Reports opened" in second and "(recovery)" in second
    assert agent.plan is not None and all(g.done for g in agent.plan.subgoals)
    end = read_trajectory(result.trajectory)[-1]  # type: ignore[arg-type]
    assert end["agent"]["model_calls"] == {"planner": 1, "decision": 4, "reflection": 2}


def test_loop_is_broken_by_replanning(tmp_path: Path) -> None:
    model = ScriptedChatModel(
        {
            Plan: [plan("save the document"), plan("save with the keyboard")],
            Decision: [
                act(click(2), expect="Saved"),
                act(click(2), expect="Saved"),
                act(click(2), expect="Saved"),  # the same click on the same screen: a loop
                act({"type": "hotkey", "keys": ["ctrl", "s"]}),
                DONE,
            ],
            Reflection: [{"outcome": "succeeded"}],
        }
    )
    result, driver, agent = run(tmp_path, model, "save the document")
    assert result.state is RunState.DONE, result.message
    assert driver.executed[-1] == Hotkey(keys=["ctrl", "s"])
    assert sum(isinstance(a, Click) for a in driver.executed) == 2
    replan = model.calls_for(Plan)[1].text()
    assert "loop" in replan and "click" in replan and "Previous plan" in replan
    third = model.calls_for(Decision)[1].text()
    assert "no effect: the screen did not change" in third  # local reflection, no model call


def test_a_loop_after_replanning_fails_with_the_reason(tmp_path: Path) -> None:
    model = ScriptedChatModel(
        {Plan: [plan("save"), plan("save again")], Decision: [act(click(2))] * 5}
    )
    result, driver, _ = run(tmp_path, model, "save")
    assert result.state is RunState.FAILED
    assert "stuck in a loop" in result.message and "after re-planning" in result.message
    assert len(driver.executed) == 2


def test_multi_action_step_runs_without_new_model_calls(tmp_path: Path) -> None:
    model = ScriptedChatModel(
        {
            Plan: [plan("fill the form")],
            Decision: [
                act(
                    {"type": "type_text", "text": "Ana", "target": {"element": 3}},
                    {"type": "type_text", "text": "a@x.org", "target": {"element": 4}},
                    {"type": "key", "key": "Tab"},
                    expect="a@x.org",
                    done=True,
                ),
                DONE,
            ],
        }
    )
    result, driver, agent = run(tmp_path, model, "fill the form")
    assert result.state is RunState.DONE, result.message
    assert [a.type for a in driver.executed] == ["type_text", "type_text", "key"]
    assert agent.queued_steps == 2
    assert agent.run_stats()["model_calls"] == {"planner": 1, "decision": 2, "reflection": 0}


def test_multi_action_step_stops_when_the_screen_differs(tmp_path: Path) -> None:
    model = ScriptedChatModel(
        {
            Plan: [plan("fill the form")],
            Decision: [
                act(
                    {"type": "type_text", "text": "Ana", "target": {"element": 3}},
                    {"type": "type_text", "text": "a@x.org", "target": {"element": 4}},
                    click(5),
                    expect="Submitted",
                ),
                act({"type": "key", "key": "Escape"}),
                DONE,
            ],
            Reflection: [
                {"outcome": "wrong_page", "reason": "a suggestion popup", "recovery": "back"},
                {"outcome": "succeeded"},
            ],
        }
    )
    no_back = ALL_ACTIONS - {"back"}
    result, driver, agent = run(
        tmp_path, model, "fill the form", app=App(popup_on_name=True), actions=no_back
    )
    assert result.state is RunState.DONE, result.message
    assert [a.type for a in driver.executed] == ["type_text", "key"]
    after = model.calls_for(Decision)[1].text()
    assert "stopped a planned sequence with 2 action(s) left" in after
    assert "undo it first" in after  # no back action on this driver: undo in words


def test_ask_user_is_answered_through_the_channel(tmp_path: Path) -> None:
    channel = AnsweringChannel("Ana Lopez")
    model = ScriptedChatModel(
        {
            Plan: [plan("type the name")],
            Decision: [
                act({"type": "ask_user", "question": "Which name?"}),
                act({"type": "type_text", "text": "Ana Lopez", "target": {"element": 3}}),
                DONE,
            ],
            Reflection: [{"outcome": "succeeded"}],
        }
    )
    result, driver, _ = run(tmp_path, model, "type the name", channel=channel)
    assert result.state is RunState.DONE, result.message
    assert channel.asked == ["Which name?"]
    assert "the user answered 'Which name?': Ana Lopez" in model.calls_for(Decision)[1].text()
    assert driver.executed == [TypeText(text="Ana Lopez", target={"point": {"x": 120, "y": 92}})]  # type: ignore[arg-type]


def test_unanswered_question_ends_the_run(tmp_path: Path) -> None:
    model = ScriptedChatModel(
        {Plan: [plan("x")], Decision: [act({"type": "ask_user", "question": "Which one?"})]}
    )
    result, _, _ = run(tmp_path, model, "x", channel=AnsweringChannel(None))
    assert result.state is RunState.FAILED and "Which one?" in result.message


def test_bad_element_id_is_fed_back_once(tmp_path: Path) -> None:
    model = ScriptedChatModel(
        {
            Plan: [plan("open settings")],
            Decision: [act(click(42)), act(click(0), expect="Dark mode"), DONE],
        }
    )
    result, driver, _ = run(tmp_path, model, "open settings")
    assert result.state is RunState.DONE, result.message
    retry = model.calls_for(Decision)[1]
    assert "element #42 is not on this screen" in retry.messages[-1].text()
    assert len(driver.executed) == 1


def test_two_bad_answers_are_a_clear_failure(tmp_path: Path) -> None:
    point = {"type": "click", "target": {"point": {"x": 5000, "y": 10}}}
    model = ScriptedChatModel({Plan: [plan("x")], Decision: [act(point), act(click(42))]})
    result, driver, _ = run(tmp_path, model, "x")
    assert result.state is RunState.FAILED
    assert isinstance(result.error, ModelOutputError)
    assert "rejected twice" in result.message and "#42" in result.message
    assert driver.executed == []
    assert "outside the 320x200 screenshot" in model.calls_for(Decision)[1].messages[-1].text()


def test_points_are_mapped_from_the_downscaled_image(tmp_path: Path) -> None:
    big = 1280, 800

    def frame(done: list[Action]) -> Observation:
        return blank_observation(*big, elements=PAGES["home"], fill=255 - 10 * len(done))

    model = ScriptedChatModel(
        {
            Plan: [plan("click the middle")],
            Decision: [act({"type": "click", "target": {"point": {"x": 320, "y": 200}}}), DONE],
            Reflection: [{"outcome": "succeeded"}],
        }
    )
    driver = RecordingDriver(frame)
    gate = Gate.from_config(Config(data_dir=tmp_path), AutoApproveChannel())
    agent = LlmAgent(model, config=AgentsConfig(max_image_side=640))
    result = Runner(driver, perceive, agent, gate, config=RunnerConfig(settle_seconds=0)).run("x")
    assert result.state is RunState.DONE, result.message
    assert driver.executed == [Click(target={"point": {"x": 640, "y": 400}})]  # type: ignore[arg-type]
    image = model.calls_for(Decision)[0].messages[-1].images()[0]
    assert (image.width, image.height) == (640, 400)


def test_skill_runs_as_a_macro_without_decisions(tmp_path: Path) -> None:
    from guiagent.scripts.loader import list_skills

    skills = list_skills()
    skill = {"skill": "search_in_app", "params": {"text": "invoice"}}
    model = ScriptedChatModel(
        {Plan: [plan("search for invoice", "check the result", skill=skill)], Decision: [DONE]}
    )
    driver = RecordingDriver(App().frame)
    gate = Gate.from_config(Config(data_dir=tmp_path), AutoApproveChannel())
    agent = LlmAgent(model, skills=skills)
    result = Runner(driver, perceive, agent, gate, config=RunnerConfig(settle_seconds=0)).run(
        "search for invoice in the app"
    )
    assert result.state is RunState.DONE, result.message
    assert driver.executed == [
        Hotkey(keys=["ctrl", "f"]),
        TypeText(text="invoice"),
        Key(key="enter"),
    ]
    assert "search_in_app(text)" in model.calls_for(Plan)[0].text()
    assert len(model.calls_for(Decision)) == 1
    assert agent.plan is not None and agent.plan.subgoals[0].done


def test_sop_notes_and_unsupported_actions(tmp_path: Path) -> None:
    model = ScriptedChatModel({Plan: [plan("x")], Decision: [act({"type": "back"}), DONE]})
    config = AgentsConfig(sops={"demo": "Use the Settings button, never the menu."})
    actions = ALL_ACTIONS - {"back", "home"}
    result, _, _ = run(tmp_path, model, "x", config=config, actions=actions)
    assert "Notes for demo: Use the Settings button" in model.calls_for(Plan)[0].text()
    system = model.calls_for(Decision)[0].messages[0].text()
    assert "- click {target: T}" in system and "- back" not in system
    assert "'back' is not available" in model.calls_for(Decision)[1].messages[-1].text()
    assert result.state is RunState.DONE
