"""Where skills come from: the packaged ``guiagent.skills`` folder and the caller's skill dirs.

A skill is called by its file name without ``.yaml``. Folders given by the caller (for example
``~/.config/guiagent/skills``, see :func:`user_skill_dir`) come first, so a person can override a
packaged skill by writing one with the same name.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path


@dataclass(frozen=True)
class SkillSource:
    name: str
    display: str
    file: Traversable

    def read(self) -> str:
        return self.file.read_text(encoding="utf-8")


def user_skill_dir() -> Path:
    """``$XDG_CONFIG_HOME/guiagent/skills`` (``~/.config/guiagent/skills``); may not exist."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "guiagent" / "skills"


def _yaml_files(folder: Traversable) -> list[Traversable]:
    if not folder.is_dir():
        return []
    found = [f for f in folder.iterdir() if f.is_file() and f.name.endswith((".yaml", ".yml"))]
    return sorted(found, key=lambda f: f.name)


def find_skills(skill_dirs: Sequence[Path] = ()) -> dict[str, SkillSource]:
    """Every skill by name; earlier folders win, the packaged skills come last."""
    catalog: dict[str, SkillSource] = {}
    folders: list[tuple[Traversable, str]] = [(Path(d), str(d)) for d in skill_dirs]
    folders.append((resources.files("guiagent.skills"), "skills"))
    for folder, shown in folders:
        for file in _yaml_files(folder):
            name = file.name.rsplit(".", 1)[0]
            catalog.setdefault(name, SkillSource(name, f"{shown}/{file.name}", file))
    return catalog
