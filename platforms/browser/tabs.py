"""Tabs: the browser's platform extra, behind a capability interface so a harness (e.g. an
OSWorld ``chrome_open_tabs`` step) can use any driver that offers it.

``TabSet`` keeps the open pages with stable ids and follows the newest one: a page that a click
opens (``target=_blank``, ``window.open``) becomes the one observed, as it would on a screen;
closing it returns to the tab that was active before.
"""

from __future__ import annotations

import itertools
import logging
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:
    from playwright.sync_api import Page

log = logging.getLogger(__name__)


class TabInfo(BaseModel):
    model_config = ConfigDict(frozen=True)
    id: int
    url: str
    title: str = ""
    active: bool = False


@runtime_checkable
class TabControl(Protocol):
    """Browser drivers: list, open, switch to and close tabs."""

    def list_tabs(self) -> list[TabInfo]: ...

    def new_tab(self, url: str | None = None) -> TabInfo: ...

    def switch_tab(self, tab_id: int) -> TabInfo: ...

    def close_tab(self, tab_id: int | None = None) -> None: ...


class TabSet:
    """The pages of one browser context, in opening order, with the active one."""

    def __init__(self) -> None:
        self._ids = itertools.count(1)
        self._pages: dict[int, Page] = {}
        self._history: list[int] = []  # tab ids, most recently active last

    def add(self, page: Page) -> int:
        """A page that appeared (opened by us, a click or a script) becomes the active tab."""
        for tab_id, known in self._pages.items():
            if known is page:
                self.activate(tab_id)
                return tab_id
        tab_id = next(self._ids)
        self._pages[tab_id] = page
        self.activate(tab_id)
        return tab_id

    def remove(self, page: Page) -> int | None:
        """Forget a closed page; its tab id, or None when it was not known."""
        for tab_id, known in list(self._pages.items()):
            if known is page:
                del self._pages[tab_id]
                self._history = [t for t in self._history if t != tab_id]
                return tab_id
        return None

    def __contains__(self, page: object) -> bool:
        return any(known is page for known in self._pages.values())

    def activate(self, tab_id: int) -> None:
        self._history = [t for t in self._history if t != tab_id] + [tab_id]

    @property
    def active_id(self) -> int | None:
        return self._history[-1] if self._history else None

    @property
    def active(self) -> Page | None:
        tab_id = self.active_id
        return self._pages.get(tab_id) if tab_id is not None else None

    def get(self, tab_id: int) -> Page | None:
        return self._pages.get(tab_id)

    def items(self) -> list[tuple[int, Page]]:
        return sorted(self._pages.items())

    def __len__(self) -> int:
        return len(self._pages)
