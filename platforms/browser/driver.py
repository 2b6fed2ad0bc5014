"""The browser driver: a system Chromium driven through Playwright's sync API.

An observation is the viewport's screenshot, the page's visible controls and text as ``a11y``
elements (one ``page.evaluate`` of the package's ``elements.js``), the URL and the title.
Actions arrive with targets resolved to screenshot-pixel points; ``to_device`` is the one place
those become CSS pixels. Every Playwright failure leaves this module as a
:class:`~guiagent.errors.DriverError` (a missing browser as a :class:`SetupError` with the fix).

Use it from one thread: Playwright's sync API belongs to the thread that started it.
"""

from __future__ import annotations

import base64
import logging
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING, Any, TypeVar

import cv2
import numpy as np

from guiagent.actions import Action, Point, Target
from guiagent.config import BrowserConfig
from guiagent.errors import DriverError, GuiAgentError
from guiagent.observation import ActionResult, Box, Observation, WindowInfo

from ..base import Capabilities
from .elements import Viewport, script, to_elements
from .launch import Launched, launch
from .perform import BrowserPerformer, normalise_url
from .tabs import TabInfo, TabSet

if TYPE_CHECKING:
    from playwright.sync_api import CDPSession, Dialog, Page

log = logging.getLogger(__name__)
T = TypeVar("T")

APP = "chromium"
#: the most nodes one extraction visits, whatever ``max_elements`` is
_MAX_NODES = 20_000
#: errors of a page caught mid-navigation: wait for the new document and try again
_RETRYABLE = (
    "Execution context was destroyed",
    "navigation",
    "Cannot find context",
    "Unable to capture screenshot",
)


