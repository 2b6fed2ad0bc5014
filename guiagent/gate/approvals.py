"""Confirmations: a serialisable ``PendingApproval`` and the channels that resolve one.

A channel answers ``ask(pending) -> bool``: True approves, False denies, and no answer within
``pending.timeout`` seconds denies. Channels only ever answer confirm verdicts; turning a deny
into an allow is impossible because the gate never asks about a deny.
"""

from __future__ import annotations

import logging
import os
import select
import sys
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field
from rich.console import Console

from guiagent.gate.request import GateDecision, GateRequest
from guiagent.redact import Redactor

log = logging.getLogger(__name__)

StopCheck = Callable[[], bool]


class PendingApproval(BaseModel):
    """One confirmation waiting for a person; holds a summary, never secret text."""

    model_config = ConfigDict(frozen=True)
    id: str = Field(default_factory=lambda: uuid.uuid4().hex[:12])
    summary: str
    action_type: str
    app: str | None = None
    target: str | None = None
    decision: GateDecision
    created: float = Field(default_factory=time.time)
    timeout: float
    run_id: str | None = None

    @classmethod
    def create(
        cls,
        request: GateRequest,
        decision: GateDecision,
        timeout: float,
        *,
        run_id: str | None = None,
        redactor: Redactor | None = None,
    ) -> PendingApproval:
        el = request.element
        target = f"{el.role} {el.name!r}" if el is not None and el.name else None
        summary = request.summary()
        if redactor is not None:
            summary = redactor.redact(summary)
            target = redactor.redact(target) if target else None
            decision = decision.model_copy(update={"reason": redactor.redact(decision.reason)})
        return cls(
            summary=summary,
            action_type=request.action.type,
            app=request.app,
            target=target,
            decision=decision,
            timeout=timeout,
            run_id=run_id,
        )

    @property
    def expires_at(self) -> float:
        return self.created + self.timeout

    def remaining(self) -> float:
        return max(0.0, self.expires_at - time.time())


class ApprovalChannel(Protocol):
    """Where a confirmation is asked: a terminal, the daemon API, the tray, a test."""

    name: str

    def ask(self, pending: PendingApproval) -> bool: ...


@runtime_checkable
class KnowsApprover(Protocol):
    """A channel that can say who answered (``"tray"``, ``"api:alice"``)."""

    def answered_by(self, pending_id: str) -> str | None: ...


def _effective_timeout(pending: PendingApproval, channel_timeout: float | None) -> float:
    """The shorter of the gate's timeout (carried by the pending approval) and the channel's."""
    return pending.timeout if channel_timeout is None else min(pending.timeout, channel_timeout)


class AutoApproveChannel:
    """``--yes``: approves what the policy asks about. Denies stay denies (the gate's job)."""

    name = "auto (--yes)"

    def ask(self, pending: PendingApproval) -> bool:
        return True


class DenyAllChannel:
    """Nobody to ask: every confirmation is denied."""

    name = "deny-all"

    def ask(self, pending: PendingApproval) -> bool:
        return False


class _Slot:
    def __init__(self, pending: PendingApproval) -> None:
        self.pending = pending
        self.answer: bool | None = None
        self.by: str | None = None


