"""Secret redaction for everything a run writes: logs, trajectories, the audit log, messages.

A ``Redactor`` holds the secret strings of one run (text typed with ``TypeText(secret=True)``,
task parameters marked secret) and replaces every occurrence with ``•••``. Escaped spellings
(``repr``/JSON) are registered too, so a secret inside a logged ``repr`` or a JSON string is
caught as well.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel

from guiagent.actions import Action, TypeText, describe

MASK = "•••"


class Redactor:
    """Thread-safe set of secrets; ``redact`` hides each one, longest first."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._lock = threading.Lock()
        self._secrets: set[str] = set()
        self._pattern: re.Pattern[str] | None = None
        for secret in secrets:
            self.add(secret)

    def add(self, secret: str) -> None:
        """Register a secret; empty strings are ignored (they would match everywhere)."""
        if not secret:
            return
        variants = {secret, repr(secret)[1:-1], json.dumps(secret)[1:-1]}
        variants.add(json.dumps(secret, ensure_ascii=False)[1:-1])
        with self._lock:
            before = len(self._secrets)
            self._secrets.update(v for v in variants if v)
            if len(self._secrets) != before:
                ordered = sorted(self._secrets, key=len, reverse=True)
                self._pattern = re.compile("|".join(re.escape(s) for s in ordered))

    def register_action(self, action: Action) -> None:
        """Remember the text of a ``TypeText(secret=True)`` before anything logs it."""
        if isinstance(action, TypeText) and action.secret:
            self.add(action.text)

    @property
    def active(self) -> bool:
        return self._pattern is not None

    def redact(self, text: str) -> str:
        pattern = self._pattern
        return pattern.sub(MASK, text) if pattern is not None else text

    def redact_obj(self, obj: Any) -> Any:
        """A JSON-ready copy of ``obj`` with secrets hidden in every nested string.

        Dicts, lists, tuples and pydantic models are walked; a secret ``TypeText`` found on the
        way has its text masked even before its secret was registered.
        """
        return self._walk(obj)

    def _walk(self, obj: Any) -> Any:
        if isinstance(obj, str):
            return self.redact(obj)
        if isinstance(obj, dict):
            return {self._walk(k): self._walk(v) for k, v in obj.items()}
        if isinstance(obj, list | tuple | set | frozenset):
            return [self._walk(v) for v in obj]
        if isinstance(obj, TypeText):
            return self._walk(action_record(obj))
        if isinstance(obj, BaseModel):
            return self._walk(obj.model_dump(mode="json"))
        return obj

    def describe(self, action: Action) -> str:
        """``guiagent.actions.describe`` with registered secrets hidden as well."""
        return self.redact(describe(action))

    def log_filter(self) -> RedactingFilter:
        return RedactingFilter(self)


def action_record(action: Action) -> dict[str, Any]:
    """An action as JSON-ready data, with the text of a secret ``TypeText`` masked."""
    data = action.model_dump(mode="json")
    if isinstance(action, TypeText) and action.secret:
        data["text"] = MASK
    return data


class RedactingFilter(logging.Filter):
    """Redacts a record's message, args and exception text.

    Attach it to *handlers*: a filter on a logger does not see records propagated from its
    children, a handler's filter sees every record it writes.
    """

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self.redactor = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        r = self.redactor
        if not r.active:
            return True
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: still never write the raw args
            message = f"{record.msg} {record.args!r}"
        record.msg = r.redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = r.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = r.redact(record.stack_info)
        return True
