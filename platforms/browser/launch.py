"""Starting Playwright and Chromium, with every failure turned into a SetupError that says
what to install or set."""

from __future__ import annotations

import os
import threading
from contextlib import suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from guiagent.config import BrowserConfig
from guiagent.errors import DisplayUnavailable, SetupError

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Playwright

#: always passed: no sandbox (containers, root), no GPU, nothing fetched or synced in the
#: background, no first-run UI, and wheel scrolling that lands at once (no smooth animation)
BASE_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-smooth-scrolling",
)

APT_FIX = "sudo apt-get install -y --no-install-recommends chromium"


class _PerThread(threading.local):
    """Playwright's sync API allows one running instance per thread; drivers in the same
    thread share it (each with its own browser) and the last one out stops it."""

    playwright: Playwright | None = None
    users: int = 0


_THREAD = _PerThread()


def _acquire(error: type[Exception]) -> Playwright:
    if _THREAD.playwright is None:
        from playwright.sync_api import sync_playwright

        try:
            _THREAD.playwright = sync_playwright().start()
        except error as exc:  # e.g. called inside a running asyncio loop
            raise SetupError(f"cannot start Playwright: {_first_line(exc)}") from exc
    _THREAD.users += 1
    return _THREAD.playwright


def _release() -> None:
    _THREAD.users -= 1
    if _THREAD.users <= 0 and _THREAD.playwright is not None:
        playwright, _THREAD.playwright, _THREAD.users = _THREAD.playwright, None, 0
        with suppress(Exception):
            playwright.stop()


@dataclass
class Launched:
    playwright: Playwright
    browser: Browser
    context: BrowserContext

    def stop(self) -> None:
        """Close everything; errors from an already-dead browser are ignored."""
        for close in (self.context.close, self.browser.close):
            with suppress(Exception):  # the browser may be gone already
                close()
        _release()


def launch_args(config: BrowserConfig) -> list[str]:
    return [*BASE_ARGS, *(a for a in config.extra_args if a not in BASE_ARGS)]


def launch(config: BrowserConfig) -> Launched:
    """Playwright (sync API) + Chromium + one context with the configured viewport."""
    try:
        from playwright.sync_api import Error
    except ImportError as exc:
        raise SetupError(
            f"the browser driver needs Playwright ({exc})",
            hint="pip install 'guiagent[browser]' (Playwright), and " + APT_FIX,
        ) from exc
    executable = config.executable_path
    if executable is not None and not executable.exists():
        raise SetupError(
            f"Chromium was not found at {executable}",
            hint=f"{APT_FIX}, or set browser.executable_path to a Chromium or Chrome binary",
        )
    if not config.headless and not os.environ.get("DISPLAY"):
        raise DisplayUnavailable(
            "a headed browser needs an X display and DISPLAY is unset",
            hint="run headless, or start one with --virtual-display",
        )
    playwright = _acquire(Error)
    try:
        browser = playwright.chromium.launch(
            executable_path=str(executable) if executable is not None else None,
            headless=config.headless,
            args=launch_args(config),
            timeout=30_000,
        )
    except Error as exc:
        _release()
        raise _launch_error(exc, config) from exc
    try:
        context = browser.new_context(
            viewport={"width": config.viewport_width, "height": config.viewport_height},
            device_scale_factor=config.device_scale_factor,
            locale="en-US",
        )
        context.set_default_timeout(config.action_timeout * 1000)
        context.set_default_navigation_timeout(config.navigation_timeout * 1000)
    except Error as exc:
        browser.close()
        _release()
        raise SetupError(f"cannot open a browser context: {_first_line(exc)}") from exc
    return Launched(playwright, browser, context)


def _launch_error(exc: Any, config: BrowserConfig) -> SetupError:
    text = str(exc)
    if "Executable doesn't exist" in text:
        return SetupError(
            "no Playwright-managed Chromium is installed",
            hint=f"{APT_FIX} and set browser.executable_path=/usr/bin/chromium, "
            "or run 'playwright install chromium' where downloads are allowed",
        )
    if "XServer" in text or "Missing X server" in text or "$DISPLAY" in text:
        return DisplayUnavailable(
            "Chromium could not open a window: no usable X display",
            hint="run headless, or start one with --virtual-display",
        )
    return SetupError(
        f"Chromium ({config.executable_path or 'Playwright-managed'}) did not start: "
        f"{_first_line(exc)}",
        hint=f"check the binary runs ('{config.executable_path or 'chromium'} --version'); "
        + APT_FIX,
    )


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    # Playwright appends a call log after the message; the first line is what matters
    return text.splitlines()[0] if text else type(exc).__name__
