"""Whole commands and scripted tasks through the ``guiagent`` CLI, on real apps under Xvfb."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from guiagent.testing.x11 import wait_for_window

pytestmark = [pytest.mark.x11, pytest.mark.ocr, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]


def guiagent(
    *args: str, env: dict[str, str], tmp_path: Path, timeout: float = 180
) -> subprocess.CompletedProcess[str]:
    """Run the real CLI as a user would, with its state (audit, runs) under tmp_path."""
    full_env = {**env, "GUIAGENT_DATA_DIR": str(tmp_path / "state")}
    return subprocess.run(
        [sys.executable, "-m", "guiagent.cli.main", *args],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def _env(vdisplay: object) -> dict[str, str]:
    return vdisplay.child_env()  # type: ignore[attr-defined, no-any-return]


def test_galculator_adds_7_and_8(
    vdisplay: object, linux_driver: object, start_app: Callable, tmp_path: Path
) -> None:
    start_app(["galculator"])
    wait_for_window(linux_driver, "galculator", timeout=20)
    done = guiagent(
        "do", "click 7, click +, click 8, click =", env=_env(vdisplay), tmp_path=tmp_path
    )
    assert done.returncode == 0, done.stderr
    obs = linux_driver.observe()  # type: ignore[attr-defined]
    names = {el.name.strip() for el in obs.accessibility or []}
    assert "15" in names, sorted(names)[:40]


def test_tk_form_filled_and_submitted(
    vdisplay: object,
    linux_driver: object,
    start_app: Callable,
    tk_form_cmd: Callable,
    tmp_path: Path,
) -> None:
    cmd, out = tk_form_cmd("Tk Form")
    start_app(cmd)
    wait_for_window(linux_driver, "Tk Form", timeout=20)
    sentence = (
        "type 'Ana Lima' into Name, "  # the field Name labels, not the label
        "type 'ana@example.com' into the field next to Email, "
        "check Subscribe, click Submit"
    )
    done = guiagent("do", sentence, env=_env(vdisplay), tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    for _ in range(50):
        if out.exists():
            break
        time.sleep(0.1)
    form = json.loads(out.read_text())
    assert form["name"] == "Ana Lima"
    assert form["email"] == "ana@example.com"
    assert form["subscribe"] is True


def test_xterm_shell_line_creates_a_file(
    vdisplay: object, linux_driver: object, start_app: Callable, tmp_path: Path
) -> None:
    target = tmp_path / "made-by-guiagent.txt"
    # A known prompt, and none of the machine's shell start-up files (which can be slow).
    start_app(
        [
            "env",
            "PS1=ready> ",
            "xterm",
            "-geometry",
            "100x30+50+50",
            "-e",
            "bash",
            "--norc",
            "--noprofile",
        ]
    )
    wait_for_window(linux_driver, "xterm", timeout=20)
    sentence = f"wait for 'ready', type 'touch {target}' then press enter"
    # Typing into a terminal needs confirmation: with no terminal to ask on, it is refused...
    refused = guiagent("do", sentence, env=_env(vdisplay), tmp_path=tmp_path)
    assert refused.returncode == 1, refused.stderr
    assert "terminal" in refused.stderr.lower()
    assert not target.exists()
    # ...and --yes approves it.
    done = guiagent("do", "--yes", sentence, env=_env(vdisplay), tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    for _ in range(50):
        if target.exists():
            break
        time.sleep(0.1)
    assert target.exists()


MOUSEPAD_TEXT = "Grüße, 東京 — guiagent"


def _fresh_mousepad(linux_driver: object, start_app: Callable, tmp_path: Path) -> None:
    start_app(
        [
            "env",
            f"HOME={tmp_path}",
            f"XDG_CONFIG_HOME={tmp_path / 'cfg'}",
            "mousepad",
            "--disable-server",
        ]
    )
    wait_for_window(linux_driver, "mousepad", timeout=20)


def test_mousepad_type_and_save(
    vdisplay: object, linux_driver: object, start_app: Callable, tmp_path: Path
) -> None:
    _fresh_mousepad(linux_driver, start_app, tmp_path)
    path = tmp_path / "note.txt"
    sentence = (
        f"type '{MOUSEPAD_TEXT}', press ctrl+s, wait for 'Save As', "
        f"press ctrl+a, type '{path}', press enter, wait for 'Save As' to disappear"
    )
    done = guiagent("do", sentence, env=_env(vdisplay), tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert path.read_text(encoding="utf-8") == MOUSEPAD_TEXT


def test_mousepad_scripted_task(
    vdisplay: object, linux_driver: object, start_app: Callable, tmp_path: Path
) -> None:
    _fresh_mousepad(linux_driver, start_app, tmp_path)
    path = tmp_path / "scripted.txt"
    script = REPO / "tests" / "data" / "scripts" / "mousepad_save.yaml"
    done = guiagent(
        "run",
        str(script),
        "--param",
        f"text={MOUSEPAD_TEXT}",
        "--param",
        f"path={path}",
        env=_env(vdisplay),
        tmp_path=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert path.read_text(encoding="utf-8") == MOUSEPAD_TEXT


def test_sigint_cancels_the_run(vdisplay: object, tmp_path: Path) -> None:
    env = {**_env(vdisplay), "GUIAGENT_DATA_DIR": str(tmp_path / "state")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "guiagent.cli.main", "do", "wait 3 seconds, wait 3 seconds"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(2.0)
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    runs = list((tmp_path / "state" / "runs").glob("*/steps.jsonl"))
    assert runs and '"cancelled"' in runs[0].read_text()


# -- bad input ----------------------------------------------------------------------------
def test_unknown_form_lists_understood_forms(tmp_path: Path) -> None:
    done = guiagent("do", "frobnicate the widget", env=dict(os.environ), tmp_path=tmp_path)
    assert done.returncode == 2
    assert "frobnicate" in done.stderr and "click" in done.stderr and "type" in done.stderr


def test_no_display_says_how_to_fix(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    done = guiagent("do", "click OK", env=env, tmp_path=tmp_path)
    assert done.returncode == 2
    assert "--virtual-display" in done.stderr


def test_target_not_found_shows_closest(
    vdisplay: object, linux_driver: object, start_app: Callable, tmp_path: Path
) -> None:
    start_app(["galculator"])
    wait_for_window(linux_driver, "galculator", timeout=20)
    done = guiagent("do", "click Frobnicate", env=_env(vdisplay), tmp_path=tmp_path)
    assert done.returncode == 1
    assert "Frobnicate" in done.stderr and "closest" in done.stderr
    assert done.stderr.count("score=") == 3


def test_malformed_script_names_file_line_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nsteps:\n  - action: {type: wait, seconds: soon}\n")
    done = guiagent("run", str(bad), env=dict(os.environ), tmp_path=tmp_path)
    assert done.returncode == 2
    assert f"{bad}:3" in done.stderr and "seconds" in done.stderr
