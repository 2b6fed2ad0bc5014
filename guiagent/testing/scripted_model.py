"""A ``ChatModel`` that answers from a script, for tests of the agents and the runner.

Answers are given in order, either as one list or per output type (``{Plan: [...], Decision:
[...]}``) so planner, decision and reflection answers are scripted independently. An answer is
an instance of the output type, a dict or a string (both validated the way a real model's text
is: strings go through the same tolerant parser), an exception to raise, or a callable
``(messages, output_type) -> answer`` that may look at the prompt. Every call is recorded.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from guiagent.errors import ModelError, ModelOutputError
from guiagent.models.base import Message, Usage, UsageMeter, estimate_tokens
from guiagent.models.parsing import describe_validation, parse_output

T = TypeVar("T", bound=BaseModel)
Answer = Any  # BaseModel | dict | str | BaseException | Callable[[messages, type], Answer]
_ALL = "*"


@dataclass(frozen=True)
class ScriptedCall:
    messages: tuple[Message, ...]
    output_type: type[BaseModel]

    def text(self) -> str:
        return "\n".join(m.text() for m in self.messages)


class ScriptedChatModel:
    def __init__(
        self,
        answers: Sequence[Answer] | Mapping[type[BaseModel] | str, Sequence[Answer]] = (),
        *,
        name: str = "scripted",
        meter: UsageMeter | None = None,
        role: str = "scripted",
    ) -> None:
        self._name = name
        self.meter = meter
        self.role = role
        self.calls: list[ScriptedCall] = []
        self._queues: dict[str, deque[Answer]] = {}
        if isinstance(answers, Mapping):
            for key, items in answers.items():
                self._queues[key if isinstance(key, str) else key.__name__] = deque(items)
        else:
            self._queues[_ALL] = deque(answers)

    @property
    def name(self) -> str:
        return self._name

    def add(self, output_type: type[BaseModel] | None, *answers: Answer) -> None:
        key = output_type.__name__ if output_type else _ALL
        self._queues.setdefault(key, deque()).extend(answers)

    def remaining(self) -> dict[str, int]:
        return {k: len(q) for k, q in self._queues.items() if q}

    def calls_for(self, output_type: type[BaseModel]) -> list[ScriptedCall]:
        return [c for c in self.calls if c.output_type is output_type]

    def complete(self, messages: Sequence[Message], output_type: type[T]) -> T:
        self.calls.append(ScriptedCall(tuple(messages), output_type))
        queue = self._queues.get(output_type.__name__) or self._queues.get(_ALL)
        if not queue:
            raise ModelError(
                f"the scripted model has no answer left for {output_type.__name__}"
                f" (call {len(self.calls)})"
            )
        answer = queue.popleft()
        while callable(answer) and not isinstance(answer, type | BaseModel):
            answer = answer(list(messages), output_type)
        result = self._convert(answer, output_type)
        if self.meter is not None:
            text, images = estimate_tokens(messages)
            done = len(json.dumps(result.model_dump(mode="json"))) // 4
            self.meter.record(self.role, Usage(1, text + images, done))
        return result

    @staticmethod
    def _convert(answer: Answer, output_type: type[T]) -> T:
        if isinstance(answer, BaseException):
            raise answer
        if isinstance(answer, str):
            return parse_output(answer, output_type)
        if isinstance(answer, BaseModel):
            answer = answer.model_dump(mode="json")
        try:
            return output_type.model_validate(answer)
        except ValidationError as exc:
            raise ModelOutputError(
                f"scripted answer is not a {output_type.__name__}: {describe_validation(exc)}"
            ) from exc
