"""Filling ``{placeholders}`` in a ``do:`` sentence without letting a value rewrite the sentence.

A placeholder inside quotes (``type '{text}'``) is filled *after* parsing, so its value may hold
quotes, commas or "then" and still arrives as one piece of text. A placeholder outside quotes
(``press {key}``, ``scroll down {n} times``, ``open {app}``) is substituted before parsing, since
the grammar has to read it; a value there that would add or remove steps is refused.
"""

from __future__ import annotations

from collections.abc import Mapping

from guiagent.agents.command_mode.forms import looks_like_url, looks_secret
from guiagent.agents.command_mode.lexer import tokenize
from guiagent.agents.command_mode.parser import parse_command, split_clauses
from guiagent.agents.command_mode.steps import OpenStep, Step, TypeStep
from guiagent.errors import CommandParseError
from guiagent.scripts.template import TemplateError, placeholders, substitute

# Private-use characters: they cannot close a quote or join clauses, and survive parsing intact.
_OPEN, _CLOSE = "\ue000", "\ue001"


def _sentinel(i: int) -> str:
    return f"{_OPEN}{i}{_CLOSE}"


def _quoted_spans(template: str) -> list[tuple[int, int]]:
    try:
        return [(t.start, t.end) for t in tokenize(template) if t.quoted]
    except CommandParseError:
        return []  # parse_command reports the unterminated quote below


def expand_sentence(template: str, values: Mapping[str, str]) -> list[Step]:
    """Parse a ``do:`` sentence with its placeholders filled. Raises TemplateError or
    CommandParseError."""
    quoted = _quoted_spans(template)
    late: dict[str, str] = {}
    shape_parts: list[str] = []
    text_parts: list[str] = []
    pos = 0
    for start, end, name in placeholders(template):
        if name not in values:
            substitute(template[start:end], values)  # raises the unknown-placeholder error
        head = substitute(template[pos:start], values)
        shape_parts.append(head)
        text_parts.append(head)
        mark = _sentinel(len(late))
        shape_parts.append(mark)
        if any(a < start and end < b for a, b in quoted):
            late[mark] = values[name]
            text_parts.append(mark)
        else:
            text_parts.append(values[name])
        pos = end
    tail = substitute(template[pos:], values)
    shape, text = "".join(shape_parts) + tail, "".join(text_parts) + tail
    steps = parse_command(text)
    if len(split_clauses(tokenize(shape))) != len(steps):
        raise TemplateError("a parameter value outside quotes changes the steps of this sentence;"
                            " put the placeholder in quotes")  # fmt: skip
    return [_fill(step, late) for step in steps]


def _fill(step: Step, late: Mapping[str, str]) -> Step:
    """Put the quoted placeholders' values into a parsed step's text fields."""
    if not late:
        return step

    def fill(value: str) -> str:
        for mark, real in late.items():
            value = value.replace(mark, real)
        return value

    update: dict[str, object] = {}
    for name, value in step:
        if name in ("kind", "source"):
            continue
        if isinstance(value, str) and _OPEN in value:
            update[name] = fill(value)
        elif isinstance(value, list) and any(isinstance(v, str) and _OPEN in v for v in value):
            update[name] = [fill(v) for v in value]
    if isinstance(step, OpenStep) and "what" in update:
        update["is_url"] = step.is_url or looks_like_url(str(update["what"]))
    if isinstance(step, TypeStep) and "target" in update:
        update["secret"] = step.secret or looks_secret(str(update["target"]))
    return step.model_copy(update=update)
