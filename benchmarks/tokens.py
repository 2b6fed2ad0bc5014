"""Prompt tokens per decision step and model calls per step: the LLM agents (planner /
decision / reflection, downscaled set-of-marks screenshot, compact element list, history
summarised by plan + memory + last 3 outcomes) against a naive single-agent prompt (full-size
screenshot, every element with its box, the Action union's full JSON schema, the whole history
replayed), on the recorded 1280x800 galculator frames in tests/data.

Both prompts are built by the same process from the same perceived frames (OCR perception of
each recorded frame); tokens are counted with ``guiagent.models.base.estimate_tokens`` (a
tokenizer-free BPE estimate; images by OpenAI's high-detail tile rule). The model is the
scripted one: each step clicks a listed element, alternately with an expectation that shows on
the next frame (reflection answered locally) and without one (reflection asks the model); every
fourth decision returns two actions.

    python benchmarks/tokens.py [--steps 10]
"""

from __future__ import annotations

import argparse
import json
import statistics
from collections.abc import Sequence
from pathlib import Path

from guiagent.actions import ACTION_ADAPTER, Action, describe
from guiagent.agents.llm import LlmAgent
from guiagent.agents.llm_types import Decision, Plan, Reflection
from guiagent.agents.prompts import render
from guiagent.config import AgentsConfig, Config, RunnerConfig
from guiagent.gate.approvals import AutoApproveChannel
from guiagent.gate.gate import Gate
from guiagent.models.base import Message, estimate_tokens, image_part
from guiagent.observation import Observation, Screen
from guiagent.perception.perceiver import Perceiver
from guiagent.runner import Runner
from guiagent.testing.recording import RecordingDriver
from guiagent.testing.scripted_model import ScriptedChatModel

FRAMES = Path(__file__).resolve().parent.parent / "tests" / "data" / "galculator"


def naive_prompt(
    task: str, obs: Observation, screen: Screen, history: Sequence[tuple[str, str]]
) -> list[Message]:
    """What a single agent without summarising sends: everything, every step."""
    schema = json.dumps(ACTION_ADAPTER.json_schema())
    system = (
        "You operate a computer. Choose the next action as JSON matching this schema:\n" + schema
    )
    past = "\n".join(f"Step {i}: thought: {t}\naction: {a}" for i, (t, a) in enumerate(history))
    elements = "\n".join(el.describe() for el in screen.elements)
    user = f"Task: {task}\nHistory:\n{past or '(none)'}\nElements:\n{elements}"
    return [Message.system(system), Message.user(user, image_part(obs.image))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=10)
    args = parser.parse_args()
    perceiver = Perceiver()
    frames = sorted(FRAMES.glob("frame*.png"))
    screens = [perceiver.perceive_image(f) for f in frames]
    observations = [s.observation for s in screens]
    assert all(o is not None for o in observations)
    by_frame = {id(s.observation): s for s in screens}

    def frame(done: list[Action]) -> Observation:
        obs = observations[min(len(done), len(observations) - 1)]
        assert obs is not None
        return obs

    def perceive(obs: Observation) -> Screen:
        return by_frame[id(obs)]

    task = "compute 7 + 8 - 3 * 2 in the calculator and read the result"
    decisions: list[object] = []
    for i in range(args.steps):
        nxt = screens[min(i + 1, len(screens) - 1)]
        expect = nxt.texts()[0] if (i % 2 == 0 and nxt.texts()) else ""
        n = 2 if i % 4 == 3 else 1
        ids = [el.id for el in screens[min(i, len(screens) - 1)].elements][:n]
        acts = [{"type": "click", "target": {"element": e}} for e in ids]
        decisions.append(
            {"thought": "press the next key", "actions": acts, "expect": expect, "remember": []}
        )
    decisions.append({"actions": [{"type": "done", "message": "6"}]})
    plan = {"subgoals": [{"text": "enter the expression"}, {"text": "read the result"}]}
    model = ScriptedChatModel(
        {Plan: [plan], Decision: decisions, Reflection: [{"outcome": "succeeded"}] * 50}
    )
    driver = RecordingDriver(frame)
    agent = LlmAgent(model, config=AgentsConfig())
    gate = Gate.from_config(Config(data_dir=Path("/tmp/guiagent-bench")), AutoApproveChannel())
    runner = Runner(
        driver, perceive, agent, gate, config=RunnerConfig(settle_seconds=0, kill_corner=False)
    )
    result = runner.run(task)
    print(f"run: {result.state.value} in {result.steps} steps ({result.message})")

    ours_text, ours_img, naive_text, naive_img = [], [], [], []
    history: list[tuple[str, str]] = []
    executed = iter(driver.executed)
    for k, call in enumerate(model.calls_for(Decision)):
        text, img = estimate_tokens(call.messages)
        ours_text.append(text)
        ours_img.append(img)
        obs = observations[min(len(history), len(observations) - 1)]
        assert obs is not None
        n_text, n_img = estimate_tokens(naive_prompt(task, obs, by_frame[id(obs)], history))
        naive_text.append(n_text)
        naive_img.append(n_img)
        d = Decision.model_validate(decisions[k])
        for _ in d.actions:
            action = next(executed, None)
            history.append((d.thought, describe(action) if action else "done"))
    stats = agent.run_stats()
    system = render("decision", actions="", max_actions="4")
    mean_ours, mean_naive = statistics.mean(ours_text), statistics.mean(naive_text)
    per_frame = statistics.mean(len(s.elements) for s in screens)
    bare = estimate_tokens([Message.system(system)])[0]
    print(f"frames: {len(frames)} recorded 1280x800, elements per frame: {per_frame:.0f}")
    print(f"decision steps: {len(ours_text)}")
    print(
        f"prompt text tokens per decision  agents: mean {mean_ours:.0f}, max {max(ours_text)}"
        f"   naive: mean {mean_naive:.0f}, max {max(naive_text)}"
        f"   ratio {mean_naive / mean_ours:.1f}x"
    )
    print(f"image tokens per decision        agents: {ours_img[0]}   naive: {naive_img[0]}")
    print(
        f"model calls: {stats['model_calls']} over {stats['steps']} runner steps ="
        f" {stats['model_calls_per_step']}/step   naive: 1.0/step"
    )
    print(f"(decision system prompt without the action docs: {bare} tokens)")


if __name__ == "__main__":
    main()
