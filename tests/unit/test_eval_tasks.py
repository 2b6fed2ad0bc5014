"""OSWorld task files: the real schema, YAML, substitutions, errors naming file and field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guiagent.errors import ScriptError
from guiagent.evaluation.providers.local import skip_reason
from guiagent.evaluation.tasks import (
    BrokenTask,
    EvalTask,
    MiniwobTask,
    load_tasks,
    placeholders,
    read_task,
    resolve,
    shard,
)

OSWORLD = Path("/work/shared/osworld/examples")
TASK = {
    "id": "t1",
    "snapshot": "os",
    "instruction": "open xterm",
    "config": [
        {"type": "execute", "parameters": {"command": ["python", "-c", "x({SCREEN_WIDTH_HALF})"]}}
    ],
    "evaluator": {
        "func": ["exact_match", "check_include_exclude"],
        "conj": "or",
        "result": [
            {"type": "vm_command_line", "command": "cat /home/user/a.txt", "shell": True},
            {"type": "vm_file", "path": "/home/user/b.txt"},
        ],
        "expected": [
            {"type": "rule", "rules": {"expected": "x"}},
            {"type": "rule", "rules": {"include": ["y"]}},
        ],
    },
}


def _write(tmp_path: Path, name: str, data: object) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, indent=2) if name.endswith(".json") else str(data))
    return path


def test_reads_json_and_zips_evaluator_lists(tmp_path: Path) -> None:
    task = read_task(_write(tmp_path, "t1.json", TASK))
    assert task.domain == tmp_path.name
    parts = task.evaluator.parts()
    assert [p[0] for p in parts] == ["exact_match", "check_include_exclude"]
    assert parts[1][1] is not None and parts[1][1].params == {"path": "/home/user/b.txt"}


def test_a_relative_task_path_is_kept_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers change into the task's HOME before {TASK_DIR} is filled in from the path."""
    _write(tmp_path, "t1.json", TASK)
    monkeypatch.chdir(tmp_path)
    task = read_task(Path("t1.json"))
    assert task.path == str(tmp_path / "t1.json")
    monkeypatch.chdir("/")
    folder = str(Path(task.path).parent)
    assert placeholders(1280, 800, "/home/x", folder)["TASK_DIR"] == str(tmp_path)


def test_reads_the_same_schema_in_yaml(tmp_path: Path) -> None:
    text = (
        "id: y1\ninstruction: press enter\nevaluator:\n  func: exact_match\n"
        "  result: {type: rule, rules: {expected: 1}}\n"
        "  expected: {type: rule, rules: {expected: 1}}\n"
    )
    task = read_task(_write(tmp_path, "y1.yaml", text))
    assert task.id == "y1" and task.evaluator.funcs == ["exact_match"]


def test_substitutions_touch_placeholders_and_home_only(tmp_path: Path) -> None:
    task = read_task(_write(tmp_path, "t1.json", TASK))
    done = resolve(task, placeholders(1280, 800, "/h"), "/home/user", "/h")
    assert done.config[0].parameters["command"][2] == "x(640)"
    result = done.evaluator.result
    assert isinstance(result, list) and result[0].params["command"] == "cat /h/a.txt"
    assert resolve(task, {}, "", "").config[0].parameters["command"][2] == "x({SCREEN_WIDTH_HALF})"


def test_a_missing_field_names_file_line_and_field(tmp_path: Path) -> None:
    bad = json.loads(json.dumps(TASK))
    del bad["evaluator"]["func"]
    path = _write(tmp_path, "bad.json", bad)
    with pytest.raises(ScriptError) as err:
        read_task(path)
    assert err.value.file == str(path) and err.value.field == "evaluator"
    assert err.value.line is not None and "func" in str(err.value)


def test_invalid_json_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"id": "x",\n  "instruction": }')
    with pytest.raises(ScriptError) as err:
        read_task(path)
    assert err.value.line == 2


def test_loader_takes_folders_globs_and_keeps_broken_files(tmp_path: Path) -> None:
    _write(tmp_path, "t1.json", TASK)
    _write(tmp_path, "t2.json", {**TASK, "id": "t2"})
    (tmp_path / "bad.json").write_text("{")
    items = load_tasks([str(tmp_path), str(tmp_path / "t*.json")])
    assert [i.id for i in items] == ["bad", "t1", "t2"]
    assert isinstance(items[0], BrokenTask) and items[0].error.line == 1
    assert [i.id for i in shard(items, 2, 2)] == ["t1"]
    with pytest.raises(ScriptError):
        load_tasks([str(tmp_path / "nothing-*.json")])


def test_miniwob_ids_expand_to_episodes() -> None:
    items = load_tasks(["miniwob:click-button"], episodes=2, seed=5)
    assert items == [MiniwobTask("click-button", 5), MiniwobTask("click-button", 6)]
    assert items[0].id == "miniwob:click-button#5"


def test_shipped_desktop_suite_resolves_by_name() -> None:
    items = load_tasks(["desktop"])
    assert len(items) >= 20
    assert all(isinstance(i, EvalTask) and skip_reason(i) is None for i in items)


@pytest.mark.skipif(not OSWORLD.is_dir(), reason="the OSWorld reference files are not here")
def test_every_osworld_file_validates_and_gets_a_verdict() -> None:
    items = load_tasks([str(OSWORLD)])
    assert len(items) == 369 and not any(isinstance(i, BrokenTask) for i in items)
    reasons = {i.id: skip_reason(i) for i in items if isinstance(i, EvalTask)}
    needs_net = [r for r in reasons.values() if r and r.startswith("needs network")]
    assert len(needs_net) > 100
    assert reasons["23393935-50c7-4a86-aeea-2b78fd089c5c"] == (
        "needs network: downloads https://huggingface.co/datasets/xlangai/ubuntu_osworld_file_cache"
        "/resolve/main/os/23393935-50c7-4a86-aeea-2b78fd089c5c/monk252520thailand252520wat252520"
        "arun252520scaled25255B225255D.jpg"
    )
