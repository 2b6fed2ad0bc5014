"""Loop detection: the same action proposed again on a screen that has not changed. The agent
re-plans on the first loop and fails with the reason on the next one."""

from __future__ import annotations

import hashlib
import json
from collections import Counter

import numpy as np

from guiagent.actions import Action, describe
from guiagent.observation import Observation


def frame_signature(obs: Observation) -> str:
    """A coarse fingerprint: 32x32-pixel block means, quantised, so a blinking cursor or a
    clock's seconds do not count as a change but a new dialog does."""
    img = obs.image[:, :, :3].mean(axis=2)
    h, w = img.shape
    bh, bw = max(1, h // 25), max(1, w // 40)
    cropped = img[: (h // bh) * bh, : (w // bw) * bw]
    blocks = cropped.reshape(h // bh, bh, w // bw, bw).mean(axis=(1, 3))
    quantised = (blocks // 24).astype(np.uint8)
    return hashlib.blake2b(quantised.tobytes(), digest_size=12).hexdigest()


def action_signature(action: Action) -> str:
    return json.dumps(action.model_dump(mode="json"), sort_keys=True)


class LoopDetector:
    def __init__(self, repeats: int = 2) -> None:
        self.repeats = repeats  # how often the same action may run on the same frame
        self._seen: Counter[tuple[str, str]] = Counter()

    def record(self, action: Action, frame: str) -> None:
        self._seen[(action_signature(action), frame)] += 1

    def is_loop(self, action: Action, frame: str) -> bool:
        return self._seen[(action_signature(action), frame)] >= self.repeats

    def reason(self, action: Action) -> str:
        return (
            f"'{describe(action)}' was already done {self.repeats} times on this same screen"
            " without changing it"
        )

    def reset(self) -> None:
        self._seen.clear()
