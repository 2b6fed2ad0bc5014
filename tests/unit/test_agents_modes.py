"""``do --agent auto|command|llm``: which agent a sentence gets, and the one clear message when
no model endpoint is configured or reachable."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pytest

from guiagent.cli import commands
from guiagent.cli.main import main


@pytest.fixture(autouse=True)
def no_endpoint(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "GUIAGENT_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("GUIAGENT_DATA_DIR", str(tmp_path / "state"))


@pytest.fixture
def routed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Which runner ``do`` picked, without starting a display."""
    seen: list[str] = []

    def steps(args: argparse.Namespace, out: Any, task: str, *a: Any, **k: Any) -> int:
        seen.append("command")
        return 0

    def llm(args: argparse.Namespace, out: Any, config: Any) -> int:
        seen.append(f"llm {config.models.base_url} {config.models.model}")
        return 0

    monkeypatch.setattr(commands, "_run_steps", steps)
    monkeypatch.setattr(commands, "_run_llm", llm)
    return seen


def test_llm_without_endpoint_fails_at_once_with_how_to_configure(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["do", "--agent", "llm", "find the invoice"]) == 2
    err = capsys.readouterr().err
    assert "no model endpoint is configured" in err
    assert "--base-url" in err and "OPENAI_BASE_URL" in err


def test_llm_with_an_unreachable_endpoint_fails_at_start(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["do", "--agent", "llm", "--base-url", "http://127.0.0.1:9/v1", "x"])
    assert code == 2
    assert "cannot reach the model endpoint http://127.0.0.1:9/v1" in capsys.readouterr().err


def test_auto_uses_command_mode_when_the_sentence_parses(routed: list[str]) -> None:
    assert main(["do", "click OK"]) == 0
    assert routed == ["command"]


def test_auto_falls_back_to_the_llm_agents(routed: list[str]) -> None:
    args = ["do", "--base-url", "http://h:1/v1", "--model", "m", "find last month's invoice"]
    assert main(args) == 0
    assert routed == ["llm http://h:1/v1 m"]


def test_auto_without_endpoint_keeps_the_parse_error(
    routed: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["do", "find last month's invoice"]) == 2
    err = capsys.readouterr().err
    assert "for the LLM agents, configure an OpenAI-compatible endpoint" in err
    assert routed == []


def test_command_mode_never_uses_a_model(
    routed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://h:1/v1")
    assert main(["do", "--agent", "command", "find last month's invoice"]) == 2
    assert main(["do", "--agent", "llm", "click OK"]) == 0
    assert routed == ["llm None None"]  # OPENAI_BASE_URL is read when models are built
