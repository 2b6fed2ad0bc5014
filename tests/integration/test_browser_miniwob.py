"""MiniWoB++ pages from the installed package, served on 127.0.0.1 and played through the
browser driver the way an agent would: the instruction from the page, the target found by the
grounder on the observation's elements, a click on a point. The reward is read afterwards."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from guiagent.actions import Click, Target
from guiagent.errors import UsageError
from guiagent.evaluation.miniwob_pages import (
    MiniWobEpisode,
    MiniWobPages,
    miniwob_root,
    task_names,
)
from guiagent.observation import Observation, Screen
from guiagent.perception.ground import Grounder
from guiagent.platforms.browser.driver import BrowserDriver

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def pages() -> Iterator[MiniWobPages]:
    with MiniWobPages() as served:
        yield served


@pytest.fixture(scope="module")
def driver() -> Iterator[BrowserDriver]:
    with BrowserDriver() as browser:
        yield browser


def screen_of(obs: Observation) -> Screen:
    elements = [el.model_copy(update={"id": i}) for i, el in enumerate(obs.accessibility or [])]
    return Screen(elements=elements, width=obs.width, height=obs.height, observation=obs)


def test_the_package_ships_the_task_pages() -> None:
    assert (miniwob_root() / "core" / "core.js").is_file()
    names = task_names()
    assert len(names) > 100
    assert {"click-button", "login-user", "book-flight", "choose-list"} <= set(names)


def test_unknown_task_names_close_ones(pages: MiniWobPages) -> None:
    with pytest.raises(UsageError, match="click-button"):
        pages.url("click-buton")


@pytest.mark.parametrize("seed", [1, 7, 42])
def test_click_button_episode_scores_one(
    driver: BrowserDriver, pages: MiniWobPages, seed: int
) -> None:
    episode = MiniWobEpisode(driver, pages, "click-button", seed)
    utterance = episode.start()
    match = re.fullmatch(r'Click on the "(.+)" button\.', utterance)
    assert match, utterance
    obs = driver.observe()
    seen = {el.name for el in obs.accessibility or []}
    # the agent sees the task and the instruction, never the page's reward display
    assert utterance in seen
    assert not {n for n in seen if "reward" in n.lower() or "Episodes done" in n}
    assert not episode.result().done

    best = Grounder().best(screen_of(obs), f"{match.group(1)} button")
    assert best.element.role == "button"
    centre = best.element.box.center
    driver.execute(Click(target=Target.at(centre.x, centre.y)))

    result = episode.result()
    assert result.done and result.raw_reward == 1.0 and result.success and result.reason is None
    assert result.reward > 0.99  # the lifted time limit leaves the time-scaled reward whole


def test_same_seed_same_task(driver: BrowserDriver, pages: MiniWobPages) -> None:
    first = MiniWobEpisode(driver, pages, "click-button", 5).start()
    again = MiniWobEpisode(driver, pages, "click-button", 5).start()
    assert first == again


def test_wrong_button_scores_minus_one_and_the_cover_cannot_restart(
    driver: BrowserDriver, pages: MiniWobPages
) -> None:
    episode = MiniWobEpisode(driver, pages, "click-button", 3)
    utterance = episode.start()
    wanted = re.fullmatch(r'Click on the "(.+)" button\.', utterance)
    assert wanted
    obs = driver.observe()
    wrong = [
        el for el in obs.accessibility or [] if el.role == "button" and el.name != wanted.group(1)
    ]
    if not wrong:
        pytest.skip("this seed draws a single button")
    driver.execute(Click(target=Target.at(wrong[0].box.center.x, wrong[0].box.center.y)))
    assert episode.result().raw_reward == -1.0
    # the START cover is back; clicking it must not begin a new episode and reset the reward
    driver.execute(Click(target=Target.at(80, 100)))
    result = episode.result()
    assert result.done and result.raw_reward == -1.0 and not result.success


def test_flight_task_loads_over_http(driver: BrowserDriver, pages: MiniWobPages) -> None:
    utterance = MiniWobEpisode(driver, pages, "book-flight", 11).start()
    assert utterance.startswith("Book the")
    names = {el.name for el in driver.observe().accessibility or []}
    assert "Search" in " ".join(names)


def test_result_when_the_agent_left_the_page(driver: BrowserDriver, pages: MiniWobPages) -> None:
    from guiagent.actions import OpenUrl

    episode = MiniWobEpisode(driver, pages, "click-link", 2)
    episode.start()
    driver.execute(OpenUrl(url="about:blank"))
    result = episode.result()
    assert not result.done and not result.success and "left the task" in (result.reason or "")


def test_choose_list_through_the_drawn_select_popup(
    driver: BrowserDriver, pages: MiniWobPages
) -> None:
    episode = MiniWobEpisode(driver, pages, "choose-list", 4)
    wanted = re.fullmatch(r"Select (.+) from the list and click Submit\.", episode.start())
    assert wanted
    grounder = Grounder()

    def click(query: str) -> None:
        centre = grounder.best(screen_of(driver.observe()), query).element.box.center
        driver.execute(Click(target=Target.at(centre.x, centre.y)))

    click("the dropdown")
    click(f"{wanted.group(1)} item")  # an option of the opened list, as drawn on the page
    click("Submit button")
    result = episode.result()
    assert result.success and result.reason is None
