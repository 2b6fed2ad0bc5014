"""One action in, Playwright mouse and keyboard input out: the part of the browser driver that
knows what each action type means in a page. Points arrive in screenshot pixels and become CSS
pixels through the driver's single ``to_device`` path (handed in as ``to_point``); every call
runs inside the driver's guard, which translates Playwright errors."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, suppress
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from guiagent.actions import (
    Action,
    Back,
    Click,
    DoubleClick,
    Drag,
    Hotkey,
    Hover,
    Key,
    LongPress,
    OpenUrl,
    Point,
    RightClick,
    Scroll,
    Target,
    TypeText,
    Wait,
    describe,
)
from guiagent.config import BrowserConfig
from guiagent.errors import ActionUnsupported

from .keys import MODIFIERS, chord_key, split_chord

if TYPE_CHECKING:
    from playwright.sync_api import Page

DevicePoint = tuple[float, float]
Outcome = tuple[str, DevicePoint | None]

#: CSS pixels one wheel click scrolls (Chromium's own step for a mouse wheel notch)
WHEEL_STEP = 100
#: waits two frames, so a wheel scroll or a drag has been applied before the next screenshot
_TWO_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


def normalise_url(url: str) -> str:
    """What a person types into an address bar -> a URL Chromium opens: an existing local path
    becomes file://, ``localhost:8000`` http://, a bare host https://."""
    text = url.strip()
    if not text:
        return "about:blank"
    scheme = text.split(":", 1)[0].lower()
    if "://" in text or scheme in {"about", "data", "file", "chrome", "javascript"}:
        return text
    path = Path(text).expanduser()
    if text.startswith(("/", "~", "./")) and path.exists():
        return path.resolve().as_uri()
    host = urlsplit("//" + text).hostname or ""
    local = host in {"localhost", "127.0.0.1", "::1"} or host.endswith(".localhost")
    return ("http://" if local else "https://") + text


