"""Top-level windows through EWMH: the client list, the active window, titles, classes, pids,
geometry, and activation by ``_NET_ACTIVE_WINDOW`` client message (what a pager does, so the
window manager raises and focuses the window as if the person had clicked it)."""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass

from Xlib import X, Xatom
from Xlib import error as xerror
from Xlib.display import Display
from Xlib.protocol import event as xevent
from Xlib.xobject.drawable import Window

from guiagent.errors import DriverError


@dataclass(frozen=True)
class RawWindow:
    """A top-level client window in X root coordinates (the driver converts to pixels)."""

    id: int
    title: str
    wm_class: str
    wm_instance: str
    pid: int | None
    x: int
    y: int
    width: int
    height: int
    active: bool


class Ewmh:
    """Reads and changes the window manager's view of the top-level windows."""

    def __init__(self, display: Display) -> None:
        self._d = display
        self._root = display.screen().root
        self._atoms: dict[str, int] = {}
        self._ping_window: Window | None = None
        self._ping_works = True

    def atom(self, name: str) -> int:
        if name not in self._atoms:
            self._atoms[name] = int(self._d.intern_atom(name))
        return self._atoms[name]

    def _ids(self, prop: str) -> list[int]:
        value = self._root.get_full_property(self.atom(prop), Xatom.WINDOW)
        return [int(w) for w in value.value] if value is not None else []

    def client_ids(self) -> list[int]:
        return self._ids("_NET_CLIENT_LIST")

    def active_id(self) -> int | None:
        ids = self._ids("_NET_ACTIVE_WINDOW")
        return ids[0] if ids and ids[0] else None

    def has_window_manager(self) -> bool:
        return bool(self._ids("_NET_SUPPORTING_WM_CHECK"))

    def _window(self, wid: int) -> Window:
        return self._d.create_resource_object("window", wid)

    def title(self, win: Window) -> str:
        prop = win.get_full_property(self.atom("_NET_WM_NAME"), self.atom("UTF8_STRING"))
        if prop is None or not prop.value:
            prop = win.get_full_property(Xatom.WM_NAME, X.AnyPropertyType)
        if prop is None or prop.value is None:
            return ""
        value = prop.value
        if isinstance(value, bytes):
            return value.decode("utf-8", errors="replace")
        return str(value)

    def describe(self, wid: int, active: int | None) -> RawWindow | None:
        """One window's facts, or None when it vanished while we looked."""
        win = self._window(wid)
        try:
            title = self.title(win)
            wm_class = win.get_wm_class() or ("", "")
            pid_prop = win.get_full_property(self.atom("_NET_WM_PID"), Xatom.CARDINAL)
            geom = win.get_geometry()
            origin = self._root.translate_coords(win, 0, 0)
        except (xerror.BadWindow, xerror.BadDrawable, xerror.BadMatch):
            return None
        pid = int(pid_prop.value[0]) if pid_prop is not None and len(pid_prop.value) else None
        return RawWindow(
            id=wid,
            title=title,
            wm_instance=str(wm_class[0] or ""),
            wm_class=str(wm_class[1] or ""),
            pid=pid,
            x=int(origin.x),
            y=int(origin.y),
            width=int(geom.width),
            height=int(geom.height),
            active=wid == active,
        )

    def windows(self) -> list[RawWindow]:
        active = self.active_id()
        found = (self.describe(wid, active) for wid in self.client_ids())
        return [w for w in found if w is not None]

    def active(self) -> RawWindow | None:
        wid = self.active_id()
        return self.describe(wid, wid) if wid is not None else None

    def activate(self, wid: int, *, timeout: float = 2.0) -> None:
        """Ask the window manager to activate ``wid`` and wait until it reports it active;
        fall back to raising and focusing it directly when there is no window manager."""
        win = self._window(wid)
        try:
            if self.has_window_manager():
                message = xevent.ClientMessage(
                    window=win,
                    client_type=self.atom("_NET_ACTIVE_WINDOW"),
                    data=(32, [2, X.CurrentTime, 0, 0, 0]),  # 2: request from a pager
                )
                mask = X.SubstructureRedirectMask | X.SubstructureNotifyMask
                self._root.send_event(message, event_mask=mask)
                self._d.sync()
                if self._wait_active(wid, timeout):
                    return
            win.configure(stack_mode=X.Above)
            win.set_input_focus(X.RevertToParent, X.CurrentTime)
            self._d.sync()
        except (xerror.BadWindow, xerror.BadMatch) as exc:
            raise DriverError(f"window 0x{wid:x} is gone: {exc}") from exc
        if self.has_window_manager() and not self._wait_active(wid, 0.5):
            raise DriverError(
                f"the window manager did not activate window 0x{wid:x}",
                hint="the window may be unmapped or refuse focus",
            )

    def sync_with_wm(self, timeout: float = 0.25) -> bool:
        """Wait until the window manager has handled everything sent before now.

        A click-to-focus WM takes each click on a client window in a synchronous grab and
        replays it only when it gets to it; keys sent meanwhile overtake the click. We ask it
        for frame extents of a window of ours (``_NET_REQUEST_FRAME_EXTENTS``) and wait for the
        answer, which it writes only after what it received before. False when it did not
        answer (no WM, or one without that request: then we waited ``timeout`` at most once).
        """
        if not self._ping_works or not self.has_window_manager():
            return False
        if self._ping_window is None:
            self._ping_window = self._root.create_window(
                -10, -10, 1, 1, 0, X.CopyFromParent, X.InputOnly, X.CopyFromParent
            )
        win = self._ping_window
        extents = self.atom("_NET_FRAME_EXTENTS")
        win.delete_property(extents)
        message = xevent.ClientMessage(
            window=win,
            client_type=self.atom("_NET_REQUEST_FRAME_EXTENTS"),
            data=(32, [0, 0, 0, 0, 0]),
        )
        mask = X.SubstructureRedirectMask | X.SubstructureNotifyMask
        self._root.send_event(message, event_mask=mask)
        self._d.sync()
        deadline = time.monotonic() + timeout
        while win.get_full_property(extents, X.AnyPropertyType) is None:
            if time.monotonic() >= deadline:
                self._ping_works = False
                return False
            time.sleep(0.001)
        return True

    def close(self) -> None:
        if self._ping_window is not None:
            with contextlib.suppress(xerror.XError, xerror.ConnectionClosedError):
                self._ping_window.destroy()
            self._ping_window = None

    def _wait_active(self, wid: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while True:
            if self.active_id() == wid:
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.02)
