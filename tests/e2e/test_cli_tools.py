"""The CLI's inspection commands on real screenshots: perceive, ground, screenshot, doctor."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

pytestmark = [pytest.mark.ocr]

FRAME = Path(__file__).resolve().parents[1] / "data" / "galculator" / "frame00.png"


def guiagent(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "guiagent.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
        env=env if env is not None else dict(os.environ),
    )


def test_perceive_image_json_and_set_of_marks(tmp_path: Path) -> None:
    som = tmp_path / "som.png"
    done = guiagent("perceive", str(FRAME), "--json", "--som", str(som))
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    names = {el["name"] for el in data["elements"]}
    assert {"7", "8", "C", "AC"} <= names
    # text from OCR; the element detector (on by default) adds unlabelled controls
    assert {el["source"] for el in data["elements"]} <= {"ocr", "detector"}
    assert all(el["source"] == "ocr" for el in data["elements"] if el["name"])
    assert Image.open(som).size == Image.open(FRAME).size


def test_ground_image_prints_point_inside_the_button() -> None:
    done = guiagent("ground", str(FRAME), "the 7 button", "--json")
    assert done.returncode == 0, done.stderr
    hit = json.loads(done.stdout)
    assert {"x", "y", "box", "score", "source"} <= hit.keys()
    left, top, right, bottom = hit["box"]
    assert left <= hit["x"] < right and top <= hit["y"] < bottom
    assert hit["source"] == "ocr"


def test_ground_not_found_exits_1_with_closest() -> None:
    done = guiagent("ground", str(FRAME), "Frobnicate", "--json")
    assert done.returncode == 1
    assert "closest" in done.stderr


def test_unreadable_image_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "not-an-image.png"
    bad.write_text("hello")
    done = guiagent("perceive", str(bad))
    assert done.returncode in (1, 2)
    assert "not-an-image.png" in done.stderr
    missing = guiagent("perceive", str(tmp_path / "missing.png"))
    assert missing.returncode == 2 and "not found" in missing.stderr


@pytest.mark.x11
def test_screenshot_of_the_virtual_display(vdisplay: object, tmp_path: Path) -> None:
    out = tmp_path / "shot.png"
    done = guiagent("screenshot", str(out), env=vdisplay.child_env())  # type: ignore[attr-defined]
    assert done.returncode == 0, done.stderr
    assert Image.open(out).size == (1280, 800)


def test_forms_and_doctor() -> None:
    forms = guiagent("forms")
    assert forms.returncode == 0 and "click" in forms.stdout and "press" in forms.stdout
    doctor = guiagent("doctor")
    assert "ONNX OCR models" in doctor.stderr
    assert doctor.returncode in (0, 1)


def test_no_command_is_a_usage_error() -> None:
    assert guiagent().returncode == 2
    assert guiagent("do").returncode == 2
