"""Reading task files with their YAML node tree, so every error can name a file and a line.

The file is composed once (``yaml.compose``-style) and the data constructed from that node tree;
a pydantic error ``loc`` such as ``('steps', 2, '<wait_for>', 'wait_for', 'timeout')`` is walked
down the same tree to the node it is about. Loc parts with no node (union tags) are skipped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from guiagent.errors import ScriptError
from guiagent.scripts.schema import TaskFile

Loc = Sequence[str | int]


@dataclass(frozen=True)
class YamlFile:
    """A file's display name (for messages and step sources), its node tree and its data."""

    display: str
    root: yaml.Node
    data: Any

    def locate(self, loc: Loc) -> tuple[int, str, int]:
        """The 1-based line of the node ``loc`` points at, a field path, and how deep it got."""
        node, field, depth = self.root, "", 0
        for part in loc:
            child = _child(node, part)
            if child is None:
                continue
            node, depth = child, depth + 1
            field += f"[{part}]" if isinstance(part, int) else (f".{part}" if field else str(part))
        return node.start_mark.line + 1, field, depth

    def error(self, message: str, loc: Loc = (), *, via: str = "") -> ScriptError:
        line, field, _ = self.locate(loc)
        suffix = f" (called from {via})" if via else ""
        return ScriptError(message + suffix, file=self.display, line=line, field=field or None)


def _child(node: yaml.Node, part: str | int) -> yaml.Node | None:
    children: list[tuple[object, yaml.Node]] = []
    if isinstance(node, yaml.MappingNode):
        children = [(k.value, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)]
    elif isinstance(node, yaml.SequenceNode):
        children = list(enumerate(node.value))
    wanted = str(part) if isinstance(node, yaml.MappingNode) else part
    return next((child for key, child in children if key == wanted), None)


def _check_duplicates(node: yaml.Node, display: str) -> None:
    """PyYAML keeps the last of two equal keys silently; a task file should not."""
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                if key.value in seen:
                    raise ScriptError(
                        f"duplicate key {key.value!r}", file=display, line=key.start_mark.line + 1
                    )
                seen.add(key.value)
            _check_duplicates(value, display)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _check_duplicates(item, display)


def read_yaml(text: str, display: str) -> YamlFile:
    """Compose and construct one YAML document; syntax errors become ScriptError with a line."""
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            raise ScriptError("the file is empty", file=display, line=1)
        _check_duplicates(root, display)
        data = loader.construct_document(root)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or "invalid YAML"
        if exc.context and exc.context_mark is not None and exc.context_mark is not mark:
            problem += f" ({exc.context} at line {exc.context_mark.line + 1})"
        raise ScriptError(f"YAML syntax error: {problem}", file=display, line=line) from exc
    except yaml.YAMLError as exc:
        raise ScriptError(f"cannot read YAML: {exc}", file=display) from exc
    finally:
        loader.dispose()
    return YamlFile(display=display, root=root, data=data)


def _message(err: ErrorDetails) -> str:
    if err["type"] == "extra_forbidden":
        return f"unknown key {err['loc'][-1]!r}"
    if err["type"] == "missing":
        return f"missing required key {err['loc'][-1]!r}"
    return err["msg"].removeprefix("Value error, ")


def error_loc(err: ErrorDetails) -> list[str | int]:
    """The loc of a pydantic error, plus the offending key when a custom error names one."""
    loc = list(err["loc"])
    ctx = err.get("ctx") or {}
    if isinstance(ctx.get("key"), str) and ctx["key"]:
        loc.append(ctx["key"])
    return loc


def validation_error(
    file: YamlFile, exc: ValidationError, prefix: Loc = (), via: str = "", tag: object = None
) -> ScriptError:
    """The most specific error (the one whose loc reaches deepest into the file) as ScriptError.

    ``prefix`` is where the validated value sits in the file; ``tag`` is a union tag that leads
    the locs (an action's ``type``) and names no node, so it is dropped before walking.
    """

    def loc_of(err: ErrorDetails) -> list[str | int]:
        loc = error_loc(err)
        return [*prefix, *(loc[1:] if tag is not None and loc[:1] == [tag] else loc)]

    best = max(exc.errors(), key=lambda err: file.locate(loc_of(err))[2])
    return file.error(_message(best), loc_of(best), via=via)


def parse_task_file(file: YamlFile, via: str = "") -> TaskFile:
    """Validate a task or skill file's data; errors name file, line and field."""
    if not isinstance(file.data, dict):
        raise file.error("a task file is a mapping with name, description, params and steps")
    try:
        return TaskFile.model_validate(file.data)
    except ValidationError as exc:
        raise validation_error(file, exc, via=via) from exc
