"""The Driver contract every platform implements, and the optional capability interfaces.

A driver observes and executes; it never grounds, plans or asks the gate. Points in actions are
screenshot pixels; ``to_device`` is the one place a driver converts them to device units.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict

from guiagent.actions import Action, Point
from guiagent.observation import ActionResult, Observation, WindowInfo


class Capabilities(BaseModel):
    model_config = ConfigDict(frozen=True)
    platform: str
    actions: frozenset[str]
    accessibility: bool = False
    notes: str = ""

    def supports(self, action_type: str) -> bool:
        return action_type in self.actions


@runtime_checkable
class Driver(Protocol):
    @property
    def capabilities(self) -> Capabilities: ...

    def observe(self) -> Observation: ...

    def execute(self, action: Action) -> ActionResult:
        """Carry out one action whose targets are points (the runner resolved element ids)."""
        ...

    def close(self) -> None: ...


@runtime_checkable
class WindowControl(Protocol):
    """Desktop drivers: the window list and focus."""

    def list_windows(self) -> list[WindowInfo]: ...

    def active_window(self) -> WindowInfo | None: ...

    def focus_window(self, window: WindowInfo) -> None: ...


@runtime_checkable
class PointerProbe(Protocol):
    """Where the pointer is, in screenshot pixels: the kill switch's corner check uses it."""

    def pointer_position(self) -> Point: ...
