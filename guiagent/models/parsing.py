"""Tolerant extraction of a JSON answer from model text, then validation into a typed object.

Local models wrap JSON in prose, code fences or ``<think>`` blocks, add trailing commas, write
Python's ``True``/``None``, or stop mid-object. ``parse_output`` returns the typed object or
raises ``ModelOutputError`` whose message is written to be fed back to the model once. Nothing
here evaluates model text; it is only ever read as JSON.
"""

from __future__ import annotations

import json
import re
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from guiagent.errors import ModelOutputError

T = TypeVar("T", bound=BaseModel)

_THINK = re.compile(r"<think>.*?(</think>|$)", re.S | re.I)
_FENCE = re.compile(r"```[a-zA-Z0-9_-]*\s*\n?(.*?)```", re.S)
_MAX_STARTS = 16
_PY_LITERALS = {"True": "true", "False": "false", "None": "null"}


def _loads(text: str) -> object:
    """json.loads that reports every failure (deep nesting, huge numbers) as ValueError."""
    try:
        return json.loads(text)
    except RecursionError as exc:
        raise ValueError("nested too deeply") from exc


def _balanced_end(text: str, start: int) -> int | None:
    """Index just past the bracket that closes ``text[start]``, or None when it never does."""
    depth = 0
    in_string = escaped = False
    for i in range(start, len(text)):
        ch = text[i]
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "{[":
            depth += 1
        elif ch in "}]":
            depth -= 1
            if depth == 0:
                return i + 1
    return None


def _repair(text: str) -> str:
    """Outside strings: drop trailing commas, map Python literals to JSON ones."""
    out: list[str] = []
    in_string = escaped = False
    i = 0
    while i < len(text):
        ch = text[i]
        if in_string:
            out.append(ch)
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
            i += 1
            continue
        if ch == '"':
            in_string = True
        elif ch == ",":
            j = i + 1
            while j < len(text) and text[j].isspace():
                j += 1
            if j < len(text) and text[j] in "}]":
                i += 1
                continue
        elif ch.isalpha():
            j = i
            while j < len(text) and (text[j].isalnum() or text[j] == "_"):
                j += 1
            word = text[i:j]
            out.append(_PY_LITERALS.get(word, word))
            i = j
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _candidates(text: str) -> list[str]:
    found = [m.group(1).strip() for m in _FENCE.finditer(text)]
    found.append(text.strip())
    return [c for c in found if c]


def extract_json(text: str) -> object:
    """The first JSON object or array in ``text``; ``ModelOutputError`` when there is none."""
    if not isinstance(text, str):
        raise ModelOutputError(f"expected text from the model, got {type(text).__name__}")
    cleaned = _THINK.sub("", text)
    truncated = False
    for cand in _candidates(cleaned):
        try:
            return _loads(cand)
        except ValueError:
            pass
        starts = [m.start() for m in re.finditer(r"[{\[]", cand)][:_MAX_STARTS]
        for start in starts:
            end = _balanced_end(cand, start)
            if end is None:
                truncated = True
                continue
            chunk = cand[start:end]
            for attempt in (chunk, _repair(chunk)):
                try:
                    return _loads(attempt)
                except ValueError:
                    continue
    if truncated:
        raise ModelOutputError(
            "the answer's JSON is truncated (an object or array is never closed);"
            " answer with a shorter, complete JSON object",
            raw=text,
        )
    raise ModelOutputError("the answer contains no JSON object; answer with JSON only", raw=text)


def describe_validation(exc: ValidationError, limit: int = 4) -> str:
    """A short, model-readable list of what did not validate."""
    lines = []
    for err in exc.errors()[:limit]:
        where = ".".join(str(p) for p in err["loc"]) or "(root)"
        lines.append(f"{where}: {err['msg']}")
    more = len(exc.errors()) - limit
    return "; ".join(lines) + (f"; and {more} more" if more > 0 else "")


def parse_output(text: str, output_type: type[T]) -> T:
    """Model text -> ``output_type``; raises ``ModelOutputError`` naming what was wrong."""
    data = extract_json(text)
    try:
        return output_type.model_validate(data)
    except ValidationError as exc:
        raise ModelOutputError(
            f"the answer does not match the {output_type.__name__} schema: "
            + describe_validation(exc),
            raw=text,
        ) from exc
    except (RecursionError, ValueError, TypeError) as exc:
        raise ModelOutputError(f"the answer could not be read: {exc}", raw=text) from exc
