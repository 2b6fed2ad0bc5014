"""Turning a validated task file into Steps: placeholders filled, skill calls expanded in place.

Each Step's ``source`` names where it was written and the chain of calls that reached it,
innermost first ("skills/save_as.yaml:7 via task.yaml:12"), so a failure at run time points at
a line a person can open. Skills nest up to MAX_DEPTH; a skill that reaches itself is an error.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from pydantic import ValidationError

from guiagent.actions import TypeText, parse_action
from guiagent.agents.command_mode.steps import ActionStep, AssertStep, Step, TypeStep, WaitForStep
from guiagent.errors import CommandParseError, ScriptError
from guiagent.scripts.catalog import SkillSource
from guiagent.scripts.schema import (
    Assert,
    DoSentence,
    ParamSpec,
    RawAction,
    SkillCall,
    StepSpec,
    TaskFile,
    WaitFor,
)
from guiagent.scripts.sentence import expand_sentence
from guiagent.scripts.template import TemplateError, substitute
from guiagent.scripts.yamlfile import Loc, YamlFile, parse_task_file, read_yaml, validation_error

MAX_DEPTH = 8
S = TypeVar("S")


def resolve_params(
    specs: Mapping[str, ParamSpec], given: Mapping[str, str]
) -> tuple[dict[str, str], list[str]]:
    """Values for every declared parameter (given, else default, else ""), and the missing ones."""
    values: dict[str, str] = {}
    missing: list[str] = []
    for name, spec in specs.items():
        if name in given:
            values[name] = given[name]
        elif spec.required:
            missing.append(name)
        else:
            values[name] = spec.default or ""
    return values, missing


def mark_secret(step: Step, secrets: set[str]) -> Step:
    """Text that contains a secret parameter's value is typed as a secret, wherever it came from."""
    hidden = [s for s in secrets if s]
    if isinstance(step, TypeStep) and not step.secret and any(s in step.text for s in hidden):
        return step.model_copy(update={"secret": True})
    action = step.action if isinstance(step, ActionStep) else None
    if isinstance(action, TypeText) and not action.secret and any(s in action.text for s in hidden):
        return step.model_copy(update={"action": action.model_copy(update={"secret": True})})
    return step


class Expander:
    """Expands one task; collects the values of secret parameters on the way."""

    def __init__(self, skills: Mapping[str, SkillSource]) -> None:
        self.skills = skills
        self.secrets: set[str] = set()
        self._loaded: dict[str, tuple[YamlFile, TaskFile]] = {}

    def add_secrets(self, specs: Mapping[str, ParamSpec], values: Mapping[str, str]) -> None:
        self.secrets |= {values[n] for n, spec in specs.items() if spec.secret and values.get(n)}

    def skill(self, name: str, via: str = "") -> tuple[YamlFile, TaskFile]:
        if name not in self._loaded:
            source = self.skills[name]
            file = read_yaml(source.read(), source.display)
            self._loaded[name] = (file, parse_task_file(file, via=via))
        return self._loaded[name]

    def expand(
        self,
        file: YamlFile,
        spec: TaskFile,
        values: Mapping[str, str],
        via: tuple[str, ...] = (),
        stack: tuple[str, ...] = (),
    ) -> list[Step]:
        steps: list[Step] = []
        for i, entry in enumerate(spec.steps):
            call = _Call(file, i, values, via)
            if isinstance(entry, SkillCall):
                steps += self._call_skill(call, entry, stack)
            else:
                source = " via ".join((call.here, *via))
                steps += [s.model_copy(update={"source": source}) for s in call.build(entry)]
        return steps

    def _call_skill(self, call: _Call, entry: SkillCall, stack: tuple[str, ...]) -> list[Step]:
        name = entry.skill
        if name not in self.skills:
            known = ", ".join(sorted(self.skills)) or "none"
            raise call.error(f"unknown skill {name!r}; known skills: {known}", "skill")
        if name in stack:
            raise call.error("skill recursion: " + " -> ".join((*stack, name)), "skill")
        if len(stack) >= MAX_DEPTH:
            raise call.error(f"skills nest deeper than {MAX_DEPTH} calls", "skill")
        chain = (call.here, *call.via)
        file, spec = self.skill(name, via=" via ".join(chain))
        args: dict[str, str] = {}
        for key, raw in entry.with_.items():
            if key not in spec.params:
                declared = ", ".join(spec.params) or "no parameters"
                raise call.error(f"skill {name!r} has no parameter {key!r}; it declares: "
                                 f"{declared}", "with", key)  # fmt: skip
            args[key] = call.text(raw, "with", key)
        values, missing = resolve_params(spec.params, args)
        if missing:
            raise call.error(f"skill {name!r} needs parameter {missing[0]!r} under 'with'", "skill")
        self.add_secrets(spec.params, values)
        return self.expand(file, spec, values, via=chain, stack=(*stack, name))


class _Call:
    """One step entry of one file, with the values its placeholders are filled from."""

    def __init__(self, file: YamlFile, index: int, values: Mapping[str, str], via: tuple[str, ...]):
        self.file, self.values, self.via = file, values, via
        self.loc: Loc = ("steps", index)
        self.here = f"{file.display}:{file.locate(self.loc)[0]}"

    def error(self, message: str, *where: str | int) -> ScriptError:
        return self.file.error(message, [*self.loc, *where], via=" via ".join(self.via))

    def text(self, template: str, *where: str | int) -> str:
        try:
            return substitute(template, self.values)
        except TemplateError as exc:
            raise self.error(str(exc), *where) from exc

    def data(self, value: Any, *where: str | int) -> Any:
        """Fill placeholders in every string of a nested mapping or list."""
        if isinstance(value, str):
            return self.text(value, *where)
        if isinstance(value, dict):
            return {k: self.data(v, *where, k) for k, v in value.items()}
        if isinstance(value, list):
            return [self.data(v, *where, i) for i, v in enumerate(value)]
        return value

    def _valid(self, make: Callable[[], S], key: str, tag: object = None) -> S:
        """Build a step; a pydantic error is reported at the line of the field it names."""
        try:
            return make()
        except ValidationError as exc:
            via = " via ".join(self.via)
            raise validation_error(self.file, exc, [*self.loc, key], via, tag=tag) from exc

    def build(self, entry: StepSpec) -> list[Step]:
        if isinstance(entry, DoSentence):
            try:
                return expand_sentence(entry.do, self.values)
            except (TemplateError, CommandParseError) as exc:
                raise self.error(str(exc).splitlines()[0], "do") from exc
        if isinstance(entry, RawAction):
            data = self.data(entry.action, "action")
            action = self._valid(lambda: parse_action(data), "action", tag=data.get("type"))
            return [ActionStep(action=action)]
        if isinstance(entry, WaitFor):
            wait = self.data(entry.wait_for.model_dump(exclude_none=True), "wait_for")
            return [self._valid(lambda: WaitForStep.model_validate(wait), "wait_for")]
        assert isinstance(entry, Assert)
        checks = self.data(entry.assert_.model_dump(exclude_none=True), "assert")
        return [self._valid(lambda: AssertStep.model_validate(checks), "assert")]
