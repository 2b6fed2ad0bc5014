"""Perception speed: rapidocr's default full-frame pipeline (the baseline) against the project's
Perceiver on the same frames, in one process.

Frames: a galculator session where each frame follows one button press (the display and the
pressed button change). With ``--live`` they are taken now under a private Xvfb (needs Xvfb,
galculator, xdotool, ImageMagick's ``import``); otherwise the committed ones in
tests/data/galculator are used. A text-heavy editor screenshot (tests/data/mousepad.png) shows
the cold cost on a busy screen.

    python benchmarks/perception.py [--live] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np
from PIL import Image

from guiagent.config import PerceptionConfig
from guiagent.observation import Observation
from guiagent.perception.perceiver import Perceiver

T = TypeVar("T")
DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
# galculator's keys in its default window on a 1280x800 screen: 7 8 + 9 = 5 * 3 = C
PRESSES = [(510, 436), (574, 436), (704, 555), (639, 436), (769, 535), (574, 475), (704, 475)]
PRESSES += [(639, 515), (769, 535), (659, 349)]


def load(path: Path) -> np.ndarray:
    return np.asarray(Image.open(path).convert("RGB"))


def committed_frames() -> list[np.ndarray]:
    return [load(p) for p in sorted((DATA / "galculator").glob("frame*.png"))]


def live_frames() -> list[np.ndarray]:
    """Start Xvfb + openbox + galculator, press keys, grab the root window after each."""
    for tool in ("Xvfb", "galculator", "xdotool", "import"):
        if shutil.which(tool) is None:
            raise SystemExit(f"--live needs {tool}")
    display = ":93"
    env = {**os.environ, "DISPLAY": display}
    procs = [subprocess.Popen(["Xvfb", display, "-screen", "0", "1280x800x24"])]
    try:
        time.sleep(1.0)
        if shutil.which("openbox"):
            procs.append(subprocess.Popen(["openbox"], env=env))
        procs.append(subprocess.Popen(["galculator"], env=env))
        time.sleep(3.0)
        frames = []
        with tempfile.TemporaryDirectory() as tmp:
            shot = Path(tmp) / "shot.png"
            subprocess.run(["xdotool", "mousemove", "5", "795"], env=env, check=True)
            for i in range(len(PRESSES) + 1):
                if i:
                    x, y = PRESSES[i - 1]
                    subprocess.run(
                        ["xdotool", "mousemove", str(x), str(y), "click", "1"], env=env, check=True
                    )
                time.sleep(0.4)
                subprocess.run(["import", "-window", "root", str(shot)], env=env, check=True)
                frames.append(load(shot))
        return frames
    finally:
        for proc in reversed(procs):
            proc.terminate()
            proc.wait(timeout=10)


def timed(fn: Callable[[T], object], arg: T) -> float:
    t = time.perf_counter()
    fn(arg)
    return (time.perf_counter() - t) * 1000


def baseline_ms(frames: list[np.ndarray], repeat: int) -> list[float]:
    """rapidocr 3.x with its default settings, one full-frame pass per frame."""
    from rapidocr import RapidOCR

    engine = RapidOCR(params={"Global.log_level": "error"})
    engine(frames[0][:, :, ::-1])  # load the models outside the timing

    def run(frame: np.ndarray) -> object:
        return engine(frame[:, :, ::-1])

    return [timed(run, f) for _ in range(repeat) for f in frames]


def perceiver_ms(frames: list[np.ndarray], repeat: int) -> tuple[list[float], list[float]]:
    """Cold (cache reset) first frame, then each following frame incrementally."""
    perceiver = Perceiver(PerceptionConfig())
    perceiver.ocr.warm_up()
    cold: list[float] = []
    warm: list[float] = []
    for _ in range(repeat):
        perceiver.ocr.reset()
        obs = [Observation(image=f, platform="linux") for f in frames]
        cold.append(timed(perceiver.perceive, obs[0]))
        warm.extend(timed(perceiver.perceive, o) for o in obs[1:])
    return cold, warm


def cold_pair_ms(frame: np.ndarray, repeat: int) -> tuple[list[float], list[float]]:
    """Cold reads of one frame with rapidocr's fp32 recogniser and with the shipped Latin int8
    one (``ocr_fast_rec``), interleaved so that load on the machine hits both alike."""
    slow = Perceiver(PerceptionConfig(ocr_fast_rec=False))
    fast = Perceiver(PerceptionConfig(ocr_fast_rec=True))
    obs = Observation(image=frame, platform="linux")
    out: tuple[list[float], list[float]] = ([], [])
    for perceiver in (slow, fast):
        perceiver.ocr.warm_up()
        perceiver.perceive(obs)
    for _ in range(repeat):
        for perceiver, times in zip((slow, fast), out, strict=True):
            perceiver.ocr.reset()
            times.append(timed(perceiver.perceive, obs))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--live", action="store_true", help="take fresh frames under Xvfb")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    frames = live_frames() if args.live else committed_frames()
    h, w = frames[0].shape[:2]
    print(f"{len(frames)} galculator frames {w}x{h}, {os.cpu_count()} cores, repeat {args.repeat}")

    base = statistics.median(baseline_ms(frames, args.repeat))
    cold, warm = perceiver_ms(frames, args.repeat)
    cold_med, warm_med = statistics.median(cold), statistics.median(warm)
    print(f"  baseline rapidocr full frame   median {base:8.1f} ms")
    print(f"  perceiver cold (first frame)   median {cold_med:8.1f} ms  x{base / cold_med:5.1f}")
    print(f"  perceiver incremental frame    median {warm_med:8.1f} ms  x{base / warm_med:5.1f}")

    busy = [load(DATA / "mousepad.png")]
    b_base = statistics.median(baseline_ms(busy, args.repeat))
    b_cold, _ = perceiver_ms(busy, args.repeat)
    b_cold_med = statistics.median(b_cold)
    print("text-heavy editor screenshot (tests/data/mousepad.png)")
    print(f"  baseline rapidocr full frame   median {b_base:8.1f} ms")
    print(
        f"  perceiver cold                 median {b_cold_med:8.1f} ms  x{b_base / b_cold_med:5.1f}"
    )
    slow, fast = cold_pair_ms(busy[0], args.repeat)
    ratios = [f / s for s, f in zip(slow, fast, strict=True)]
    print(f"  cold, fp32 recogniser          median {statistics.median(slow):8.1f} ms")
    print(
        f"  cold, int8 Latin recogniser    median {statistics.median(fast):8.1f} ms"
        f"  ratio {statistics.median(ratios):4.2f} (median of interleaved pairs)"
    )


if __name__ == "__main__":
    main()
