"""The audit log: one JSON line per gate decision, approvals included, secrets redacted.

It answers "what did the agent do, or try to do, and who let it" after the fact, so it is
append-only, written before the action runs, and a failure to write it stops the action.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from guiagent.errors import SetupError
from guiagent.gate.request import GateOutcome, GateRequest
from guiagent.redact import Redactor


class AuditLog:
    """Appends JSON lines to ``path`` (created 0600, parent folders made), thread-safe."""

    def __init__(self, path: Path, redactor: Redactor | None = None) -> None:
        self.path = Path(path)
        self.redactor = redactor
        self._lock = threading.Lock()

    def write(self, entry: Mapping[str, Any]) -> None:
        """Append one entry, adding ``ts``; raises ``SetupError`` when the file is unwritable."""
        data: dict[str, Any] = {"ts": datetime.now(UTC).isoformat(timespec="milliseconds")}
        data.update(entry)
        if self.redactor is not None:
            data = self.redactor.redact_obj(data)
        line = json.dumps(data, ensure_ascii=False, default=str) + "\n"
        with self._lock:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
                with os.fdopen(fd, "a", encoding="utf-8") as fh:
                    fh.write(line)
            except OSError as exc:
                raise SetupError(
                    f"cannot write the gate's audit log {self.path}: {exc.strerror or exc}",
                    hint="set gate.audit_log in the config to a writable file",
                ) from exc

    def record(
        self, request: GateRequest, outcome: GateOutcome, *, run_id: str | None = None
    ) -> None:
        self.write(audit_entry(request, outcome, run_id=run_id))

    def read(self) -> list[dict[str, Any]]:
        """Every entry so far (for reports and tests)."""
        if not self.path.exists():
            return []
        with self.path.open(encoding="utf-8") as fh:
            return [json.loads(line) for line in fh if line.strip()]


def audit_entry(
    request: GateRequest, outcome: GateOutcome, *, run_id: str | None = None
) -> dict[str, Any]:
    """The audit fields of one decision. Secret typed text is already masked by ``describe``."""
    el = request.element
    return {
        "run_id": run_id,
        "action": request.summary(),
        "action_type": request.action.type,
        "target": f"{el.role} {el.name!r}" if el is not None else None,
        "app": request.app,
        "window_title": request.window_title,
        "url": _without_query(request.url),
        "verdict": outcome.decision.verdict,
        "rule": outcome.decision.rule,
        "reason": outcome.decision.reason,
        "asked": outcome.asked,
        "approved": outcome.approved,
        "approved_by": outcome.approved_by,
        "channel": outcome.channel,
        "allowed": outcome.allowed,
        "elapsed_ms": round(outcome.elapsed * 1000, 1),
        "pending_id": outcome.pending_id,
        "note": outcome.note or None,
    }


def _without_query(url: str | None) -> str | None:
    """Queries, fragments and user:password@ often carry tokens: keep scheme, host, path."""
    if not url:
        return url
    try:
        parts = urlsplit(url)
        netloc = (parts.hostname or "") + (f":{parts.port}" if parts.port else "")
    except ValueError:
        return None
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))
