"""Prompt files for the LLM agents, and the action documentation generated from the Action
union's JSON schema (so a new action or field shows up in every prompt without editing one).

Prompts use ``$name`` placeholders (``string.Template``), so JSON braces in them need no
escaping; a missing value is an error, not a silent blank.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import cache
from importlib import resources
from string import Template
from typing import Any

from guiagent.actions import ACTION_ADAPTER

_TARGET = "T"
TARGET_DOC = (
    'T is {"element": ID} for a numbered element on the screenshot, or'
    ' {"point": {"x": X, "y": Y}} in screenshot pixels when nothing is numbered there.'
)


@cache
def load_prompt(name: str) -> str:
    return resources.files(__package__).joinpath(f"{name}.md").read_text(encoding="utf-8")


def render(name: str, **values: str) -> str:
    return Template(load_prompt(name)).substitute(values).strip()


def _type_of(prop: dict[str, Any], defs: dict[str, Any]) -> str:
    if "$ref" in prop:
        ref = prop["$ref"].rsplit("/", 1)[-1]
        return _TARGET if ref == "Target" else ref
    if "enum" in prop:
        return "|".join(f'"{v}"' for v in prop["enum"])
    if "anyOf" in prop:
        kinds = [_type_of(p, defs) for p in prop["anyOf"] if p.get("type") != "null"]
        return "|".join(kinds)
    if prop.get("type") == "array":
        return f"[{_type_of(prop.get('items', {}), defs)}, ...]"
    return {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}.get(
        str(prop.get("type")), "value"
    )


@cache
def _all_docs() -> tuple[tuple[str, str], ...]:
    schema = ACTION_ADAPTER.json_schema()
    defs: dict[str, Any] = schema.get("$defs", {})
    lines: list[tuple[str, str]] = []
    for variant in schema["oneOf"]:
        spec = defs[variant["$ref"].rsplit("/", 1)[-1]]
        kind = spec["properties"]["type"]["const"]
        required = set(spec.get("required", []))
        fields = []
        notes = []
        for name, prop in spec["properties"].items():
            if name == "type":
                continue
            text = f"{name}: {_type_of(prop, defs)}"
            if name not in required:
                default = prop.get("default")
                text = f"{name}?: {_type_of(prop, defs)}" + (
                    f"={default}" if default not in (None, "", False) else ""
                )
            fields.append(text)
            if prop.get("description"):
                notes.append(f"{name}: {prop['description']}")
        doc = (spec.get("description") or "").split("\n")[0].strip()
        extra = "; ".join(filter(None, [doc, *notes]))
        lines.append((kind, f"- {kind} {{{', '.join(fields)}}}" + (f" — {extra}" if extra else "")))
    return tuple(lines)


def action_docs(allowed: Collection[str] | None = None) -> str:
    """One line per action type (``allowed`` only, when given), then what a target is."""
    lines = [text for kind, text in _all_docs() if allowed is None or kind in allowed]
    return "\n".join([*lines, TARGET_DOC])
