"""Screenshot pixels to X root coordinates on layouts other than one plain screen: a second
monitor to the right of the first, and screenshots downscaled for a large screen. Real Xvfb,
real XTest pointer motion, read back with XQueryPointer.

Xvfb's Xinerama stacks its screens at one origin instead of side by side, so the second monitor
is a region of one wide screen, the way a two-monitor desk spans one X root window."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from Xlib import display as xdisplay

from guiagent.actions import Click, Hover, Point, Target
from guiagent.config import LinuxConfig
from guiagent.errors import DriverError
from guiagent.platforms.linux.driver import LinuxDriver
from guiagent.platforms.linux.xvfb import VirtualDisplay

pytestmark = pytest.mark.x11


@pytest.fixture(scope="module")
def wide() -> Iterator[VirtualDisplay]:
    """Two monitors side by side: 1280x800 at the origin, 1024x768 to its right."""
    screen = VirtualDisplay(2304, 800, window_manager=False)
    screen.start()
    try:
        yield screen
    finally:
        screen.stop()


def root_pointer(name: str) -> tuple[int, int]:
    conn = xdisplay.Display(name)
    try:
        reply = conn.screen().root.query_pointer()
        return int(reply.root_x), int(reply.root_y)
    finally:
        conn.close()


def paint(name: str, x: int, y: int, w: int, h: int) -> None:
    """A white rectangle on an otherwise black root window, to find in a screenshot."""
    conn = xdisplay.Display(name)
    try:
        screen = conn.screen()
        root = screen.root
        black = root.create_gc(foreground=screen.black_pixel)
        root.fill_rectangle(black, 0, 0, screen.width_in_pixels, screen.height_in_pixels)
        root.fill_rectangle(root.create_gc(foreground=screen.white_pixel), x, y, w, h)
        conn.sync()
    finally:
        conn.close()


def test_second_monitor_region_maps_pixels_to_its_origin(wide: VirtualDisplay) -> None:
    config = LinuxConfig(display=wide.display, accessibility=False, monitor="1024x768+1280+0")
    paint(wide.display, 1280 + 300, 200, 40, 30)
    with LinuxDriver(config) as driver:
        obs = driver.observe()
        assert obs.image.shape == (768, 1024, 3)
        ys, xs = np.nonzero(obs.image.min(axis=2) == 255)
        assert (xs.min(), ys.min(), xs.max(), ys.max()) == (300, 200, 339, 229)
        driver.execute(Hover(target=Target.at(310, 210)))
        assert root_pointer(wide.display) == (1280 + 310, 210)
        assert driver.pointer_position() == Point(x=310, y=210)
        result = driver.execute(Click(target=Target.at(5, 700)))
        assert result.device_point == Point(x=1285, y=700)
        with pytest.raises(DriverError, match="outside"):
            driver.execute(Click(target=Target.at(1100, 10)))  # right of this monitor


def test_downscaled_screenshots_click_at_full_resolution(wide: VirtualDisplay) -> None:
    config = LinuxConfig(display=wide.display, accessibility=False, capture_scale=0.5)
    paint(wide.display, 1000, 400, 80, 60)
    with LinuxDriver(config) as driver:
        obs = driver.observe()
        assert obs.image.shape == (400, 1152, 3) and obs.scale == 2.0
        ys, xs = np.nonzero(obs.image.min(axis=2) >= 250)
        assert abs(xs.min() - 500) <= 1 and abs(ys.min() - 200) <= 1
        driver.execute(Hover(target=Target.at(520, 215)))
        assert root_pointer(wide.display) == (1040, 430)
        assert driver.pointer_position() == Point(x=520, y=215)
        assert driver.geometry.box(1000, 400, 80, 60) is not None
        box = driver.geometry.box(1000, 400, 80, 60)
        assert box is not None and box.as_list() == [500, 200, 540, 230]


def test_a_bad_monitor_is_a_clear_error(wide: VirtualDisplay) -> None:
    for monitor, message in (("9", "does not exist"), ("big", "neither a number"),
                             ("800x600+2000+0", "outside the screen")):  # fmt: skip
        config = LinuxConfig(display=wide.display, accessibility=False, monitor=monitor)
        with pytest.raises(DriverError, match=message):
            LinuxDriver(config)
