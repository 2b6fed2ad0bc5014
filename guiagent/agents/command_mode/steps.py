"""Typed steps: what a command-mode sentence or a scripted task turns into before it runs.

Targets stay as the phrase the person wrote ("the second Delete button", "the field next to
Name"); the grounder interprets role words, ordinals and relations on the current screen.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from guiagent.actions import Action


class _Step(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    source: str = Field(default="", description="the sentence or file:line this step came from")


class ClickStep(_Step):
    kind: Literal["click"] = "click"
    button: Literal["click", "double_click", "right_click"] = "click"
    target: str
    search: str | None = Field(
        default=None, description="where to look when the target is not shown, e.g. 'tabs'"
    )


class HoverStep(_Step):
    kind: Literal["hover"] = "hover"
    target: str


class MenuStep(_Step):
    """A menu path ("File>Open>Recent"): each level opened in turn, the last one clicked."""

    kind: Literal["menu"] = "menu"
    path: list[str] = Field(min_length=1)


class TypeStep(_Step):
    kind: Literal["type"] = "type"
    text: str
    target: str | None = None
    secret: bool = False


class PressStep(_Step):
    """Keys held together ("ctrl+s" -> ["ctrl", "s"]), pressed ``presses`` times."""

    kind: Literal["press"] = "press"
    keys: list[str] = Field(min_length=1)
    presses: int = Field(default=1, ge=1, le=100)


class SelectStep(_Step):
    kind: Literal["select"] = "select"
    option: str
    target: str | None = None


class CheckStep(_Step):
    kind: Literal["check"] = "check"
    target: str
    checked: bool = True


class ScrollStep(_Step):
    kind: Literal["scroll"] = "scroll"
    direction: Literal["up", "down", "left", "right"]
    amount: int = Field(default=3, ge=1, le=50)
    target: str | None = None


class DragStep(_Step):
    kind: Literal["drag"] = "drag"
    start: str
    end: str


class OpenStep(_Step):
    kind: Literal["open"] = "open"
    what: str
    is_url: bool = False


class WaitForStep(_Step):
    kind: Literal["wait_for"] = "wait_for"
    target: str
    timeout: float = Field(default=10.0, gt=0, le=600)
    gone: bool = Field(default=False, description="wait until it disappears instead")


class ActionStep(_Step):
    """A raw action from a script, executed as written."""

    kind: Literal["action"] = "action"
    action: Action


class AssertStep(_Step):
    """A condition on what is on screen; the run fails when it does not hold."""

    kind: Literal["assert"] = "assert"
    visible: str | None = None
    not_visible: str | None = None
    window_title: str | None = Field(default=None, description="substring of the active title")


Step = Annotated[
    ClickStep
    | HoverStep
    | MenuStep
    | TypeStep
    | PressStep
    | SelectStep
    | CheckStep
    | ScrollStep
    | DragStep
    | OpenStep
    | WaitForStep
    | ActionStep
    | AssertStep,
    Field(discriminator="kind"),
]
