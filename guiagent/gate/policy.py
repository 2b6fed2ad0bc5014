"""The gate's deterministic policy: rules loaded from TOML, evaluated against a request.

The built-in rules ship as ``default_policy.toml`` beside this module (it documents the file
format). A user's file replaces them, or adds to them when it says ``extends = "default"``.
Deny beats confirm beats allow; the first matching rule of the strongest verdict is reported.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from guiagent.actions import CONTROL_TYPES
from guiagent.errors import ConfigError
from guiagent.gate.request import VERDICT_RANK, GateDecision, GateRequest, Verdict
from guiagent.gate.rules import ACTION_TYPES, Rule

__all__ = ["GateDecision", "GateRequest", "Policy", "Verdict"]

DEFAULT_POLICY = "default_policy.toml"


class _Sensitive(BaseModel):
    model_config = ConfigDict(extra="forbid")
    apps: list[str] = Field(default_factory=list)
    domains: list[str] = Field(default_factory=list)


class _PolicyFile(BaseModel):
    """The top level of a policy TOML."""

    model_config = ConfigDict(extra="forbid")
    extends: Literal["default"] | None = None
    default: Verdict | None = None
    disable: list[str] = Field(default_factory=list)
    sensitive: _Sensitive = Field(default_factory=_Sensitive)
    app_groups: dict[str, list[str]] = Field(default_factory=dict)
    rule: list[Rule] = Field(default_factory=list)


class Policy:
    """An ordered list of rules plus the verdict for requests no rule matches."""

    def __init__(
        self, rules: Sequence[Rule], default: Verdict = "allow", sources: Sequence[str] = ()
    ) -> None:
        self.rules: tuple[Rule, ...] = tuple(rules)
        self.default_verdict: Verdict = default
        self.sources: tuple[str, ...] = tuple(sources)

    # -- loading -------------------------------------------------------------------------
    @classmethod
    def builtin(cls) -> Policy:
        """The policy shipped with guiagent."""
        return _builtin()

    @classmethod
    def from_file(cls, path: Path) -> Policy:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"cannot read gate policy {path}: {exc.strerror or exc}") from exc
        return cls.from_toml(text, source=str(path))

    @classmethod
    def from_toml(cls, text: str, *, source: str = "<policy>") -> Policy:
        """Parse one policy file; ``extends = "default"`` merges it over the built-in one."""
        parsed = _parse(text, source)
        if parsed.extends is None:
            if parsed.disable:
                raise ConfigError(
                    f"{source}: field 'disable': only a policy with extends = \"default\" "
                    "has built-in rules to disable"
                )
            return _build(parsed, source, [source])
        base = _parse(_builtin_text(), f"<builtin {DEFAULT_POLICY}>")
        return _build(_merge(base, parsed, source), source, [DEFAULT_POLICY, source])

    # -- evaluation ----------------------------------------------------------------------
    def evaluate(self, request: GateRequest) -> GateDecision:
        """The strongest verdict among matching rules; the first such rule is reported."""
        if request.action.type in CONTROL_TYPES:
            return GateDecision(
                verdict="allow",
                rule="control",
                reason="done, fail, wait and ask_user never touch the device",
            )
        best: Rule | None = None
        for rule in self.rules:
            if best is not None and VERDICT_RANK[rule.verdict] <= VERDICT_RANK[best.verdict]:
                continue
            if rule.matches(request):
                best = rule
                if best.verdict == "deny":
                    break
        if best is None:
            return GateDecision(
                verdict=self.default_verdict,
                rule="default",
                reason=f"no rule matched; the policy's default is {self.default_verdict}",
            )
        return GateDecision(
            verdict=best.verdict, rule=best.name, reason=best.render_reason(request)
        )

    def rule(self, name: str) -> Rule | None:
        return next((r for r in self.rules if r.name == name), None)


@cache
def _builtin() -> Policy:
    parsed = _parse(_builtin_text(), DEFAULT_POLICY)
    return _build(parsed, DEFAULT_POLICY, [DEFAULT_POLICY])


def _builtin_text() -> str:
    return resources.files("guiagent.gate").joinpath(DEFAULT_POLICY).read_text(encoding="utf-8")


def _parse(text: str, source: str) -> _PolicyFile:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: not valid TOML: {exc}") from exc
    try:
        return _PolicyFile.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_describe_error(exc, data, source)) from exc


def _describe_error(exc: ValidationError, data: dict[str, Any], source: str) -> str:
    """``file: rule 'x' (rule #3), field 'verdict': ...`` for the first problem found."""
    first = exc.errors()[0]
    loc = list(first["loc"])
    msg = str(first["msg"]).removeprefix("Value error, ")
    where = source
    if len(loc) >= 2 and loc[0] == "rule" and isinstance(loc[1], int):
        index = loc[1]
        raw = data.get("rule", [])
        name = raw[index].get("name") if index < len(raw) and isinstance(raw[index], dict) else None
        where += f": rule {name!r} (rule #{index + 1})" if name else f": rule #{index + 1}"
        loc = loc[2:]
    if loc:
        field = ".".join(str(p) for p in loc)
        where += f", field '{field}'" if where != source else f": field '{field}'"
    if first["type"] == "extra_forbidden":
        msg = "unknown field"
    return f"{where}: {msg}"


def _merge(base: _PolicyFile, user: _PolicyFile, source: str) -> _PolicyFile:
    """The user's file over the built-in one: same-name rules replace, new ones append."""
    names = {r.name for r in base.rule}
    unknown = [n for n in user.disable if n not in names]
    if unknown:
        raise ConfigError(
            f"{source}: field 'disable': no built-in rule named {unknown}; "
            f"built-in rules: {sorted(names)}"
        )
    overrides = {r.name: r for r in user.rule}
    rules = [overrides.pop(r.name, r) for r in base.rule if r.name not in user.disable]
    rules += [r for r in user.rule if r.name in overrides]
    groups = dict(base.app_groups)
    for group, apps in user.app_groups.items():
        groups[group] = groups.get(group, []) + apps
    return _PolicyFile(
        default=user.default or base.default,
        sensitive=_Sensitive(
            apps=base.sensitive.apps + user.sensitive.apps,
            domains=base.sensitive.domains + user.sensitive.domains,
        ),
        app_groups=groups,
        rule=rules,
    )


def _build(parsed: _PolicyFile, source: str, sources: list[str]) -> Policy:
    seen: set[str] = set()
    for i, rule in enumerate(parsed.rule):
        if rule.name in seen:
            raise ConfigError(f"{source}: rule {rule.name!r} (rule #{i + 1}): duplicate name")
        seen.add(rule.name)
    rules = _sensitive_rules(parsed.sensitive, source)
    rules += [_expand_groups(r, parsed.app_groups, source) for r in parsed.rule]
    return Policy(rules, parsed.default or "allow", sources)


def _expand_groups(rule: Rule, groups: dict[str, list[str]], source: str) -> Rule:
    if not rule.apps or not any(a.startswith("@") for a in rule.apps):
        return rule
    apps: list[str] = []
    for app in rule.apps:
        if not app.startswith("@"):
            apps.append(app)
        elif app[1:] in groups:
            apps.extend(groups[app[1:]])
        else:
            raise ConfigError(
                f"{source}: rule {rule.name!r}, field 'apps': no app group {app!r}; "
                f"groups: {sorted(groups)}"
            )
    return Rule.model_validate({**rule.model_dump(exclude_none=True), "apps": apps})


def _sensitive_rules(sensitive: _Sensitive, source: str) -> list[Rule]:
    """``[sensitive]`` lists become confirm rules over every device action."""
    device_actions = sorted(ACTION_TYPES - CONTROL_TYPES)
    rules: list[Rule] = []
    try:
        if sensitive.apps:
            rules.append(
                Rule(
                    name="sensitive-app",
                    verdict="confirm",
                    reason="the policy marks {app} sensitive: every action in it asks first",
                    actions=device_actions,
                    apps=sensitive.apps,
                )
            )
        if sensitive.domains:
            rules.append(
                Rule(
                    name="sensitive-domain",
                    verdict="confirm",
                    reason="the policy marks {domain} sensitive: every action on it asks first",
                    actions=device_actions,
                    domains=sensitive.domains,
                )
            )
    except ValidationError as exc:
        first = exc.errors()[0]
        raise ConfigError(
            f"{source}: field 'sensitive': {str(first['msg']).removeprefix('Value error, ')}"
        ) from exc
    return rules
