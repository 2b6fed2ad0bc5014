"""The kill switch: trip/check, Ctrl+C, screen corners, another thread."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from guiagent.actions import Point
from guiagent.errors import RunCancelled
from guiagent.gate.killswitch import KillSwitch


def _wait_for(predicate: object, seconds: float = 2.0) -> None:
    deadline = time.monotonic() + seconds
    while not predicate() and time.monotonic() < deadline:  # type: ignore[operator]
        time.sleep(0.01)


def test_trip_and_check() -> None:
    ks = KillSwitch()
    ks.check()
    assert not ks.tripped and ks.reason is None
    ks.trip("api: stop button")
    ks.trip("a later reason")
    assert ks.tripped and ks.reason == "api: stop button"
    with pytest.raises(RunCancelled, match="api: stop button") as info:
        ks.check()
    assert info.value.exit_code == 130


def test_trip_from_another_thread_wakes_a_waiter() -> None:
    ks = KillSwitch()
    threading.Timer(0.05, ks.trip, args=("api",)).start()
    start = time.monotonic()
    assert ks.wait(10) is True
    assert time.monotonic() - start < 5
    with pytest.raises(RunCancelled):
        ks.check()


def test_first_ctrl_c_trips_second_raises_and_handler_is_restored() -> None:
    before = signal.getsignal(signal.SIGINT)
    ks = KillSwitch()
    with ks.install_sigint(announce=False):
        os.kill(os.getpid(), signal.SIGINT)
        _wait_for(lambda: ks.tripped)
        assert ks.tripped and ks.reason == "Ctrl+C"
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(1)  # the handler raises here
    assert signal.getsignal(signal.SIGINT) is before
    with pytest.raises(RunCancelled, match="Ctrl"):
        ks.check()


def test_ctrl_c_outside_the_context_is_a_keyboard_interrupt() -> None:
    ks = KillSwitch()
    with ks.install_sigint(announce=False):
        pass
    with pytest.raises(KeyboardInterrupt):
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(1)
    assert not ks.tripped


def test_install_sigint_off_the_main_thread_does_nothing() -> None:
    ks = KillSwitch()
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            with ks.install_sigint():
                pass
        except BaseException as exc:
            errors.append(exc)

    t = threading.Thread(target=worker)
    t.start()
    t.join()
    assert errors == [] and not ks.tripped


@pytest.mark.parametrize(
    ("point", "corner"),
    [
        ((0, 0), "top-left"),
        ((2, 1), "top-left"),
        ((1919, 0), "top-right"),
        ((1917, 2), "top-right"),
        ((0, 1079), "bottom-left"),
        ((1919, 1079), "bottom-right"),
    ],
)
def test_pointer_in_a_corner_trips(point: tuple[int, int], corner: str) -> None:
    ks = KillSwitch()
    assert ks.check_corner(Point(x=point[0], y=point[1]), 1920, 1080) is True
    assert ks.reason == f"pointer in the {corner} screen corner (failsafe)"
    with pytest.raises(RunCancelled, match="corner"):
        ks.check()


@pytest.mark.parametrize("point", [(3, 0), (0, 3), (960, 540), (1919, 500), (500, 1079)])
def test_pointer_on_an_edge_or_inside_does_not_trip(point: tuple[int, int]) -> None:
    ks = KillSwitch()
    assert ks.check_corner(point, 1920, 1080) is False
    assert not ks.tripped


def test_corner_margin() -> None:
    ks = KillSwitch()
    assert ks.check_corner((10, 10), 100, 100, margin=10) is True
    assert KillSwitch().check_corner((10, 10), 100, 100, margin=0) is False