class QueueApprovalChannel:
    """Pending approvals another thread (daemon API, tray, a test) lists and resolves."""

    name = "queue"

    def __init__(
        self,
        *,
        timeout: float | None = None,
        notify: Callable[[PendingApproval], None] | None = None,
        stop: StopCheck | None = None,
        poll: float = 0.2,
    ) -> None:
        self.timeout = timeout
        self._cond = threading.Condition()
        self._slots: dict[str, _Slot] = {}
        self._answered: OrderedDict[str, str | None] = OrderedDict()
        self._notify = notify
        self._stop = stop
        self._poll = poll

    def ask(self, pending: PendingApproval) -> bool:
        slot = _Slot(pending)
        with self._cond:
            self._slots[pending.id] = slot
            self._cond.notify_all()
        if self._notify is not None:
            try:
                self._notify(pending)
            except Exception:  # a broken notifier must not approve or hang anything
                log.exception("approval notifier failed")
        deadline = time.monotonic() + _effective_timeout(pending, self.timeout)
        with self._cond:
            try:
                while slot.answer is None:
                    left = deadline - time.monotonic()
                    if left <= 0 or (self._stop is not None and self._stop()):
                        break
                    self._cond.wait(min(left, self._poll) if self._stop else left)
            finally:
                del self._slots[pending.id]
            if slot.answer:
                self._answered[pending.id] = slot.by
                while len(self._answered) > 256:
                    self._answered.popitem(last=False)
        return bool(slot.answer)

    def pending(self) -> list[PendingApproval]:
        with self._cond:
            return [s.pending for s in self._slots.values() if s.answer is None]

    def resolve(self, approval_id: str, approve: bool, *, by: str | None = None) -> bool:
        """Answer one; False when no such approval is waiting (unknown, answered, timed out)."""
        with self._cond:
            slot = self._slots.get(approval_id)
            if slot is None or slot.answer is not None:
                return False
            slot.answer = bool(approve)
            slot.by = by
            self._cond.notify_all()
            return True

    def wait_for_pending(self, timeout: float) -> PendingApproval | None:
        """The oldest waiting approval, waiting up to ``timeout`` seconds for one to appear."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                waiting = [s.pending for s in self._slots.values() if s.answer is None]
                left = deadline - time.monotonic()
                if waiting or left <= 0:
                    return waiting[0] if waiting else None
                self._cond.wait(left)

    def answered_by(self, pending_id: str) -> str | None:
        with self._cond:
            return self._answered.get(pending_id)


NO_TERMINAL = "no terminal to confirm; use --yes to approve what the policy asks about"


class CliApprovalChannel:
    """Asks on the terminal: prints to stderr, reads y/N from the tty with a timeout.

    Never blocks past the timeout (``select`` in short slices, so ``stop`` — e.g. a tripped
    kill switch — ends the wait early). Type-ahead is discarded before asking, so a "y" typed
    earlier cannot approve an action the person has not seen.
    """

    name = "cli"

    def __init__(
        self,
        *,
        timeout: float | None = None,
        input_fd: int | None = None,
        console: Console | None = None,
        stop: StopCheck | None = None,
        poll: float = 0.2,
    ) -> None:
        self.timeout = timeout
        self._fd = input_fd
        self._console = console or Console(stderr=True, highlight=False)
        self._stop = stop
        self._poll = poll

    def ask(self, pending: PendingApproval) -> bool:
        say = self._say
        fd = self._input_fd()
        if fd is None or not os.isatty(fd):
            say(f"guiagent: denied {pending.summary}: {NO_TERMINAL}")
            return False
        d = pending.decision
        timeout = _effective_timeout(pending, self.timeout)
        say(f"guiagent wants to: {pending.summary}")
        say(f"  why it asks: {d.reason}  [rule {d.rule}]")
        say(f"  approve? [y/N] (no answer in {timeout:g}s denies): ", end="")
        answer = self._read_line(fd, timeout)
        if answer is None:
            say("")
            say(f"  no answer in {timeout:g}s: denied")
            return False
        approved = answer.strip().lower() in ("y", "yes")
        say("  approved" if approved else "  denied")
        return approved

    def _say(self, text: str, end: str = "\n") -> None:
        self._console.print(text, end=end, markup=False, highlight=False, soft_wrap=True)

    def _input_fd(self) -> int | None:
        if self._fd is not None:
            return self._fd
        try:
            return sys.stdin.fileno() if sys.stdin is not None else None
        except (AttributeError, ValueError, OSError):  # pytest or an IDE replaced stdin
            return None

    def _stopped(self) -> bool:
        return self._stop is not None and self._stop()

    def _read_line(self, fd: int, timeout: float) -> str | None:
        deadline = time.monotonic() + timeout
        if sys.platform == "win32":
            return _read_console_windows(deadline, self._stopped)
        _discard_typeahead(fd)
        buf = b""
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or self._stopped():
                return None
            ready, _, _ = select.select([fd], [], [], min(left, self._poll))
            if not ready:
                continue
            chunk = os.read(fd, 1024)
            if not chunk:  # end of input: nobody will answer
                return None
            buf += chunk
            if b"\n" in buf or b"\r" in buf:
                return buf.replace(b"\r", b"\n").split(b"\n", 1)[0].decode(errors="replace")


def _discard_typeahead(fd: int) -> None:
    if sys.platform == "win32":
        return
    try:
        import termios

        termios.tcflush(fd, termios.TCIFLUSH)
    except (ImportError, OSError):
        pass


def _read_console_windows(deadline: float, stopped: StopCheck) -> str | None:
    """Windows consoles do not work with ``select``: poll the keyboard instead."""
    import msvcrt

    while msvcrt.kbhit():  # type: ignore[attr-defined]
        msvcrt.getwch()  # type: ignore[attr-defined]
    chars: list[str] = []
    while time.monotonic() < deadline and not stopped():
        if not msvcrt.kbhit():  # type: ignore[attr-defined]
            time.sleep(0.05)
            continue
        ch = msvcrt.getwche()  # type: ignore[attr-defined]
        if ch in ("\r", "\n"):
            return "".join(chars)
        chars.append(ch)
    return None
