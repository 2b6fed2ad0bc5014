"""Approval channels: the queue (daemon/tray), the terminal (a real pty), auto and deny-all."""

from __future__ import annotations

import io
import os
import pty
import threading
import time
from collections.abc import Iterator

import pytest
from rich.console import Console

from guiagent.actions import Click, Target, TypeText
from guiagent.gate.approvals import (
    NO_TERMINAL,
    AutoApproveChannel,
    CliApprovalChannel,
    DenyAllChannel,
    PendingApproval,
    QueueApprovalChannel,
)
from guiagent.gate.request import GateDecision, GateRequest
from guiagent.observation import Box, Element
from guiagent.redact import Redactor

CONFIRM = GateDecision(
    verdict="confirm", rule="r", reason="typing into a terminal can run commands"
)


def pending(timeout: float = 5.0, text: str = "ls -la", secret: bool = False) -> PendingApproval:
    request = GateRequest(action=TypeText(text=text, secret=secret), app="xterm")
    return PendingApproval.create(request, CONFIRM, timeout, run_id="run-1")


def test_pending_approval_is_serialisable_and_hides_secrets() -> None:
    p = pending(text="hunter2", secret=True)
    data = p.model_dump_json()
    assert "hunter2" not in data
    again = PendingApproval.model_validate_json(data)
    assert again == p
    assert "•••" in again.summary and "xterm" in again.summary
    assert again.run_id == "run-1" and again.action_type == "type_text"
    assert 0 < again.remaining() <= 5.0


def test_pending_summary_redacts_registered_secrets_typed_without_the_flag() -> None:
    redactor = Redactor(["hunter2"])
    element = Element(role="button", name="hunter2", box=Box.xywh(0, 0, 5, 5), source="ocr")
    request = GateRequest(action=Click(target=Target.at(1, 1)), element=element, app="x")
    p = PendingApproval.create(request, CONFIRM, 1.0, redactor=redactor)
    assert "hunter2" not in p.model_dump_json()


def test_auto_and_deny_all() -> None:
    assert AutoApproveChannel().ask(pending()) is True
    assert DenyAllChannel().ask(pending()) is False


def test_queue_times_out_to_deny() -> None:
    channel = QueueApprovalChannel()
    p = pending(timeout=0.2)
    start = time.monotonic()
    assert channel.ask(p) is False
    assert time.monotonic() - start >= 0.19
    assert channel.pending() == []
    assert channel.resolve(p.id, True) is False  # too late


def _ask_in_thread(
    channel: QueueApprovalChannel, p: PendingApproval
) -> tuple[threading.Thread, dict[str, bool]]:
    result: dict[str, bool] = {}
    thread = threading.Thread(target=lambda: result.update(answer=channel.ask(p)))
    thread.start()
    return thread, result


@pytest.mark.parametrize("approve", [True, False])
def test_queue_resolved_from_another_thread(approve: bool) -> None:
    channel = QueueApprovalChannel()
    p = pending(timeout=10)
    thread, result = _ask_in_thread(channel, p)
    seen = channel.wait_for_pending(5)
    assert seen is not None and seen.id == p.id
    assert channel.pending() == [p]
    assert channel.resolve("no-such-id", True) is False
    assert channel.resolve(p.id, approve, by="tray") is True
    assert channel.resolve(p.id, not approve) is False  # answered once
    thread.join(5)
    assert result["answer"] is approve
    assert channel.pending() == []
    assert channel.answered_by(p.id) == ("tray" if approve else None)


def test_channel_timeout_shortens_the_gates() -> None:
    channel = QueueApprovalChannel(timeout=0.1)
    start = time.monotonic()
    assert channel.ask(pending(timeout=30)) is False
    assert time.monotonic() - start < 5


def test_queue_notifies_and_survives_a_broken_notifier() -> None:
    seen: list[str] = []

    def notify(p: PendingApproval) -> None:
        seen.append(p.id)
        raise RuntimeError("tray crashed")

    channel = QueueApprovalChannel(notify=notify)
    assert channel.ask(pending(timeout=0.05)) is False
    assert len(seen) == 1


def test_queue_stops_waiting_when_told() -> None:
    stop = threading.Event()
    channel = QueueApprovalChannel(stop=stop.is_set, poll=0.02)
    threading.Timer(0.1, stop.set).start()
    start = time.monotonic()
    assert channel.ask(pending(timeout=30)) is False
    assert time.monotonic() - start < 5


# -- the terminal channel, against a real pseudo-terminal ----------------------------------


def _console() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, width=200, highlight=False), out


@pytest.fixture
def tty() -> Iterator[tuple[int, int]]:
    master, slave = pty.openpty()
    yield master, slave
    os.close(master)
    os.close(slave)


@pytest.mark.parametrize(
    ("answer", "expected"),
    [(b"y\n", True), (b"YES\n", True), (b"n\n", False), (b"\n", False), (b"whatever\n", False)],
)
def test_cli_reads_the_answer_from_the_tty(
    tty: tuple[int, int], answer: bytes, expected: bool
) -> None:
    master, slave = tty
    console, out = _console()
    channel = CliApprovalChannel(input_fd=slave, console=console)
    threading.Timer(0.2, lambda: os.write(master, answer)).start()
    assert channel.ask(pending(timeout=10)) is expected
    text = out.getvalue()
    assert "ls -la" in text and "typing into a terminal can run commands" in text
    assert "[y/N]" in text


def test_cli_times_out_to_deny(tty: tuple[int, int]) -> None:
    _, slave = tty
    console, out = _console()
    channel = CliApprovalChannel(input_fd=slave, console=console, poll=0.05)
    start = time.monotonic()
    assert channel.ask(pending(timeout=0.3)) is False
    assert 0.25 <= time.monotonic() - start < 5
    assert "no answer in 0.3s: denied" in out.getvalue()


def test_cli_discards_type_ahead(tty: tuple[int, int]) -> None:
    master, slave = tty
    os.write(master, b"y\n")  # typed before the question was shown
    time.sleep(0.05)
    console, _ = _console()
    channel = CliApprovalChannel(input_fd=slave, console=console, poll=0.05)
    assert channel.ask(pending(timeout=0.3)) is False


def test_cli_without_a_terminal_denies_and_says_why() -> None:
    read_end, write_end = os.pipe()
    try:
        console, out = _console()
        channel = CliApprovalChannel(input_fd=read_end, console=console)
        start = time.monotonic()
        assert channel.ask(pending(timeout=30)) is False
        assert time.monotonic() - start < 1
        assert NO_TERMINAL in out.getvalue()
        assert "--yes" in NO_TERMINAL
    finally:
        os.close(read_end)
        os.close(write_end)


def test_cli_with_pytest_replaced_stdin_denies() -> None:
    console, out = _console()
    assert CliApprovalChannel(console=console).ask(pending(timeout=30)) is False
    assert NO_TERMINAL in out.getvalue()


def test_cli_prints_no_secret(tty: tuple[int, int]) -> None:
    master, slave = tty
    console, out = _console()
    threading.Timer(0.1, lambda: os.write(master, b"n\n")).start()
    CliApprovalChannel(input_fd=slave, console=console).ask(
        pending(timeout=10, text="hunter2", secret=True)
    )
    assert "hunter2" not in out.getvalue()
