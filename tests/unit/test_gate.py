"""The gate: deny is final, confirm asks, every decision is audited with secrets hidden."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from guiagent.actions import Click, Key, Target, TypeText, Wait
from guiagent.config import Config, GateConfig
from guiagent.errors import GateDenied, SetupError
from guiagent.gate import (
    AuditLog,
    AutoApproveChannel,
    DenyAllChannel,
    Gate,
    PendingApproval,
    Policy,
    QueueApprovalChannel,
)
from guiagent.gate.request import GateRequest
from guiagent.observation import Box, Element
from guiagent.redact import MASK, Redactor


class SpyChannel:
    """Records what it was asked; answers as told."""

    name = "spy"

    def __init__(self, answer: bool = True) -> None:
        self.answer = answer
        self.asked: list[PendingApproval] = []

    def ask(self, pending: PendingApproval) -> bool:
        self.asked.append(pending)
        return self.answer


class BrokenChannel:
    name = "broken"

    def ask(self, pending: PendingApproval) -> bool:
        raise RuntimeError("socket closed")


def gate(channel: object, tmp_path: Path, **kw: object) -> Gate:
    return Gate(Policy.builtin(), channel, AuditLog(tmp_path / "a" / "audit.jsonl"), 5.0, **kw)  # type: ignore[arg-type]


def typed(text: str, app: str = "xterm", secret: bool = False) -> GateRequest:
    return GateRequest(action=TypeText(text=text, secret=secret), app=app, window_title="Terminal")


def test_allow_runs_without_asking(tmp_path: Path) -> None:
    spy = SpyChannel()
    outcome = gate(spy, tmp_path).check(typed("hello", app="mousepad"))
    assert outcome.allowed and not outcome.asked and outcome.approved is None
    assert spy.asked == []


def test_yes_never_turns_a_deny_into_an_allow(tmp_path: Path) -> None:
    for channel in (AutoApproveChannel(), SpyChannel(answer=True)):
        g = gate(channel, tmp_path)
        outcome = g.check(typed("sudo rm -rf /"))
        assert not outcome.allowed
        assert outcome.verdict == "deny" and not outcome.asked
        with pytest.raises(GateDenied, match="recursively deleting"):
            g.enforce(typed("sudo rm -rf /"))
    assert channel.asked == []  # type: ignore[union-attr]


def test_yes_approves_a_confirm(tmp_path: Path) -> None:
    outcome = gate(AutoApproveChannel(), tmp_path).check(typed("ls -la"), run_id="r1")
    assert outcome.allowed and outcome.asked and outcome.approved
    assert outcome.approved_by == "auto (--yes)" and outcome.channel == "auto (--yes)"


def test_confirm_denied_by_the_person(tmp_path: Path) -> None:
    spy = SpyChannel(answer=False)
    outcome = gate(spy, tmp_path).check(typed("ls -la"))
    assert not outcome.allowed and outcome.asked and outcome.approved is False
    assert outcome.approved_by is None
    assert spy.asked[0].decision.rule == "confirm-terminal-typing"
    assert spy.asked[0].timeout == 5.0


def test_a_failing_channel_denies(tmp_path: Path) -> None:
    outcome = gate(BrokenChannel(), tmp_path).check(typed("ls"))
    assert not outcome.allowed
    assert "approval channel failed" in outcome.reason


def test_control_actions_pass(tmp_path: Path) -> None:
    assert gate(DenyAllChannel(), tmp_path).check(GateRequest(action=Wait(seconds=1))).allowed


def test_queue_timeout_denies_and_is_audited(tmp_path: Path) -> None:
    g = Gate(Policy.builtin(), QueueApprovalChannel(), AuditLog(tmp_path / "audit.jsonl"), 0.2)
    outcome = g.check(GateRequest(action=Key(key="Return"), app="xterm"))
    assert not outcome.allowed and outcome.asked
    assert "no answer within 0.2s" in outcome.reason
    (line,) = g.audit.read()  # type: ignore[union-attr]
    assert line["approved"] is False and line["allowed"] is False
    assert line["note"] == "no answer within 0.2s"


def test_queue_resolved_from_another_thread_allows(tmp_path: Path) -> None:
    channel = QueueApprovalChannel()
    states: list[str] = []
    g = Gate(
        Policy.builtin(),
        channel,
        AuditLog(tmp_path / "audit.jsonl"),
        10.0,
        on_pending=lambda p: states.append(p.id),
    )

    def approver() -> None:
        p = channel.wait_for_pending(5)
        assert p is not None
        channel.resolve(p.id, True, by="api:alice")

    thread = threading.Thread(target=approver)
    thread.start()
    outcome = g.check(typed("make test"), run_id="run-7")
    thread.join(5)
    assert outcome.allowed and outcome.approved_by == "api:alice" and outcome.channel == "queue"
    assert states == [outcome.pending_id]
    (line,) = g.audit.read()  # type: ignore[union-attr]
    assert line["run_id"] == "run-7" and line["approved_by"] == "api:alice"
    assert line["pending_id"] == outcome.pending_id


def test_every_decision_is_audited(tmp_path: Path) -> None:
    g = gate(SpyChannel(answer=True), tmp_path)
    element = Element(role="button", name="Delete", box=Box.xywh(0, 0, 9, 9), source="a11y")
    g.check(GateRequest(action=Click(target=Target.at(4, 4)), element=element, app="nautilus"))
    g.check(typed("rm -rf ~"), run_id="run-2")
    g.check(typed("hello", app="mousepad"))
    lines = AuditLog(tmp_path / "a" / "audit.jsonl").read()
    assert [line["verdict"] for line in lines] == ["confirm", "deny", "allow"]
    first, second, third = lines
    assert first["target"] == "button 'Delete'" and first["app"] == "nautilus"
    assert first["rule"] == "confirm-click-destroy" and first["approved"] is True
    assert first["channel"] == "spy" and first["allowed"] is True
    assert "clicking 'Delete'" in first["reason"]
    assert second["run_id"] == "run-2" and second["allowed"] is False and not second["asked"]
    assert third["rule"] == "default"
    for line in lines:
        assert {"ts", "action", "verdict", "rule", "reason", "approved", "channel"} <= set(line)


def test_audit_hides_secrets_and_url_tokens(tmp_path: Path) -> None:
    redactor = Redactor()
    g = gate(SpyChannel(answer=True), tmp_path, redactor=redactor)
    g.check(typed("hunter2", secret=True))
    assert redactor.redact("pw hunter2") == f"pw {MASK}"  # the gate registered it
    # the same secret later typed without the flag is still hidden
    g.check(typed("echo hunter2"))
    g.check(
        GateRequest(
            action=Click(target=Target.at(1, 1)),
            url="https://user:pw@shop.example/cart?token=abc#frag",
        )
    )
    text = (tmp_path / "a" / "audit.jsonl").read_text()
    assert "hunter2" not in text
    assert "token=abc" not in text and "user:pw" not in text
    assert "https://shop.example/cart" in text
    assert text.count(MASK) >= 2


def test_audit_log_is_private_and_thread_safe(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "deep" / "er" / "audit.jsonl")

    def writer(i: int) -> None:
        for k in range(50):
            log.write({"n": i, "k": k})

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lines = log.path.read_text().splitlines()
    assert len(lines) == 400
    assert all(json.loads(line)["ts"] for line in lines)
    assert log.path.stat().st_mode & 0o777 == 0o600


def test_unwritable_audit_log_stops_the_action(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    g = Gate(Policy.builtin(), AutoApproveChannel(), AuditLog(blocker / "audit.jsonl"))
    with pytest.raises(SetupError, match="audit log"):
        g.check(typed("hello", app="mousepad"))


@pytest.fixture
def no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GUIAGENT_CONFIG", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for name in ("GUIAGENT_GATE__POLICY", "GUIAGENT_GATE__AUDIT_LOG", "GUIAGENT_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.usefixtures("no_user_config")
def test_from_config_uses_the_policy_file_and_audit_path(tmp_path: Path) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text(
        'extends = "default"\n[[rule]]\nname = "no-calc"\nverdict = "deny"\n'
        'reason = "not today"\napps = ["galculator"]\n'
    )
    config = Config(
        data_dir=tmp_path / "data",
        gate=GateConfig(policy=policy, confirm_timeout=3.0),
    )
    g = Gate.from_config(config, DenyAllChannel())
    assert g.timeout == 3.0
    assert g.check(typed("7", app="galculator")).rule == "no-calc"
    assert (tmp_path / "data" / "audit.jsonl").exists()


@pytest.mark.usefixtures("no_user_config")
def test_from_config_defaults_to_the_builtin_policy(tmp_path: Path) -> None:
    config = Config(data_dir=tmp_path, gate=GateConfig(audit_log=tmp_path / "x" / "log.jsonl"))
    g = Gate.from_config(config, DenyAllChannel())
    assert g.policy is Policy.builtin()
    assert g.check(typed("ls")).verdict == "confirm"
    assert (tmp_path / "x" / "log.jsonl").exists()


def test_outcome_record_for_the_trajectory(tmp_path: Path) -> None:
    record = gate(AutoApproveChannel(), tmp_path).check(typed("ls")).as_record()
    assert record["verdict"] == "confirm" and record["allowed"] is True
    json.dumps(record)
