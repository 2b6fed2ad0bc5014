"""What a driver sees (Observation), what perception makes of it (Screen of Elements), what
grounding answers (Candidate) and what execution reports (ActionResult).

All coordinates are screenshot pixels, origin at the screenshot's top-left.
"""

from __future__ import annotations

import time
from enum import StrEnum
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from guiagent.actions import Point

ElementSource = Literal["a11y", "ocr", "detector", "remote"]


class Box(BaseModel):
    """An axis-aligned box, ``right`` and ``bottom`` exclusive."""

    model_config = ConfigDict(frozen=True)
    left: int
    top: int
    right: int
    bottom: int

    @classmethod
    def xywh(cls, x: int, y: int, w: int, h: int) -> Box:
        return cls(left=x, top=y, right=x + w, bottom=y + h)

    @property
    def width(self) -> int:
        return max(0, self.right - self.left)

    @property
    def height(self) -> int:
        return max(0, self.bottom - self.top)

    @property
    def area(self) -> int:
        return self.width * self.height

    @property
    def center(self) -> Point:
        return Point(x=(self.left + self.right) // 2, y=(self.top + self.bottom) // 2)

    def contains(self, x: int, y: int) -> bool:
        return self.left <= x < self.right and self.top <= y < self.bottom

    def intersection(self, other: Box) -> int:
        w = min(self.right, other.right) - max(self.left, other.left)
        h = min(self.bottom, other.bottom) - max(self.top, other.top)
        return max(0, w) * max(0, h)

    def covered_by(self, other: Box, share: float) -> bool:
        """Whether at least ``share`` of this (non-empty) box lies inside ``other``."""
        return self.intersection(other) >= share * self.area > 0

    def iou(self, other: Box) -> float:
        inter = self.intersection(other)
        union = self.area + other.area - inter
        return inter / union if union else 0.0

    def clip(self, width: int, height: int) -> Box:
        return Box(
            left=min(max(self.left, 0), width),
            top=min(max(self.top, 0), height),
            right=min(max(self.right, 0), width),
            bottom=min(max(self.bottom, 0), height),
        )

    def as_list(self) -> list[int]:
        return [self.left, self.top, self.right, self.bottom]


class WindowInfo(BaseModel):
    model_config = ConfigDict(frozen=True)
    id: int
    title: str
    app: str = Field(default="", description="WM_CLASS class / process name, lower case")
    pid: int | None = None
    box: Box | None = None
    active: bool = False


class Element(BaseModel):
    """One thing on the screen an action can target."""

    model_config = ConfigDict(frozen=True)
    id: int = -1
    role: str = Field(description="normalised: button, text_field, checkbox, text, menu_item, ...")
    name: str = Field(default="", description="visible text or accessible name")
    box: Box
    source: ElementSource
    score: float = 1.0
    states: frozenset[str] = frozenset()
    value: str | None = None
    app: str = ""

    def describe(self) -> str:
        label = f"{self.role} {self.name!r}" if self.name else self.role
        return f"#{self.id} {label} at {self.box.as_list()} [{self.source}]"


class Observation(BaseModel):
    """One look at a device: pixels plus whatever structure the platform offers."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    image: np.ndarray = Field(description="RGB uint8, shape (height, width, 3)")
    platform: str
    timestamp: float = Field(default_factory=time.time)
    accessibility: list[Element] | None = Field(
        default=None, description="a11y elements (ids unset) or None when the platform has none"
    )
    active_window: WindowInfo | None = None
    windows: list[WindowInfo] = Field(default_factory=list)
    url: str | None = None
    scale: float = Field(default=1.0, description="device units per screenshot pixel")

    @property
    def width(self) -> int:
        return int(self.image.shape[1])

    @property
    def height(self) -> int:
        return int(self.image.shape[0])

    def summary(self) -> dict[str, object]:
        """What a trajectory line records of it (pixels go to a PNG beside it)."""
        return {
            "platform": self.platform,
            "size": [self.width, self.height],
            "active_window": self.active_window.title if self.active_window else None,
            "app": self.active_window.app if self.active_window else None,
            "url": self.url,
            "a11y_elements": None if self.accessibility is None else len(self.accessibility),
        }


class Screen(BaseModel):
    """The perceived screen: fused elements with stable ids for this frame."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    elements: list[Element]
    width: int
    height: int
    observation: Observation | None = Field(default=None, exclude=True, repr=False)
    timings_ms: dict[str, float] = Field(default_factory=dict)

    def by_id(self, element_id: int) -> Element | None:
        for el in self.elements:
            if el.id == element_id:
                return el
        return None

    def texts(self) -> list[str]:
        return [el.name for el in self.elements if el.name]


class Candidate(BaseModel):
    """A grounding answer: where a query points and how sure we are."""

    model_config = ConfigDict(frozen=True)
    element: Element
    score: float
    reason: str = ""

    @property
    def point(self) -> Point:
        return self.element.box.center

    def describe(self) -> str:
        return f"{self.element.describe()} score={self.score:.2f}" + (
            f" ({self.reason})" if self.reason else ""
        )

    def as_json(self) -> dict[str, object]:
        p = self.point
        return {
            "x": p.x,
            "y": p.y,
            "box": self.element.box.as_list(),
            "score": round(self.score, 4),
            "source": self.element.source,
            "role": self.element.role,
            "name": self.element.name,
            "id": self.element.id,
        }


class ActionResult(BaseModel):
    """What executing one action did, as the driver saw it."""

    ok: bool = True
    detail: str = ""
    device_point: Point | None = None
    elapsed_ms: float = 0.0


class RunState(StrEnum):
    RUNNING = "running"
    AWAITING_CONFIRMATION = "awaiting_confirmation"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"
