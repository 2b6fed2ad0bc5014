"""Accessibility elements of the active application through AT-SPI (libatspi via GObject
introspection, the library pyatspi wraps).

Only the active application's showing top-level windows are walked, breadth-first, pruned at
every node that is not showing, and bounded by a node count and a time budget, so a huge tree
(a spreadsheet, a web page) costs a bounded, partial answer rather than a stalled step.

libatspi binds to the accessibility bus of the first ``DISPLAY`` / ``DBUS_SESSION_BUS_ADDRESS``
it sees in this process; a process that switches displays keeps reading the first one.
"""

from __future__ import annotations

import logging
import os
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from guiagent.observation import Box, Element

log = logging.getLogger(__name__)

#: AT-SPI role nick -> the project's normalised role
ROLE_MAP: dict[str, str] = {
    "push-button": "button",
    "push-button-menu": "button",
    "button": "button",
    "toggle-button": "toggle_button",
    "check-box": "checkbox",
    "radio-button": "radio",
    "combo-box": "combo_box",
    "menu-item": "menu_item",
    "check-menu-item": "menu_item",
    "radio-menu-item": "menu_item",
    "tearoff-menu-item": "menu_item",
    "menu": "menu",
    "popup-menu": "menu",
    "list-item": "list_item",
    "tree-item": "list_item",
    "table-cell": "list_item",
    "page-tab": "tab",
    "link": "link",
    "label": "label",
    "static": "label",
    "caption": "label",
    "accelerator-label": "label",
    "entry": "text_field",
    "password-text": "text_field",
    "spin-button": "text_field",
    "editbar": "text_field",
    "text": "text",
    "paragraph": "text",
    "heading": "text",
    "document-text": "text",
    "terminal": "text",
    "slider": "slider",
    "scroll-bar": "slider",
    "dial": "slider",
    "frame": "window",
    "window": "window",
    "dialog": "dialog",
    "alert": "dialog",
    "file-chooser": "dialog",
    "color-chooser": "dialog",
    "font-chooser": "dialog",
}

#: roles whose text content is worth reading as the element's value
_TEXT_ROLES = {"text_field", "text", "combo_box"}
_MAX_TEXT = 2000

BoxMapper = Callable[[int, int, int, int], Box | None]


def _nick(value: Any) -> str:
    return str(getattr(value, "value_nick", value)).lower()


