"""The gate every action passes before a driver runs it.

Allow runs; deny is final and no channel is ever consulted about it (so ``--yes`` cannot turn a
deny into an allow); confirm asks the approval channel, and anything but a clear yes in time —
a no, a timeout, a channel that fails — denies. Every decision goes to the audit log first.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from guiagent.config import Config
from guiagent.errors import GateDenied
from guiagent.gate.approvals import ApprovalChannel, KnowsApprover, PendingApproval
from guiagent.gate.audit import AuditLog, audit_entry
from guiagent.gate.policy import Policy
from guiagent.gate.request import GateDecision, GateOutcome, GateRequest
from guiagent.redact import Redactor

log = logging.getLogger(__name__)


class Gate:
    def __init__(
        self,
        policy: Policy,
        channel: ApprovalChannel,
        audit: AuditLog | None,
        timeout: float = 60.0,
        *,
        redactor: Redactor | None = None,
        on_pending: Callable[[PendingApproval], None] | None = None,
    ) -> None:
        self.policy = policy
        self.channel = channel
        self.audit = audit
        self.timeout = timeout
        self.redactor = redactor
        self.on_pending = on_pending

    @classmethod
    def from_config(
        cls,
        config: Config,
        channel: ApprovalChannel,
        *,
        redactor: Redactor | None = None,
        on_pending: Callable[[PendingApproval], None] | None = None,
    ) -> Gate:
        """The policy at ``gate.policy`` (built-in if unset), the audit log at its config path."""
        path = config.gate.policy
        policy = Policy.from_file(path.expanduser()) if path is not None else Policy.builtin()
        return cls(
            policy,
            channel,
            AuditLog(config.audit_log_path.expanduser(), redactor),
            config.gate.confirm_timeout,
            redactor=redactor,
            on_pending=on_pending,
        )

    def decide(self, request: GateRequest) -> GateDecision:
        """The policy's verdict alone: nobody asked, nothing written."""
        return self.policy.evaluate(request)

    def check(self, request: GateRequest, *, run_id: str | None = None) -> GateOutcome:
        """Decide, ask when the policy says confirm, audit, and say whether the action may run."""
        start = time.monotonic()
        if self.redactor is not None:
            self.redactor.register_action(request.action)
        decision = self.policy.evaluate(request)
        if decision.verdict != "confirm":
            outcome = GateOutcome(
                allowed=decision.verdict == "allow",
                decision=decision,
                elapsed=time.monotonic() - start,
            )
            self._audit(request, outcome, run_id)
            return outcome
        pending = PendingApproval.create(
            request, decision, self.timeout, run_id=run_id, redactor=self.redactor
        )
        approved, note = False, ""
        try:
            if self.on_pending is not None:
                self.on_pending(pending)
            approved = self.channel.ask(pending) is True
        except Exception as exc:  # fail closed: a broken channel denies
            log.exception("approval channel %s failed", self.channel.name)
            note = f"approval channel failed: {type(exc).__name__}"
        except BaseException:  # Ctrl+C while asking: record the refusal, then let it go on
            self._audit(
                request, self._asked(decision, pending, False, start, "interrupted"), run_id
            )
            raise
        limit = _answer_limit(self.timeout, self.channel)
        if not approved and not note and time.monotonic() - start >= limit:
            note = f"no answer within {limit:g}s"
        outcome = self._asked(decision, pending, approved, start, note)
        self._audit(request, outcome, run_id)
        return outcome

    def enforce(self, request: GateRequest, *, run_id: str | None = None) -> GateOutcome:
        """``check``, raising ``GateDenied`` when the action may not run."""
        outcome = self.check(request, run_id=run_id)
        if not outcome.allowed:
            raise GateDenied(f"the gate refused: {request.summary()} — {outcome.reason}")
        return outcome

    def _asked(
        self,
        decision: GateDecision,
        pending: PendingApproval,
        approved: bool,
        start: float,
        note: str,
    ) -> GateOutcome:
        by: str | None = None
        if approved:
            if isinstance(self.channel, KnowsApprover):
                by = self.channel.answered_by(pending.id)
            by = by or self.channel.name
        return GateOutcome(
            allowed=approved,
            decision=decision,
            asked=True,
            approved=approved,
            approved_by=by,
            channel=self.channel.name,
            elapsed=time.monotonic() - start,
            pending_id=pending.id,
            note=note,
        )

    def _audit(self, request: GateRequest, outcome: GateOutcome, run_id: str | None) -> None:
        if self.audit is None:
            return
        entry = audit_entry(request, outcome, run_id=run_id)
        self.audit.write(self.redactor.redact_obj(entry) if self.redactor else entry)


def _answer_limit(timeout: float, channel: ApprovalChannel) -> float:
    """The gate's timeout, or a channel's own shorter one (``QueueApprovalChannel(timeout=)``)."""
    own = getattr(channel, "timeout", None)
    return min(timeout, float(own)) if isinstance(own, int | float) else timeout
