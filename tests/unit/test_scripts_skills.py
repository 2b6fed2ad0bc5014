"""The packaged skills: they load, say what they rely on, and expand into sensible steps."""

from __future__ import annotations

from pathlib import Path

import pytest

from guiagent.actions import Hotkey, Key, TypeText
from guiagent.agents.command_mode.steps import ActionStep, WaitForStep
from guiagent.errors import ScriptError
from guiagent.scripts.catalog import find_skills, user_skill_dir
from guiagent.scripts.loader import list_skills, load_skill

PACKAGED = {
    "open_app_and_wait",
    "save_as",
    "open_file",
    "search_in_app",
    "search_web",
    "new_document",
}
SKILLS = [Path(__file__).parents[1] / "data" / "scripts" / "skills"]


def test_packaged_skills_are_listed_with_their_params() -> None:
    infos = {s.name: s for s in list_skills()}
    assert set(infos) >= PACKAGED
    assert set(infos["save_as"].params) == {"path", "dialog", "timeout"}
    assert infos["save_as"].params["path"].required
    assert infos["save_as"].source == "skills/save_as.yaml"
    for info in infos.values():
        assert info.description, f"{info.name} should say what it relies on"
        assert info.title


def test_extra_skill_dirs_are_listed_first() -> None:
    infos = {s.name: s for s in list_skills(SKILLS)}
    assert {"fill_login", "submit"} <= set(infos)
    assert infos["save_as"].source == f"{SKILLS[0]}/save_as.yaml"


def test_save_as_selects_the_name_before_typing_and_waits_for_the_dialog_to_close() -> None:
    steps = load_skill("save_as", {"path": "/tmp/a b.txt"}).steps
    actions = [s.action for s in steps if isinstance(s, ActionStep)]
    assert actions == [
        Hotkey(keys=["ctrl", "shift", "s"]),
        Hotkey(keys=["ctrl", "a"]),
        TypeText(text="/tmp/a b.txt"),
        Key(key="enter"),
    ]
    waits = [s for s in steps if isinstance(s, WaitForStep)]
    assert [(w.target, w.gone) for w in waits] == [("Save As", False), ("Save As", True)]


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("open_app_and_wait", {"app": "mousepad", "window": "Mousepad"}),
        ("open_file", {"path": "/etc/hostname"}),
        ("search_in_app", {"text": "needle"}),
        ("search_web", {"query": "guiagent"}),
        ("new_document", {}),
    ],
)
def test_each_packaged_skill_expands(name: str, params: dict[str, str]) -> None:
    task = load_skill(name, params)
    assert task.steps
    assert all(s.source.startswith(f"skills/{name}.yaml:") for s in task.steps)


def test_load_skill_unknown_name() -> None:
    with pytest.raises(ScriptError, match="unknown skill 'nope'; known skills: .*save_as"):
        load_skill("nope")


def test_load_skill_recursion_is_caught_at_once() -> None:
    with pytest.raises(ScriptError, match="loop_a -> loop_b -> loop_a"):
        load_skill("loop_a", skill_dirs=SKILLS)


def test_user_skill_dir_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert user_skill_dir() == tmp_path / "guiagent" / "skills"


def test_missing_skill_dir_is_ignored(tmp_path: Path) -> None:
    assert set(find_skills([tmp_path / "absent"])) >= PACKAGED
