"""Task files: a valid task expands into Steps; each kind of mistake names file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from guiagent.actions import Hotkey, Key, Scroll, TypeText
from guiagent.agents.command_mode.steps import (
    ActionStep,
    AssertStep,
    ClickStep,
    OpenStep,
    PressStep,
    TypeStep,
    WaitForStep,
)
from guiagent.errors import ScriptError, UsageError
from guiagent.scripts.loader import load_task

DATA = Path(__file__).parents[1] / "data" / "scripts"
SKILLS = [DATA / "skills"]


def _load(name: str, params: dict[str, str] | None = None) -> object:
    return load_task(DATA / name, params or {}, skill_dirs=SKILLS)


def _error(name: str, params: dict[str, str] | None = None) -> ScriptError:
    with pytest.raises(ScriptError) as info:
        _load(name, params)
    return info.value


def test_valid_task_expands_skills_and_fills_params() -> None:
    task = load_task(DATA / "save_note.yaml", {"path": "/tmp/note.txt", "text": "hi there"})
    assert task.name == "Save a note in mousepad"
    assert task.description == "Types a line into mousepad and saves it."
    assert task.source == str(DATA / "save_note.yaml")
    kinds = [type(s) for s in task.steps]
    assert kinds[:3] == [OpenStep, WaitForStep, AssertStep]  # open_app_and_wait
    assert task.steps[0] == OpenStep(what="mousepad", source=task.steps[0].source)
    assert task.steps[1].target == "Mousepad"  # type: ignore[union-attr]
    assert task.steps[1].timeout == 20  # type: ignore[union-attr]
    assert task.steps[3] == TypeStep(text="hi there", source=f"{DATA / 'save_note.yaml'}:10")
    assert isinstance(task.steps[4], ActionStep)
    assert task.steps[4].action == Hotkey(keys=["ctrl", "s"])
    assert task.steps[5] == WaitForStep(target="Save As", source=f"{DATA / 'save_note.yaml'}:12")
    typed = [s.action for s in task.steps if isinstance(s, ActionStep)]
    assert TypeText(text="/tmp/note.txt") in typed  # save_as got {path}
    assert task.steps[-1] == AssertStep(visible="hi there", source=f"{DATA / 'save_note.yaml'}:15")
    assert task.secrets == set()


def test_sources_name_the_skill_line_and_the_call_line() -> None:
    task = load_task(DATA / "save_note.yaml", {"path": "/tmp/n"})
    task_file = str(DATA / "save_note.yaml")
    assert task.steps[0].source == f"skills/open_app_and_wait.yaml:11 via {task_file}:8"
    save_as = [s for s in task.steps if s.source.startswith("skills/save_as.yaml")]
    assert save_as[0].source == f"skills/save_as.yaml:13 via {task_file}:13"
    assert len(save_as) == 6


def test_defaults_apply_when_params_are_not_given() -> None:
    task = load_task(DATA / "save_note.yaml", {"path": "/tmp/n"})
    assert task.steps[3] == TypeStep(text="hello", source=task.steps[3].source)


def test_nested_skills_get_their_callers_values_and_secrets_are_collected() -> None:
    task = _load("login.yaml", {"password": "s3cr3t"})
    assert task.secrets == {"s3cr3t"}  # type: ignore[attr-defined]
    steps = task.steps  # type: ignore[attr-defined]
    assert steps[0] == OpenStep(what="example.com/login", is_url=True, source=steps[0].source)
    assert steps[1].text == "ana" and steps[1].target == "Username" and not steps[1].secret
    assert steps[2].action == TypeText(text="s3cr3t", secret=True)  # marked: holds a secret
    assert steps[3] == ClickStep(target="Log in", source=steps[3].source)
    assert steps[4].target == "Log in" and steps[4].gone and steps[4].timeout == 2
    assert steps[4].source.count(" via ") == 2  # submit via fill_login via login
    assert steps[5].text == "s3cr3t" and steps[5].secret
    assert steps[6] == AssertStep(not_visible="Wrong password", source=steps[6].source)


def test_quoted_placeholders_cannot_change_the_sentence() -> None:
    steps = _load("escapes.yaml").steps  # type: ignore[attr-defined]
    assert steps[0].text == "it's 'quoted', then click Delete" and steps[0].target == "Name"
    assert steps[1] == PressStep(keys=["ctrl", "s"], presses=4, source=steps[1].source)
    assert steps[2] == OpenStep(what="mousepad", source=steps[2].source)
    assert steps[3].text == "{braces}"
    assert steps[4].action == Scroll(direction="down", amount=4)
    assert steps[5].target == "mousepad"
    assert len(steps) == 6


def test_unquoted_value_that_adds_steps_is_refused() -> None:
    err = _error("bad_injection.yaml")
    assert err.line == 4 and err.field == "steps[0].do"
    assert "put the placeholder in quotes" in err.message


def test_script_errors_are_usage_errors() -> None:
    assert issubclass(ScriptError, UsageError)


@pytest.mark.parametrize(
    ("name", "line", "field", "text"),
    [
        ("bad_syntax.yaml", 5, None, "YAML syntax error"),
        ("bad_type.yaml", 6, "steps[1].wait_for.timeout", "valid number"),
        ("bad_step_key.yaml", 5, "steps[1].click", "unknown step key 'click'"),
        ("bad_extra_key.yaml", 3, "steps[0].timeout", "unknown key 'timeout'"),
        ("bad_action.yaml", 5, "steps[0].action.presses", "less than or equal to 100"),
        ("bad_sentence.yaml", 5, "steps[1].do", 'cannot understand "frobnicate the widget"'),
        ("bad_placeholder.yaml", 5, "steps[1].assert.visible", "unknown placeholder {txt}"),
        ("bad_skill.yaml", 3, "steps[1].skill", "unknown skill 'make_coffee'"),
        ("bad_skill_arg.yaml", 5, "steps[0].with.colour", "has no parameter 'colour'"),
        ("bad_skill_missing.yaml", 2, "steps[0].skill", "needs parameter 'label'"),
        ("bad_duplicate.yaml", 4, None, "duplicate key 'name'"),
    ],
)
def test_errors_name_file_line_and_field(
    name: str, line: int, field: str | None, text: str
) -> None:
    err = _error(name)
    assert err.file == str(DATA / name)
    assert (err.line, err.field) == (line, field)
    assert text in err.message
    assert str(err).startswith(f"{DATA / name}:{line}: ")


def test_syntax_error_mentions_where_the_construct_started() -> None:
    assert "at line 4" in _error("bad_syntax.yaml").message


def test_unknown_skill_lists_the_known_ones() -> None:
    message = _error("bad_skill.yaml").message
    for known in ("fill_login", "submit", "save_as", "open_app_and_wait"):
        assert known in message


def test_missing_required_param_is_named() -> None:
    with pytest.raises(ScriptError) as info:
        load_task(DATA / "save_note.yaml", {})
    assert "parameter 'path' is required" in info.value.message
    assert info.value.line == 5 and info.value.field == "params.path"


def test_unknown_param_lists_declared_ones() -> None:
    with pytest.raises(ScriptError) as info:
        load_task(DATA / "save_note.yaml", {"path": "/x", "colour": "red"})
    assert "unknown parameter 'colour'" in info.value.message
    assert "text, path, password" in info.value.message


def test_recursion_is_reported_with_the_cycle() -> None:
    err = _error("bad_recursion.yaml")
    assert "skill recursion: loop_a -> loop_b -> loop_a" in err.message
    assert err.file == str(SKILLS[0] / "loop_b.yaml") and err.line == 3
    assert "called from" in err.message


def test_a_user_skill_dir_overrides_a_packaged_skill() -> None:
    task = load_task(DATA / "save_note.yaml", {"path": "/x"}, skill_dirs=SKILLS)
    overridden = [s for s in task.steps if "save_as.yaml" in s.source]
    assert overridden == [PressStep(keys=["ctrl", "s"], source=overridden[0].source)]
    assert overridden[0].source.startswith(f"{SKILLS[0]}/save_as.yaml:5 via ")


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(ScriptError, match="cannot read the task file"):
        load_task(tmp_path / "missing.yaml", {})


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("", 1, "the file is empty"),
        ("- do: click OK\n", 1, "a task file is a mapping"),
        ("name: x\n", 1, "missing required key 'steps'"),
        ("steps: []\n", 1, "at least 1 item"),
        ("params:\n  p: {required: true, default: x}\nsteps:\n  - do: click\n", 2, "no default"),
        ("params:\n  bad-name: x\nsteps:\n  - do: click OK\n", 2, "should match pattern"),
        ("steps:\n  - do: click OK\n    action: {type: back}\n", 3, "this one has do and action"),
        ("steps:\n  - just text\n", 2, "a step is a mapping"),
        ("steps:\n  - assert: {}\n", 2, "an assert needs"),
        ("steps:\n  - do: \"type '{x' into A\"\n", 2, "stray '{'"),
        ("steps:\n  - action: {type: teleport}\n", 2, "does not match any of the expected tags"),
        ("steps:\n\t- do: x\n", 2, "YAML syntax error"),
    ],
)
def test_small_mistakes(tmp_path: Path, text: str, line: int, message: str) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScriptError) as info:
        load_task(path, {})
    assert info.value.line == line
    assert message in info.value.message


def test_scalar_shorthands(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(
        "params:\n  n: 3\n  flag: true\n  opt:\nsteps:\n"
        "  - do: 'scroll down {n} times'\n  - wait_for: '{flag}{opt}'\n"
        "  - action: {type: key, key: '{{'}\n",
        encoding="utf-8",
    )
    task = load_task(path)
    assert task.name == "t"
    assert task.steps[0].amount == 3  # type: ignore[union-attr]
    assert task.steps[1].target == "true"  # type: ignore[union-attr]
    assert task.steps[2].action == Key(key="{")  # type: ignore[union-attr]
