"""The browser driver against a real headless Chromium (Debian's /usr/bin/chromium through
Playwright) and pages from tests/data/web served by a real http.server on 127.0.0.1.

Nothing sleeps a guessed time: every wait polls the page for the effect."""

from __future__ import annotations

import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from guiagent.actions import (
    Back,
    Click,
    DoubleClick,
    Drag,
    Hotkey,
    Key,
    OpenApp,
    OpenUrl,
    RightClick,
    Scroll,
    Target,
    TypeText,
)
from guiagent.config import BrowserConfig
from guiagent.errors import ActionUnsupported, DriverError, SetupError
from guiagent.observation import Element, Observation
from guiagent.platforms.browser.driver import BrowserDriver
from guiagent.platforms.browser.keys import playwright_key, split_chord
from guiagent.platforms.browser.localserver import StaticServer
from guiagent.platforms.browser.perform import normalise_url
from guiagent.platforms.browser.tabs import TabControl
from guiagent.testing.x11 import wait_until

pytestmark = pytest.mark.browser

WEB = Path(__file__).resolve().parent.parent / "data" / "web"


@pytest.fixture(scope="module")
def web() -> Iterator[StaticServer]:
    with StaticServer(WEB) as server:
        yield server


@pytest.fixture(scope="module")
def shared_browser() -> Iterator[BrowserDriver]:
    with BrowserDriver(BrowserConfig()) as driver:
        yield driver


@pytest.fixture
def browser(shared_browser: BrowserDriver) -> BrowserDriver:
    """One Chromium for the module (a launch costs seconds on a busy machine), reset to a
    single blank tab before each test."""
    for tab in shared_browser.list_tabs()[1:]:
        shared_browser.close_tab(tab.id)
    shared_browser.execute(OpenUrl(url="about:blank"))
    return shared_browser


def open_page(driver: BrowserDriver, url: str) -> Observation:
    driver.execute(OpenUrl(url=url))
    return driver.observe()


def find(obs: Observation, role: str, name: str) -> Element:
    found = [el for el in obs.accessibility or [] if el.role == role and el.name == name]
    assert found, f"no {role} {name!r} in {[(e.role, e.name) for e in obs.accessibility or []]}"
    return found[0]


def at(el: Element) -> Target:
    return Target.at(el.box.center.x, el.box.center.y)


def js(driver: BrowserDriver, expression: str) -> Any:
    return driver.evaluate(expression)


# -- observation ------------------------------------------------------------------------------


def test_elements_have_normalised_roles_names_and_states(
    browser: BrowserDriver, web: StaticServer
) -> None:
    obs = open_page(browser, web.url("elements.html"))
    assert obs.platform == "browser"
    assert obs.image.shape == (800, 1280, 3)
    assert obs.url == web.url("elements.html")
    assert obs.active_window is not None and obs.active_window.title == "Elements page"
    assert obs.active_window.app == "chromium"

    assert find(obs, "button", "Save changes")
    assert find(obs, "button", "Send it")  # <input type=submit value=...>
    assert find(obs, "button", "Close dialog")  # aria-label wins over the drawn "×"
    assert "enabled" not in find(obs, "button", "Disabled one").states
    assert "enabled" in find(obs, "button", "Save changes").states
    assert find(obs, "link", "Help center")
    email = find(obs, "text_field", "Email address")  # <label for>
    assert email.value == "ana@example.org" and "editable" in email.states
    assert find(obs, "text_field", "Search the docs").value == ""  # placeholder as the name
    secret = find(obs, "text_field", "Secret")
    assert secret.value is None  # a password is never read into an observation
    assert "checked" in find(obs, "checkbox", "Newsletter").states
    assert "checked" not in find(obs, "checkbox", "Accept terms").states  # wrapping <label>
    assert "checked" in find(obs, "radio", "Large").states
    assert "checked" not in find(obs, "radio", "Small").states
    assert find(obs, "combo_box", "Colour").value == "Green"
    assert find(obs, "text_field", "Notes").value == "first line"
    assert find(obs, "slider", "Volume").value == "7"
    assert "selected" in find(obs, "tab", "General").states
    assert "selected" not in find(obs, "tab", "Advanced").states
    assert "collapsed" in find(obs, "button", "More options").states
    assert find(obs, "text_field", "Editor").value == "Editable text"
    assert find(obs, "image", "Company logo")
    assert find(obs, "text", "Account settings")
    # inline markup inside a sentence stays one text run
    assert find(obs, "text", "Click on the Okay button to continue.")
    # ... but a clickable run in prose (a <span> acting as a link) is a run of its own
    assert "clickable" in find(obs, "text", "justo.").states
    assert "clickable" not in find(obs, "text", "Cursus").states
    assert find(obs, "text", "Facilisis aliquam.")

    names = {el.name for el in obs.accessibility or []}
    for unseen in (
        "Hidden by display",
        "Hidden by visibility",
        "Covered button",  # under another element
        "Clipped away",  # scrolled out of its overflow box
        "Far below the fold",  # outside the viewport
    ):
        assert unseen not in names
    assert find(obs, "text", "Visible inside scroller")
    for el in obs.accessibility or []:
        assert el.source == "a11y" and el.app == "chromium"


