"""An optional remote grounding source: an OpenAI-compatible vision model that answers a
query with a point or a box, in one of the conventions grounding models use:

- ``pixels``: absolute pixels of the image it was sent (Qwen2.5-VL ``{"point_2d": [x, y]}`` or
  ``{"bbox_2d": [...]}``, UI-TARS-1.5 ``click(start_box='(x,y)')``);
- ``grid1000``: a 0-1000 grid over the image (UI-TARS 1.0, OS-Atlas
  ``<|box_start|>(x1,y1),(x2,y2)<|box_end|>``, CogAgent);
- ``unit``: fractions 0-1 (SeeClick ``(0.42,0.17)``).

The image is downscaled before it is sent; the answer is mapped back to *screenshot* pixels here,
in one place, so a resized image never shifts a click. The answer is parsed as text (numbers
pulled out of the known shapes), never evaluated.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from guiagent.config import PerceptionConfig
from guiagent.errors import GuiAgentError, TargetNotFound
from guiagent.models.base import Message, image_part
from guiagent.observation import Box, Candidate, Element, Screen
from guiagent.perception.ground import Grounder

log = logging.getLogger(__name__)

Convention = Literal["pixels", "grid1000", "unit"]

PROMPT = (
    "You are a GUI grounding model. In the screenshot, find the element this describes: "
    "{query}\nAnswer with its click point only."
)

_NUMBER = r"-?\d+(?:\.\d+)?"
_PAIR = re.compile(rf"\(?\[?\s*({_NUMBER})\s*[, ]\s*({_NUMBER})\s*\]?\)?")


class TextModel(Protocol):
    """A model that answers in free text (OpenAICompatModel.complete_text)."""

    @property
    def name(self) -> str: ...

    def complete_text(self, messages: Sequence[Message]) -> str: ...


@dataclass(frozen=True)
class RemoteAnswer:
    """What the model said, in the sent image's convention, before mapping."""

    values: tuple[float, ...]  # (x, y) or (x1, y1, x2, y2)


def parse_answer(text: str) -> RemoteAnswer | None:
    """The first point or box in ``text``; None when it holds no coordinates.

    Boxes are preferred where a format marks them (``bbox_2d``, two bracketed pairs), else the
    first pair of numbers is the point.
    """
    box = re.search(
        rf"({_NUMBER})\s*,\s*({_NUMBER})\s*\)?\s*,\s*\(?\s*({_NUMBER})\s*,\s*({_NUMBER})", text
    )
    marked_box = "bbox" in text or ("box_start" in text and text.count("(") >= 2)
    if box and marked_box:
        return RemoteAnswer(tuple(float(v) for v in box.groups()))
    inner = re.search(r"<point>\s*(" + _NUMBER + r")\s+(" + _NUMBER + r")\s*</point>", text)
    if inner:
        return RemoteAnswer((float(inner.group(1)), float(inner.group(2))))
    pair = _PAIR.search(text)
    if pair:
        return RemoteAnswer((float(pair.group(1)), float(pair.group(2))))
    return None


def to_screenshot(
    answer: RemoteAnswer,
    convention: Convention,
    sent_size: tuple[int, int],
    shot_size: tuple[int, int],
) -> Box | None:
    """The answer as a box in screenshot pixels (a point becomes a 1x1 box); None when it
    falls outside the image."""
    sent_w, sent_h = sent_size
    shot_w, shot_h = shot_size
    if convention == "pixels":
        sx, sy = shot_w / sent_w, shot_h / sent_h
    elif convention == "grid1000":
        sx, sy = shot_w / 1000, shot_h / 1000
    else:
        sx, sy = shot_w, shot_h
    xs = [v * sx for v in answer.values[0::2]]
    ys = [v * sy for v in answer.values[1::2]]
    if any(not (0 <= x <= shot_w) for x in xs) or any(not (0 <= y <= shot_h) for y in ys):
        return None
    left, top = int(min(xs)), int(min(ys))
    right, bottom = max(int(max(xs)), left + 1), max(int(max(ys)), top + 1)
    return Box(left=left, top=top, right=min(right, shot_w), bottom=min(bottom, shot_h))


class RemoteGrounder:
    """Asks the model where ``query`` is on the screen's screenshot."""

    def __init__(
        self,
        model: TextModel,
        convention: Convention = "pixels",
        *,
        max_side: int = 1280,
        score: float = 0.8,
        prompt: str = PROMPT,
    ) -> None:
        self.model = model
        self.convention = convention
        self.max_side = max_side
        self.score = score
        self.prompt = prompt
        self.last_reason = ""

    def locate(self, screen: Screen, query: str) -> list[Candidate]:
        """One candidate from the model, or [] with ``last_reason`` saying why not."""
        obs = screen.observation
        if obs is None:
            self.last_reason = "the screen carries no screenshot to send"
            return []
        image = image_part(obs.image, self.max_side)
        messages = [Message.user(image, self.prompt.format(query=query))]
        try:
            text = self.model.complete_text(messages)
        except GuiAgentError as exc:
            self.last_reason = f"remote grounding failed: {exc.message}"
            log.warning("%s", self.last_reason)
            return []
        answer = parse_answer(text)
        if answer is None:
            self.last_reason = f"{self.model.name} answered without coordinates: {text[:80]!r}"
            return []
        box = to_screenshot(
            answer, self.convention, (image.width, image.height), (obs.width, obs.height)
        )
        if box is None:
            self.last_reason = f"{self.model.name} pointed outside the screen: {answer.values}"
            return []
        self.last_reason = ""
        element = Element(role="other", name=query, box=box, source="remote", score=self.score)
        return [Candidate(element=element, score=self.score, reason=f"remote {self.convention}")]


class MixtureGrounder(Grounder):
    """Local grounding first (accessibility, OCR); the remote model only when that finds
    nothing good enough — so a remote call is paid for just the hard targets."""

    def __init__(self, remote: RemoteGrounder, floor: float = 0.4) -> None:
        super().__init__(floor)
        self.remote = remote

    def best(self, screen: Screen, query: str, min_score: float = 0.6) -> Candidate:
        try:
            return super().best(screen, query, min_score)
        except TargetNotFound as local_miss:
            found = self.remote.locate(screen, query)
            if found and found[0].score >= min_score:
                return found[0]
            reason = self.remote.last_reason or "the remote model was not sure"
            raise TargetNotFound(query, local_miss.candidates, reason) from local_miss


def grounder_for(config: PerceptionConfig) -> Grounder:
    """The grounder a run uses: local only, or local then the configured remote model."""
    remote = config.remote
    if remote is None:
        return Grounder()
    from guiagent.models.openai_compat import Endpoint, OpenAICompatModel

    endpoint = Endpoint(
        base_url=remote.base_url,
        model=remote.model,
        api_key=remote.api_key,
        timeout=remote.timeout,
    )
    model = OpenAICompatModel(endpoint, role="grounding")
    return MixtureGrounder(RemoteGrounder(model, remote.convention, max_side=remote.max_side))
