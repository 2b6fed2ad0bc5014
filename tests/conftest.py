"""Shared fixtures: one private X display for the whole session, a Linux driver per test, and
an app starter whose processes are killed after each test.

The display is started lazily (only when a test asks for it) with a session D-Bus and AT-SPI,
and applied to ``os.environ`` for the session: libatspi binds to the first bus it sees in a
process, so it must see this one.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from guiagent.platforms.linux.driver import LinuxDriver
    from guiagent.platforms.linux.xvfb import VirtualDisplay

TESTS_DIR = Path(__file__).resolve().parent
TK_FORM = (
    TESTS_DIR.parent / "guiagent" / "evaluation" / "suites" / "desktop" / "apps" / "tk_form.py"
)


@pytest.fixture(scope="session")
def vdisplay() -> Iterator[VirtualDisplay]:
    from guiagent.platforms.linux.xvfb import VirtualDisplay

    display = VirtualDisplay(1280, 800, accessibility=True)
    display.start()
    display.apply()
    try:
        yield display
    finally:
        display.stop()


@pytest.fixture
def linux_driver(vdisplay: VirtualDisplay) -> Iterator[LinuxDriver]:
    from guiagent.config import LinuxConfig
    from guiagent.platforms.linux.driver import LinuxDriver
    from guiagent.testing.x11 import stop

    driver = LinuxDriver(LinuxConfig(display=vdisplay.display))
    try:
        yield driver
    finally:
        for app in driver.launched:
            stop(app.proc)
        driver.close()


AppStarter = Callable[[Sequence[str] | str], "subprocess.Popen[bytes]"]


@pytest.fixture
def start_app(vdisplay: VirtualDisplay) -> Iterator[AppStarter]:
    """``start_app(cmd)`` runs a program on the virtual display; all are stopped afterwards."""
    from guiagent.testing.x11 import launch, stop

    procs: list[subprocess.Popen[bytes]] = []

    def start(cmd: Sequence[str] | str) -> subprocess.Popen[bytes]:
        proc = launch(cmd, vdisplay.env)
        procs.append(proc)
        return proc

    yield start
    for proc in procs:
        stop(proc)


@pytest.fixture
def tk_form_cmd(tmp_path: Path) -> Callable[[str], tuple[list[str], Path]]:
    """``tk_form_cmd(title)`` -> (command line, path the form writes its JSON to)."""

    def make(title: str = "Tk Form") -> tuple[list[str], Path]:
        out = tmp_path / f"{title.replace(' ', '_')}.json"
        return [sys.executable, str(TK_FORM), str(out), "--title", title], out

    return make