def test_boxes_match_the_dom(browser: BrowserDriver, web: StaticServer) -> None:
    obs = open_page(browser, web.url("elements.html"))
    rects: dict[str, list[float]] = js(
        browser,
        """() => Object.fromEntries([...document.querySelectorAll('[data-t]')].map(e => {
             const r = e.getBoundingClientRect();
             return [e.dataset.t, [r.left, r.top, r.right, r.bottom]]; }))""",
    )
    checks = {
        ("button", "Save changes"): "save",
        ("link", "Help center"): "help",
        ("text_field", "Email address"): "email",
        ("checkbox", "Newsletter"): "news",
        ("combo_box", "Colour"): "colour",
        ("tab", "Advanced"): "tab2",
        ("image", "Company logo"): "logo",
    }
    for (role, name), key in checks.items():
        box = find(obs, role, name).box
        left, top, right, bottom = rects[key]
        assert abs(box.left - left) <= 1 and abs(box.top - top) <= 1, (name, box, rects[key])
        assert abs(box.right - right) <= 1 and abs(box.bottom - bottom) <= 1, (name, box)


def test_a_half_covered_control_reports_the_part_a_click_reaches(
    browser: BrowserDriver, web: StaticServer
) -> None:
    obs = open_page(browser, web.url("elements.html"))
    box = find(obs, "button", "Half hidden").box
    assert box.top >= 70 - 1 and box.bottom == 90  # below the cover (it ends at y=70)
    browser.execute(Click(target=Target.at(box.center.x, box.center.y)))
    assert find(browser.observe(), "button", "Half pressed")


def test_device_scale_factor_keeps_boxes_in_screenshot_pixels(web: StaticServer) -> None:
    config = BrowserConfig(viewport_width=640, viewport_height=400, device_scale_factor=2)
    with BrowserDriver(config) as driver:
        obs = open_page(driver, web.url("form.html"))
        assert obs.image.shape == (800, 1280, 3)
        assert obs.scale == pytest.approx(0.5)
        go = find(obs, "button", "Go")
        css = js(driver, "() => { const r = go.getBoundingClientRect(); return [r.left, r.top]; }")
        assert abs(go.box.left - 2 * css[0]) <= 2 and abs(go.box.top - 2 * css[1]) <= 2
        result = driver.execute(Click(target=at(go)))  # a screenshot-pixel point
        assert result.device_point is not None
        assert abs(result.device_point.x - go.box.center.x / 2) <= 1
        wait_until(lambda: js(driver, "() => window.clicks") == 1, 5, message="click")


def test_same_origin_iframe_elements_are_offset_and_clickable(
    browser: BrowserDriver, web: StaticServer
) -> None:
    obs = wait_until(
        lambda: (
            (o := open_page(browser, web.url("iframe.html")))
            and any(e.name == "Inner button" for e in o.accessibility or [])
            and o
        ),
        5,
        message="iframe content",
    )
    button = find(obs, "button", "Inner button")
    frame = js(
        browser,
        """() => { const f = document.getElementById('frame'), pad = 5;
             const b = f.contentDocument.getElementById('inner-btn').getBoundingClientRect();
             const r = f.getBoundingClientRect();
             return [r.left + f.clientLeft + pad + b.left, r.top + f.clientTop + pad + b.top]; }""",
    )
    assert abs(button.box.left - frame[0]) <= 1 and abs(button.box.top - frame[1]) <= 1
    assert find(obs, "text_field", "City")
    browser.execute(Click(target=at(button)))
    state = "() => document.getElementById('frame').contentDocument.getElementById('state')"
    wait_until(lambda: js(browser, state + ".textContent") == "pressed", 5, message="pressed")
    browser.execute(TypeText(text="Zürich", target=at(find(obs, "text_field", "City"))))
    city = "() => document.getElementById('frame').contentDocument.getElementById('city').value"
    assert js(browser, city) == "Zürich"


