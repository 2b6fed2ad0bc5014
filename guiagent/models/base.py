"""The ``ChatModel`` protocol every model client implements, the messages it takes (text and
images), and per-run token / cost accounting shared by all the roles' clients.

Agents depend on this protocol only, so tests run them on ``guiagent.testing``'s scripted
model and a run can use a different endpoint per role.
"""

from __future__ import annotations

import base64
import io
import math
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol, TypeVar

import numpy as np
from PIL import Image
from pydantic import BaseModel

T = TypeVar("T", bound=BaseModel)
Role = Literal["system", "user", "assistant"]


@dataclass(frozen=True)
class ImagePart:
    """An encoded image (PNG or JPEG bytes) with the size the model sees."""

    data: bytes
    mime: str
    width: int
    height: int

    def data_url(self) -> str:
        return f"data:{self.mime};base64," + base64.b64encode(self.data).decode("ascii")


Part = str | ImagePart


@dataclass(frozen=True)
class Message:
    role: Role
    content: str | tuple[Part, ...]

    @classmethod
    def system(cls, text: str) -> Message:
        return cls("system", text)

    @classmethod
    def user(cls, *parts: Part) -> Message:
        return cls("user", parts[0] if len(parts) == 1 and isinstance(parts[0], str) else parts)

    @classmethod
    def assistant(cls, text: str) -> Message:
        return cls("assistant", text)

    def parts(self) -> tuple[Part, ...]:
        return (self.content,) if isinstance(self.content, str) else self.content

    def text(self) -> str:
        return "\n".join(p for p in self.parts() if isinstance(p, str))

    def images(self) -> list[ImagePart]:
        return [p for p in self.parts() if isinstance(p, ImagePart)]


def image_part(
    image: np.ndarray | Image.Image, max_side: int | None = None, fmt: str = "PNG"
) -> ImagePart:
    """Encode an RGB image, downscaled so its longer side is at most ``max_side`` pixels."""
    pil = Image.fromarray(image[:, :, :3]) if isinstance(image, np.ndarray) else image
    pil = pil.convert("RGB")
    if max_side and max(pil.size) > max_side:
        ratio = max_side / max(pil.size)
        size = (max(1, round(pil.width * ratio)), max(1, round(pil.height * ratio)))
        pil = pil.resize(size, Image.Resampling.LANCZOS)
    buf = io.BytesIO()
    pil.save(buf, format=fmt, **({"quality": 85} if fmt == "JPEG" else {"optimize": True}))
    return ImagePart(buf.getvalue(), f"image/{fmt.lower()}", pil.width, pil.height)


class ChatModel(Protocol):
    """``complete`` returns an instance of ``output_type`` or raises a ``ModelError``."""

    @property
    def name(self) -> str: ...

    def complete(self, messages: Sequence[Message], output_type: type[T]) -> T: ...


@dataclass
class Usage:
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    retries: int = 0
    repairs: int = 0

    def add(self, other: Usage) -> None:
        self.calls += other.calls
        self.prompt_tokens += other.prompt_tokens
        self.completion_tokens += other.completion_tokens
        self.cost_usd += other.cost_usd
        self.retries += other.retries
        self.repairs += other.repairs

    def as_dict(self) -> dict[str, float | int]:
        return {
            "calls": self.calls,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "cost_usd": round(self.cost_usd, 6),
            "retries": self.retries,
            "repairs": self.repairs,
        }


@dataclass
class UsageMeter:
    """Token and cost totals for one run, per role; shared by every client of the run."""

    by_role: dict[str, Usage] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def record(self, role: str, usage: Usage) -> None:
        with self._lock:
            self.by_role.setdefault(role, Usage()).add(usage)

    @property
    def total(self) -> Usage:
        total = Usage()
        for usage in self.by_role.values():
            total.add(usage)
        return total

    def reset(self) -> None:
        with self._lock:
            self.by_role.clear()

    def as_dict(self) -> dict[str, object]:
        return {
            "total": self.total.as_dict(),
            "by_role": {k: v.as_dict() for k, v in sorted(self.by_role.items())},
        }


_TOKEN = re.compile(r"\w+|[^\w\s]")


def estimate_text_tokens(text: str) -> int:
    """A tokenizer-free estimate close to BPE counts: words split every 4 characters, and
    each punctuation mark one token."""
    return sum(max(1, math.ceil(len(t) / 4)) for t in _TOKEN.findall(text))


def estimate_image_tokens(width: int, height: int) -> int:
    """OpenAI's high-detail rule: scaled into 2048 then 768 on the short side, 512 tiles."""
    scale = min(1.0, 2048 / max(width, height))
    w, h = width * scale, height * scale
    scale = min(1.0, 768 / min(w, h))
    w, h = w * scale, h * scale
    return 85 + 170 * math.ceil(w / 512) * math.ceil(h / 512)


def estimate_tokens(messages: Sequence[Message]) -> tuple[int, int]:
    """(text tokens, image tokens) a prompt costs, with 4 tokens of framing per message."""
    text = images = 0
    for msg in messages:
        text += 4 + sum(estimate_text_tokens(p) for p in msg.parts() if isinstance(p, str))
        images += sum(estimate_image_tokens(i.width, i.height) for i in msg.images())
    return text, images
