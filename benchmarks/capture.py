"""Screen capture to an RGB numpy array: the driver's mss path against pyautogui.screenshot and
PIL.ImageGrab.grab, on private Xvfb displays of 1280x800 and 1920x1080 with a few windows open.

Every method is timed in this process on the same display, median of N runs after a warm-up,
and printed as milliseconds and as a ratio to the mss path. A method that cannot run here is
reported as "unavailable: <reason>" (pyautogui needs scrot or gnome-screenshot on X11).

    python benchmarks/capture.py [--runs 30] [--sizes 1280x800,1920x1080]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from guiagent.platforms.linux.capture import Capturer
from guiagent.platforms.linux.xvfb import VirtualDisplay
from guiagent.testing.x11 import launch, stop

Grab = Callable[[], np.ndarray]


@dataclass
class Outcome:
    name: str
    median_ms: float | None = None
    shape: tuple[int, ...] = ()
    error: str = ""
    frame: np.ndarray | None = None


def _pil_to_rgb(image: object) -> np.ndarray:
    from PIL import Image

    assert isinstance(image, Image.Image)
    return np.asarray(image.convert("RGB") if image.mode != "RGB" else image)


def _methods(display: str) -> dict[str, Callable[[], Grab]]:
    """Each entry builds its grab function (set-up cost is not timed)."""

    def mss_driver() -> Grab:
        capturer = Capturer(display)
        return capturer.grab

    def mss_raw() -> Grab:
        import mss

        sct = mss.MSS(display=display)
        monitor = sct.monitors[0]
        return lambda: np.asarray(sct.grab(monitor))  # BGRA view, no conversion

    def imagegrab() -> Grab:
        from PIL import ImageGrab

        return lambda: _pil_to_rgb(ImageGrab.grab(xdisplay=display))

    def pyautogui_shot() -> Grab:
        import pyautogui

        return lambda: _pil_to_rgb(pyautogui.screenshot())

    return {
        "mss (driver: grab + BGRA->RGB)": mss_driver,
        "mss raw grab (BGRA, no conversion)": mss_raw,
        "PIL.ImageGrab.grab": imagegrab,
        "pyautogui.screenshot": pyautogui_shot,
    }


def _measure(name: str, build: Callable[[], Grab], runs: int) -> Outcome:
    try:
        grab = build()
        frame = grab()  # warm-up, and a frame to compare
        grab()
    except Exception as exc:  # any backend failure is a result to report, not a crash
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return Outcome(name, error=f"unavailable: {type(exc).__name__}: {reason[:150]}")
    times: list[float] = []
    for _ in range(runs):
        start = time.perf_counter()
        grab()
        times.append((time.perf_counter() - start) * 1000)
    return Outcome(name, statistics.median(times), tuple(frame.shape), frame=frame)


def _populate(vd: VirtualDisplay) -> list[subprocess.Popen[bytes]]:
    """A few real windows, so the frame is not a flat colour (PNG-based grabs care)."""
    listing = "ls -l /usr/bin | head -60; exec sleep 600"
    procs = [
        launch(["xterm", "-geometry", "100x40+10+10", "-e", "sh", "-c", listing], vd.env),
        launch(["galculator"], vd.env),
    ]
    time.sleep(1.5)  # a benchmark, not a test: let the windows draw
    return procs


def run(sizes: list[tuple[int, int]], runs: int) -> int:
    print(f"capture to an RGB numpy array, median of {runs} runs (python {sys.version.split()[0]})")
    for width, height in sizes:
        with VirtualDisplay(width, height) as vd:
            display = vd.display
            vd.apply()
            procs = _populate(vd)
            try:
                outcomes = [_measure(n, b, runs) for n, b in _methods(vd.display).items()]
            finally:
                for proc in procs:
                    stop(proc)
                vd.restore()
        base = outcomes[0]
        print(f"\n{width}x{height} (Xvfb {display}, xterm + galculator open)")
        for out in outcomes:
            if out.median_ms is None:
                print(f"  {out.name:38s} {out.error}")
                continue
            ratio = out.median_ms / base.median_ms if base.median_ms else float("nan")
            same = ""
            if out is not base and out.frame is not None and base.frame is not None:
                if out.frame.shape == base.frame.shape:
                    same = "  same pixels" if np.array_equal(out.frame, base.frame) else ""
                else:
                    same = f"  shape {out.shape}"
            print(f"  {out.name:38s} {out.median_ms:8.2f} ms  x{ratio:6.2f} vs mss{same}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--sizes", default="1280x800,1920x1080")
    args = parser.parse_args(argv)
    sizes = [tuple(int(v) for v in s.split("x")) for s in args.sizes.split(",")]
    return run([(w, h) for w, h in sizes], args.runs)


if __name__ == "__main__":
    raise SystemExit(main())