# -- actions ----------------------------------------------------------------------------------


def test_click_double_click_right_click(browser: BrowserDriver, web: StaticServer) -> None:
    obs = open_page(browser, web.url("form.html"))
    result = browser.execute(Click(target=at(find(obs, "button", "Go"))))
    assert result.ok and result.device_point == find(obs, "button", "Go").box.center
    wait_until(lambda: js(browser, "() => out.textContent") == "clicked 1", 5, message="click")
    browser.execute(DoubleClick(target=at(find(obs, "button", "Double me"))))
    wait_until(lambda: js(browser, "() => out.textContent") == "double", 5, message="dblclick")
    browser.execute(RightClick(target=at(find(obs, "button", "Right me"))))
    wait_until(lambda: js(browser, "() => out.textContent") == "context", 5, message="context")


def test_checkbox_click_shows_in_the_next_observation(
    browser: BrowserDriver, web: StaticServer
) -> None:
    obs = open_page(browser, web.url("form.html"))
    box = find(obs, "checkbox", "I agree")
    assert "checked" not in box.states
    browser.execute(Click(target=at(box)))
    assert "checked" in find(browser.observe(), "checkbox", "I agree").states
    # the label toggles it back, as in a real browser
    browser.execute(Click(target=at(find(obs, "label", "I agree"))))
    assert "checked" not in find(browser.observe(), "checkbox", "I agree").states


def test_type_non_ascii_and_read_the_value_back(browser: BrowserDriver, web: StaticServer) -> None:
    obs = open_page(browser, web.url("form.html"))
    name = find(obs, "text_field", "Name")
    text = "Zoë Ångström 日本語 ✓"
    browser.execute(TypeText(text=text, target=at(name)))
    assert js(browser, "() => document.getElementById('name').value") == text
    after = find(browser.observe(), "text_field", "Name")
    assert after.value == text and "focused" in after.states
    browser.execute(TypeText(text="replaced", target=at(name), clear=True))
    assert js(browser, "() => document.getElementById('name').value") == "replaced"
    note = find(obs, "text_field", "Note")
    browser.execute(TypeText(text="line one\nline two", target=at(note)))
    assert js(browser, "() => document.getElementById('note').value") == "line one\nline two"


def test_secret_typing_is_not_described(browser: BrowserDriver, web: StaticServer) -> None:
    obs = open_page(browser, web.url("form.html"))
    result = browser.execute(
        TypeText(text="hunter2", target=at(find(obs, "text_field", "Name")), secret=True)
    )
    assert "hunter2" not in result.detail and "7 characters" in result.detail


def test_select_an_option_by_clicking_it(browser: BrowserDriver, web: StaticServer) -> None:
    obs = open_page(browser, web.url("form.html"))
    browser.execute(Click(target=at(find(obs, "combo_box", "Fruit"))))
    opened = browser.observe()
    listbox = find(opened, "list", "Fruit")
    banana = find(opened, "list_item", "Banana")
    assert listbox.box.contains(banana.box.center.x, banana.box.center.y)
    assert "selected" in find(opened, "list_item", "Pick one").states
    browser.execute(Click(target=at(banana)))
    wait_until(
        lambda: js(browser, "() => changes.textContent") == "fruit=banana", 5, message="change"
    )
    after = browser.observe()
    assert find(after, "combo_box", "Fruit").value == "Banana"
    assert not [el for el in after.accessibility or [] if el.role == "list_item"]  # closed


def test_select_by_keyboard_still_works(browser: BrowserDriver, web: StaticServer) -> None:
    obs = open_page(browser, web.url("form.html"))
    browser.execute(Click(target=at(find(obs, "combo_box", "Fruit"))))
    browser.execute(Key(key="Escape"))
    browser.execute(TypeText(text="Ch"))  # typing on a focused select picks by text
    wait_until(lambda: js(browser, "() => fruit.value") == "cherry", 5, message="keyboard select")


