"""``LlmAgent``: the planner / decision / reflection trio, the memory unit and loop detection
behind the one ``Agent`` protocol the runner drives.

Per runner step it does the least that is needed: a queued action of a multi-action decision
needs no model call (it is re-checked against the new frame and the queue stops as soon as the
screen differs from what the decision saw); reflection answers clear cases locally; the planner
runs at the start and when reflection, a loop or a skill says the plan is wrong. Each action it
returns still goes through the runner's gate on its own.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guiagent.actions import CONTROL_TYPES, Action, AskUser, Back, Done, Fail, Target, describe
from guiagent.agents.base import AgentContext
from guiagent.agents.command_mode.agent import CommandModeAgent
from guiagent.agents.command_mode.verify import changed_pixels, element_state
from guiagent.agents.decision import DecisionMaker
from guiagent.agents.llm_screen import view_screen, where
from guiagent.agents.llm_types import Plan
from guiagent.agents.loop import LoopDetector, frame_signature
from guiagent.agents.memory import Memory
from guiagent.agents.planner import Planner
from guiagent.agents.prompts import render
from guiagent.agents.reflection import Reflector
from guiagent.config import AgentsConfig
from guiagent.errors import GuiAgentError
from guiagent.models.base import ChatModel, UsageMeter
from guiagent.observation import Element, Observation, Screen
from guiagent.perception.ground import Grounder
from guiagent.scripts.loader import SkillInfo, load_skill

#: A queued action stops when more than this share of (sampled) pixels changed: a new page
#: or dialog, not a typed glyph or a focus ring.
QUEUE_STOP_CHANGE = 0.2


@dataclass
class _Sequence:
    """The actions of one decision as they run, for the queue check and the reflection."""

    before: Observation
    screen: Screen
    expect: str
    subgoal_done: bool
    done: list[str] = field(default_factory=list)
    types: set[str] = field(default_factory=set)
    last_before: Observation | None = None
    recovery: bool = False


class LlmAgent:
    def __init__(
        self,
        planner: ChatModel,
        decision: ChatModel | None = None,
        reflection: ChatModel | None = None,
        *,
        allowed: Collection[str] | None = None,
        config: AgentsConfig | None = None,
        skills: Sequence[SkillInfo] = (),
        skill_dirs: Sequence[Path] = (),
        grounder: Grounder | None = None,
        meter: UsageMeter | None = None,
    ) -> None:
        self.config = config or AgentsConfig()
        self.allowed = frozenset(allowed) | CONTROL_TYPES if allowed is not None else None
        self.grounder = grounder or Grounder()
        self.planner = Planner(planner, skills=skills, sops=self.config.sops)
        self.decider = DecisionMaker(
            decision or planner, allowed=self.allowed, max_actions=self.config.max_actions_per_step
        )
        self.reflector = Reflector(
            reflection or decision or planner, mode=self.config.reflection, grounder=self.grounder
        )
        self.skill_dirs = list(skill_dirs)
        self.meter = meter
        self.start("")

    @classmethod
    def from_models(cls, models: Mapping[Any, ChatModel], **kwargs: Any) -> LlmAgent:
        return cls(models["planner"], models.get("decision"), models.get("reflection"), **kwargs)

    # -- Agent protocol -------------------------------------------------------------------
    def start(self, task: str) -> None:
        self.task = task
        self.plan: Plan | None = None
        self.memory = Memory()
        self.loops = LoopDetector()
        self.recent: list[str] = []
        self.steps = 0
        self.queued_steps = 0
        self._queue: list[Action] = []
        self._seq: _Sequence | None = None
        self._asked: AskUser | None = None
        self._feedback = ""
        self._replan: str | None = None
        self._failures = 0
        self._loop_replanned = False
        self._macro: CommandModeAgent | None = None
        self._macro_name = ""

    def decide(self, ctx: AgentContext) -> Action:
        self.steps += 1
        follow = self._review(ctx)
        if follow is not None:
            return follow
        if self._macro is not None:
            action = self._macro_step(ctx)
            if action is not None:
                return action
        if self.plan is None or self._replan is not None:
            self._make_plan(ctx)
        assert self.plan is not None
        goal = self.plan.current_goal()
        if goal is not None and goal.skill:
            name, params = goal.skill, goal.params
            goal.skill = None  # tried once; afterwards the decision agent does it
            action = self._start_macro(ctx, name, params)
            if action is not None:
                return action
        return self._next_decision(ctx)

    def run_stats(self) -> dict[str, Any]:
        calls = {
            "planner": self.planner.calls,
            "decision": self.decider.calls,
            "reflection": self.reflector.calls,
        }
        total = sum(calls.values())
        stats: dict[str, Any] = {
            "steps": self.steps,
            "queued_steps": self.queued_steps,
            "model_calls": calls,
            "model_calls_per_step": round(total / self.steps, 2) if self.steps else 0.0,
        }
        if self.meter is not None:
            stats["usage"] = self.meter.as_dict()
        return stats

    # -- after an action ran -------------------------------------------------------------
    def _review(self, ctx: AgentContext) -> Action | None:
        """Read the effect of what ran last: an answer, the next queued action, a reflection."""
        prev = ctx.previous
        if self._asked is not None:
            answer = prev.result.detail if prev and prev.result else ""
            self.memory.add(f"the user answered {self._asked.question!r}: {answer}")
            self.recent.append(f"asked the user -> {answer!r}")
            self._asked = None
        seq = self._seq
        if seq is None or prev is None:
            return None
        if self._queue:
            nxt = self._continue_queue(ctx, seq)
            if nxt is not None:
                self.queued_steps += 1
                return self._send(nxt, ctx, seq)
        self._seq = None
        if seq.recovery:
            self.recent.append(f"{'; '.join(seq.done)} (recovery)")
            return None
        goal = self.plan.current_goal() if self.plan else None
        verdict = self.reflector.reflect(
            subgoal=goal.text if goal else "",
            action="; ".join(seq.done),
            action_types=seq.types,
            expect=seq.expect,
            before=seq.before,
            after=ctx.observation,
            before_screen=seq.screen,
            after_screen=ctx.screen,
        )
        self.recent.append(f"{'; '.join(seq.done)} -> {verdict.outcome}")
        if verdict.ok:
            self._failures = 0
            self._loop_replanned = False
            self._feedback = ""
            if seq.subgoal_done and self.plan is not None:
                self.plan.advance()
            return None
        self._failures += 1
        outcome = verdict.outcome.replace("_", " ")
        self._feedback = f"the last action ({'; '.join(seq.done)}) had {outcome}: {verdict.reason}"
        if verdict.recovery == "replan" or self._failures >= 3:
            self._replan = self._feedback
            return None
        if verdict.recovery == "back":
            if self.allowed is None or "back" in self.allowed:
                back = Back()
                self._seq = _Sequence(ctx.observation, ctx.screen, "", False, recovery=True)
                return self._send(back, ctx, self._seq)
            self._feedback += "; undo it first (e.g. Escape, or close what opened)"
        else:
            self._feedback += "; try a different way"
        return None

    def _continue_queue(self, ctx: AgentContext, seq: _Sequence) -> Action | None:
        """The next queued action remapped onto the new frame, or None to stop the sequence."""
        assert seq.last_before is not None
        changed, total = changed_pixels(seq.last_before, ctx.observation)
        if total and changed / total > QUEUE_STOP_CHANGE:
            return self._stop_queue("the screen changed more than expected")
        action = self._queue[0]
        updates: dict[str, Target] = {}
        for name in ("target", "start", "end"):
            target = getattr(action, name, None)
            if isinstance(target, Target) and target.element is not None:
                old = seq.screen.by_id(target.element)
                new = _same_element(ctx.screen, old) if old is not None else None
                if new is None:
                    return self._stop_queue(f"element #{target.element} is no longer there")
                updates[name] = Target(element=new.id)
        self._queue.pop(0)
        return action.model_copy(update=updates) if updates else action

    def _stop_queue(self, why: str) -> Action | None:
        left = len(self._queue)
        self._queue.clear()
        self.recent.append(f"stopped a planned sequence with {left} action(s) left: {why}")
        return None

    # -- planning, skills, deciding -----------------------------------------------------
    def _make_plan(self, ctx: AgentContext) -> None:
        failure, self._replan = self._replan, None
        self.plan = self.planner.plan(
            self.task, ctx.observation, ctx.screen, self.memory, previous=self.plan, failure=failure
        )
        self._failures = 0
        if failure:
            self.recent.append(f"re-planned: {failure}")

    def _start_macro(self, ctx: AgentContext, name: str, params: dict[str, str]) -> Action | None:
        try:
            loaded = load_skill(name, params, skill_dirs=self.skill_dirs)
        except GuiAgentError as exc:
            self._feedback = f"skill {name} could not start: {exc}"
            return None
        self._macro = CommandModeAgent(self.grounder, steps=loaded.steps)
        self._macro.start(name)
        self._macro_name = name
        return self._macro_step(ctx)

    def _macro_step(self, ctx: AgentContext) -> Action | None:
        assert self._macro is not None
        try:
            action = self._macro.decide(ctx)
        except GuiAgentError as exc:
            self._macro = None
            self._replan = f"skill {self._macro_name} failed: {exc}"
            return None
        if isinstance(action, Done):
            self._macro = None
            self.recent.append(f"skill {self._macro_name} -> done")
            if self.plan is not None:
                self.plan.advance()
            return None
        return action

    def _next_decision(self, ctx: AgentContext) -> Action:
        assert self.plan is not None
        frame = frame_signature(ctx.observation)
        for _attempt in range(2):
            decision, actions = self._ask_decision(ctx)
            first = actions[0]
            if not self.loops.is_loop(first, frame):
                break
            reason = self.loops.reason(first)
            if self._loop_replanned:
                return Fail(reason=f"stuck in a loop: {reason}, even after re-planning")
            self._loop_replanned = True
            self._replan = f"loop: {reason}"
            self._make_plan(ctx)
        else:
            return Fail(reason=f"stuck in a loop: {self.loops.reason(first)}")
        self.memory.add(*decision.remember)
        if isinstance(first, AskUser):
            self._asked = first
            return first
        if first.type in CONTROL_TYPES - {"wait"}:
            return first
        self._queue = list(actions[1:])
        seq = _Sequence(ctx.observation, ctx.screen, decision.expect, decision.subgoal_done)
        self._seq = seq
        return self._send(first, ctx, seq)

    def _ask_decision(self, ctx: AgentContext) -> tuple[Any, list[Action]]:
        assert self.plan is not None
        view = view_screen(
            ctx.observation,
            ctx.screen,
            max_side=self.config.max_image_side,
            max_elements=self.config.max_elements,
        )
        goal = self.plan.current_goal()
        recent = self.recent[-3:]
        text = render(
            "decision_step",
            task=self.task,
            plan=self.plan.render(),
            current=goal.text if goal else "every subgoal is done: check the screen, then done",
            memory=self.memory.render(),
            recent="Recent steps:\n" + "\n".join(f"- {r}" for r in recent) + "\n" if recent else "",
            feedback=f"Note: {self._feedback}\n" if self._feedback else "",
            where=where(ctx.observation),
            size="x".join(map(str, view.size)),
            elements=view.text,
        )
        return self.decider.decide(text, view)

    def _send(self, action: Action, ctx: AgentContext, seq: _Sequence) -> Action:
        if isinstance(action, AskUser):
            self._queue.clear()
            self._asked = action
            return action
        self.loops.record(action, frame_signature(ctx.observation))
        seq.done.append(describe(action))
        seq.types.add(action.type)
        seq.last_before = ctx.observation
        return action


def _same_element(screen: Screen, old: Element) -> Element | None:
    """``old`` on a new frame: same control by box, or else the same role and text."""
    found = element_state(screen, old)
    if found is not None and (found.name == old.name or old.source != "ocr"):
        return found
    same = [el for el in screen.elements if el.role == old.role and el.name == old.name]
    return min(same, key=lambda el: abs(el.box.center.x - old.box.center.x)
               + abs(el.box.center.y - old.box.center.y)) if same else None  # fmt: skip