class BrowserPerformer:
    """Carries out the page actions; anything else is :class:`ActionUnsupported`."""

    SUPPORTED = frozenset(
        {
            "click",
            "double_click",
            "right_click",
            "long_press",
            "hover",
            "drag",
            "scroll",
            "type_text",
            "key",
            "hotkey",
            "open_url",
            "back",
            "wait",
        }
    )

    def __init__(
        self,
        config: BrowserConfig,
        page: Callable[[], Page],
        guard: Callable[[str], AbstractContextManager[None]],
        to_point: Callable[[Target], DevicePoint],
        centre: Callable[[], DevicePoint],
    ) -> None:
        self.config = config
        self._page = page
        self._guard = guard
        self._point = to_point
        self._centre = centre
        self._mouse: DevicePoint | None = None

    def execute(self, action: Action) -> tuple[str, Point | None]:
        handler = self._handlers().get(action.type)
        if handler is None:
            raise ActionUnsupported(
                f"the browser driver cannot {action.type.replace('_', ' ')}",
                hint="supported: " + ", ".join(sorted(self.SUPPORTED)),
            )
        with self._guard(describe(action)):
            try:
                detail, where = handler(action)
            except BaseException:
                self._release()
                raise
        return detail, None if where is None else Point(x=round(where[0]), y=round(where[1]))

    def _handlers(self) -> dict[str, Callable[[Action], Outcome]]:
        return {
            "click": self._pointer,
            "double_click": self._pointer,
            "right_click": self._pointer,
            "long_press": self._pointer,
            "hover": self._hover,
            "drag": self._drag,
            "scroll": self._scroll,
            "type_text": self._type,
            "key": self._key,
            "hotkey": self._hotkey,
            "open_url": self._open_url,
            "back": self._back,
            "wait": self._wait,
        }

    def _release(self) -> None:
        """After a failed action: let go of the mouse button and any held modifier."""
        with suppress(Exception):
            page = self._page()
            page.mouse.up()
            for key in MODIFIERS:
                page.keyboard.up(key)

    # -- pointer ----------------------------------------------------------------------------
    def _pointer(self, action: Action) -> Outcome:
        assert isinstance(action, Click | DoubleClick | RightClick | LongPress)
        x, y = self._point(action.target)
        page = self._page()
        try:
            _press(page, action, x, y)
        except Exception:
            if not page.is_closed():
                raise
            # the click closed its own tab ("Close this tab" runs window.close()): done
        self._mouse = (x, y)
        return describe(action), (x, y)

    def _hover(self, action: Action) -> Outcome:
        assert isinstance(action, Hover)
        x, y = self._point(action.target)
        self._page().mouse.move(x, y)
        self._mouse = (x, y)
        return describe(action), (x, y)

    def _drag(self, action: Action) -> Outcome:
        assert isinstance(action, Drag)
        (ax, ay), (bx, by) = self._point(action.start), self._point(action.end)
        page = self._page()
        page.mouse.move(ax, ay)
        page.mouse.down()
        page.mouse.move(bx, by, steps=12)  # pages see the moves in between, as from a hand
        page.mouse.up()
        page.evaluate(_TWO_FRAMES)
        self._mouse = (bx, by)
        return describe(action), (bx, by)

    def _scroll(self, action: Action) -> Outcome:
        assert isinstance(action, Scroll)
        if action.target is not None:
            at = self._point(action.target)
        else:
            at = self._mouse or self._centre()
        step = action.amount * WHEEL_STEP
        dx, dy = {
            "up": (0, -step),
            "down": (0, step),
            "left": (-step, 0),
            "right": (step, 0),
        }[action.direction]
        page = self._page()
        page.mouse.move(*at)
        page.mouse.wheel(dx, dy)
        page.evaluate(_TWO_FRAMES)
        self._mouse = at
        return describe(action), at

    # -- keyboard ---------------------------------------------------------------------------
    def _type(self, action: Action) -> Outcome:
        assert isinstance(action, TypeText)
        page = self._page()
        at: DevicePoint | None = None
        if action.target is not None:
            at = self._point(action.target)
            page.mouse.click(*at)
            self._mouse = at
        if action.clear:
            page.keyboard.press("ControlOrMeta+a")
            page.keyboard.press("Backspace")
        # type() sends real key events for what the layout has and inserts the rest (non-ASCII)
        page.keyboard.type(action.text, delay=self.config.type_delay_ms)
        shown = f"{len(action.text)} characters" if action.secret else repr(action.text)
        where = f" at ({at[0]:g},{at[1]:g})" if at else ""
        return f"typed {shown}{where}", at

    def _chord(self, keys: list[str]) -> None:
        keyboard = self._page().keyboard
        held: list[str] = []
        try:
            for key in keys[:-1]:
                keyboard.down(key)
                held.append(key)
            keyboard.press(keys[-1])
        finally:
            for key in reversed(held):
                keyboard.up(key)

    def _key(self, action: Action) -> Outcome:
        assert isinstance(action, Key)
        keys = split_chord(action.key)
        for _ in range(action.presses):
            self._chord(keys)
        return describe(action), None

    def _hotkey(self, action: Action) -> Outcome:
        assert isinstance(action, Hotkey)
        self._chord([chord_key(k) for k in action.keys])
        return describe(action), None

    # -- navigation -------------------------------------------------------------------------
    def _open_url(self, action: Action) -> Outcome:
        assert isinstance(action, OpenUrl)
        url = normalise_url(action.url)
        if url.lower().startswith("javascript:"):
            # a javascript: URL would run its text in the page: never for an action's text
            raise ActionUnsupported("the browser driver does not open javascript: URLs")
        page = self._page()
        for attempt in range(3):
            try:
                response = page.goto(url, wait_until="domcontentloaded")
                break
            except Exception as exc:
                if attempt == 2 or "interrupted by another navigation" not in str(exc):
                    raise
                # the page was still navigating (a redirect, an error page): ask again
                self._settle(page, 1.0)
        self._settle(page)
        status = f" (HTTP {response.status})" if response is not None else ""
        return f"opened {page.url}{status}", None

    def _back(self, action: Action) -> Outcome:
        assert isinstance(action, Back)
        page = self._page()
        before = page.url
        if page.go_back(wait_until="domcontentloaded") is None and page.url == before:
            return "nothing to go back to in this tab", None
        self._settle(page)
        return f"went back to {page.url}", None

    def _wait(self, action: Action) -> Outcome:
        assert isinstance(action, Wait)
        self._page().wait_for_timeout(action.seconds * 1000)
        return describe(action), None

    @staticmethod
    def _settle(page: Page, seconds: float = 3.0) -> None:
        """Give the page a short while to finish loading; a slow one is observed as it is."""
        with suppress(Exception):
            page.wait_for_load_state("load", timeout=seconds * 1000)


def _press(page: Page, action: Action, x: float, y: float) -> None:
    """The mouse presses of a click, double click, right click or long press at (x, y)."""
    mouse = page.mouse
    if isinstance(action, LongPress):
        mouse.move(x, y)
        mouse.down()
        page.wait_for_timeout(action.seconds * 1000)
        mouse.up()
    elif isinstance(action, DoubleClick):
        mouse.dblclick(x, y)
    else:
        mouse.click(x, y, button="right" if isinstance(action, RightClick) else "left")