def test_keys_and_hotkeys_reach_the_page(browser: BrowserDriver, web: StaticServer) -> None:
    obs = open_page(browser, web.url("form.html"))
    browser.execute(Click(target=at(find(obs, "text_field", "Name"))))
    js(browser, "() => { keys.textContent = ''; }")
    browser.execute(Key(key="enter"))
    browser.execute(Key(key="esc"))
    browser.execute(Key(key="Page_Down"))
    browser.execute(Key(key="ctrl+a"))
    browser.execute(Hotkey(keys=["ctrl", "shift", "K"]))
    browser.execute(Key(key="Tab", presses=2))
    seen = js(browser, "() => keys.textContent").split()
    assert seen == [
        "Enter",
        "Escape",
        "PageDown",
        "ctrl+Control",
        "ctrl+a",
        "ctrl+Control",
        "ctrl+shift+Shift",
        "ctrl+shift+K",
        "Tab",
        "Tab",
    ]


def test_key_names_are_normalised() -> None:
    assert playwright_key("ctrl") == "Control"
    assert playwright_key("Return") == "Enter"
    assert playwright_key("esc") == "Escape"
    assert playwright_key("BackSpace") == "Backspace"
    assert playwright_key("pgdn") == "PageDown"
    assert playwright_key("f5") == "F5"
    assert playwright_key("super") == "Meta"
    assert playwright_key(" ") == " "
    assert split_chord("ctrl+shift+T") == ["Control", "Shift", "KeyT"]
    assert split_chord("ctrl+1") == ["Control", "Digit1"]
    assert split_chord("a") == ["a"]
    assert split_chord("ctrl++") == ["Control", "+"]
    assert split_chord("+") == ["+"]
    with pytest.raises(DriverError):
        playwright_key("hyperdrive")


def test_unknown_key_is_a_driver_error(browser: BrowserDriver, web: StaticServer) -> None:
    open_page(browser, web.url("form.html"))
    with pytest.raises(DriverError, match="unknown key"):
        browser.execute(Key(key="hyperdrive"))


def test_scroll_moves_the_page_and_the_elements(browser: BrowserDriver, web: StaticServer) -> None:
    obs = open_page(browser, web.url("scroll.html"))
    assert not [el for el in obs.accessibility or [] if el.name == "Bottom marker"]
    browser.execute(Scroll(direction="down", amount=5, target=Target.at(640, 400)))
    assert js(browser, "() => window.scrollY") == 500
    browser.execute(Scroll(direction="down", amount=5))  # where the pointer is
    after = browser.observe()
    assert find(after, "text", "Bottom marker")
    browser.execute(Scroll(direction="up", amount=50))
    assert js(browser, "() => window.scrollY") == 0


def test_drag_selects_text(browser: BrowserDriver, web: StaticServer) -> None:
    obs = open_page(browser, web.url("scroll.html"))
    top = find(obs, "text", "Top of the page").box
    browser.execute(
        Drag(
            start=Target.at(top.left + 1, top.center.y),
            end=Target.at(top.right - 1, top.center.y),
        )
    )
    assert js(browser, "() => String(window.getSelection())").strip() == "Top of the page"


def test_open_url_back_and_url_normalisation(browser: BrowserDriver, web: StaticServer) -> None:
    obs = open_page(browser, web.url("tabs.html"))
    browser.execute(Click(target=at(find(obs, "link", "Go to second page"))))
    second = wait_until(
        lambda: (o := browser.observe()).url and o.url.endswith("second.html") and o,
        5,
        message="navigation",
    )
    assert second.active_window is not None and second.active_window.title == "Second page"
    result = browser.execute(Back())
    assert result.ok and browser.observe().url == web.url("tabs.html")
    assert normalise_url("localhost:8000/x") == "http://localhost:8000/x"
    assert normalise_url("example.org") == "https://example.org"
    assert normalise_url(str(WEB / "form.html")).startswith("file://")
    assert normalise_url("about:blank") == "about:blank"


def test_back_with_no_history_does_nothing() -> None:
    with BrowserDriver() as fresh:
        result = fresh.execute(Back())
    assert result.ok and "nothing to go back" in result.detail


def test_open_url_failure_is_a_driver_error(browser: BrowserDriver) -> None:
    with socket.socket() as sock:  # a port nobody listens on once this closes
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(DriverError, match="ERR_CONNECTION_REFUSED") as err:
        browser.execute(OpenUrl(url=f"http://127.0.0.1:{port}/"))
    assert "Page.goto" not in str(err.value)


