"""A private X server (Xvfb + openbox, optionally a session D-Bus with AT-SPI) for tests,
benchmarks and the CLI's ``--virtual-display``.

Xvfb picks its own free display number through ``-displayfd``, so parallel runs never collide.
Every process started here runs in its own process group and is killed, with its descendants,
by :meth:`VirtualDisplay.stop`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from guiagent.errors import SetupError

log = logging.getLogger(__name__)

_AT_SPI_LAUNCHERS = (
    "/usr/libexec/at-spi-bus-launcher",
    "/usr/lib/at-spi2-core/at-spi-bus-launcher",
    "/usr/lib/at-spi2/at-spi-bus-launcher",
)


def _require(binary: str, package: str) -> str:
    path = shutil.which(binary)
    if path is None:
        raise SetupError(
            f"{binary} is not installed",
            hint=f"sudo apt-get install --no-install-recommends {package}",
        )
    return path


def _stat(pid: int | str) -> tuple[int, str] | None:
    """(parent pid, start time) of a process, from /proc; None when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # the command name may hold spaces and parentheses: the fields follow the last ')'
    fields = stat[stat.rfind(")") + 2 :].split()
    return (int(fields[1]), fields[19]) if len(fields) > 19 else None


def _descendants(roots: set[int]) -> dict[int, str]:
    """Every live process below ``roots`` with its start time, so daemons that D-Bus activated
    for us die with the display too (and a recycled pid is never mistaken for one of them)."""
    children: dict[int, list[tuple[int, str]]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (info := _stat(entry)) is not None:
            children.setdefault(info[0], []).append((int(entry), info[1]))
    found: dict[int, str] = {}
    todo = list(roots)
    while todo:
        for child, started in children.get(todo.pop(), []):
            if child not in found:
                found[child] = started
                todo.append(child)
    return found


def _kill_same(pid: int, started: str, sig: signal.Signals) -> None:
    """Signal ``pid`` only if it is still the process that started at ``started``."""
    info = _stat(pid)
    if info is not None and info[1] == started:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, sig)


