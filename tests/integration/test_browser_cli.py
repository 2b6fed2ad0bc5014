"""``--platform browser`` on the CLI: the real command line in a subprocess, a headless
Chromium of its own, pages served by a real http.server on 127.0.0.1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from guiagent.platforms.browser.localserver import StaticServer

pytestmark = [pytest.mark.browser, pytest.mark.ocr]

WEB = Path(__file__).resolve().parent.parent / "data" / "web"


@pytest.fixture
def web() -> Iterator[StaticServer]:
    with StaticServer(WEB) as server:
        yield server


def guiagent(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GUIAGENT_DATA_DIR": str(tmp_path / "data")}
    env.pop("GUIAGENT_CONFIG", None)
    return subprocess.run(
        [sys.executable, "-m", "guiagent.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=180,
        stdin=subprocess.DEVNULL,
        env=env,
    )


def test_screenshot_and_perceive_a_page(tmp_path: Path, web: StaticServer) -> None:
    shot = tmp_path / "page.png"
    url = web.url("form.html")
    done = guiagent(tmp_path, "screenshot", str(shot), "--platform", "browser", "--url", url)
    assert done.returncode == 0, done.stderr
    assert Image.open(shot).size == (1280, 800)
    done = guiagent(
        tmp_path, "perceive", "--screen", "--json", "--platform", "browser", "--url", url
    )
    assert done.returncode == 0, done.stderr
    found = {(el["role"], el["name"]) for el in json.loads(done.stdout)["elements"]}
    assert {("button", "Go"), ("text_field", "Name"), ("combo_box", "Fruit")} <= found


def test_do_logs_in_and_keeps_the_password_out_of_the_trajectory(
    tmp_path: Path, web: StaticServer
) -> None:
    sentence = (
        "type 'ana' into the field next to Username, type password 's3cret' into Password, "
        "check 'Remember me', click 'Log in'"
    )
    runs = tmp_path / "runs"
    done = guiagent(
        tmp_path,
        "do",
        sentence,
        "--agent",
        "command",
        "--platform",
        "browser",
        "--url",
        web.url("login.html"),
        "--yes",
        "--out",
        str(runs),
        "--json",
    )
    assert done.returncode == 0, done.stderr
    posts = web.posts("/login")
    assert [p.form for p in posts] == [
        {"username": ["ana"], "password": ["s3cret"], "remember": ["yes"]}
    ]
    assert "s3cret" not in done.stdout + done.stderr
    written = [p for p in runs.rglob("*") if p.is_file() and p.suffix != ".png"]
    assert written
    written.append(tmp_path / "data" / "audit.jsonl")
    for path in written:
        assert "s3cret" not in path.read_text(encoding="utf-8"), path


def test_url_without_browser_platform_is_a_usage_error(tmp_path: Path) -> None:
    done = guiagent(tmp_path, "screenshot", "--url", "http://127.0.0.1/")
    assert done.returncode == 2 and "--platform browser" in done.stderr
