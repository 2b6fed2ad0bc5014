"""The confirmation gate: policy, approvals, audit log and kill switch.

Every action passes ``Gate.check`` before a driver runs it; see ``default_policy.toml`` for the
built-in rules and the policy file format.
"""

from guiagent.gate.approvals import (
    ApprovalChannel,
    AutoApproveChannel,
    CliApprovalChannel,
    DenyAllChannel,
    PendingApproval,
    QueueApprovalChannel,
)
from guiagent.gate.audit import AuditLog
from guiagent.gate.gate import Gate
from guiagent.gate.killswitch import KillSwitch
from guiagent.gate.policy import Policy
from guiagent.gate.request import GateDecision, GateOutcome, GateRequest, Verdict

__all__ = [
    "ApprovalChannel",
    "AuditLog",
    "AutoApproveChannel",
    "CliApprovalChannel",
    "DenyAllChannel",
    "Gate",
    "GateDecision",
    "GateOutcome",
    "GateRequest",
    "KillSwitch",
    "PendingApproval",
    "Policy",
    "QueueApprovalChannel",
    "Verdict",
]