class VirtualDisplay:
    """Xvfb of a given size with a window manager, usable as a context manager.

    ``env`` holds the variables an application needs to run on this display (``DISPLAY``,
    and with ``accessibility=True`` the private ``DBUS_SESSION_BUS_ADDRESS`` plus the switches
    that make GTK/Qt expose AT-SPI); ``apply()`` puts them into ``os.environ`` for this process
    and ``restore()`` takes them back out.
    """

    def __init__(
        self,
        width: int = 1280,
        height: int = 800,
        depth: int = 24,
        *,
        accessibility: bool = False,
        window_manager: bool = True,
        timeout: float = 15.0,
    ) -> None:
        self.width = width
        self.height = height
        self.depth = depth
        self.accessibility = accessibility
        self.window_manager = window_manager
        self.timeout = timeout
        self.display = ""
        self.env: dict[str, str] = {}
        self._procs: list[subprocess.Popen[bytes]] = []
        self._logdir: Path | None = None
        self._saved: dict[str, str | None] | None = None

    # -- lifecycle ----------------------------------------------------------------------------

    def __enter__(self) -> VirtualDisplay:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return bool(self._procs) and self._procs[0].poll() is None

    @property
    def size(self) -> tuple[int, int]:
        return self.width, self.height

    def start(self) -> VirtualDisplay:
        """Start Xvfb, then openbox, then (optionally) D-Bus and the AT-SPI bus; on any
        failure everything already started is stopped again."""
        if self._procs:
            return self
        xvfb = _require("Xvfb", "xvfb")
        wm = _require("openbox", "openbox") if self.window_manager else None
        self._logdir = Path(tempfile.mkdtemp(prefix="guiagent-xvfb-"))
        try:
            self._start_xvfb(xvfb)
            self.env = {"DISPLAY": self.display, "XDG_SESSION_TYPE": "x11"}
            if self.accessibility:
                self._start_accessibility()
            if wm is not None:
                self._start_wm(wm)
        except BaseException:
            self.stop()
            raise
        log.info("virtual display %s (%dx%d) started", self.display, self.width, self.height)
        return self

    def stop(self) -> None:
        """Kill every process this display started, with their descendants; idempotent."""
        self.restore()
        roots = {p.pid for p in self._procs}
        below = _descendants(roots)
        for proc in reversed(self._procs):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGTERM)
        for pid, started in below.items():
            _kill_same(pid, started, signal.SIGTERM)
        deadline = time.monotonic() + 3.0
        for proc in self._procs:
            try:
                proc.wait(timeout=max(0.05, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=3.0)
        # whatever ignored SIGTERM (a D-Bus-activated service, say) goes now
        for proc in self._procs:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
        for pid, started in below.items():
            _kill_same(pid, started, signal.SIGKILL)
        self._procs.clear()
        if self._logdir is not None:
            shutil.rmtree(self._logdir, ignore_errors=True)
            self._logdir = None
        self.display = ""
        self.env = {}

    # -- environment --------------------------------------------------------------------------

    def child_env(self) -> dict[str, str]:
        """The full environment for a child process on this display."""
        return {**os.environ, **self.env}

    def apply(self) -> None:
        """Put ``env`` into ``os.environ`` (remembering what was there) for this process."""
        if not self.env:
            raise SetupError("the virtual display is not running", hint="call start() first")
        if self._saved is None:
            self._saved = {key: os.environ.get(key) for key in self.env}
        os.environ.update(self.env)

    def restore(self) -> None:
        """Undo ``apply()``; a no-op when it was not applied."""
        if self._saved is None:
            return
        for key, value in self._saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        self._saved = None

    # -- the pieces ---------------------------------------------------------------------------

    def _spawn(self, argv: list[str], name: str, **kwargs: object) -> subprocess.Popen[bytes]:
        assert self._logdir is not None
        logfile = open(self._logdir / f"{name}.log", "wb")  # noqa: SIM115 - the child keeps it
        env = {**os.environ, **self.env}
        try:
            proc = subprocess.Popen(  # type: ignore[call-overload]
                argv,
                stdin=subprocess.DEVNULL,
                stdout=kwargs.pop("stdout", logfile),
                stderr=logfile,
                env=env,
                start_new_session=True,
                **kwargs,
            )
        finally:
            logfile.close()
        self._procs.append(proc)
        return proc  # type: ignore[no-any-return]

    def _log_tail(self, name: str) -> str:
        if self._logdir is None:
            return ""
        try:
            text = (self._logdir / f"{name}.log").read_text(errors="replace")
        except OSError:
            return ""
        return text.strip()[-600:]

    def _start_xvfb(self, xvfb: str) -> None:
        read_fd, write_fd = os.pipe()
        try:
            proc = self._spawn(
                [
                    xvfb,
                    "-displayfd",
                    str(write_fd),
                    "-screen",
                    "0",
                    f"{self.width}x{self.height}x{self.depth}",
                    "-nolisten",
                    "tcp",
                    "-noreset",
                ],
                "xvfb",
                pass_fds=(write_fd,),
            )
            os.close(write_fd)
            write_fd = -1
            number = self._read_line(read_fd, proc, "xvfb")
        finally:
            os.close(read_fd)
            if write_fd >= 0:
                os.close(write_fd)
        self.display = f":{number}"

    def _read_line(self, fd: int, proc: subprocess.Popen[bytes], name: str) -> str:
        """Read one line from a child's pipe, failing fast if the child dies or hangs."""
        data = b""
        deadline = time.monotonic() + self.timeout
        while not data.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0:
                raise SetupError(f"{name} did not start within {self.timeout:g} s")
            ready, _, _ = select.select([fd], [], [], min(left, 0.2))
            if ready:
                chunk = os.read(fd, 256)
                if not chunk:
                    break
                data += chunk
            elif proc.poll() is not None:
                break
        if not data.strip():
            raise SetupError(
                f"{name} failed to start (exit {proc.poll()}): {self._log_tail(name)}",
                hint="run it by hand to see why",
            )
        return data.decode().strip()

    def _start_wm(self, wm: str) -> None:
        proc = self._spawn([wm, "--sm-disable"], "openbox")
        if not self._wait(self._wm_running, proc):
            raise SetupError(f"openbox did not start: {self._log_tail('openbox')}")

    def _wm_running(self) -> bool:
        from Xlib import X
        from Xlib import display as xdisplay
        from Xlib import error as xerror

        try:
            conn = xdisplay.Display(self.display)
        except (xerror.DisplayError, OSError):
            return False
        try:
            root = conn.screen().root
            check = conn.intern_atom("_NET_SUPPORTING_WM_CHECK")
            prop = root.get_full_property(check, X.AnyPropertyType)
            return prop is not None and len(prop.value) > 0
        finally:
            conn.close()

    def _start_accessibility(self) -> None:
        """A private session bus, the AT-SPI bus on it, and the variables that switch toolkits'
        accessibility on; nothing here touches the person's own session bus."""
        dbus = _require("dbus-daemon", "dbus")
        launcher = next((p for p in _AT_SPI_LAUNCHERS if os.access(p, os.X_OK)), None)
        if launcher is None:
            raise SetupError(
                "at-spi-bus-launcher is not installed",
                hint="sudo apt-get install --no-install-recommends at-spi2-core python3-pyatspi",
            )
        read_fd, write_fd = os.pipe()
        try:
            proc = self._spawn(
                [dbus, "--session", "--nofork", "--nopidfile", f"--print-address={write_fd}"],
                "dbus",
                pass_fds=(write_fd,),
            )
            os.close(write_fd)
            write_fd = -1
            address = self._read_line(read_fd, proc, "dbus")
        finally:
            os.close(read_fd)
            if write_fd >= 0:
                os.close(write_fd)
        self.env.update(
            {
                "DBUS_SESSION_BUS_ADDRESS": address,
                "NO_AT_BRIDGE": "0",
                "ACCESSIBILITY_ENABLED": "1",
                "GTK_MODULES": "gail:atk-bridge",  # GTK 2 needs it; GTK 3 has both built in
                "QT_ACCESSIBILITY": "1",
                "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1",
            }
        )
        bus = self._spawn([launcher, "--launch-immediately"], "at-spi")
        if not self._wait(lambda: self._bus_has_owner("org.a11y.Bus"), bus):
            raise SetupError(f"the AT-SPI bus did not start: {self._log_tail('at-spi')}")
        # Qt and Chromium look at this switch; GTK exposes its tree regardless.
        self._dbus_send(
            "--dest=org.a11y.Bus",
            "/org/a11y/bus",
            "org.freedesktop.DBus.Properties.Set",
            "string:org.a11y.Status",
            "string:IsEnabled",
            "variant:boolean:true",
        )

    def _dbus_send(self, *args: str) -> str | None:
        sender = shutil.which("dbus-send")
        if sender is None:
            return None
        try:
            out = subprocess.run(
                [sender, "--session", "--print-reply", *args],
                env={**os.environ, **self.env},
                capture_output=True,
                timeout=5,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return None
        return out.stdout.decode(errors="replace") if out.returncode == 0 else None

    def _bus_has_owner(self, name: str) -> bool:
        reply = self._dbus_send(
            "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.NameHasOwner",
            f"string:{name}",
        )
        if reply is None and shutil.which("dbus-send") is None:
            return True  # cannot check; the launcher is running, trust it
        return reply is not None and "boolean true" in reply

    def _wait(self, ready: Callable[[], bool], proc: subprocess.Popen[bytes]) -> bool:
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if ready():
                return True
            if proc.poll() is not None:
                return bool(ready())
            time.sleep(0.05)
        return False

    def __repr__(self) -> str:
        state = self.display or "stopped"
        return f"VirtualDisplay({state}, {self.width}x{self.height}, a11y={self.accessibility})"
