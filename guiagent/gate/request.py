"""What the gate is asked (GateRequest), what the policy answers (GateDecision) and what the
gate finally did (GateOutcome). Plain data, so the runner, the audit log, the daemon API and the
tray all speak the same shapes.
"""

from __future__ import annotations

import re
import shlex
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict

from guiagent.actions import Action, Hotkey, Key, OpenApp, OpenUrl, TypeText, describe
from guiagent.observation import Element

Verdict = Literal["allow", "confirm", "deny"]

#: Strength of a verdict: deny beats confirm beats allow.
VERDICT_RANK: dict[str, int] = {"allow": 0, "confirm": 1, "deny": 2}


class GateRequest(BaseModel):
    """One action about to run, with the context a policy judges it in."""

    model_config = ConfigDict(frozen=True)
    action: Action
    element: Element | None = None
    app: str | None = None
    window_title: str | None = None
    url: str | None = None

    @property
    def domain(self) -> str | None:
        """The current page's host, lower case, without port."""
        return host_of(self.url)

    def apps(self) -> list[str]:
        """The active application, plus the one an ``open_app`` would start."""
        found = [normalise_app(self.app)] if self.app else []
        if isinstance(self.action, OpenApp):
            found.append(app_of_command(self.action.name))
        return [a for a in found if a]

    def domains(self) -> list[str]:
        """The page's domain, plus the one an ``open_url`` would open."""
        found = [self.domain] if self.domain else []
        if isinstance(self.action, OpenUrl):
            target = host_of(self.action.url)
            if target:
                found.append(target)
        return [d for d in found if d]

    def text(self) -> str | None:
        """Text that could reach a shell: typed text, or an ``open_app`` command line."""
        if isinstance(self.action, TypeText):
            return self.action.text
        if isinstance(self.action, OpenApp):
            return self.action.name
        return None

    def keys(self) -> frozenset[str] | None:
        """The keys pressed together, normalised (``Enter`` -> ``return``)."""
        if isinstance(self.action, Key):
            return frozenset({normalise_key(self.action.key)})
        if isinstance(self.action, Hotkey):
            return frozenset(normalise_key(k) for k in self.action.keys)
        return None

    def summary(self) -> str:
        """One line for a person; secret text stays hidden (``describe`` masks it)."""
        parts = [describe(self.action)]
        if self.element is not None:
            label = f"{self.element.role} {self.element.name!r}" if self.element.name else ""
            if label:
                parts.append(f"on {label}")
        if self.app:
            parts.append(f"in {self.app}")
        if self.window_title:
            parts.append(f"({self.window_title!r})")
        if self.domain:
            parts.append(f"at {self.domain}")
        return " ".join(parts)


class GateDecision(BaseModel):
    """The policy's answer; ``reason`` is written for the person who has to approve."""

    model_config = ConfigDict(frozen=True)
    verdict: Verdict
    rule: str
    reason: str


class GateOutcome(BaseModel):
    """What the gate finally did with one request."""

    model_config = ConfigDict(frozen=True)
    allowed: bool
    decision: GateDecision
    asked: bool = False
    approved: bool | None = None
    approved_by: str | None = None
    channel: str | None = None
    elapsed: float = 0.0
    pending_id: str | None = None
    note: str = ""

    @property
    def verdict(self) -> Verdict:
        return self.decision.verdict

    @property
    def rule(self) -> str:
        return self.decision.rule

    @property
    def reason(self) -> str:
        return self.decision.reason + (f" ({self.note})" if self.note else "")

    def as_record(self) -> dict[str, Any]:
        """The trajectory's view of it."""
        return {
            "allowed": self.allowed,
            "verdict": self.decision.verdict,
            "rule": self.decision.rule,
            "reason": self.decision.reason,
            "asked": self.asked,
            "approved": self.approved,
            "approved_by": self.approved_by,
            "channel": self.channel,
            "elapsed_ms": round(self.elapsed * 1000, 1),
            "note": self.note or None,
        }


_OPAQUE_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:(?!\d)", re.IGNORECASE)

_KEY_ALIASES = {
    "enter": "return",
    "kp_enter": "return",
    "ret": "return",
    "control": "ctrl",
    "ctl": "ctrl",
    "control_l": "ctrl",
    "control_r": "ctrl",
    "ctrl_l": "ctrl",
    "ctrl_r": "ctrl",
    "shift_l": "shift",
    "shift_r": "shift",
    "alt_l": "alt",
    "alt_r": "alt",
    "option": "alt",
    "win": "super",
    "super_l": "super",
    "super_r": "super",
    "cmd": "super",
    "command": "super",
    "esc": "escape",
    "del": "delete",
    "ins": "insert",
}


def normalise_key(key: str) -> str:
    k = key.strip().lower()
    return _KEY_ALIASES.get(k, k)


def normalise_app(app: str) -> str:
    a = app.strip().lower()
    for suffix in (".exe", ".desktop"):
        if a.endswith(suffix):
            a = a[: -len(suffix)]
    return a


def app_of_command(command: str) -> str:
    """``"/usr/bin/xterm -e top"`` -> ``"xterm"``."""
    try:
        words = shlex.split(command)
    except ValueError:
        words = command.split()
    if not words:
        return ""
    return normalise_app(words[0].replace("\\", "/").rsplit("/", 1)[-1])


def host_of(url: str | None) -> str | None:
    """The host of a URL, or of a bare ``example.com/path``; None when there is none."""
    if not url:
        return None
    text = url.strip()
    if "://" not in text and not text.startswith("//"):
        if _OPAQUE_SCHEME.match(text):  # about:blank, mailto:, javascript:, data:
            return None
        text = "//" + text
    try:
        host = urlsplit(text).hostname
    except ValueError:
        return None
    return host.rstrip(".").lower() if host else None
