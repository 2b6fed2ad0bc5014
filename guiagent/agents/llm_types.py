"""The typed answers of the planner, decision and reflection agents (their JSON schemas are
sent as structured-output formats, and they validate what any model writes)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from guiagent.actions import Action


class Subgoal(BaseModel):
    text: str
    done: bool = False
    skill: str | None = Field(default=None, description="a listed skill that does this subgoal")
    params: dict[str, str] = Field(default_factory=dict)


class Plan(BaseModel):
    subgoals: list[Subgoal] = Field(min_length=1, max_length=12)
    current: int = Field(default=0, ge=0)
    summary: str = ""

    def current_goal(self) -> Subgoal | None:
        pending = [g for g in self.subgoals if not g.done]
        if self.current < len(self.subgoals) and not self.subgoals[self.current].done:
            return self.subgoals[self.current]
        return pending[0] if pending else None

    def advance(self) -> None:
        goal = self.current_goal()
        if goal is not None:
            goal.done = True
        nxt = next((i for i, g in enumerate(self.subgoals) if not g.done), len(self.subgoals))
        self.current = nxt

    def render(self) -> str:
        now = self.current_goal()
        lines = []
        for i, goal in enumerate(self.subgoals, 1):
            mark = "x" if goal.done else (">" if goal is now else " ")
            skill = f" (skill {goal.skill})" if goal.skill else ""
            lines.append(f"[{mark}] {i}. {goal.text}{skill}")
        return "\n".join(lines)


class Decision(BaseModel):
    thought: str = ""
    actions: list[Action] = Field(min_length=1)
    expect: str = ""
    subgoal_done: bool = False
    remember: list[str] = Field(default_factory=list)


class Reflection(BaseModel):
    outcome: Literal["succeeded", "wrong_page", "no_effect"]
    reason: str = ""
    recovery: Literal["continue", "back", "retry", "replan"] = "continue"

    @property
    def ok(self) -> bool:
        return self.outcome == "succeeded"
