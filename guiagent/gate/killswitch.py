"""The kill switch: stops a run before its next action.

Tripped by the first Ctrl+C (``install_sigint``), by the pointer pushed into a screen corner
(``check_corner``, pyautogui's failsafe), or by any thread calling ``trip`` (daemon API, tray,
a hotkey listener). The runner calls ``check`` before every action.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from guiagent.actions import Point
from guiagent.errors import RunCancelled


class KillSwitch:
    """A one-way, thread-safe stop flag with the reason it was pulled."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._reason: str | None = None

    def trip(self, reason: str = "stopped") -> None:
        """Stop the run; the first reason given is kept."""
        with self._lock:
            if self._reason is None:
                self._reason = reason
            self._event.set()

    @property
    def tripped(self) -> bool:
        return self._event.is_set()

    @property
    def reason(self) -> str | None:
        return self._reason

    def check(self) -> None:
        """Raise ``RunCancelled`` once tripped; the runner calls it before every action."""
        if self._event.is_set():
            raise RunCancelled(f"run stopped: {self._reason}")

    def wait(self, timeout: float) -> bool:
        """Sleep up to ``timeout`` seconds, waking early (True) when tripped."""
        return self._event.wait(timeout)

    def check_corner(
        self, point: Point | tuple[int, int], width: int, height: int, margin: int = 2
    ) -> bool:
        """Trip when ``point`` (screenshot pixels) is within ``margin`` px of a screen corner."""
        x, y = (point.x, point.y) if isinstance(point, Point) else point
        left, right = x <= margin, x >= width - 1 - margin
        top, bottom = y <= margin, y >= height - 1 - margin
        if (left or right) and (top or bottom):
            corner = ("top" if top else "bottom") + "-" + ("left" if left else "right")
            self.trip(f"pointer in the {corner} screen corner (failsafe)")
            return True
        return False

    @contextmanager
    def install_sigint(self, *, announce: bool = True) -> Iterator[KillSwitch]:
        """Inside: the first Ctrl+C trips the switch, a second raises ``KeyboardInterrupt``.

        The previous handler is restored on exit. Off the main thread (where Python cannot set
        signal handlers) this does nothing, and Ctrl+C keeps its usual meaning.
        """
        if threading.current_thread() is not threading.main_thread():
            yield self
            return

        presses = 0

        def handler(signum: int, frame: FrameType | None) -> None:
            nonlocal presses
            presses += 1
            if presses > 1:
                raise KeyboardInterrupt
            self.trip("Ctrl+C")
            if announce:
                print(
                    "\nguiagent: stopping before the next action (Ctrl+C again to abort now)",
                    file=sys.stderr,
                )

        previous = signal.signal(signal.SIGINT, handler)
        try:
            yield self
        finally:
            # None: a handler set outside Python, which cannot be put back; use Python's own.
            signal.signal(
                signal.SIGINT, previous if previous is not None else signal.default_int_handler
            )
