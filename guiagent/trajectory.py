"""A run's trajectory: ``steps.jsonl`` (one JSON line per step) plus ``step_NNN.png`` per step.

Lines pass through the run's redactor, so a secret the agent typed never reaches disk. PNGs are
written on a background thread with light compression, keeping the loop's step time down.
"""

from __future__ import annotations

import json
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from guiagent.redact import Redactor


class TrajectoryWriter:
    def __init__(self, directory: Path, redactor: Redactor, *, screenshots: bool = True) -> None:
        self.directory = directory
        self.redactor = redactor
        self.screenshots = screenshots
        directory.mkdir(parents=True, exist_ok=True)
        self._lines = (directory / "steps.jsonl").open("a", encoding="utf-8")
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="trajectory-png")
        self._pending: list[Future[None]] = []

    def screenshot(self, step: int, image: np.ndarray, suffix: str = "") -> str | None:
        """Queue the frame for writing; returns its file name, relative to the run folder."""
        if not self.screenshots:
            return None
        name = f"step_{step:03d}{suffix}.png"
        self._pending.append(self._pool.submit(_write_png, self.directory / name, image.copy()))
        return name

    def record(self, line: dict[str, Any]) -> None:
        text = json.dumps(self.redactor.redact_obj(line), ensure_ascii=False, default=str)
        with self._lock:
            self._lines.write(text + "\n")
            self._lines.flush()

    def close(self) -> None:
        for fut in self._pending:
            fut.result()
        self._pool.shutdown(wait=True)
        with self._lock:
            if not self._lines.closed:
                self._lines.close()


def _write_png(path: Path, image: np.ndarray) -> None:
    Image.fromarray(image).save(path, compress_level=1)


def read_trajectory(directory: Path) -> list[dict[str, Any]]:
    """The recorded steps, for reports, replays and tests."""
    path = directory / "steps.jsonl"
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]
