"""OSWorld task files read as they are (JSON, or the same schema in YAML), and the loader that
turns command-line task specs (files, folders, globs, ``miniwob:TASK``) into a task list.

A file that does not validate is not fatal to a run: the loader returns it as a
:class:`BrokenTask` carrying the ScriptError (file, line, field), and the run reports it as an
error while the other tasks go on.
"""

from __future__ import annotations

import glob
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from guiagent.errors import ScriptError
from guiagent.scripts.yamlfile import read_yaml, validation_error


class Step(BaseModel):
    """One setup / postconfig step: ``{"type": "execute", "parameters": {...}}``."""

    model_config = ConfigDict(extra="allow")
    type: str
    parameters: dict[str, Any] = Field(default_factory=dict)


class Getter(BaseModel):
    """A result / expected getter: ``type`` plus its own parameters as sibling keys."""

    model_config = ConfigDict(extra="allow")
    type: str

    @property
    def params(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


class Evaluator(BaseModel):
    model_config = ConfigDict(extra="allow")
    func: str | list[str]
    conj: Literal["and", "or"] = "and"
    result: Getter | list[Getter] | None = None
    expected: Getter | list[Getter] | None = None
    options: dict[str, Any] | list[dict[str, Any]] | None = None
    postconfig: list[Step] = Field(default_factory=list)

    @property
    def funcs(self) -> list[str]:
        return self.func if isinstance(self.func, list) else [self.func]

    def _nth(self, value: Any, i: int) -> Any:
        return value[i] if isinstance(value, list) else value

    def parts(self) -> list[tuple[str, Getter | None, Getter | None, dict[str, Any]]]:
        """(metric, result getter, expected getter, options) per metric, lists zipped."""
        out = []
        for i, name in enumerate(self.funcs):
            options = self._nth(self.options, i) if self.options is not None else None
            out.append(
                (name, self._nth(self.result, i), self._nth(self.expected, i), options or {})
            )
        return out


class EvalTask(BaseModel):
    """One OSWorld task. Unknown keys are kept (the schema grows); required: id, instruction,
    evaluator."""

    model_config = ConfigDict(extra="allow")
    id: str = Field(min_length=1)
    snapshot: str = ""
    instruction: str = Field(min_length=1)
    source: str | list[str] = ""
    config: list[Step] = Field(default_factory=list)
    trajectory: str | None = None
    related_apps: list[str] = Field(default_factory=list)
    evaluator: Evaluator
    proxy: bool = False
    fixed_ip: bool = False
    possibility_of_env_change: str | None = None
    # filled by the loader, not by the file
    domain: str = ""
    path: str = ""


# -- substitutions -----------------------------------------------------------------------------
_PLACEHOLDER = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")


def placeholders(width: int, height: int, home: str, task_dir: str = "") -> dict[str, str]:
    """The ``{NAME}`` values a task file may use: OSWorld's screen ones, plus ``{HOME}`` and
    ``{TASK_DIR}`` (the task file's folder, for helper apps shipped next to it)."""
    return {
        "TASK_DIR": task_dir,
        "SCREEN_WIDTH": str(width),
        "SCREEN_HEIGHT": str(height),
        "SCREEN_WIDTH_HALF": str(width // 2),
        "SCREEN_HEIGHT_HALF": str(height // 2),
        "HOME": home,
    }


def substitute(value: Any, values: dict[str, str], home_from: str = "", home_to: str = "") -> Any:
    """Replace known ``{NAME}`` placeholders (and the ``home_from`` prefix, e.g. OSWorld's
    /home/user) in every string of ``value``; unknown braces (code, JSON) are left alone."""
    if isinstance(value, str):
        out = _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), value)
        if home_from and home_to:
            out = out.replace(home_from, home_to)
        return out
    if isinstance(value, list):
        return [substitute(v, values, home_from, home_to) for v in value]
    if isinstance(value, dict):
        return {k: substitute(v, values, home_from, home_to) for k, v in value.items()}
    return value


def resolve(task: EvalTask, values: dict[str, str], home_from: str, home_to: str) -> EvalTask:
    """A copy of ``task`` with config and evaluator substituted."""
    data = task.model_dump(mode="json")
    for key in ("config", "evaluator", "instruction"):
        data[key] = substitute(data[key], values, home_from, home_to)
    return EvalTask.model_validate(data)


# -- reading files -----------------------------------------------------------------------------
def read_task(path: Path, domain: str | None = None) -> EvalTask:
    """Read and validate one task file; ScriptError names the file, line and field."""
    display = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScriptError(f"cannot read the file: {exc.strerror}", file=display) from exc
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ScriptError(f"invalid JSON: {exc.msg}", file=display, line=exc.lineno) from exc
    else:
        data = read_yaml(text, display).data
    if not isinstance(data, dict):
        raise ScriptError(
            "a task file holds one object with id, instruction, evaluator", file=display
        )
    try:
        task = EvalTask.model_validate(data)
    except ValidationError as exc:
        try:  # JSON is YAML: its node tree gives the line of the bad field
            raise validation_error(read_yaml(text, display), exc) from exc
        except ScriptError as located:
            if located.line is not None:
                raise
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise ScriptError(first["msg"], file=display, field=field) from exc
    task.domain = domain or data.get("domain") or path.parent.name or task.snapshot
    task.path = str(path.resolve())  # workers change directory before {TASK_DIR} is filled in
    return task


# -- the loader --------------------------------------------------------------------------------
@dataclass(frozen=True)
class BrokenTask:
    """A task file that did not validate: reported as an error, never silently dropped."""

    id: str
    domain: str
    path: str
    error: ScriptError


@dataclass(frozen=True)
class MiniwobTask:
    """A MiniWoB++ episode (task and seed), handed to the MiniWoB suite."""

    name: str
    seed: int = 0

    @property
    def id(self) -> str:
        return f"miniwob:{self.name}#{self.seed}"

    domain = "miniwob"


TaskItem = EvalTask | BrokenTask | MiniwobTask
TASK_SUFFIXES = (".json", ".yaml", ".yml")


def _files(spec: str) -> list[Path]:
    path = Path(spec).expanduser()
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.suffix.lower() in TASK_SUFFIXES)
    if path.exists():
        return [path]
    matches = sorted(Path(p) for p in glob.glob(str(path), recursive=True))
    if not matches:
        raise ScriptError("no such file, folder or glob match", file=spec)
    return [p for p in matches if p.is_file()]


