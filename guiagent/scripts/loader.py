"""Scripted tasks and skills: YAML files that expand into the same Steps command mode produces.

A task file::

    name: Save a note in mousepad
    description: Opens mousepad, types a line and saves it under PATH.
    params:
      text: {default: "hello", description: "what to type"}
      path: {required: true, description: "where to save"}
      password: {required: false, secret: true}
    steps:
      - skill: open_app_and_wait            # a skill call, with arguments
        with: {app: mousepad, window: Mousepad}
      - do: "type '{text}'"                 # a command-mode sentence (see COMMAND_FORMS)
      - action: {type: hotkey, keys: [ctrl, s]}   # a raw Action, as guiagent.actions defines
      - wait_for: "Save As"                 # or {target: ..., timeout: 10, gone: false}
      - do: "type '{path}' into Name then press enter"
      - assert: {visible: "{text}"}         # or not_visible / window_title

Parameters: ``{name}`` is replaced by the value given (``--param name=value``), else the
default, else "" for an optional one; ``{{`` and ``}}`` are literal braces. Substitution is
plain text replacement of declared names, never evaluation. In a ``do:`` sentence a placeholder
inside quotes is filled after parsing, so its value cannot add steps. Values of ``secret: true``
parameters are collected in ``LoadedTask.secrets`` and any typing that contains one is marked
secret (redacted in logs).

Skills are files of the same format, called by file name from the caller's ``skill_dirs``
(e.g. :func:`user_skill_dir`) or the packaged ``guiagent.skills``. Every error names the file,
the line and the field.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from guiagent.agents.command_mode.steps import Step
from guiagent.errors import ScriptError
from guiagent.scripts.catalog import find_skills, user_skill_dir
from guiagent.scripts.expand import Expander, mark_secret, resolve_params
from guiagent.scripts.schema import ParamSpec, TaskFile
from guiagent.scripts.yamlfile import YamlFile, parse_task_file, read_yaml

__all__ = ["LoadedTask", "SkillInfo", "list_skills", "load_skill", "load_task", "user_skill_dir"]


@dataclass(frozen=True)
class LoadedTask:
    """A task ready to run: every skill call expanded, every placeholder filled."""

    name: str
    description: str
    steps: list[Step]
    secrets: set[str] = field(repr=False)
    source: str


@dataclass(frozen=True)
class SkillInfo:
    name: str
    title: str
    description: str
    params: dict[str, ParamSpec]
    source: str


def _expand(
    file: YamlFile,
    spec: TaskFile,
    params: Mapping[str, str],
    expander: Expander,
    title: str,
    stack: tuple[str, ...] = (),
) -> LoadedTask:
    unknown = sorted(set(params) - set(spec.params))
    if unknown:
        declared = ", ".join(spec.params) or "no parameters"
        raise file.error(
            f"unknown parameter {unknown[0]!r}; this file declares: {declared}", ["params"]
        )
    values, missing = resolve_params(spec.params, params)
    if missing:
        raise file.error(f"parameter {missing[0]!r} is required: pass {missing[0]}=VALUE",
                         ["params", missing[0]])  # fmt: skip
    expander.add_secrets(spec.params, values)
    steps = expander.expand(file, spec, values, stack=stack)
    return LoadedTask(
        name=spec.name or title,
        description=spec.description,
        steps=[mark_secret(step, expander.secrets) for step in steps],
        secrets=set(expander.secrets),
        source=file.display,
    )


def load_task(
    path: str | Path, params: Mapping[str, str] | None = None, *, skill_dirs: Sequence[Path] = ()
) -> LoadedTask:
    """Read, validate and expand a task file. Raises ScriptError naming file, line and field."""
    shown = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScriptError(f"cannot read the task file: {exc}", file=shown) from exc
    file = read_yaml(text, shown)
    spec = parse_task_file(file)
    return _expand(file, spec, params or {}, Expander(find_skills(skill_dirs)), Path(path).stem)


def load_skill(
    name: str, params: Mapping[str, str] | None = None, *, skill_dirs: Sequence[Path] = ()
) -> LoadedTask:
    """Expand one skill by name, as the planner or the CLI would call it."""
    expander = Expander(find_skills(skill_dirs))
    if name not in expander.skills:
        known = ", ".join(sorted(expander.skills)) or "none"
        raise ScriptError(f"unknown skill {name!r}; known skills: {known}", file="skills")
    file, spec = expander.skill(name)
    return _expand(file, spec, params or {}, expander, name, stack=(name,))


def list_skills(skill_dirs: Sequence[Path] = ()) -> list[SkillInfo]:
    """Every skill that a task can call, by name; a skill file that does not validate raises."""
    found = []
    for name, source in sorted(find_skills(skill_dirs).items()):
        spec = parse_task_file(read_yaml(source.read(), source.display))
        title = spec.name or name
        found.append(SkillInfo(name, title, spec.description, dict(spec.params), source.display))
    return found
