"""``{name}`` placeholders in task files: plain substitution of declared parameters, never eval.

Only ``{identifier}`` is a placeholder; ``{{`` and ``}}`` are literal braces; any other brace is
an error, so a typo such as ``{text`` is reported instead of being typed into an application.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

_TOKEN = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}|[{}]")


class TemplateError(ValueError):
    """A bad placeholder; the loader turns it into a ScriptError with file and line."""


def _scan(template: str) -> Iterator[tuple[int, int, str | None, str]]:
    """(start, end, placeholder name or None, literal text) for each brace construct."""
    for m in _TOKEN.finditer(template):
        text = m.group(0)
        if m.group(1) is None and text in "{}":
            raise TemplateError(
                f"stray {text!r} at column {m.start() + 1}: write {text * 2!r} for a literal brace"
            )
        yield m.start(), m.end(), m.group(1), text[0]


def placeholders(template: str) -> list[tuple[int, int, str]]:
    """Every ``{name}`` in ``template`` as (start, end, name); escapes are skipped."""
    return [(s, e, name) for s, e, name, _ in _scan(template) if name is not None]


def substitute(template: str, values: Mapping[str, str]) -> str:
    """Replace each ``{name}`` with ``values[name]``; an undeclared name is a TemplateError."""
    out: list[str] = []
    pos = 0
    for start, end, name, literal in _scan(template):
        out.append(template[pos:start])
        if name is None:
            out.append(literal)
        elif name in values:
            out.append(values[name])
        else:
            declared = ", ".join(sorted(values)) or "none"
            raise TemplateError(f"unknown placeholder {{{name}}}; declared params: {declared}")
        pos = end
    out.append(template[pos:])
    return "".join(out)
