"""The Linux X11 driver against a real Xvfb, openbox, AT-SPI and real applications (xterm,
galculator, a Tk form). Nothing here sleeps a guessed time: every wait polls for the effect."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from guiagent.actions import (
    Click,
    Drag,
    Hotkey,
    Key,
    OpenApp,
    Point,
    Scroll,
    Target,
    TypeText,
)
from guiagent.config import LinuxConfig
from guiagent.errors import AppNotFound, DisplayUnavailable, DriverError, SetupError
from guiagent.observation import Box, Element, WindowInfo
from guiagent.platforms.linux import keys
from guiagent.platforms.linux.apps import resolve_app
from guiagent.platforms.linux.driver import LinuxDriver
from guiagent.platforms.linux.xvfb import VirtualDisplay
from guiagent.testing.x11 import wait_for_window, wait_until

pytestmark = pytest.mark.x11

FormCmd = Callable[[str], tuple[list[str], Path]]


# -- helpers --------------------------------------------------------------------------------


class TkForm:
    """A running Tk form (the desktop suite's tk_form.py): window, widget centres, values."""

    def __init__(self, driver: LinuxDriver, out: Path, window: WindowInfo) -> None:
        self.driver = driver
        self.out = out
        self.window = window
        layout_path = out.with_name(out.name + ".layout.json")

        def settled() -> dict[str, list[int]] | None:
            # the form writes its layout whenever it moves; wait for the placed window's
            if not layout_path.exists():
                return None
            rects: dict[str, list[int]] = json.loads(layout_path.read_text())["widgets"]
            box = next((w.box for w in driver.list_windows() if w.id == window.id), None)
            inside = box is not None and all(
                box.contains(x, y) and box.contains(x + w - 1, y + h - 1)
                for x, y, w, h in rects.values()
            )
            return rects if inside else None

        self.rects = wait_until(settled, 10, message="form layout")

    def point(self, widget: str) -> Point:
        x, y, w, h = self.rects[widget]
        return self.driver.geometry.to_pixels(x + w // 2, y + h // 2)

    def target(self, widget: str) -> Target:
        p = self.point(widget)
        return Target.at(p.x, p.y)

    def submit(self) -> dict[str, Any]:
        """Click Submit and return what the form wrote (a fresh submission each time)."""
        before = self.values()["submits"] if self.out.exists() else 0
        self.driver.execute(Click(target=self.target("submit")))
        return wait_until(
            lambda: self.out.exists() and self.values()["submits"] > before and self.values(),
            10,
            message="form submission",
        )

    def values(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.out.read_text(encoding="utf-8"))
        return data


@pytest.fixture
def tk_form(
    linux_driver: LinuxDriver, start_app: Callable[..., Any], tk_form_cmd: FormCmd
) -> TkForm:
    cmd, out = tk_form_cmd("Tk Form")
    start_app(cmd)
    window = wait_for_window(linux_driver, "Tk Form", active=True)
    return TkForm(linux_driver, out, window)


def _by_name(elements: list[Element] | None, *names: str) -> dict[str, Element]:
    found: dict[str, Element] = {}
    for el in elements or []:
        if el.name in names and el.name not in found:
            found[el.name] = el
    return found


def _galculator_elements(driver: LinuxDriver) -> list[Element]:
    """Observe until galculator's keypad is on the accessibility bus."""

    def ready() -> list[Element] | None:
        elements = driver.observe().accessibility
        return elements if len(_by_name(elements, "7", "+", "=")) == 3 else None

    return wait_until(ready, 15, 0.1, "galculator's keypad in the accessibility tree")


# -- observation ----------------------------------------------------------------------------


def test_observe_captures_the_screen_at_its_size_as_rgb(
    linux_driver: LinuxDriver, start_app: Callable[..., Any]
) -> None:
    obs = linux_driver.observe()
    assert obs.image.shape == (800, 1280, 3)
    assert obs.image.dtype == np.uint8
    assert obs.image.flags["C_CONTIGUOUS"]
    assert obs.platform == "linux"
    assert obs.scale == 1.0

    start_app(["xterm", "-T", "red-window", "-bg", "#ff0000", "-geometry", "40x10+200+150"])
    window = wait_for_window(linux_driver, "red-window")
    assert window.box is not None

    def red_inside() -> np.ndarray | None:
        image = linux_driver.observe().image
        c = window.box.center  # type: ignore[union-attr]
        patch = image[c.y - 5 : c.y + 5, c.x + 60 : c.x + 80]  # right of any text
        return patch if (patch == [255, 0, 0]).all() else None

    patch = wait_until(red_inside, 10, message="the red xterm in the screenshot")
    assert patch.shape == (10, 20, 3)


def test_window_list_carries_titles_classes_pids_and_boxes(
    linux_driver: LinuxDriver, start_app: Callable[..., Any]
) -> None:
    proc = start_app(["xterm", "-T", "listed-term", "-geometry", "40x10+50+60"])
    window = wait_for_window(linux_driver, "listed-term", active=True)
    assert window.app == "xterm"
    assert window.pid == proc.pid
    assert window.box is not None and window.box.width > 100 and window.box.height > 50
    obs = linux_driver.observe()
    assert obs.active_window is not None and obs.active_window.id == window.id
    assert any(w.id == window.id for w in obs.windows)


def test_focus_switches_between_two_xterms(
    linux_driver: LinuxDriver, start_app: Callable[..., Any]
) -> None:
    start_app(["xterm", "-T", "term-one", "-geometry", "40x10+40+40"])
    one = wait_for_window(linux_driver, "term-one", active=True)
    start_app(["xterm", "-T", "term-two", "-geometry", "40x10+600+300"])
    two = wait_for_window(linux_driver, "term-two", active=True)

    linux_driver.focus_window(one)
    active = linux_driver.active_window()
    assert active is not None and active.id == one.id
    linux_driver.focus_window(two)
    active = linux_driver.active_window()
    assert active is not None and active.id == two.id

    # a click into the other terminal moves the focus there (click-to-focus)
    assert one.box is not None
    result = linux_driver.execute(Click(target=Target.at(one.box.center.x, one.box.center.y)))
    assert result.device_point == linux_driver.to_device(one.box.center)
    wait_for_window(linux_driver, "term-one", active=True)
    assert linux_driver.pointer_position() == one.box.center


def test_drag_moves_a_window_by_its_title_bar(
    linux_driver: LinuxDriver, start_app: Callable[..., Any]
) -> None:
    start_app(["xterm", "-T", "dragged-term", "-geometry", "40x10+100+100"])
    window = wait_for_window(linux_driver, "dragged-term", active=True)
    assert window.box is not None
    grip = Point(x=window.box.center.x, y=window.box.top - 8)  # openbox's title bar
    linux_driver.execute(
        Drag(start=Target.at(grip.x, grip.y), end=Target.at(grip.x + 150, grip.y + 100))
    )

    def moved() -> Box | None:
        box = next(w.box for w in linux_driver.list_windows() if w.id == window.id)
        return box if box is not None and box.left > window.box.left + 100 else None  # type: ignore[union-attr]

    box = wait_until(moved, 5, message="the window to follow the drag")
    assert abs(box.top - (window.box.top + 100)) <= 2


def test_scroll_at_a_target_scrolls_the_window_under_it(
    linux_driver: LinuxDriver, start_app: Callable[..., Any]
) -> None:
    script = "seq 1 300; echo end-of-output; exec sleep 600"
    start_app(
        ["xterm", "-T", "scroll-term", "-sl", "1000", "-geometry", "40x12+300+200"]
        + ["-e", "sh", "-c", script]
    )
    window = wait_for_window(linux_driver, "scroll-term", active=True)
    assert window.box is not None
    box = window.box

    def settled_terminal() -> np.ndarray | None:
        image = linux_driver.observe().image[box.top : box.bottom, box.left : box.right]
        return image if int(image.min()) < 128 else None  # text is drawn

    before = wait_until(settled_terminal, 10, message="xterm output")
    centre = box.center
    result = linux_driver.execute(
        Scroll(direction="up", amount=5, target=Target.at(centre.x, centre.y))
    )
    assert result.device_point == linux_driver.to_device(centre)
    assert linux_driver.pointer_position() == centre

    def changed() -> bool:
        image = linux_driver.observe().image[box.top : box.bottom, box.left : box.right]
        return not np.array_equal(image, before)

    assert wait_until(changed, 5, message="the terminal to scroll back")


def test_type_with_clear_replaces_a_gtk_text_and_atspi_reads_it(
    linux_driver: LinuxDriver, start_app: Callable[..., Any], tmp_path: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    start_app(
        ["env", f"HOME={home}", f"XDG_CONFIG_HOME={home}/.config", "mousepad"]
        + ["--disable-server"]
    )
    wait_for_window(linux_driver, "mousepad", 15, active=True)

    def editor() -> Element | None:
        elements = linux_driver.observe().accessibility or []
        return next((e for e in elements if e.role == "text_field"), None)

    field = wait_until(editor, 15, 0.1, "mousepad's text area on the accessibility bus")
    centre = field.box.center
    linux_driver.execute(TypeText(text="first draft", target=Target.at(centre.x, centre.y)))
    wait_until(lambda: (e := editor()) is not None and e.value == "first draft" or None, 5)
    linux_driver.execute(TypeText(text="Grüße", clear=True))
    final = wait_until(lambda: (e := editor()) is not None and e.value == "Grüße" or None, 5)
    assert final is True
    assert "editable" in field.states


# -- keyboard and pointer into a Tk form ----------------------------------------------------


def test_click_moves_focus_between_tk_entries(tk_form: TkForm) -> None:
    driver = tk_form.driver
    driver.execute(Click(target=tk_form.target("email")))
    driver.execute(TypeText(text="me@example.org"))
    driver.execute(Click(target=tk_form.target("subscribe")))
    values = tk_form.submit()
    assert values["email"] == "me@example.org"
    assert values["name"] == ""
    assert values["subscribe"] is True


def test_typing_non_ascii_text_into_tk_entry(tk_form: TkForm) -> None:
    text = "Grüße, 東京"
    result = tk_form.driver.execute(TypeText(text=text, target=tk_form.target("name")))
    assert result.device_point is not None
    values = tk_form.submit()
    assert values["name"] == text
    assert values["focus"] == "name"


def test_typing_many_distinct_non_ascii_characters(tk_form: TkForm) -> None:
    # more distinct characters than spare keycodes: the text is mapped in pieces
    text = "ĀāĂăĄąĆćĈĉĊċČčĎďĐđĒēĔĕĖėĘęĚěĜĝĞğĠġĢģ Ωμ 日本語 ✓"
    tk_form.driver.execute(TypeText(text=text, target=tk_form.target("email")))
    assert tk_form.submit()["email"] == text


def test_secret_text_is_not_echoed_in_the_result(tk_form: TkForm) -> None:
    result = tk_form.driver.execute(
        TypeText(text="hunter2", target=tk_form.target("name"), secret=True)
    )
    assert "hunter2" not in result.detail
    assert tk_form.submit()["name"] == "hunter2"


def test_hotkey_ctrl_a_and_repeated_keys(tk_form: TkForm) -> None:
    driver = tk_form.driver
    driver.execute(TypeText(text="world", target=tk_form.target("name")))
    # Tk binds ctrl+a to "line start" (emacs style): the text typed next lands in front
    driver.execute(Hotkey(keys=["ctrl", "a"]))
    driver.execute(TypeText(text="hello "))
    driver.execute(Key(key="End"))
    driver.execute(Key(key="BackSpace", presses=2))
    assert tk_form.submit()["name"] == "hello wor"


def test_key_written_as_a_chord(tk_form: TkForm) -> None:
    driver = tk_form.driver
    driver.execute(TypeText(text="abc", target=tk_form.target("name")))
    driver.execute(Key(key="Ctrl+A"))  # a model writing a hotkey as one key
    driver.execute(TypeText(text=">"))
    assert tk_form.submit()["name"] == ">abc"


def test_tk_has_no_accessibility_tree_and_says_so_once(
    tk_form: TkForm, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        first = tk_form.driver.observe()
        second = tk_form.driver.observe()
    assert first.active_window is not None and first.active_window.app == "tkform"
    assert first.accessibility is None and second.accessibility is None
    warnings = [r for r in caplog.records if "accessibility" in r.getMessage()]
    assert len(warnings) == 1


# -- applications and AT-SPI ----------------------------------------------------------------


def test_open_app_by_desktop_name_focuses_its_window(linux_driver: LinuxDriver) -> None:
    window = linux_driver.open_app("galculator")
    assert window.app == "galculator"
    active = linux_driver.active_window()
    assert active is not None and active.id == window.id


def test_open_app_fuzzy_calculator_finds_an_installed_calculator(linux_driver: LinuxDriver) -> None:
    """ "calculator" is no entry's name or command: the fuzzy match finds a calculator (which
    one depends on what is installed: galculator, or MATE Calculator whose generic name is
    Calculator) and its window comes up focused."""
    spec = resolve_app("calculator")
    assert spec.entry is not None and "calc" in spec.label.lower()  # Galculator, MATE Calculator
    result = linux_driver.execute(OpenApp(name="calculator"))
    assert spec.argv[0] in result.detail
    active = linux_driver.active_window()
    assert active is not None and active.app.lower() in spec.wm_classes


def test_open_app_unknown_name_lists_closest_entries(linux_driver: LinuxDriver) -> None:
    with pytest.raises(AppNotFound) as info:
        linux_driver.open_app("qqzx-no-such-application")
    assert "closest desktop entries" in str(info.value)


def test_open_app_command_line_on_path(linux_driver: LinuxDriver) -> None:
    window = linux_driver.open_app("xterm -T command-term")
    assert window.title == "command-term" and window.active


def test_galculator_buttons_from_atspi_have_sensible_boxes(linux_driver: LinuxDriver) -> None:
    window = linux_driver.open_app("galculator")
    elements = _galculator_elements(linux_driver)
    keypad = _by_name(elements, "7", "+", "=")
    assert window.box is not None
    for el in keypad.values():
        assert el.role in ("button", "toggle_button")  # galculator uses GtkToggleButtons
        assert el.source == "a11y"
        assert {"showing", "visible", "enabled"} <= el.states
        assert 15 <= el.box.width <= 200 and 15 <= el.box.height <= 200
        assert window.box.intersection(el.box) == el.box.area  # inside its window
    seven, plus = keypad["7"].box, keypad["+"].box
    assert seven.left < plus.left  # 7 sits left of + on the keypad
    assert all(el.box.area > 0 for el in elements)
    assert all(el.role != "other" or el.name for el in elements)


def test_clicking_atspi_boxes_computes_in_galculator(linux_driver: LinuxDriver) -> None:
    linux_driver.open_app("galculator")
    keypad = _by_name(_galculator_elements(linux_driver), "7", "+", "2", "=")
    for key in ("7", "+", "2", "="):
        centre = keypad[key].box.center
        linux_driver.execute(Click(target=Target.at(centre.x, centre.y)))

    def display_shows_nine() -> bool:
        elements = linux_driver.observe().accessibility or []
        return any(el.role == "text" and (el.value or "").strip() == "9" for el in elements)

    assert wait_until(display_shows_nine, 10, 0.1, "galculator to show 9")


# -- errors and set-up ----------------------------------------------------------------------


def test_element_id_target_is_a_programming_error(linux_driver: LinuxDriver) -> None:
    with pytest.raises(DriverError, match="element id"):
        linux_driver.execute(Click(target=Target(element=3)))


def test_point_outside_the_screen_is_refused(linux_driver: LinuxDriver) -> None:
    with pytest.raises(DriverError, match="outside the screen"):
        linux_driver.execute(Click(target=Target.at(5000, 10)))


def test_no_display_raises_display_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    with pytest.raises(DisplayUnavailable) as info:
        LinuxDriver(LinuxConfig())
    assert "--virtual-display" in (info.value.hint or "")


def test_unreachable_display_raises_display_unavailable() -> None:
    with pytest.raises(DisplayUnavailable):
        LinuxDriver(LinuxConfig(display=":4095"))


def test_virtual_displays_never_collide_and_stop_kills_everything() -> None:
    with VirtualDisplay(320, 200) as a, VirtualDisplay(640, 480) as b:
        assert a.display != b.display
        pids = [p.pid for p in a._procs]
        assert a.env["DISPLAY"] == a.display
        with LinuxDriver(LinuxConfig(display=b.display)) as driver:
            assert driver.observe().image.shape == (480, 640, 3)
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    assert a.display == "" and not a.running


def test_apply_and_restore_environment() -> None:
    before = os.environ.get("DISPLAY")
    with VirtualDisplay(320, 200, window_manager=False) as vd:
        vd.apply()
        assert os.environ["DISPLAY"] == vd.display
        vd.restore()
        assert os.environ.get("DISPLAY") == before


def test_missing_xvfb_is_a_setup_error_with_the_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(SetupError) as info:
        VirtualDisplay().start()
    assert "apt-get install" in (info.value.hint or "")


# -- key names (pure logic) -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "keysym_name"),
    [
        ("Enter", "Return"),
        ("return", "Return"),
        ("ESC", "Escape"),
        ("ctrl", "Control_L"),
        ("Control", "Control_L"),
        ("win", "Super_L"),
        ("meta", "Super_L"),
        ("del", "Delete"),
        ("PageDown", "Next"),
        ("page_up", "Prior"),
        ("F12", "F12"),
        ("kp_add", "KP_Add"),
        ("BackSpace", "BackSpace"),
    ],
)
def test_key_aliases(name: str, keysym_name: str) -> None:
    from Xlib import XK

    assert keys.keysym_for_name(name) == XK.string_to_keysym(keysym_name)


def test_characters_map_to_latin1_or_unicode_keysyms() -> None:
    assert keys.keysym_for_name("A") == ord("a")  # ctrl+A means ctrl+a
    assert keys.keysym_for_char("ü") == 0xFC
    assert keys.keysym_for_char("東") == 0x01000000 + ord("東")
    with pytest.raises(DriverError, match="unknown key name"):
        keys.keysym_for_name("not-a-key")
