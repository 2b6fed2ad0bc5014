"""``guiagent eval run`` end to end on real Xvfb + xterm: a shipped desktop task, a broken
file, a task needing the network, a hung task killed by the timeout with nothing left behind,
resuming, a gate denial recorded, and report.html read back in headless Chromium."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from guiagent.cli.main import main
from guiagent.platforms.linux.xvfb import _descendants, _stat

pytestmark = [pytest.mark.x11, pytest.mark.slow]

SUITE = Path(__file__).resolve().parents[2] / "guiagent/evaluation/suites/desktop"
MARK = "guiagent-eval-hang-4242"


def _tasks(folder: Path) -> Path:
    folder.mkdir()
    shutil.copy(SUITE / "xterm-echo-to-file.json", folder)
    (folder / "broken.json").write_text('{"id": "broken", "instruction": "x"}')
    net = json.loads((SUITE / "xterm-echo-to-file.json").read_text())
    net["id"] = "needs-net"
    net["config"] = [
        {"type": "download", "parameters": {"files": [{"url": "https://h.test/a", "path": "a"}]}}
    ]
    (folder / "needs-net.json").write_text(json.dumps(net))
    hang = json.loads((SUITE / "xterm-echo-to-file.json").read_text())
    hang.update(id="hangs", instruction="wait 60 seconds")
    hang["config"] = [{"type": "launch", "parameters": {"command": _sleeper(MARK)}}]
    (folder / "hangs.json").write_text(json.dumps(hang))
    return folder


def _sleeper(mark: str) -> list[str]:
    """A long-lived process whose command line carries ``mark`` (sh waits for its sleep)."""
    return ["sh", "-c", "sleep 999; true", mark]


def _survivors(below: dict[int, str], groups: set[int]) -> list[int]:
    """Processes still running that were below the run, or are in their process groups (a
    D-Bus-activated service leaves the tree but not the group)."""
    left = []
    for entry in filter(str.isdigit, os.listdir("/proc")):
        info = _stat(entry)
        if info is None:
            continue
        pid = int(entry)
        try:
            group = os.getpgid(pid)
        except OSError:
            continue
        if below.get(pid) == info[1] or group in groups:
            left.append(pid)
    return left


def _alive(mark: str) -> bool:
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if mark in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace"):
                return True
        except OSError:
            continue
    return False


def test_eval_run_resume_and_report(tmp_path: Path) -> None:
    tasks, out = _tasks(tmp_path / "tasks"), tmp_path / "out"
    argv = ["eval", "run", str(tasks), "--workers", "2", "--yes", "--out", str(out)]
    assert main([*argv, "--timeout", "25"]) == 0
    data = json.loads((out / "results.json").read_text())
    by_id = {t["id"]: t for t in data["tasks"]}
    assert by_id["xterm-echo-to-file"]["status"] == "ran"
    assert by_id["xterm-echo-to-file"]["score"] == 1.0
    assert by_id["needs-net"]["status"] == "skipped"
    assert by_id["needs-net"]["skip_reason"] == "needs network: downloads https://h.test/a"
    assert by_id["broken"]["status"] == "error" and "evaluator" in by_id["broken"]["error"]
    assert by_id["hangs"]["status"] == "error" and "timed out" in by_id["hangs"]["error"]
    assert not _alive(MARK)
    assert data["summary"]["all"] == {**data["summary"]["all"], "tasks": 4, "ran": 1}

    before = (out / "tasks/xterm-echo-to-file/result.json").stat().st_mtime_ns
    assert main(argv) == 0  # resumes: nothing left to run
    assert (out / "tasks/xterm-echo-to-file/result.json").stat().st_mtime_ns == before

    _check_report(out / "report.html")


def _check_report(report: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True)
        try:
            page = browser.new_page()
            page.goto(report.as_uri())
            assert "tasks\t4\t1\t1\t2" in page.inner_text("#summary")
            task = page.locator('section[id="xterm-echo-to-file"]')
            assert "score 1" in task.inner_text()
            steps = task.locator(".step")
            assert steps.count() >= 3
            assert "echo hello" in task.locator("svg text.typed").first.text_content()
            assert "approved by auto (--yes)" in task.inner_text()
            loaded = page.evaluate(
                "() => [...document.images].every(i => i.complete && i.naturalWidth > 0)"
            )
            assert loaded
            skipped = page.locator('section[id="needs-net"]').inner_text()
            assert "skipped: needs network" in skipped
        finally:
            browser.close()


def test_without_yes_the_gate_denies_and_the_denial_is_recorded(tmp_path: Path) -> None:
    tasks = tmp_path / "tasks"
    tasks.mkdir()
    shutil.copy(SUITE / "xterm-echo-to-file.json", tasks)
    out = tmp_path / "out"
    assert main(["eval", "run", str(tasks), "--out", str(out), "--max-steps", "5"]) == 0
    result = json.loads((out / "results.json").read_text())["tasks"][0]
    assert result["status"] == "ran" and result["score"] == 0.0
    assert "gate refused" in result["error"]
    lines = (Path(result["trajectory"]) / "steps.jsonl").read_text().splitlines()
    gates = [json.loads(line).get("gate") for line in lines]
    assert any(g and g["asked"] and g["approved"] is False for g in gates)
    assert "denied" in (out / "report.html").read_text()


def test_a_killed_run_leaves_nothing_behind_and_resumes(tmp_path: Path) -> None:
    """SIGKILL to ``eval run`` (no chance to clean up): its worker follows, ending the task's
    display and apps; the rerun keeps finished results and reruns the interrupted task."""
    import signal
    import subprocess
    import sys
    import time

    tasks, out = tmp_path / "tasks", tmp_path / "out"
    tasks.mkdir()
    shutil.copy(SUITE / "xterm-echo-to-file.json", tasks)
    mark = f"{MARK}-killed"
    hang = json.loads((SUITE / "xterm-echo-to-file.json").read_text())
    hang.update(id="zz-hangs", instruction="wait 60 seconds")
    hang["config"] = [{"type": "launch", "parameters": {"command": _sleeper(mark)}}]
    (tasks / "zz-hangs.json").write_text(json.dumps(hang))
    argv = ["eval", "run", str(tasks), "--workers", "1", "--yes", "--out", str(out)]
    proc = subprocess.Popen(
        [sys.executable, "-m", "guiagent.cli.main", *argv, "--timeout", "120"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 90
        while not _alive(mark):
            assert proc.poll() is None and time.monotonic() < deadline, "the hang never started"
            time.sleep(0.2)
        below = _descendants({proc.pid})  # the worker, its Xvfb, D-Bus, window manager, app
        groups = {os.getpgid(pid) for pid in below} - {os.getpgid(proc.pid)}
        assert len(below) >= 4
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        deadline = time.monotonic() + 15
        while _survivors(below, groups) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _survivors(below, groups), "the task's processes outlived the killed run"
        assert not _alive(mark)
    finally:
        if proc.poll() is None:
            proc.kill()
    finished = out / "tasks/xterm-echo-to-file/result.json"
    assert finished.exists() and not (out / "tasks/zz-hangs/result.json").exists()
    before = finished.stat().st_mtime_ns

    assert main([*argv, "--timeout", "15"]) == 0  # resumes: only the interrupted task runs
    assert finished.stat().st_mtime_ns == before
    by_id = {t["id"]: t for t in json.loads((out / "results.json").read_text())["tasks"]}
    assert by_id["xterm-echo-to-file"]["score"] == 1.0
    assert by_id["zz-hangs"]["status"] == "error" and "timed out" in by_id["zz-hangs"]["error"]
    assert not _alive(mark)


def test_llm_agents_run_a_task_through_an_openai_compatible_endpoint(tmp_path: Path) -> None:
    """``--agent llm``: the workers' planner, decision and reflection agents talk to a local
    OpenAI-compatible server (answering from a script), and the task is scored as any other."""
    from guiagent.testing.chat_server import ScriptedChatServer

    tasks, out = tmp_path / "tasks", tmp_path / "out"
    tasks.mkdir()
    shutil.copy(SUITE / "xterm-echo-to-file.json", tasks)
    answers = {
        "Plan": [{"subgoals": [{"text": "run the echo line in the terminal"}]}],
        "Decision": [
            {"thought": "no terminal yet", "actions": [{"type": "open_app", "name": "xterm"}]},
            {
                "thought": "the terminal is open and focused",
                "actions": [
                    {"type": "type_text", "text": "echo hello > ~/hello.txt"},
                    {"type": "key", "key": "Return"},
                ],
                "subgoal_done": True,
            },
            {"actions": [{"type": "done", "message": "the line ran"}]},
        ],
        "Reflection": [{"outcome": "succeeded", "reason": "the prompt came back"}] * 3,
    }
    with ScriptedChatServer(answers) as server:
        argv = ["eval", "run", str(tasks), "--agent", "llm", "--base-url", server.url,
                "--model", "scripted", "--yes", "--out", str(out), "--timeout", "120"]  # fmt: skip
        assert main(argv) == 0
        decisions = server.asked("Decision")
    (task,) = json.loads((out / "results.json").read_text())["tasks"]
    assert task["status"] == "ran" and task["score"] == 1.0, task
    assert task["tokens"] and task["tokens"] >= 2000  # the server's usage, summed per task
    assert len(decisions) == 3
    first = decisions[0]["messages"][-1]["content"]
    assert any(part.get("type") == "image_url" for part in first)  # the screen was sent
    lines = [json.loads(x) for x in next(out.rglob("steps.jsonl")).read_text().splitlines()]
    typed = [x for x in lines if x.get("action", {}).get("type") == "type_text"]
    assert typed and typed[0]["gate"]["verdict"] == "confirm"  # terminal typing asked, --yes


def test_llm_agents_without_an_endpoint_stop_before_any_task(tmp_path: Path) -> None:
    tasks = tmp_path / "tasks"
    tasks.mkdir()
    shutil.copy(SUITE / "xterm-echo-to-file.json", tasks)
    argv = ["eval", "run", str(tasks), "--agent", "llm", "--base-url", "http://127.0.0.1:9/v1",
            "--out", str(tmp_path / "out")]  # fmt: skip
    assert main(argv) == 2
    assert not (tmp_path / "out" / "tasks").exists()
