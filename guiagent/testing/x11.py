"""Helpers for tests that run real applications on a (virtual) X display.

They poll instead of sleeping a guessed time, and they clean up by process group, so one
test's windows do not leak into the next on a shared display.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Literal, Protocol, TypeVar

from guiagent.observation import WindowInfo

T = TypeVar("T")


class HasWindows(Protocol):
    def list_windows(self) -> list[WindowInfo]: ...


def launch(
    cmd: Sequence[str] | str, env: Mapping[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """Start ``cmd`` in its own process group (so :func:`stop` reaches its children too).
    ``env`` overrides this process's environment, e.g. ``VirtualDisplay.env``."""
    argv = shlex.split(cmd) if isinstance(cmd, str) else list(cmd)
    return subprocess.Popen(
        argv,
        env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def stop(proc: subprocess.Popen[bytes], timeout: float = 3.0) -> None:
    """Terminate a launched process group, killing it when it does not go in time."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=timeout)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)  # stragglers left in the group


def wait_until(
    predicate: Callable[[], T | None | Literal[False]],
    timeout: float = 10.0,
    interval: float = 0.05,
    message: str = "condition",
) -> T:
    """Poll ``predicate`` until it returns something other than None or False (an empty
    list counts as an answer), and return that."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value is not None and value is not False:
            return value
        if time.monotonic() >= deadline:
            raise TimeoutError(f"{message} not met within {timeout:g} s")
        time.sleep(interval)


def _matches(window: WindowInfo, title_or_class: str) -> bool:
    wanted = title_or_class.lower()
    return wanted in window.title.lower() or window.app == wanted


def wait_for_window(
    driver: HasWindows, title_or_class: str, timeout: float = 10.0, *, active: bool = False
) -> WindowInfo:
    """The first window whose title contains ``title_or_class`` (case-insensitive) or whose
    class is it; with ``active=True`` only once it is the active window."""
    seen: list[WindowInfo] = []

    def find() -> WindowInfo | None:
        seen[:] = driver.list_windows()
        for window in seen:
            if _matches(window, title_or_class) and (window.active or not active):
                return window
        return None

    try:
        return wait_until(find, timeout, 0.05, f"window {title_or_class!r}")
    except TimeoutError as exc:
        names = ", ".join(f"{w.title!r} ({w.app})" for w in seen) or "none"
        raise TimeoutError(f"{exc}; windows: {names}") from None


def wait_window_gone(driver: HasWindows, window_id: int, timeout: float = 5.0) -> None:
    wait_until(
        lambda: all(w.id != window_id for w in driver.list_windows()),
        timeout,
        0.05,
        f"window 0x{window_id:x} to close",
    )
