"""The pydantic models of a task or skill file, as written (before placeholders are filled).

Values that may hold ``{placeholders}`` stay strings here; they are typed when the loader builds
Steps. Each step is a mapping with exactly one step key (skill, do, action, wait_for, assert); a
missing or unknown key is reported by name instead of as a failed union match.
"""

from __future__ import annotations

from typing import Annotated, Any, Union

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

STEP_KEYS = ("skill", "do", "action", "wait_for", "assert")


def _scalar(value: object) -> object:
    """YAML gives 5, 1.5 and true for unquoted scalars; parameters are always text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return value


#: A text value that YAML may have read as a number or a boolean.
Text = Annotated[str, BeforeValidator(_scalar)]
ParamName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class ParamSpec(_Spec):
    """One declared parameter; ``text: hello`` is shorthand for ``text: {default: hello}``."""

    default: Text | None = None
    required: bool = False
    secret: bool = Field(default=False, description="value is redacted and typed as a secret")
    description: str = ""

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        if data is None:
            return {}
        return data if isinstance(data, dict) else {"default": data}

    @model_validator(mode="after")
    def _required_has_no_default(self) -> ParamSpec:
        if self.required and self.default is not None:
            raise ValueError("a required parameter takes no default")
        return self


class SkillCall(_Spec):
    skill: str
    with_: dict[str, Text] = Field(default_factory=dict, alias="with")


class DoSentence(_Spec):
    """A command-mode sentence, parsed with the command grammar."""

    do: str


class RawAction(_Spec):
    """An Action as a mapping; validated with ``parse_action`` once placeholders are filled."""

    action: dict[str, Any]


class WaitForArgs(_Spec):
    target: str
    timeout: float | str | None = None
    gone: bool = False


def _wait_for_shorthand(value: object) -> object:
    return {"target": value} if isinstance(value, str) else value


class WaitFor(_Spec):
    wait_for: Annotated[WaitForArgs, BeforeValidator(_wait_for_shorthand)]


class AssertArgs(_Spec):
    visible: str | None = None
    not_visible: str | None = None
    window_title: str | None = None

    @model_validator(mode="after")
    def _at_least_one(self) -> AssertArgs:
        if self.visible is None and self.not_visible is None and self.window_title is None:
            raise ValueError("an assert needs visible, not_visible or window_title")
        return self


class Assert(_Spec):
    assert_: AssertArgs = Field(alias="assert")


def _step_key(value: object) -> str | None:
    if isinstance(value, dict):
        return next((f"<{k}>" for k in STEP_KEYS if k in value), None)
    return None


def _one_step_key(value: object) -> object:
    """Name the problem when a step has no step key, or two."""
    allowed = ", ".join(STEP_KEYS)
    if not isinstance(value, dict):
        raise PydanticCustomError("step_shape", "a step is a mapping with one of: {allowed}",
                                  {"allowed": allowed})  # fmt: skip
    present = [k for k in STEP_KEYS if k in value]
    if not present:
        key = next(iter(value), "")
        raise PydanticCustomError(
            "unknown_step", "unknown step key '{key}'; a step has one of: {allowed}",
            {"key": key, "allowed": allowed},
        )  # fmt: skip
    if len(present) > 1:
        raise PydanticCustomError(
            "two_steps", "a step has exactly one of {allowed}; this one has {keys}",
            {"key": present[1], "allowed": allowed, "keys": " and ".join(present)},
        )  # fmt: skip
    return value


StepSpec = Annotated[
    Union[  # noqa: UP007 - Tag annotations need the Union form
        Annotated[SkillCall, Tag("<skill>")],
        Annotated[DoSentence, Tag("<do>")],
        Annotated[RawAction, Tag("<action>")],
        Annotated[WaitFor, Tag("<wait_for>")],
        Annotated[Assert, Tag("<assert>")],
    ],
    Discriminator(_step_key),
    BeforeValidator(_one_step_key),
]


class TaskFile(_Spec):
    """A task or a skill: the same format. A skill is called by its file name."""

    name: str | None = None
    description: str = ""
    params: dict[ParamName, ParamSpec] = Field(default_factory=dict)
    steps: list[StepSpec] = Field(min_length=1)

    @field_validator("params", mode="before")
    @classmethod
    def _no_params(cls, value: Any) -> Any:
        return {} if value is None else value