def _miniwob_names(name: str) -> list[str]:
    if name != "all":
        return [name]
    from guiagent.evaluation.miniwob_pages import task_names

    return task_names()


def load_tasks(specs: Iterable[str], *, episodes: int = 1, seed: int = 0) -> list[TaskItem]:
    """Files, folders (recursively), globs and ``miniwob:TASK`` / ``miniwob:all`` (``episodes``
    seeds from ``seed`` each), in order; duplicates (same id) are kept once. Shipped suites
    resolve by name (``desktop``)."""
    items: list[TaskItem] = []
    seen: set[str] = set()
    for spec in specs:
        found: list[TaskItem] = []
        if spec.startswith("miniwob:"):
            names = _miniwob_names(spec.partition(":")[2])
            found = [MiniwobTask(n, seed + k) for n in names for k in range(episodes)]
        else:
            shipped = Path(__file__).parent / "suites" / spec
            source = str(shipped) if not Path(spec).exists() and shipped.is_dir() else spec
            for path in _files(source):
                try:
                    found.append(read_task(path))
                except ScriptError as exc:
                    found.append(BrokenTask(path.stem, path.parent.name, str(path), exc))
        for item in found:
            if item.id not in seen:
                seen.add(item.id)
                items.append(item)
    return items


def shard(items: list[TaskItem], index: int, count: int) -> list[TaskItem]:
    """Shard ``index`` (1-based) of ``count``: every count-th task, so shards stay balanced."""
    return items[index - 1 :: count]
