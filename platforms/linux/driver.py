"""The Linux X11 driver: mss capture, EWMH windows, AT-SPI elements, XTest input.

Actions arrive with targets already resolved to screenshot-pixel points; :meth:`to_device`
is the one place those become X root coordinates. Every Xlib / mss / D-Bus failure leaves this
module as a :class:`~guiagent.errors.DriverError` (or a more specific project error).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from Xlib import display as xdisplay
from Xlib import error as xerror

from guiagent.actions import Action, Point, Target
from guiagent.config import LinuxConfig
from guiagent.errors import DisplayUnavailable, DriverError, GuiAgentError, SetupError
from guiagent.observation import ActionResult, Element, Observation, WindowInfo

from ..base import Capabilities
from . import apps as launcher
from .atspi import AtspiReader
from .capture import Capturer, Geometry
from .input import XInput
from .perform import ActionPerformer
from .windows import Ewmh, RawWindow

log = logging.getLogger(__name__)

_X_ERRORS: tuple[type[BaseException], ...] = (
    xerror.XError,
    xerror.ConnectionClosedError,
    xerror.DisplayError,
    OSError,
)


def resolve_display(config: LinuxConfig) -> str:
    """``config.display``, else ``$DISPLAY``; neither is a setup problem with a clear fix."""
    name = config.display or os.environ.get("DISPLAY")
    if not name:
        raise DisplayUnavailable(
            "no X display is configured",
            hint="run with --virtual-display, or set DISPLAY (or linux.display in the config)",
        )
    return name


class LinuxDriver:
    """Driver, WindowControl and PointerProbe for one X display."""

    def __init__(
        self, config: LinuxConfig | None = None, *, monitor: int | str | None = None
    ) -> None:
        self.config = config or LinuxConfig()
        self.display = resolve_display(self.config)
        self._lock = threading.RLock()
        self._probe_lock = threading.Lock()
        self._probe: xdisplay.Display | None = None
        self._x_errors: list[str] = []
        self._warned: set[str] = set()
        self._closed = False
        self.launched: list[launcher.LaunchedApp] = []
        try:
            self._d = xdisplay.Display(self.display)
        except _X_ERRORS as exc:
            raise DisplayUnavailable(
                f"cannot connect to X display {self.display}: {exc}",
                hint="check the X server runs and DISPLAY is right, or use --virtual-display",
            ) from exc
        try:
            if not self._d.has_extension("XTEST"):
                raise SetupError(f"X display {self.display} lacks the XTEST extension")
            self._d.set_error_handler(self._on_x_error)
            self._root = self._d.screen().root
            self._ewmh = Ewmh(self._d)
            self._input = XInput(
                self._d,
                type_delay=self.config.type_delay_ms / 1000,
                after_buttons=self._ewmh.sync_with_wm,
            )
            self._capture = Capturer(
                self.display,
                self.config.monitor if monitor is None else monitor,
                self.config.capture_scale,
            )
            self._performer = ActionPerformer(
                self._input, self._x, self._target_point, self.open_app, self.open_url
            )
        except BaseException:
            self._d.close()
            raise
        self._atspi: AtspiReader | None = None
        if self.config.accessibility:
            self._atspi = AtspiReader()
            if not self._atspi.start():
                self._warn_once("atspi", f"accessibility off: {self._atspi.unavailable_reason}")
                self._atspi = None
        self._caps = Capabilities(
            platform="linux",
            actions=ActionPerformer.SUPPORTED,
            accessibility=self._atspi is not None,
            notes=f"X11 display {self.display}, XTest input, EWMH windows",
        )

    # -- plumbing -----------------------------------------------------------------------------

    def _on_x_error(self, err: xerror.XError, request: object = None) -> None:
        self._x_errors.append(str(err))

    def _warn_once(self, key: str, message: str) -> None:
        if key not in self._warned:
            self._warned.add(key)
            log.warning("%s", message)

    @contextmanager
    def _x(self, what: str) -> Iterator[None]:
        """Serialise X access and turn backend failures into DriverError."""
        with self._lock:
            if self._closed:
                raise DriverError("the Linux driver is closed")
            self._x_errors.clear()
            try:
                yield
                self._d.sync()
            except GuiAgentError:
                raise
            except xerror.ConnectionClosedError as exc:
                raise DriverError(
                    f"{what}: the connection to X display {self.display} was lost",
                    hint="the X server stopped; start it again (or the virtual display)",
                ) from exc
            except _X_ERRORS as exc:
                raise DriverError(f"{what}: X error: {exc}") from exc
            if self._x_errors:
                errors = "; ".join(self._x_errors)
                self._x_errors.clear()
                raise DriverError(f"{what}: X error: {errors}")

    @property
    def env(self) -> dict[str, str]:
        """The environment applications are started with: ours, on this display."""
        return {**os.environ, "DISPLAY": self.display}

    @property
    def geometry(self) -> Geometry:
        return self._capture.geometry

    def to_device(self, point: Point) -> Point:
        """Screenshot pixels to X root coordinates (monitor origin and scale applied)."""
        return self._capture.geometry.to_device(point)

    def _target_point(self, target: Target) -> Point:
        if target.point is None:
            raise DriverError(
                f"target {target.describe()} is an element id; the runner must resolve it to a "
                "point before the driver sees it"
            )
        if not self.geometry.contains(target.point):
            g = self.geometry
            raise DriverError(
                f"point ({target.point.x},{target.point.y}) is outside the screen "
                f"({g.width}x{g.height})"
            )
        return self.to_device(target.point)

    # -- Driver -------------------------------------------------------------------------------

    @property
    def capabilities(self) -> Capabilities:
        return self._caps

    def observe(self) -> Observation:
        with self._x("observe"):
            image = self._capture.grab()
            raw = self._ewmh.windows()
        windows = [self._window_info(w) for w in raw]
        active = next((w for w in windows if w.active), None)
        if active is None:
            with self._x("observe"):
                found = self._ewmh.active()
            active = self._window_info(found) if found is not None else None
        return Observation(
            image=image,
            platform="linux",
            accessibility=self._elements(active),
            active_window=active,
            windows=windows,
            scale=self.geometry.scale,
        )

    def _elements(self, active: WindowInfo | None) -> list[Element] | None:
        if self._atspi is None:
            return None
        if active is None:
            return []
        found = self._atspi.elements(active.pid, active.title, self.geometry.box, active.app)
        if found is None:
            self._warn_once(
                f"app:{active.app}",
                f"{active.app or 'the active application'!r} is not on the AT-SPI bus: "
                "its observations carry no accessibility tree",
            )
        return found

    def execute(self, action: Action) -> ActionResult:
        try:
            return self._performer.execute(action)
        except BaseException:
            self._release_inputs()
            raise

    def _release_inputs(self) -> None:
        """After a failed action: let go of held keys/buttons and give back borrowed keycodes."""
        if self._closed:
            return
        with self._lock, suppress(*_X_ERRORS):
            self._input.release_all()
            self._input.restore_keymap()

    # -- applications -------------------------------------------------------------------------

    def open_app(self, name: str, *, timeout: float = 10.0) -> WindowInfo:
        """Start an application by desktop name/id (fuzzy) or command line, wait for its
        window and focus it."""
        spec = launcher.resolve_app(name)
        return self._start_and_focus(spec.argv, spec.label, spec.wm_classes, timeout)

    def open_url(self, url: str, *, timeout: float = 10.0) -> WindowInfo | None:
        """Open a URL in the browser; the browser's new window when one appears in time."""
        argv = launcher.url_command(url)
        try:
            return self._start_and_focus(argv, url, (), timeout, need_window=False)
        except launcher.NoWindow:
            return None

    def _start_and_focus(
        self,
        argv: list[str],
        label: str,
        classes: tuple[str, ...],
        timeout: float,
        *,
        need_window: bool = True,
    ) -> WindowInfo:
        self._reap()
        with self._x("open"):
            before = {w.id for w in self._ewmh.windows()}
        app = launcher.launch(argv, self.env, label)
        self.launched.append(app)

        def poll() -> list[RawWindow]:
            with self._x("open"):
                return self._ewmh.windows()

        raw = launcher.wait_for_new_window(app, poll, before, classes, timeout, need_window)
        window = self._window_info(raw)
        self.focus_window(window)
        return self._window_info(raw)

    def _reap(self) -> None:
        """Collect the exit status of launched programs that ended (no zombies)."""
        for app in list(self.launched):
            if app.poll() is not None:
                app.release()
                self.launched.remove(app)

    # -- windows ------------------------------------------------------------------------------

    def _window_info(self, raw: RawWindow) -> WindowInfo:
        app = (raw.wm_class or raw.wm_instance).lower()
        if not app and raw.pid:
            try:
                app = Path(f"/proc/{raw.pid}/comm").read_text().strip().lower()
            except OSError:
                app = ""
        return WindowInfo(
            id=raw.id,
            title=raw.title,
            app=app,
            pid=raw.pid,
            box=self.geometry.box(raw.x, raw.y, raw.width, raw.height, clip=False),
            active=raw.active,
        )

    def list_windows(self) -> list[WindowInfo]:
        with self._x("list windows"):
            raw = self._ewmh.windows()
        return [self._window_info(w) for w in raw]

    def active_window(self) -> WindowInfo | None:
        with self._x("active window"):
            raw = self._ewmh.active()
        return self._window_info(raw) if raw is not None else None

    def focus_window(self, window: WindowInfo) -> None:
        with self._x("focus window"):
            self._ewmh.activate(window.id)

    # -- PointerProbe -------------------------------------------------------------------------

    def pointer_position(self) -> Point:
        """Where the pointer is, in screenshot pixels; on its own X connection so a kill-switch
        thread never waits behind a long typing action."""
        with self._probe_lock:
            if self._closed:
                raise DriverError("the Linux driver is closed")
            try:
                if self._probe is None:
                    self._probe = xdisplay.Display(self.display)
                reply = self._probe.screen().root.query_pointer()
            except _X_ERRORS as exc:
                raise DriverError(f"cannot read the pointer position: {exc}") from exc
        return self.geometry.to_pixels(int(reply.root_x), int(reply.root_y))

    # -- lifecycle ----------------------------------------------------------------------------

    def close(self) -> None:
        """Release held input, the capture and the X connections; launched apps keep running."""
        if self._closed:
            return
        self._release_inputs()
        with self._lock, self._probe_lock:
            self._closed = True
            self._capture.close()
            with suppress(*_X_ERRORS):
                self._ewmh.close()
            for conn in (self._d, self._probe):
                if conn is not None:
                    with suppress(*_X_ERRORS):
                        conn.close()
            self._probe = None
        for app in self.launched:
            app.release()

    def __enter__(self) -> LinuxDriver:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"LinuxDriver(display={self.display!r}, accessibility={self._caps.accessibility})"
