"""One policy rule: its TOML shape, validated at load, and how it matches a request.

Within a rule every field given must match (AND); a list matches when any item does (OR). A
field about something the request lacks (``names`` with no target element) does not match.
Patterns are compiled once, at load, and never evaluated as code.
"""

from __future__ import annotations

import fnmatch
import re
from functools import cached_property
from typing import get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from guiagent.actions import Action, Hotkey, Key
from guiagent.gate.request import GateRequest, Verdict, normalise_app, normalise_key

#: Every ``type`` the action union knows, for validating ``actions = [...]``.
ACTION_TYPES: frozenset[str] = frozenset(
    cls.model_fields["type"].default for cls in get_args(get_args(Action)[0])
)

#: Placeholders a rule's ``reason`` may use.
PLACEHOLDERS = ("app", "title", "domain", "name", "role", "action", "key")
_PLACEHOLDER = re.compile(r"\{([A-Za-z_]*)\}")
_FLAGS = re.IGNORECASE | re.MULTILINE
_CONDITIONS = ("actions", "apps", "titles", "domains", "roles", "names", "name_patterns", "text")
_CONDITIONS_ALL = (*_CONDITIONS, "keys")


def word_pattern(phrase: str) -> str:
    """``"place order"`` -> whole words, any run of space/``_``/``-`` between them.

    Letters and digits around the phrase break the match, so ``delete`` matches "Delete" and
    "Delete file" but not "Undelete" or "Deleted items": those are restores and folders.
    """
    words = phrase.split()
    body = r"[\s_-]+".join(re.escape(w) for w in words)
    return rf"(?<![^\W_]){body}(?![^\W_])"


class Rule(BaseModel):
    """A ``[[rule]]`` table of a policy file."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    verdict: Verdict
    reason: str = Field(min_length=1)
    actions: list[str] | None = None
    apps: list[str] | None = None
    titles: list[str] | None = None
    domains: list[str] | None = None
    roles: list[str] | None = None
    names: list[str] | None = None
    name_patterns: list[str] | None = None
    text: list[str] | None = None
    keys: list[str] | None = None

    @field_validator(*_CONDITIONS_ALL)
    @classmethod
    def _not_empty(cls, value: list[str] | None) -> list[str] | None:
        if value is not None:
            if not value:
                raise ValueError("an empty list matches nothing; leave the field out instead")
            if any(not item.strip() for item in value):
                raise ValueError("items must not be blank")
        return value

    @field_validator("actions")
    @classmethod
    def _known_actions(cls, value: list[str] | None) -> list[str] | None:
        unknown = sorted(set(value or ()) - ACTION_TYPES)
        if unknown:
            raise ValueError(f"unknown action type(s) {unknown}; known: {sorted(ACTION_TYPES)}")
        return value

    @field_validator("titles", "name_patterns", "text")
    @classmethod
    def _regexes(cls, value: list[str] | None) -> list[str] | None:
        for pattern in value or ():
            try:
                re.compile(pattern, _FLAGS)
            except re.error as exc:
                raise ValueError(f"bad regular expression {pattern!r}: {exc}") from None
        return value

    @field_validator("domains")
    @classmethod
    def _domains(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        cleaned = [d.strip().lower().removeprefix("*.").strip(".") for d in value]
        for d in cleaned:
            if not d or "/" in d or " " in d:
                raise ValueError(f"{d!r} is not a domain (write 'example.com', no scheme or path)")
        return cleaned

    @field_validator("reason")
    @classmethod
    def _placeholders(cls, value: str) -> str:
        unknown = sorted({m for m in _PLACEHOLDER.findall(value) if m not in PLACEHOLDERS})
        if unknown:
            raise ValueError(f"unknown placeholder(s) {unknown}; known: {list(PLACEHOLDERS)}")
        return value

    @model_validator(mode="after")
    def _has_condition(self) -> Rule:
        if all(getattr(self, f) is None for f in _CONDITIONS_ALL):
            raise ValueError(
                "a rule needs at least one condition (actions, apps, titles, domains, roles, "
                "names, name_patterns, text, keys)"
            )
        return self

    # -- matching ------------------------------------------------------------------------
    @cached_property
    def _compiled(self) -> _Compiled:
        return _Compiled(self)

    def matches(self, request: GateRequest) -> bool:
        return self._compiled.matches(request)

    def render_reason(self, request: GateRequest) -> str:
        """The reason with ``{app}``-style placeholders filled from the request."""
        el = request.element
        keys = request.keys()
        compiled = self._compiled
        values = {
            "app": compiled.matched_app(request) or request.app or "this application",
            "title": request.window_title or "this window",
            "domain": compiled.matched_domain(request) or request.domain or "this site",
            "name": el.name if el is not None and el.name else "this element",
            "role": el.role if el is not None else "element",
            "action": request.action.type.replace("_", " "),
            "key": _key_label(request) if keys else "a key",
        }
        return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), self.reason)


class _Compiled:
    """A rule's patterns, compiled once."""

    def __init__(self, rule: Rule) -> None:
        self.actions = frozenset(rule.actions) if rule.actions else None
        self.apps = [normalise_app(a) for a in rule.apps] if rule.apps else None
        self.titles = _compile(rule.titles)
        self.domains = rule.domains
        self.roles = frozenset(r.lower() for r in rule.roles) if rule.roles else None
        name_res = [word_pattern(n) for n in rule.names or ()] + list(rule.name_patterns or ())
        self.names = (
            re.compile("|".join(f"(?:{p})" for p in name_res), _FLAGS) if name_res else None
        )
        self.text = _compile(rule.text)
        self.keys = (
            [frozenset(normalise_key(k) for k in combo.split("+")) for combo in rule.keys]
            if rule.keys
            else None
        )

    def matched_app(self, req: GateRequest) -> str | None:
        if self.apps is None:
            return None
        return next(
            (app for app in req.apps() if any(fnmatch.fnmatchcase(app, p) for p in self.apps)),
            None,
        )

    def matched_domain(self, req: GateRequest) -> str | None:
        if self.domains is None:
            return None
        return next(
            (h for h in req.domains() if any(h == d or h.endswith("." + d) for d in self.domains)),
            None,
        )

    def matches(self, req: GateRequest) -> bool:
        action_type: str = req.action.type
        if self.actions is not None and action_type not in self.actions:
            return False
        if self.apps is not None and self.matched_app(req) is None:
            return False
        if self.titles is not None and not _search(self.titles, req.window_title):
            return False
        if self.domains is not None and self.matched_domain(req) is None:
            return False
        el = req.element
        if self.roles is not None and (el is None or el.role.lower() not in self.roles):
            return False
        if self.names is not None and (el is None or not self.names.search(el.name)):
            return False
        if self.text is not None and not _search(self.text, req.text()):
            return False
        if self.keys is not None:
            pressed = req.keys()
            if pressed is None or pressed not in self.keys:
                return False
        return True


def _compile(patterns: list[str] | None) -> list[re.Pattern[str]] | None:
    return [re.compile(p, _FLAGS) for p in patterns] if patterns else None


def _search(patterns: list[re.Pattern[str]], value: str | None) -> bool:
    return value is not None and any(p.search(value) for p in patterns)


def _key_label(request: GateRequest) -> str:
    action = request.action
    if isinstance(action, Key):
        return action.key
    if isinstance(action, Hotkey):
        return "+".join(action.keys)
    return "a key"
