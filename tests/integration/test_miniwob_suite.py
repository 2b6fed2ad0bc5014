"""MiniWoB++ episodes end to end: the page's instruction, command mode through the real Runner
and Gate in headless Chromium, the reward read afterwards. A few episodes only; the whole
development set is ``benchmarks/miniwob_dev.py``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from guiagent.config import Config
from guiagent.evaluation.miniwob import ScreenshotOnly, run_miniwob_episode
from guiagent.evaluation.miniwob_pages import MiniWobEpisode, MiniWobPages
from guiagent.perception.perceiver import Perceiver
from guiagent.platforms.browser.driver import BrowserDriver

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def driver() -> Iterator[BrowserDriver]:
    with BrowserDriver() as browser:
        yield browser


@pytest.fixture(scope="module")
def pages() -> Iterator[MiniWobPages]:
    with MiniWobPages() as served:
        yield served


@pytest.fixture(scope="module")
def perceiver() -> Perceiver:
    return Perceiver()


@pytest.mark.parametrize(
    ("task", "grounding"),
    [("click-button", "auto"), ("click-checkboxes", "auto"), ("login-user", "vision")],
)
def test_command_mode_solves_an_episode(
    task: str,
    grounding: str,
    tmp_path: Path,
    driver: BrowserDriver,
    pages: MiniWobPages,
    perceiver: Perceiver,
) -> None:
    outcome = run_miniwob_episode(
        task,
        3,
        grounding=grounding,
        out_dir=tmp_path,
        config=Config(),
        driver=driver,
        pages=pages,
        perceiver=perceiver,
    )
    assert outcome.error is None and outcome.score == 1.0 and outcome.raw_reward == 1.0
    assert outcome.task_id == f"miniwob:{task}" and outcome.steps >= 2
    assert outcome.trajectory is not None
    lines = [json.loads(line) for line in (outcome.trajectory / "steps.jsonl").open()]
    assert lines[0]["task"] == MiniWobEpisode(driver, pages, task, 3).start()
    assert lines[-1]["state"] == "done"
    assert all(line["gate"]["allowed"] for line in lines if "gate" in line)


def test_an_instruction_the_grammar_cannot_read_is_a_scored_failure(
    tmp_path: Path, driver: BrowserDriver, pages: MiniWobPages
) -> None:
    # drag-box says "Drag the smaller box so that it is completely inside the larger box."
    outcome = run_miniwob_episode(
        "drag-box", 1, out_dir=tmp_path, config=Config(), driver=driver, pages=pages
    )
    assert outcome.score == 0.0
    assert outcome.error is not None


def test_vision_hides_the_element_tree(driver: BrowserDriver, pages: MiniWobPages) -> None:
    MiniWobEpisode(driver, pages, "click-button", 1).start()
    seen = ScreenshotOnly(driver).observe()
    assert seen.accessibility is None and seen.image.size > 0
    assert driver.observe().accessibility
