"""The one action space: a pydantic discriminated union used by agents, gate, drivers, scripts
and trajectories alike.

A pointer target is either an element id of the current ``Screen`` or a point in *screenshot
pixels*; the runner resolves element ids to points before a driver sees the action, and the
driver alone converts screenshot pixels to device units.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator


class Point(BaseModel):
    model_config = ConfigDict(frozen=True)
    x: int
    y: int


class Target(BaseModel):
    """Where a pointer action lands: an element id of the current screen, or a point."""

    model_config = ConfigDict(frozen=True)
    element: int | None = None
    point: Point | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Target:
        if (self.element is None) == (self.point is None):
            raise ValueError("a target is either an element id or a point, exactly one")
        return self

    @classmethod
    def at(cls, x: int, y: int) -> Target:
        return cls(point=Point(x=x, y=y))

    def describe(self) -> str:
        if self.point is None:
            return f"#{self.element}"
        return f"({self.point.x},{self.point.y})"


class _Action(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Click(_Action):
    type: Literal["click"] = "click"
    target: Target


class DoubleClick(_Action):
    type: Literal["double_click"] = "double_click"
    target: Target


class RightClick(_Action):
    type: Literal["right_click"] = "right_click"
    target: Target


class LongPress(_Action):
    type: Literal["long_press"] = "long_press"
    target: Target
    seconds: float = Field(default=0.8, gt=0, le=10)


class Hover(_Action):
    """Rest the pointer on a target without pressing: opens hover menus and tooltips."""

    type: Literal["hover"] = "hover"
    target: Target


class Drag(_Action):
    type: Literal["drag"] = "drag"
    start: Target
    end: Target


class Scroll(_Action):
    type: Literal["scroll"] = "scroll"
    direction: Literal["up", "down", "left", "right"]
    amount: int = Field(default=3, ge=1, le=50, description="wheel clicks")
    target: Target | None = None


class Swipe(_Action):
    type: Literal["swipe"] = "swipe"
    start: Target
    end: Target
    seconds: float = Field(default=0.3, gt=0, le=5)


class TypeText(_Action):
    type: Literal["type_text"] = "type_text"
    text: str
    target: Target | None = Field(default=None, description="clicked first to focus, when given")
    secret: bool = Field(default=False, description="redacted in logs and trajectories")
    clear: bool = Field(default=False, description="select-all and replace what is there")


class Key(_Action):
    """One key, pressed ``presses`` times: Return, Tab, Escape, F5, a, ..."""

    type: Literal["key"] = "key"
    key: str
    presses: int = Field(default=1, ge=1, le=100)


class Hotkey(_Action):
    """Keys held together, in order: ["ctrl", "shift", "t"]."""

    type: Literal["hotkey"] = "hotkey"
    keys: list[str] = Field(min_length=1)


class OpenApp(_Action):
    type: Literal["open_app"] = "open_app"
    name: str = Field(description="a desktop application name, .desktop id or command line")


class OpenUrl(_Action):
    type: Literal["open_url"] = "open_url"
    url: str


class Back(_Action):
    type: Literal["back"] = "back"


class Home(_Action):
    type: Literal["home"] = "home"


class Wait(_Action):
    type: Literal["wait"] = "wait"
    seconds: float = Field(default=1.0, ge=0, le=600)


class Done(_Action):
    type: Literal["done"] = "done"
    message: str = ""


class Fail(_Action):
    type: Literal["fail"] = "fail"
    reason: str


class AskUser(_Action):
    type: Literal["ask_user"] = "ask_user"
    question: str


Action = Annotated[
    Click
    | DoubleClick
    | RightClick
    | LongPress
    | Hover
    | Drag
    | Scroll
    | Swipe
    | TypeText
    | Key
    | Hotkey
    | OpenApp
    | OpenUrl
    | Back
    | Home
    | Wait
    | Done
    | Fail
    | AskUser,
    Field(discriminator="type"),
]

ACTION_ADAPTER: TypeAdapter[Action] = TypeAdapter(Action)

#: Actions that end a run instead of touching the device.
TERMINAL_TYPES = frozenset({"done", "fail"})
#: Actions that never reach a driver.
CONTROL_TYPES = frozenset({"done", "fail", "ask_user", "wait"})


def parse_action(data: object) -> Action:
    """Validate a dict (from a script, a model or a trajectory) into an Action."""
    return ACTION_ADAPTER.validate_python(data)


def targets_of(action: Action) -> list[Target]:
    """Every pointer target an action carries, in order."""
    found: list[Target] = []
    for name in ("target", "start", "end"):
        value = getattr(action, name, None)
        if isinstance(value, Target):
            found.append(value)
    return found


def describe(action: Action, *, redact: bool = True) -> str:
    """A one-line human description, with secret text hidden."""
    match action:
        case TypeText(text=text, secret=secret, target=target):
            shown = "•••" if (secret and redact) else repr(text)
            where = f" into {target.describe()}" if target else ""
            return f"type {shown}{where}"
        case Key(key=key, presses=n):
            return f"press {key}" + (f" x{n}" if n > 1 else "")
        case Hotkey(keys=keys):
            return "press " + "+".join(keys)
        case Drag(start=s, end=e) | Swipe(start=s, end=e):
            return f"{action.type} {s.describe()} -> {e.describe()}"
        case Scroll(direction=d, amount=n, target=t):
            return f"scroll {d} {n}" + (f" at {t.describe()}" if t else "")
        case OpenApp(name=name):
            return f"open app {name!r}"
        case OpenUrl(url=url):
            return f"open url {url}"
        case Wait(seconds=s):
            return f"wait {s:g}s"
        case Done(message=m):
            return "done" + (f": {m}" if m else "")
        case Fail(reason=r):
            return f"fail: {r}"
        case AskUser(question=q):
            return f"ask user: {q}"
    target = getattr(action, "target", None)
    return action.type.replace("_", "-") + (f" {target.describe()}" if target else "")
