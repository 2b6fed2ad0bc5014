"""The ScreenSpot reader, the hit rule and the figures of ``guiagent bench grounding``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guiagent.cli.main import main
from guiagent.errors import PerceptionError, UsageError
from guiagent.evaluation.grounding_bench import Target, load_targets, run_bench
from guiagent.observation import Box, Element, Screen
from guiagent.perception.ground import Grounder


def _entry(**over: object) -> dict[str, object]:
    base: dict[str, object] = {
        "img_filename": "a.png",
        "instruction": "Save",
        "bbox": [10, 10, 40, 20],
        "data_type": "text",
        "platform": "linux",
    }
    base.update(over)
    return base


def _write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "set.json"
    path.write_text(json.dumps(data))
    return path


def test_reads_screenspot_entries_and_data_source_as_platform(tmp_path: Path) -> None:
    original = _entry(data_type="Icon", bbox=[1.5, 2, 3, 4])
    del original["platform"]
    original["data_source"] = "windows"
    targets = load_targets(_write(tmp_path, [_entry(), original]))
    assert targets[0] == Target("a.png", "Save", (10.0, 10.0, 40.0, 20.0), "text", "linux")
    assert targets[1].platform == "windows" and targets[1].data_type == "icon"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"not": "a list"}, ["expected a JSON list"]),
        ([_entry(bbox=[1, 2, 3])], ["entry 0", "'bbox'"]),
        ([_entry(), _entry(bbox=[1, 2, 0, 5])], ["entry 1", "'bbox'", "<= 0"]),
        ([_entry(instruction="")], ["'instruction'"]),
        ([{k: v for k, v in _entry().items() if k != "img_filename"}], ["'img_filename'"]),
        ([_entry(data_type="widget")], ["'data_type'", "text or icon"]),
        (["just a string"], ["entry 0", "expected an object"]),
    ],
)
def test_malformed_files_name_file_entry_and_field(
    tmp_path: Path, data: object, words: list[str]
) -> None:
    path = _write(tmp_path, data)
    with pytest.raises(UsageError) as err:
        load_targets(path)
    assert str(path) in str(err.value)
    for word in words:
        assert word in str(err.value)


def test_not_json_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text("[{")
    with pytest.raises(UsageError, match="broken.json: not JSON"):
        load_targets(path)


def test_hit_rule_is_point_inside_box() -> None:
    t = Target("a.png", "x", (10, 10, 40, 20), "text", "web")
    assert t.contains(10, 10) and t.contains(50, 30) and not t.contains(51, 20)
    assert t.distance(30, 20) == 0 and t.distance(60, 20) == 10


def _screen() -> Screen:
    elements = [
        Element(id=0, role="button", name="Save", box=Box.xywh(10, 10, 40, 20), source="ocr"),
        Element(id=1, role="button", name="Cancel", box=Box.xywh(100, 10, 40, 20), source="ocr"),
        Element(id=2, role="text", name="Sav", box=Box.xywh(200, 200, 30, 10), source="ocr"),
    ]
    return Screen(elements=elements, width=400, height=300)


def test_run_scores_hits_misses_errors_and_caches_each_image(tmp_path: Path) -> None:
    seen: list[str] = []

    def perceive(path: Path) -> Screen:
        seen.append(path.name)
        if path.name == "gone.png":
            raise PerceptionError(f"cannot read image {path}: no such file")
        return _screen()

    targets = [
        Target("a.png", "Save", (10, 10, 40, 20), "text", "linux"),  # hit
        Target("a.png", "the Cancel button", (300, 100, 20, 20), "text", "web"),  # wrong place
        Target("a.png", "the gear icon", (0, 0, 5, 5), "icon", "web"),  # nothing like it
        Target("gone.png", "Save", (10, 10, 40, 20), "icon", "linux"),  # unreadable image
    ]
    report = run_bench(targets, tmp_path, perceive, Grounder())
    assert seen == ["a.png", "gone.png"]
    hit, wrong, absent, broken = report.results
    assert hit.hit and hit.point == (30, 20) and hit.error is None
    assert not wrong.hit and wrong.predicted is not None and wrong.predicted["name"] == "Cancel"
    assert wrong.closest is not None and wrong.closest["rank"] == 1
    assert not absent.hit and absent.predicted is None and absent.closest is not None
    assert not broken.hit and broken.error is not None and "gone.png" in broken.error

    summary = report.summary()
    assert summary["targets"] == 4 and summary["hits"] == 1 and summary["errors"] == 1
    assert summary["accuracy"] == 0.25
    assert summary["by_data_type"]["text"] == {"targets": 2, "hits": 1, "accuracy": 0.5}
    assert summary["by_data_type"]["icon"]["accuracy"] == 0.0
    assert summary["by_platform"]["linux"]["hits"] == 1
    lat = summary["latency_ms"]
    assert lat["perceive_per_image"]["n"] == 1 and lat["ground_per_target"]["n"] == 3
    assert [m["index"] for m in report.as_json()["misses"]] == [1, 2, 3]


def test_always_answering_counts_a_best_candidate_below_the_bar(tmp_path: Path) -> None:
    """ScreenSpot's protocol has no refusals: beside the figure at the agent's bar, the
    summary says how often the best candidate, answered or not, lies in the box."""
    targets = [
        Target("a.png", "Save", (10, 10, 40, 20), "text", "linux"),  # right, but below the bar
        Target("a.png", "Cancel", (300, 100, 20, 20), "icon", "web"),  # wrong either way
    ]
    report = run_bench(targets, tmp_path, lambda _: _screen(), Grounder(), min_score=1.01)
    refused, wrong = report.results
    assert not refused.hit and refused.point is None and refused.top_hit
    assert not wrong.hit and not wrong.top_hit
    summary = report.summary()
    assert summary["hits"] == 0
    always = summary["always_answering"]
    assert always["hits"] == 1 and always["accuracy"] == 0.5
    assert always["by_data_type"]["text"]["hits"] == 1
    assert always["by_data_type"]["icon"]["hits"] == 0


def test_latency_median_and_p90() -> None:
    from guiagent.evaluation.grounding_bench import _stats

    assert _stats([]) == {"n": 0, "median": None, "p90": None}
    assert _stats([float(v) for v in range(1, 11)]) == {"n": 10, "median": 5.5, "p90": 9.1}


def test_cli_exits_2_naming_the_bad_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, [_entry(bbox="10,10,40,20")])
    assert main(["bench", "grounding", str(path)]) == 2
    err = capsys.readouterr().err
    assert "set.json" in err and "bbox" in err


def test_cli_missing_file_exits_2(tmp_path: Path) -> None:
    assert main(["bench", "grounding", str(tmp_path / "absent.json")]) == 2
