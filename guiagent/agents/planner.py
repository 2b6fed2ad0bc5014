"""The planning agent: task -> subgoals and progress. Called once at the start and again only
when something shows the plan is wrong (reflection failures, a loop, a failed skill), so most
steps cost no planner call; progress between re-plans is tracked from the decision's
``subgoal_done``. It sees the skills relevant to the task and the user's SOP notes for the
active application."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from guiagent.agents.llm_screen import where
from guiagent.agents.llm_types import Plan
from guiagent.agents.memory import Memory
from guiagent.agents.prompts import render
from guiagent.models.base import ChatModel, Message
from guiagent.observation import Observation, Screen
from guiagent.scripts.loader import SkillInfo

_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "the",
        "to",
        "of",
        "in",
        "on",
        "for",
        "with",
        "then",
        "it",
        "its",
        "this",
        "that",
        "from",
        "into",
        "by",
    ]
)


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 1}


def relevant_skills(task: str, skills: Sequence[SkillInfo], limit: int = 3) -> list[SkillInfo]:
    """Skills whose name, title or description share words with the task, best first."""
    wanted = _words(task)
    scored = []
    for skill in skills:
        words = _words(f"{skill.name.replace('_', ' ')} {skill.title} {skill.description}")
        overlap = len(wanted & words)
        if overlap:
            scored.append((-overlap, skill.name, skill))
    return [s for _, _, s in sorted(scored)[:limit]]


def _skill_line(skill: SkillInfo) -> str:
    params = ", ".join(
        f"{k}{'' if spec.required else '?'}" for k, spec in skill.params.items()
    )  # fmt: skip
    desc = " ".join(skill.description.split())[:160]
    return f"- {skill.name}({params}): {desc}"


class Planner:
    def __init__(
        self,
        model: ChatModel,
        *,
        skills: Sequence[SkillInfo] = (),
        sops: Mapping[str, str] | None = None,
    ) -> None:
        self.model = model
        self.skills = list(skills)
        self.sops = {k.lower(): v for k, v in (sops or {}).items()}
        self.calls = 0

    def plan(
        self,
        task: str,
        obs: Observation,
        screen: Screen | None,
        memory: Memory,
        *,
        previous: Plan | None = None,
        failure: str | None = None,
    ) -> Plan:
        """A new plan; with ``failure`` it re-plans from ``previous`` and what went wrong."""
        texts = [t[:40] for t in (screen.texts() if screen else [])][:40]
        found = relevant_skills(task, self.skills)
        skills = "Skills:\n" + "\n".join(_skill_line(s) for s in found) + "\n" if found else ""
        app = obs.active_window.app.lower() if obs.active_window else ""
        sop = f"Notes for {app}: {self.sops[app]}\n" if app in self.sops else ""
        failed = ""
        if failure:
            before = previous.render() if previous else "(none)"
            failed = f"Previous plan:\n{before}\nIt went wrong: {failure}\nMake a new plan.\n"
        prompt = render(
            "planner_task",
            task=task,
            where=where(obs),
            texts=", ".join(repr(t) for t in texts) or "(none read)",
            skills=skills,
            sop=sop,
            memory=memory.render(),
            failure=failed,
        )
        self.calls += 1
        plan = self.model.complete([Message.system(render("planner")), Message.user(prompt)], Plan)
        known = {s.name for s in self.skills}
        for goal in plan.subgoals:  # a skill the model invented is just a subgoal
            if goal.skill is not None and goal.skill not in known:
                goal.skill = None
        if plan.current >= len(plan.subgoals):
            plan.current = next(
                (i for i, g in enumerate(plan.subgoals) if not g.done), len(plan.subgoals)
            )
        return plan
