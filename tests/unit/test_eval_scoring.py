"""Metrics, getters, scoring (conj), skip reasons, results and merge, the CLI's eval parser."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guiagent.cli.main import build_parser
from guiagent.evaluation import metrics
from guiagent.evaluation.getters import GETTERS, EvalEnv
from guiagent.evaluation.providers.local import TaskSkipped, skip_reason
from guiagent.evaluation.results import (
    TaskResult,
    finished_ids,
    merge,
    read_results,
    summarise,
    task_dir,
    write_result,
)
from guiagent.evaluation.scoring import score
from guiagent.evaluation.tasks import EvalTask


def _env(tmp_path: Path) -> EvalEnv:
    home = tmp_path / "home"
    home.mkdir()
    return EvalEnv(home=home, env={"PATH": "/usr/bin:/bin", "HOME": str(home)}, work=tmp_path)


def _task(evaluator: dict[str, object], **extra: object) -> EvalTask:
    return EvalTask.model_validate({"id": "t", "instruction": "x", "evaluator": evaluator, **extra})


@pytest.mark.parametrize(
    ("name", "result", "expected", "want"),
    [
        ("exact_match", "100\n", {"expected": "100\n"}, 1.0),
        ("exact_match", "99\n", {"expected": "100\n"}, 0.0),
        ("check_include_exclude", "43 132", {"include": ["43 132"], "exclude": []}, 1.0),
        ("check_include_exclude", "43 132 err", {"include": ["43"], "exclude": ["err"]}, 0.0),
        ("match_in_list", "b", {"expected": ["a", "b"]}, 1.0),
        ("is_in_list", ["a", "b"], {"expected": "b"}, 1.0),
        ("literal_match", "ABC", {"expected": "abc"}, 0.0),
        ("check_direct_json_object", '{"a": 1, "b": 2}', {"expected": {"a": 1}}, 1.0),
        ("check_json_settings", {"a": {"b": 1}, "c": 2}, {"expected": {"a": {"b": 1}}}, 1.0),
        ("check_json_settings", "not json", {"expected": {"a": 1}}, 0.0),
        ("check_moved_jpgs", ["b.jpg", "a.jpg"], {"expected": ["a.jpg", "b.jpg"]}, 1.0),
    ],
)
def test_metrics(name: str, result: object, expected: object, want: float) -> None:
    assert metrics.METRICS[name](result, expected) == want


def test_fuzzy_literal_options_and_text_files(tmp_path: Path) -> None:
    assert metrics.fuzzy_match("milk and egs", {"expected": "milk and eggs"}) > 0.9
    assert metrics.literal_match("ABC", {"expected": "abc"}, ignore_case=True) == 1.0
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("x\n")
    b.write_text("x\n")
    assert metrics.compare_text_file(a, b) == 1.0
    assert metrics.compare_text_file(None, b) == 0.0
    assert metrics.combine([1.0, 0.0], "and") == 0.0
    assert metrics.combine([1.0, 0.0], "or") == 1.0


def test_getters_read_the_private_home(tmp_path: Path) -> None:
    env = _env(tmp_path)
    (env.home / "f.txt").write_text("hi")
    assert GETTERS["vm_file"](env, {"path": "~/f.txt"}) == env.home / "f.txt"
    assert GETTERS["vm_file"](env, {"path": "missing.txt"}) is None
    assert GETTERS["vm_command_line"](env, {"command": "cat ~/f.txt", "shell": True}) == "hi"
    assert GETTERS["list_directory"](env, {"path": str(env.home)}) == ["f.txt"]
    assert GETTERS["rule"](env, {"rules": {"expected": 1}}) == {"expected": 1}
    env.terminal_logs.mkdir()
    (env.terminal_logs / "xterm.log").write_text("\x1b[?2004h$ stty size\r\n43 132\r\n")
    assert GETTERS["vm_terminal_output"](env, {}) == "$ stty size\n43 132\n"


def test_cloud_file_comes_from_the_cache_or_skips(tmp_path: Path) -> None:
    env = _env(tmp_path)
    with pytest.raises(Exception, match="needs network"):
        GETTERS["cloud_file"](env, {"path": "https://example.org/x/a.txt"})
    env.cache_dir = tmp_path / "cache"
    (env.cache_dir / "example.org/x").mkdir(parents=True)
    (env.cache_dir / "example.org/x/a.txt").write_text("a")
    assert GETTERS["cloud_file"](env, {"path": "https://example.org/x/a.txt"}).read_text() == "a"


def test_scoring_zips_lists_and_applies_conj(tmp_path: Path) -> None:
    env = _env(tmp_path)
    rule = {"type": "rule", "rules": {"expected": "yes\n"}}
    cmd = {"type": "vm_command_line", "command": "echo yes", "shell": True}
    both = {"func": ["exact_match", "exact_match"], "result": [cmd, cmd]}
    assert score(_task({**both, "expected": [rule, rule]}), env, agent_gave_up=False) == 1.0
    bad = {"type": "rule", "rules": {"expected": "no\n"}}
    assert score(_task({**both, "expected": [rule, bad]}), env, agent_gave_up=False) == 0.0
    either = {**both, "expected": [rule, bad], "conj": "or"}
    assert score(_task(either), env, agent_gave_up=False) == 1.0
    assert score(_task({"func": "infeasible"}), env, agent_gave_up=True) == 1.0
    assert score(_task({"func": "infeasible"}), env, agent_gave_up=False) == 0.0
    with pytest.raises(TaskSkipped, match="getter nope not implemented"):
        score(_task({"func": "exact_match", "result": {"type": "nope"}}), env, agent_gave_up=False)


def test_skip_reasons_name_what_is_missing() -> None:
    net = {"type": "download", "parameters": {"files": [{"url": "https://h/x", "path": "x"}]}}
    ok = {"func": "exact_match", "result": {"type": "rule"}, "expected": {"type": "rule"}}
    assert skip_reason(_task(ok, config=[net])) == "needs network: downloads https://h/x"
    login = {"type": "googledrive", "parameters": {}}
    assert "Google account" in str(skip_reason(_task(ok, config=[login])))
    app = {"type": "launch", "parameters": {"command": ["no-such-app-xyz"]}}
    assert skip_reason(_task(ok, config=[app])) == "app not installed: no-such-app-xyz"
    assert skip_reason(_task({**ok, "func": "is_utc_0"})) == "metric is_utc_0 not implemented"
    local = {"type": "download", "parameters": {"files": [{"url": "file:///x", "path": "x"}]}}
    assert skip_reason(_task(ok, config=[local])) is None


def test_results_resume_and_merge(tmp_path: Path) -> None:
    a, b, out = tmp_path / "a", tmp_path / "b", tmp_path / "out"
    write_result(a, TaskResult(id="miniwob:x#0", domain="miniwob", status="ran", score=1))
    (task_dir(a, "miniwob:x#0") / "run1").mkdir()
    write_result(
        a,
        TaskResult(id="t2", domain="os", status="ran", trajectory=str(task_dir(a, "t2") / "run1")),
    )
    write_result(b, TaskResult(id="t3", domain="os", status="skipped", skip_reason="needs x"))
    assert finished_ids(a) == {"miniwob:x#0", "t2"}
    merged = merge([a, b], out)
    assert {r.id for r in read_results(out)} == {"miniwob:x#0", "t2", "t3"}
    moved = next(r for r in merged if r.id == "t2").trajectory
    assert moved is not None and moved.startswith(str(out))
    table = summarise(merged)
    assert table["os"]["skipped"] == 1 and table["all"]["tasks"] == 3
    assert table["all"]["score"] == 0.5  # mean over the two that ran


def test_eval_cli_parses() -> None:
    args = build_parser().parse_args(
        ["eval", "run", "desktop", "--workers", "2", "--out", "o", "--shard", "1/2"]
    )
    assert (args.eval_command, args.workers, args.max_steps, args.agent) == (
        "run",
        2,
        15,
        "command",
    )
    assert build_parser().parse_args(["eval", "merge", "a", "b", "--out", "o"]).dirs == [
        Path("a"),
        Path("b"),
    ]
    assert json.loads(json.dumps(args.tasks)) == ["desktop"]


def test_miniwob_episodes_go_through_the_miniwob_suite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from guiagent.evaluation import miniwob, worker

    seen: dict[str, object] = {}

    def fake(task: str, seed: int, **kwargs: object) -> object:
        seen.update(kwargs, task=task, seed=seed)
        return miniwob.EpisodeOutcome(
            task_id=task, seed=seed, score=1.0, raw_reward=1.0, steps=3, seconds=1.5
        )

    monkeypatch.setattr(miniwob, "run_miniwob_episode", fake)
    opts = worker.Options(out=tmp_path, agent="command", grounding="vision", yes=True)
    result = worker.run_miniwob("click-button", 4, opts)
    assert (result.id, result.status, result.score, result.steps) == (
        "miniwob:click-button#4",
        "ran",
        1.0,
        3,
    )
    assert (seen["task"], seen["seed"], seen["grounding"], seen["yes"]) == (
        "click-button",
        4,
        "vision",
        True,
    )