class AtspiReader:
    """Reads elements of one application (by process id) from the accessibility bus."""

    def __init__(
        self, *, max_nodes: int = 800, budget_s: float = 0.25, call_timeout_ms: int = 800
    ) -> None:
        self.max_nodes = max_nodes
        self.budget_s = budget_s
        self.call_timeout_ms = call_timeout_ms
        self._atspi: Any = None
        self.unavailable_reason: str | None = None
        self._started = False

    def start(self) -> bool:
        """Load libatspi and check a bus is there; False (with a reason) when it cannot be."""
        if self._started:
            return self._atspi is not None
        self._started = True
        if not os.environ.get("DBUS_SESSION_BUS_ADDRESS") and not os.environ.get("AT_SPI_BUS"):
            # without a bus libatspi would try to autolaunch one on the person's display
            self.unavailable_reason = "no session D-Bus (DBUS_SESSION_BUS_ADDRESS is unset)"
            return False
        try:
            import gi

            gi.require_version("Atspi", "2.0")
            from gi.repository import Atspi
        except (ImportError, ValueError) as exc:
            self.unavailable_reason = (
                f"libatspi is not importable ({exc}); "
                "install python3-gi gir1.2-atspi-2.0 python3-pyatspi"
            )
            return False
        try:
            Atspi.set_timeout(self.call_timeout_ms, 5000)
            desktop = Atspi.get_desktop(0)
            desktop.get_child_count()
        except Exception as exc:  # GLib.Error and friends from D-Bus
            self.unavailable_reason = f"the AT-SPI registry does not answer: {exc}"
            return False
        self._atspi = Atspi
        return True

    def _application(self, pid: int | None, title: str) -> Any | None:
        """The application with ``pid``; without a pid (a window lacking _NET_WM_PID), the one
        with a top-level window of that title."""
        desktop = self._atspi.get_desktop(0)
        for i in range(desktop.get_child_count()):
            app = desktop.get_child_at_index(i)
            if app is None:
                continue
            try:
                if pid is not None and app.get_process_id() == pid:
                    return app
                if (
                    pid is None
                    and title
                    and any(
                        (child := app.get_child_at_index(j)) is not None
                        and child.get_name() == title
                        for j in range(app.get_child_count())
                    )
                ):
                    return app
            except Exception:  # an application that quit under us
                continue
        return None

    def _top_levels(self, app: Any, title: str) -> list[Any]:
        """The active window(s) of the app: ACTIVE state, else the title, else all showing."""
        st = self._atspi.StateType
        showing: list[Any] = []
        for i in range(app.get_child_count()):
            child = app.get_child_at_index(i)
            if child is None:
                continue
            states = child.get_state_set()
            if states.contains(st.ACTIVE):
                return [child]
            if states.contains(st.SHOWING):
                showing.append(child)
        named = [c for c in showing if title and c.get_name() == title]
        return named or showing

    def elements(
        self, pid: int | None, title: str, to_box: BoxMapper, app_name: str = ""
    ) -> list[Element] | None:
        """Showing elements of the application ``pid`` (None when it is not on the bus).

        ``to_box`` maps screen extents (x, y, w, h) to a screenshot box, or None when the
        element is off the captured area or empty."""
        if not self.start():
            return None
        app = self._application(pid, title)
        if app is None:
            return None
        app.clear_cache()  # states and names must be today's, and we pump no event loop
        deadline = time.monotonic() + self.budget_s
        queue: deque[Any] = deque(self._top_levels(app, title))
        found: list[Element] = []
        visited = 0
        while queue and visited < self.max_nodes and time.monotonic() < deadline:
            node = queue.popleft()
            visited += 1
            try:
                element, descend = self._element(node, to_box, app_name)
            except Exception as exc:  # D-Bus errors: a node vanished or an app is slow
                log.debug("AT-SPI node skipped: %s", exc)
                continue
            if element is not None:
                found.append(element)
            if descend:
                try:
                    count = min(node.get_child_count(), self.max_nodes)
                    queue.extend(node.get_child_at_index(i) for i in range(count))
                except Exception as exc:
                    log.debug("AT-SPI children skipped: %s", exc)
        if queue:
            log.debug("AT-SPI walk of %r stopped after %d nodes", app_name, visited)
        return found

    def _element(self, node: Any, to_box: BoxMapper, app_name: str) -> tuple[Element | None, bool]:
        if node is None:
            return None, False
        atspi = self._atspi
        states = {_nick(s).replace("-", "_") for s in node.get_state_set().get_states()}
        if "showing" not in states or "visible" not in states:
            return None, False
        role_nick = _nick(node.get_role())
        role = ROLE_MAP.get(role_nick, "other")
        if role == "text" and "editable" in states:
            role = "text_field"
        name = (node.get_name() or "").strip()
        ext = node.get_extents(atspi.CoordType.SCREEN)
        box = to_box(int(ext.x), int(ext.y), int(ext.width), int(ext.height))
        if box is None:
            # no area of its own (GTK notebook tabs report -1) yet showing children may follow
            return None, True
        value = None if role == "label" and name else self._value(node, role, role_nick)
        if not name and role in ("text", "label") and value:
            name = value[:200]
        if role == "label":
            value = None  # a label's text is its name
        if role == "other" and not name:
            return None, True  # an anonymous container: its children are what matter
        element = Element(
            role=role,
            name=name,
            box=box,
            source="a11y",
            states=frozenset(states),
            value=value,
            app=app_name,
        )
        return element, True

    def _value(self, node: Any, role: str, role_nick: str) -> str | None:
        if role_nick == "password-text":
            return None  # never read a secret into an observation
        if role not in _TEXT_ROLES and role not in ("label", "slider"):
            return None
        atspi = self._atspi
        try:
            interfaces = set(node.get_interfaces())
            if role == "slider":
                if "Value" not in interfaces:
                    return None
                return f"{atspi.Value.get_current_value(node):g}"
            if "Text" not in interfaces:
                return None
            count = min(int(atspi.Text.get_character_count(node)), _MAX_TEXT)
            return str(atspi.Text.get_text(node, 0, count))
        except Exception as exc:
            log.debug("AT-SPI value skipped: %s", exc)
        return None