class BrowserDriver:
    """Driver and TabControl for one Chromium browser context.

    ``dialogs`` lists the alert/confirm/prompt messages pages showed (answered at once: alerts
    accepted, the rest declined); ``last_extraction`` holds the extractor's statistics."""

    def __init__(self, config: BrowserConfig | None = None, *, start_url: str | None = None):
        self.config = config or BrowserConfig()
        self._viewport = Viewport(
            self.config.viewport_width,
            self.config.viewport_height,
            self.config.device_scale_factor,
        )
        self._closed = False
        self._thread = threading.get_ident()
        self._tabs = TabSet()
        self._titles: dict[int, str] = {}
        self._cdp: dict[Page, CDPSession] = {}
        self.dialogs: list[str] = []
        self.last_extraction: dict[str, Any] = {}
        self._launched: Launched = launch(self.config)
        from playwright.sync_api import Error

        self._error: type[Exception] = Error
        try:
            context = self._launched.context
            if self.config.select_popup:
                context.add_init_script(script("select_popup.js"))
            context.on("page", self._on_page)
            self._on_page(context.new_page())
            url = start_url or self.config.start_url
            if url:
                with self._guard(f"open {url}"):
                    self._page().goto(normalise_url(url), wait_until="load")
        except BaseException:
            self._closed = True
            self._launched.stop()
            raise
        self._performer = BrowserPerformer(
            self.config, self._page, self._guard, self._target_point, self._centre
        )
        self._caps = Capabilities(
            platform="browser",
            actions=BrowserPerformer.SUPPORTED,
            accessibility=True,
            notes=f"Chromium {self._launched.browser.version} via Playwright, "
            f"{'headless' if self.config.headless else 'headed'}, "
            f"viewport {self.config.viewport_width}x{self.config.viewport_height}",
        )

    # -- plumbing -----------------------------------------------------------------------------
    @contextmanager
    def _guard(self, what: str) -> Iterator[None]:
        """Turn Playwright failures into DriverError, with the first line of its message."""
        if self._closed:
            raise DriverError("the browser driver is closed")
        if threading.get_ident() != self._thread:
            raise DriverError(
                f"{what}: called from another thread; Playwright's sync API belongs to the "
                "thread that started the driver"
            )
        try:
            yield
        except GuiAgentError:
            raise
        except self._error as exc:
            text = str(exc).strip()
            # "Page.goto: net::ERR_... <call log>": the reason is the first line, sans API name
            first = re.sub(r"^\w+\.\w+: ", "", text.splitlines()[0]) if text else repr(exc)
            if "has been closed" in text:
                raise DriverError(
                    f"{what}: the browser or the tab has closed ({first})",
                    hint="start a new session; a closed browser does not come back",
                ) from exc
            if type(exc).__name__ == "TimeoutError":
                raise DriverError(f"{what}: timed out: {first}") from exc
            raise DriverError(f"{what}: {first}") from exc

    def _on_page(self, page: Page) -> None:
        """A new page (ours, or one a click or script opened) becomes the active tab."""
        if self._closed:
            return
        known = page in self._tabs
        self._tabs.add(page)
        if not known:
            page.on("close", self._on_close)
            page.on("dialog", self._on_dialog)

    def _on_close(self, page: Page) -> None:
        tab_id = self._tabs.remove(page)
        self._titles.pop(tab_id or -1, None)
        self._cdp.pop(page, None)

    def _on_dialog(self, dialog: Dialog) -> None:
        """alert/confirm/prompt block the page: note the message, accept alerts and leaving
        the page, decline the rest (the safe answer)."""
        message = f"{dialog.type}: {dialog.message}"
        self.dialogs.append(message)
        log.info("page dialog %s", message)
        with suppress(Exception):
            if dialog.type in ("alert", "beforeunload"):
                dialog.accept()
            else:
                dialog.dismiss()

    def _page(self) -> Page:
        """The active tab's page; a fresh blank tab when the last one was closed."""
        page = self._tabs.active
        if page is None or page.is_closed():
            if page is not None:
                self._tabs.remove(page)
                return self._page()
            page = self._launched.context.new_page()
            self._on_page(page)
        return page

    def _pump(self) -> Page:
        """Let Playwright deliver pending events (a tab a click opened) and return the page
        to observe: the newest one."""
        page = self._page()
        with suppress(self._error):
            page.evaluate("0")
        return self._page()

    def to_device(self, point: Point) -> tuple[float, float]:
        """Screenshot pixels -> CSS pixels of the viewport (the one conversion)."""
        return self._viewport.to_device(point)

    def _target_point(self, target: Target) -> tuple[float, float]:
        if target.point is None:
            raise DriverError(
                f"target {target.describe()} is an element id; the runner must resolve it to a "
                "point before the driver sees it"
            )
        if not self._viewport.contains(target.point):
            v = self._viewport
            raise DriverError(
                f"point ({target.point.x},{target.point.y}) is outside the page "
                f"({v.pixel_width}x{v.pixel_height})"
            )
        return self.to_device(target.point)

    def _centre(self) -> tuple[float, float]:
        return self._viewport.width / 2, self._viewport.height / 2

    # -- Driver -------------------------------------------------------------------------------
    @property
    def capabilities(self) -> Capabilities:
        return self._caps

    def observe(self) -> Observation:
        with self._guard("observe"):
            page = self._pump()
            with suppress(self._error):
                page.wait_for_load_state("domcontentloaded")
            png = self._retrying(page, lambda: self._screenshot(page))
            raw = self._extract(page)
            title = self._retrying(page, page.title)
            url = page.url
        image = _decode_png(png)
        css_w, css_h = (int(v) for v in raw.get("viewport") or self._css_size())
        self._viewport = Viewport(css_w, css_h, image.shape[1] / css_w if css_w else 1.0)
        active_id = self._tabs.active_id
        if active_id is not None:
            self._titles[active_id] = title
        box = Box(left=0, top=0, right=image.shape[1], bottom=image.shape[0])
        windows = [
            WindowInfo(
                id=tab_id,
                title=self._titles.get(tab_id) or p.url,
                app=APP,
                box=box,
                active=tab_id == active_id,
            )
            for tab_id, p in self._tabs.items()
        ]
        active = next((w for w in windows if w.active), None)
        return Observation(
            image=image,
            platform="browser",
            accessibility=to_elements(raw, self._viewport, APP),
            active_window=active,
            windows=windows,
            url=url,
            scale=1 / self._viewport.scale,
        )

    def _screenshot(self, page: Page) -> bytes:
        """The viewport as PNG, straight from the DevTools protocol with fast encoding (about
        half the time of ``page.screenshot``, which also hides the caret and waits for fonts:
        a screen shows its caret)."""
        if self.config.device_scale_factor == 1:  # the protocol's shot is in CSS pixels
            for _ in range(2):
                session = self._cdp.get(page)
                if session is None:
                    session = self._cdp[page] = self._launched.context.new_cdp_session(page)
                try:
                    shot = session.send(
                        "Page.captureScreenshot", {"format": "png", "optimizeForSpeed": True}
                    )
                    return base64.b64decode(shot["data"])
                except self._error:
                    # a navigation that swapped the renderer detaches the session: renew it
                    self._cdp.pop(page, None)
                    with suppress(self._error):
                        session.detach()
        return page.screenshot(type="png")

    def _css_size(self) -> tuple[int, int]:
        return self.config.viewport_width, self.config.viewport_height

    def _retrying(self, page: Page, call: Callable[[], T]) -> T:
        """``call()``; when the page was caught mid-navigation, wait for it and call again."""
        for attempt in range(3):
            try:
                return call()
            except self._error as exc:
                if attempt == 2 or not any(s in str(exc) for s in _RETRYABLE):
                    raise
                with suppress(self._error):
                    page.wait_for_load_state("domcontentloaded")
                    page.wait_for_timeout(50)
        raise AssertionError("unreachable")

    def _extract(self, page: Page) -> dict[str, Any]:
        """Run the extractor (one evaluate of elements.js)."""
        opts = {"maxElements": self.config.max_elements, "maxNodes": _MAX_NODES}
        raw: dict[str, Any] = self._retrying(
            page, lambda: page.evaluate(script("elements.js"), opts)
        )
        self.last_extraction = {k: v for k, v in raw.items() if k != "elements"}
        if raw.get("truncated"):
            log.debug("element extraction stopped early: %s", self.last_extraction)
        return raw

    def execute(self, action: Action) -> ActionResult:
        start = time.perf_counter()
        detail, point = self._performer.execute(action)
        return ActionResult(
            ok=True,
            detail=detail,
            device_point=point,
            elapsed_ms=(time.perf_counter() - start) * 1000,
        )

    # -- harness side (never handed to an agent) --------------------------------------------
    def evaluate(self, expression: str, arg: Any = None, *, tab: int | None = None) -> Any:
        """Run one of OUR scripts in a tab (the active one by default) and return its value.

        For harnesses (the evaluation suite reading a task's reward, tests); agents only ever
        see observations. Never pass model output here."""
        with self._guard("evaluate"):
            page = self._pump() if tab is None else self._tabs.get(tab)
            if page is None or page.is_closed():
                raise DriverError(f"tab {tab} is not open")
            return page.evaluate(expression, arg)

    # -- TabControl ---------------------------------------------------------------------------
    def list_tabs(self) -> list[TabInfo]:
        with self._guard("list tabs"):
            self._pump()
            active = self._tabs.active_id
            return [
                TabInfo(id=tab_id, url=p.url, title=p.title(), active=tab_id == active)
                for tab_id, p in self._tabs.items()
            ]

    def current_tab(self) -> TabInfo:
        return next(t for t in self.list_tabs() if t.active)

    def new_tab(self, url: str | None = None) -> TabInfo:
        with self._guard("new tab"):
            page = self._launched.context.new_page()
            self._on_page(page)
            if url:
                page.goto(normalise_url(url), wait_until="load")
        return self.current_tab()

    def switch_tab(self, tab_id: int) -> TabInfo:
        with self._guard("switch tab"):
            page = self._tabs.get(tab_id)
            if page is None or page.is_closed():
                raise DriverError(f"no open tab {tab_id}", hint="list_tabs() shows the open ones")
            self._tabs.activate(tab_id)
            page.bring_to_front()
        return self.current_tab()

    def close_tab(self, tab_id: int | None = None) -> None:
        with self._guard("close tab"):
            target = self._tabs.active_id if tab_id is None else tab_id
            page = self._tabs.get(target) if target is not None else None
            if page is None:
                raise DriverError(f"no open tab {tab_id}")
            page.close()
            self._tabs.remove(page)
            survivor = self._page()
            survivor.bring_to_front()

    # -- lifecycle ----------------------------------------------------------------------------
    def close(self) -> None:
        """Close the browser and stop Playwright; later calls raise DriverError."""
        if self._closed:
            return
        self._closed = True
        self._launched.stop()

    def __enter__(self) -> BrowserDriver:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        mode = "headless" if self.config.headless else "headed"
        return f"BrowserDriver({mode}, executable={self.config.executable_path})"


def _decode_png(png: bytes) -> np.ndarray:
    """PNG bytes -> RGB uint8 (OpenCV decodes about twice as fast as Pillow here)."""
    bgr = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_COLOR)
    if bgr is None:
        raise DriverError("the browser returned a screenshot that is not a PNG")
    return np.ascontiguousarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