def test_target_blank_link_opens_a_tab_that_observe_follows(
    browser: BrowserDriver, web: StaticServer
) -> None:
    assert isinstance(browser, TabControl)
    obs = open_page(browser, web.url("tabs.html"))
    browser.execute(Click(target=at(find(obs, "link", "Open second page in a new tab"))))
    new = wait_until(
        lambda: (o := browser.observe()).url and "tab=new" in o.url and o, 5, message="new tab"
    )
    assert find(new, "text", "query ?tab=new")
    assert [w.active for w in new.windows] == [False, True]
    tabs = browser.list_tabs()
    assert len(tabs) == 2 and tabs[1].active
    assert [t.title for t in tabs] == ["First page", "Second page"]
    # the page closes itself: observe returns to the tab that opened it
    browser.execute(Click(target=at(find(new, "button", "Close this tab"))))
    back = wait_until(
        lambda: (o := browser.observe()).url == web.url("tabs.html") and o, 5, message="closed"
    )
    assert len(back.windows) == 1


def test_popup_and_tab_control(browser: BrowserDriver, web: StaticServer) -> None:
    obs = open_page(browser, web.url("tabs.html"))
    first = browser.current_tab()
    browser.execute(Click(target=at(find(obs, "button", "Open a popup"))))
    wait_until(lambda: "tab=popup" in (browser.observe().url or ""), 5, message="popup")
    made = browser.new_tab(web.url("form.html"))
    assert made.active and browser.observe().url == web.url("form.html")
    assert len(browser.list_tabs()) == 3
    assert browser.switch_tab(first.id).url == web.url("tabs.html")
    assert browser.observe().url == web.url("tabs.html")
    browser.close_tab(made.id)
    assert len(browser.list_tabs()) == 2
    with pytest.raises(DriverError, match="no open tab"):
        browser.switch_tab(made.id)
    browser.close_tab()  # the active one; another takes its place
    browser.close_tab()  # the last one: a blank tab stands in
    assert browser.observe().url == "about:blank"


def test_unsupported_actions_and_bad_points(browser: BrowserDriver) -> None:
    with pytest.raises(ActionUnsupported):
        browser.execute(OpenApp(name="xterm"))
    for url in ("javascript:document.title='x'", " JavaScript:void(0)"):
        with pytest.raises(ActionUnsupported, match="javascript"):
            browser.execute(OpenUrl(url=url))
    with pytest.raises(DriverError, match="outside the page"):
        browser.execute(Click(target=Target.at(5000, 10)))
    with pytest.raises(DriverError, match="element id"):
        browser.execute(Click(target=Target(element=3)))


def test_missing_chromium_is_a_setup_error_with_the_fix(tmp_path: Path) -> None:
    with pytest.raises(SetupError, match="apt-get install"):
        BrowserDriver(BrowserConfig(executable_path=tmp_path / "no-chromium"))


def test_missing_playwright_is_a_setup_error_with_the_fix(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)  # import fails
    with pytest.raises(SetupError, match=r"guiagent\[browser\]"):
        BrowserDriver()


def test_closed_driver_refuses(web: StaticServer) -> None:
    driver = BrowserDriver(start_url=web.url("form.html"))
    assert driver.observe().url == web.url("form.html")
    driver.close()
    driver.close()
    with pytest.raises(DriverError, match="closed"):
        driver.observe()


def test_dialogs_do_not_block_and_are_noted(browser: BrowserDriver, tmp_path: Path) -> None:
    page = tmp_path / "dialogs.html"
    page.write_text(
        "<title>dialogs</title><button onclick=\"alert('Saved!')\">Alert</button>"
        "<button onclick=\"out.textContent = confirm('Delete all?') ? 'yes' : 'no'\">Ask</button>"
        "<p id=out>-</p>",
        encoding="utf-8",
    )
    obs = open_page(browser, page.as_uri())
    browser.dialogs.clear()
    browser.execute(Click(target=at(find(obs, "button", "Alert"))))
    browser.execute(Click(target=at(find(obs, "button", "Ask"))))
    assert find(browser.observe(), "text", "no")  # a confirm is declined, the safe answer
    assert browser.dialogs == ["alert: Saved!", "confirm: Delete all?"]
