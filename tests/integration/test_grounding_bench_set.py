"""``guiagent bench grounding`` end to end on the first targets of the shipped held-out set:
real OCR on real screenshots, the JSON report's shape, and the set's own consistency."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from guiagent.cli.main import main
from guiagent.evaluation.grounding_bench import load_targets

SET = Path(__file__).resolve().parents[2] / "benchmarks" / "grounding_set" / "data"
JSON = SET / "screenspot.json"


def test_shipped_set_is_well_formed_and_boxes_lie_inside_images() -> None:
    targets = load_targets(JSON)
    assert len(targets) >= 300
    assert {t.data_type for t in targets} == {"text", "icon"}
    assert sum(t.data_type == "icon" for t in targets) >= 30
    sizes: dict[str, tuple[int, int]] = {}
    for t in targets:
        if t.img_filename not in sizes:
            with Image.open(SET / t.img_filename) as img:
                sizes[t.img_filename] = img.size
        width, height = sizes[t.img_filename]
        x, y, w, h = t.bbox
        assert x >= 0 and y >= 0 and x + w <= width and y + h <= height, t
        assert width <= 1280 and height <= 800
    assert sum((SET / name).stat().st_size for name in sizes) < 5_000_000


@pytest.mark.ocr
def test_bench_runs_on_five_targets_of_the_shipped_set(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["bench", "grounding", str(JSON), "--limit", "5", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    summary = report["summary"]
    assert summary["targets"] == 5 and summary["errors"] == 0
    assert summary["hits"] >= 3  # calculator keys: plain text a person reads off the screen
    assert summary["latency_ms"]["perceive_per_image"]["n"] == 1
    assert summary["latency_ms"]["ground_per_target"]["n"] == 5
    for miss in report["misses"]:
        assert miss["instruction"] and miss["closest"] is not None


@pytest.mark.ocr
def test_bench_counts_a_missing_image_as_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    entry = {
        "img_filename": "nowhere.png",
        "instruction": "Save",
        "bbox": [0, 0, 10, 10],
        "data_type": "text",
        "platform": "linux",
    }
    path = tmp_path / "set.json"
    path.write_text(json.dumps([entry]))
    assert main(["bench", "grounding", str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["summary"]["errors"] == 1 and report["summary"]["accuracy"] == 0.0
    assert "nowhere.png" in report["misses"][0]["error"]
