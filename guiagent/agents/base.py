"""What every agent receives and returns. Agents never import a driver: they see an
``AgentContext`` (the observation, a lazily perceived screen, the history) and answer with one
``Action`` at a time; the runner gates and executes it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from guiagent.actions import Action
from guiagent.observation import ActionResult, Observation, Screen


@dataclass
class StepRecord:
    """One executed step as the agent may remember it."""

    action: Action
    result: ActionResult | None
    observation: Observation
    screen: Screen | None


@dataclass
class AgentContext:
    task: str
    step: int
    observation: Observation
    perceive: Callable[[Observation], Screen]
    history: list[StepRecord] = field(default_factory=list)
    _screen: Screen | None = field(default=None, repr=False)

    @property
    def screen(self) -> Screen:
        """Perceived on first use only: key presses and waits need no OCR."""
        if self._screen is None:
            self._screen = self.perceive(self.observation)
        return self._screen

    @property
    def perceived(self) -> Screen | None:
        return self._screen

    @property
    def previous(self) -> StepRecord | None:
        return self.history[-1] if self.history else None


class Agent(Protocol):
    def start(self, task: str) -> None:
        """Reset for a new task (a command sentence, a script, a goal)."""
        ...

    def decide(self, ctx: AgentContext) -> Action:
        """The next action; ``Done``/``Fail`` end the run. May raise a GuiAgentError."""
        ...
