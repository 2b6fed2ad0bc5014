"""A driver for unit tests: serves prepared frames and records what it was asked to do.

It stands in only where no real device can exist in a unit test; integration tests use the real
Linux driver on Xvfb.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from guiagent.actions import Action, Point, targets_of
from guiagent.errors import ActionUnsupported, DriverError
from guiagent.observation import ActionResult, Element, Observation, WindowInfo
from guiagent.platforms.base import Capabilities

Frame = Callable[[list[Action]], Observation]

ALL_ACTIONS = frozenset(
    {
        "click",
        "double_click",
        "right_click",
        "long_press",
        "hover",
        "drag",
        "scroll",
        "swipe",
        "type_text",
        "key",
        "hotkey",
        "open_app",
        "open_url",
        "back",
        "home",
    }
)


def blank_observation(
    width: int = 320,
    height: int = 200,
    *,
    elements: Sequence[Element] | None = None,
    app: str = "testapp",
    title: str = "Test window",
    fill: int = 255,
) -> Observation:
    image = np.full((height, width, 3), fill, dtype=np.uint8)
    window = WindowInfo(id=1, title=title, app=app, active=True)
    return Observation(
        image=image,
        platform="test",
        accessibility=list(elements) if elements is not None else None,
        active_window=window,
        windows=[window],
    )


class RecordingDriver:
    """Returns ``frames(executed_so_far)`` on each observe and records every executed action."""

    def __init__(
        self,
        frames: Frame | None = None,
        *,
        actions: frozenset[str] = ALL_ACTIONS,
        pointer: Point | None = None,
    ) -> None:
        self._frames = frames or (lambda _done: blank_observation())
        self.executed: list[Action] = []
        self.pointer = pointer or Point(x=100, y=100)
        self.closed = False
        self._caps = Capabilities(platform="test", actions=actions, accessibility=True)

    @property
    def capabilities(self) -> Capabilities:
        return self._caps

    def observe(self) -> Observation:
        return self._frames(self.executed)

    def execute(self, action: Action) -> ActionResult:
        if not self._caps.supports(action.type):
            raise ActionUnsupported(f"the recording driver does not do {action.type}")
        for target in targets_of(action):
            if target.point is None:
                raise DriverError("drivers take points; the runner resolves element ids")
        self.executed.append(action)
        return ActionResult(detail=f"recorded {action.type}")

    def pointer_position(self) -> Point:
        return self.pointer

    def close(self) -> None:
        self.closed = True
