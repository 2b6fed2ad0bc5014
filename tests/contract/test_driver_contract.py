"""The contract every driver keeps, run against each driver that can run here.

To add a driver, write a ``<name>_harness`` fixture returning a :class:`Harness` and add
``"<name>"`` to ``DRIVERS``; the tests below then run against it unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

import numpy as np
import pytest

from guiagent.actions import (
    Action,
    AskUser,
    Back,
    Click,
    Done,
    DoubleClick,
    Drag,
    Fail,
    Home,
    Hotkey,
    Hover,
    Key,
    LongPress,
    OpenApp,
    OpenUrl,
    Point,
    RightClick,
    Scroll,
    Swipe,
    Target,
    TypeText,
    Wait,
)
from guiagent.errors import ActionUnsupported, DriverError
from guiagent.observation import ActionResult, Observation
from guiagent.platforms.base import Driver, PointerProbe, WindowControl
from guiagent.testing.x11 import wait_for_window

DRIVERS = ["linux", "browser"]

#: every action type of the one action space
ALL_TYPES: list[str] = sorted(
    cls.model_fields["type"].default for cls in get_args(get_args(Action)[0])
)


@dataclass
class Harness:
    """A driver plus the facts the contract needs to act harmlessly on it."""

    driver: Driver
    #: a point (screenshot pixels) where clicks, drags and typing do no harm
    safe_point: Point
    #: something ``open_app`` can start quickly
    app_name: str
    #: something ``open_url`` can open
    url: str


@pytest.fixture
def linux_harness(
    linux_driver: Any,
    start_app: Callable[..., Any],
    tk_form_cmd: Callable[[str], tuple[list[str], Path]],
    tmp_path: Path,
) -> Harness:
    cmd, _ = tk_form_cmd("Contract Form")
    start_app(cmd)
    window = wait_for_window(linux_driver, "Contract Form", active=True)
    assert window.box is not None
    # the Name entry sits at the form's top-right of its labels (see the desktop suite's tk_form.py)
    safe = Point(x=window.box.left + 200, y=window.box.top + 20)
    page = tmp_path / "contract.html"
    page.write_text("<title>contract page</title><p>contract</p>", encoding="utf-8")
    return Harness(linux_driver, safe, "xterm -T contract-term", page.as_uri())


@pytest.fixture
def browser_harness(tmp_path: Path) -> Iterator[Harness]:
    from guiagent.platforms.browser.driver import BrowserDriver

    page = tmp_path / "contract.html"
    page.write_text(
        "<title>contract page</title><p>contract</p>"
        "<input aria-label='Safe' style='position:absolute; left:100px; top:100px; width:300px'>",
        encoding="utf-8",
    )
    other = tmp_path / "other.html"
    other.write_text("<title>other page</title><p>other</p>", encoding="utf-8")
    driver = BrowserDriver()
    try:
        driver.execute(OpenUrl(url=other.as_uri()))  # so that "back" has somewhere to go
        driver.execute(OpenUrl(url=page.as_uri()))
        field = next(el for el in driver.observe().accessibility or [] if el.name == "Safe")
        yield Harness(driver, field.box.center, "", other.as_uri())
    finally:
        driver.close()


@pytest.fixture(params=DRIVERS)
def harness(request: pytest.FixtureRequest) -> Harness:
    marker = {"linux": pytest.mark.x11, "browser": pytest.mark.browser}.get(request.param)
    if marker is not None:
        request.applymarker(marker)
    value: Harness = request.getfixturevalue(f"{request.param}_harness")
    return value


def sample(action_type: str, h: Harness) -> Action:
    """One harmless action of each type."""
    at = Target.at(h.safe_point.x, h.safe_point.y)
    beside = Target.at(h.safe_point.x + 30, h.safe_point.y)
    samples: dict[str, Action] = {
        "click": Click(target=at),
        "double_click": DoubleClick(target=at),
        "right_click": RightClick(target=at),
        "long_press": LongPress(target=at, seconds=0.1),
        "hover": Hover(target=at),
        "drag": Drag(start=at, end=beside),
        "scroll": Scroll(direction="down", amount=1, target=at),
        "swipe": Swipe(start=at, end=beside),
        "type_text": TypeText(text="contract ü", target=at),
        "key": Key(key="End"),
        "hotkey": Hotkey(keys=["shift", "Home"]),
        "open_app": OpenApp(name=h.app_name),
        "open_url": OpenUrl(url=h.url or "about:blank"),
        "back": Back(),
        "home": Home(),
        "wait": Wait(seconds=0.01),
        "done": Done(),
        "fail": Fail(reason="contract"),
        "ask_user": AskUser(question="contract?"),
    }
    return samples[action_type]


def test_sample_covers_the_whole_action_space() -> None:
    assert set(ALL_TYPES) >= {"click", "type_text", "open_app", "ask_user"}


def test_driver_satisfies_the_protocols(harness: Harness) -> None:
    assert isinstance(harness.driver, Driver)
    caps = harness.driver.capabilities
    assert caps.platform
    assert caps.actions <= set(ALL_TYPES)
    assert all(caps.supports(t) for t in caps.actions)
    if isinstance(harness.driver, PointerProbe):
        p = harness.driver.pointer_position()
        assert isinstance(p, Point)
    if isinstance(harness.driver, WindowControl):
        windows = harness.driver.list_windows()
        active = harness.driver.active_window()
        assert active is None or any(w.id == active.id for w in windows)


def test_observe_returns_rgb_pixels_and_structure(harness: Harness) -> None:
    obs = harness.driver.observe()
    assert isinstance(obs, Observation)
    assert isinstance(obs.image, np.ndarray)
    assert obs.image.dtype == np.uint8
    assert obs.image.ndim == 3 and obs.image.shape[2] == 3
    assert obs.width > 0 and obs.height > 0
    assert obs.platform == harness.driver.capabilities.platform
    assert obs.scale > 0
    if obs.accessibility is not None:
        for el in obs.accessibility:
            assert el.source == "a11y"
            assert el.box.area > 0
            assert el.box.right <= obs.width and el.box.bottom <= obs.height
    assert int(obs.image.max()) > int(obs.image.min())  # real pixels, not a blank frame


@pytest.mark.parametrize("action_type", ALL_TYPES)
def test_execute_each_action_type(harness: Harness, action_type: str) -> None:
    action = sample(action_type, harness)
    if harness.driver.capabilities.supports(action_type):
        result = harness.driver.execute(action)
        assert isinstance(result, ActionResult)
        assert result.ok
        assert result.elapsed_ms >= 0
    else:
        with pytest.raises(ActionUnsupported):
            harness.driver.execute(action)


@pytest.mark.parametrize(
    "action_type", ["click", "double_click", "right_click", "long_press", "hover"]
)
def test_element_id_target_is_refused(harness: Harness, action_type: str) -> None:
    if not harness.driver.capabilities.supports(action_type):
        pytest.skip(f"{action_type} is not supported by this driver")
    action = sample(action_type, harness).model_copy(update={"target": Target(element=1)})
    with pytest.raises(DriverError):
        harness.driver.execute(action)


def test_close_is_idempotent_and_final(harness: Harness) -> None:
    harness.driver.close()
    harness.driver.close()
    with pytest.raises(DriverError):
        harness.driver.observe()
