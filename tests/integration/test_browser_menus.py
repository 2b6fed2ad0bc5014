"""Menus that open by pointing: a menu path through the real Runner, gate and perception in
headless Chromium, with screenshots alone and with the page's elements.

The page's bar opens on a click (as desktop menu bars do) while its submenus open when pointed
at, and clicking an item that holds a submenu is recorded as a wrong pick (as web menus do), so
only pointing first and clicking when nothing opened gets every level right."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from guiagent.agents.command_mode.agent import CommandModeAgent
from guiagent.config import Config, PerceptionConfig, RunnerConfig
from guiagent.gate.approvals import AutoApproveChannel
from guiagent.gate.gate import Gate
from guiagent.observation import RunState
from guiagent.perception.ground import Grounder
from guiagent.perception.perceiver import Perceiver
from guiagent.platforms.browser.driver import BrowserDriver
from guiagent.platforms.browser.localserver import StaticServer
from guiagent.runner import Runner, RunResult
from guiagent.trajectory import read_trajectory

pytestmark = [pytest.mark.browser, pytest.mark.ocr]

WEB = Path(__file__).resolve().parent.parent / "data" / "web"


@pytest.fixture(scope="module")
def web() -> Iterator[StaticServer]:
    with StaticServer(WEB) as server:
        yield server


def run(command: str, driver: BrowserDriver, tmp_path: Path, vision: bool) -> RunResult:
    config = Config(data_dir=tmp_path)
    perception = PerceptionConfig(accessibility=not vision)
    runner = Runner(
        driver,
        Perceiver(perception, fields=vision).perceive,
        CommandModeAgent(Grounder()),
        Gate.from_config(config, AutoApproveChannel()),
        config=RunnerConfig(max_steps=20, settle_seconds=0.1),
        trajectory_root=tmp_path / "runs",
    )
    return runner.run(command)


def page_text(driver: BrowserDriver, element_id: str) -> str:
    text = driver.evaluate(f"document.getElementById({element_id!r}).textContent")
    return str(text)


@pytest.mark.parametrize("vision", [False, True], ids=["elements", "vision"])
def test_menu_path_points_at_submenus_and_clicks_the_bar(
    tmp_path: Path, web: StaticServer, vision: bool
) -> None:
    with BrowserDriver(Config().browser, start_url=web.url("menus.html")) as driver:
        result = run("select File>Export>Document>PDF", driver, tmp_path, vision)
        picked = page_text(driver, "out")

    assert result.state is RunState.DONE, result.message
    assert picked == "picked PDF"
    assert result.trajectory is not None
    actions = [line["action"]["type"] for line in read_trajectory(result.trajectory)
               if "step" in line and line["action"]["type"] != "wait"]  # fmt: skip
    # File does not open by pointing, so it is clicked; the submenus open by pointing
    assert actions == ["hover", "click", "hover", "hover", "click", "done"]


def test_hover_over_a_target(tmp_path: Path, web: StaticServer) -> None:
    with BrowserDriver(Config().browser, start_url=web.url("menus.html")) as driver:
        assert page_text(driver, "hovered") == "not pointed at"
        result = run("hover over the Tip button", driver, tmp_path, vision=False)
        assert result.state is RunState.DONE, result.message
        assert page_text(driver, "hovered") == "pointed at Tip"
        assert page_text(driver, "out") == "nothing picked"  # pointing pressed nothing
