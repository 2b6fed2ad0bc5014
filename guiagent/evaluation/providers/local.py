"""The local provider: an OSWorld task on this machine instead of a VM.

Each task gets a fresh Xvfb (with AT-SPI) and window manager, and a private HOME under the
run's output folder, put into this process's environment — so the provider is meant to run in
a process of its own per task (``guiagent.evaluation.worker``), which also lets the parent end
every process the task started. Whatever a task needs that is not here (network URLs, a Google
account, an application that is not installed) is found before anything starts and the task
is skipped with that reason; it is never scored as a pass.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urlparse

from guiagent.errors import GuiAgentError, SetupError
from guiagent.evaluation.getters import GETTERS, EvalEnv, cached_path
from guiagent.evaluation.metrics import METRICS
from guiagent.evaluation.tasks import EvalTask, Step

OSWORLD_HOME = "/home/user"
SETUP_TYPES = {
    "launch", "execute", "command", "open", "sleep", "activate_window", "close_window",
    "download", "chrome_open_tabs",
}  # fmt: skip
NEEDS_ACCOUNT = {"googledrive", "login"}
_PYTHONS = {"python", "python3"}
_TERMINALS = {"gnome-terminal", "x-terminal-emulator", "terminal"}
_BROWSERS = {"google-chrome", "chromium", "chromium-browser"}  # the browser driver's Chromium
# OSWorld's related_apps -> programs any of which must be installed for the task to mean much
APP_PROGRAMS = {
    "xterm": ("xterm",),
    "galculator": ("galculator",),
    "mousepad": ("mousepad",),
    "gimp": ("gimp",),
    "vlc": ("vlc",),
    "vs_code": ("code",),
    "thunderbird": ("thunderbird",),
    "libreoffice_calc": ("libreoffice", "soffice"),
    "libreoffice_impress": ("libreoffice", "soffice"),
    "libreoffice_writer": ("libreoffice", "soffice"),
}


class TaskSkipped(GuiAgentError):
    """The task needs something this machine does not have; the message says what."""


class TabDriver(Protocol):
    def new_tab(self, url: str | None = None) -> Any: ...
    def current_tab(self) -> Any: ...


def _argv(command: Any, shell: bool) -> list[str]:
    if shell or isinstance(command, str):
        return shlex.split(command) if isinstance(command, str) else list(command)
    return [str(c) for c in command]


def _program(command: Any, shell: bool) -> str | None:
    try:
        argv = _argv(command, shell)
    except ValueError:
        return None
    return argv[0] if argv else None


def _is_local(url: str) -> bool:
    return url.startswith("file://") or "://" not in url


def _missing_program(step: Step) -> str | None:
    params = step.parameters
    if step.type not in ("launch", "execute", "command") or "command" not in params:
        return None
    program = _program(params["command"], bool(params.get("shell", False)))
    if program is None or program in _PYTHONS | _TERMINALS | _BROWSERS:
        return None
    if params.get("shell") and isinstance(params["command"], str):
        return None  # a shell line: builtins and pipes, checked by running it
    return None if shutil.which(program) else program


def skip_reason(task: EvalTask, cache_dir: Path | None = None) -> str | None:
    """Why this task cannot run here, or None: checked before any display starts."""
    if task.proxy:
        return "needs network: the task runs through a proxy"
    steps = [*task.config, *task.evaluator.postconfig]
    for step in steps:
        if step.type in NEEDS_ACCOUNT:
            return f"needs a Google account (setup step {step.type})"
        if step.type not in SETUP_TYPES:
            return f"setup step {step.type} not supported"
        if step.type == "download":
            for item in step.parameters.get("files", []):
                url = str(item.get("url", ""))
                if not _is_local(url) and cached_path(cache_dir, url) is None:
                    return f"needs network: downloads {url}"
        if step.type == "chrome_open_tabs":
            for url in step.parameters.get("urls_to_open", []):
                if not _is_local(str(url)):
                    return f"needs network: opens {url}"
    for step in steps:  # the network first: it is what most of OSWorld lacks here
        if (program := _missing_program(step)) is not None:
            return f"app not installed: {program}"
    for app in task.related_apps:
        programs = APP_PROGRAMS.get(app.lower(), ())
        if programs and not any(shutil.which(p) for p in programs):
            return f"app not installed: {programs[0]} (for {app})"
    for name, result, expected, _ in task.evaluator.parts():
        if name not in METRICS:
            return f"metric {name} not implemented"
        for getter in (result, expected):
            if getter is None:
                continue
            if getter.type not in GETTERS:
                return f"getter {getter.type} not implemented"
            if getter.type == "cloud_file":
                paths = getter.params.get("path")
                for item in paths if isinstance(paths, list) else [paths]:
                    if cached_path(cache_dir, str(item)) is None:
                        return f"needs network: {item} is not in the local cache"
    return None


class LocalDesktop:
    """A task's private desktop: display, HOME, the processes its setup steps started."""

    def __init__(
        self, work: Path, *, width: int = 1280, height: int = 800, cache_dir: Path | None = None
    ) -> None:
        self.work = work
        self.home = work / "home"
        self.width, self.height = width, height
        self.cache_dir = cache_dir
        self.procs: list[subprocess.Popen[bytes]] = []
        self.tabs: TabDriver | None = None
        self._display: Any = None

    # -- lifecycle ----------------------------------------------------------------------------
    def start(self) -> LocalDesktop:
        from guiagent.platforms.linux.xvfb import VirtualDisplay

        for sub in ("Desktop", "Documents", "Downloads", ".config"):
            (self.home / sub).mkdir(parents=True, exist_ok=True)
        logs = self.work / "terminal-logs"
        logs.mkdir(parents=True, exist_ok=True)
        resources = self.work / "xresources"
        resources.write_text(f"XTerm*logging: true\nXTerm*logFile: {logs}/xterm.log\n")
        os.environ.update(
            HOME=str(self.home),
            XDG_CONFIG_HOME=str(self.home / ".config"),
            XDG_DATA_HOME=str(self.home / ".local/share"),
            XDG_CACHE_HOME=str(self.home / ".cache"),
            XENVIRONMENT=str(resources),
        )
        os.chdir(self.home)  # apps the agent opens start in the task's HOME too
        self._display = VirtualDisplay(self.width, self.height, accessibility=True).start()
        self._display.apply()
        return self

    def close(self) -> None:
        """End every process the task started (setup steps, then the display's own)."""
        from guiagent.testing.x11 import stop

        for proc in self.procs:
            stop(proc)
        if self._display is not None:
            self._display.stop()

    def __enter__(self) -> LocalDesktop:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def env(self) -> dict[str, str]:
        return dict(os.environ)

    def eval_env(self) -> EvalEnv:
        tabs = self.tabs

        def tab_info() -> dict[str, str]:
            assert tabs is not None
            tab = tabs.current_tab()
            return {"url": str(getattr(tab, "url", "")), "title": str(getattr(tab, "title", ""))}

        return EvalEnv(self.home, self.env, self.work, self.cache_dir, tab_info if tabs else None)

    # -- setup steps --------------------------------------------------------------------------
    def run_steps(self, steps: list[Step]) -> None:
        for step in steps:
            handler = getattr(self, f"_step_{step.type}", None)
            if handler is None:
                raise TaskSkipped(f"setup step {step.type} not supported")
            handler(**step.parameters)

    def _command(self, command: Any, shell: bool) -> list[str] | str:
        if shell and isinstance(command, str):
            return command
        argv = _argv(command, shell)
        if argv and argv[0] in _PYTHONS:
            argv[0] = sys.executable
        elif argv and argv[0] in _TERMINALS:
            argv = ["xterm", *argv[1:]]
        return argv

    def _step_launch(self, command: Any, shell: bool = False, **_: Any) -> None:
        if _program(command, shell) in _BROWSERS:
            return  # the task runs on the browser platform: its Chromium is already up
        cmd = self._command(command, shell)
        proc = subprocess.Popen(
            cmd,
            shell=isinstance(cmd, str),
            cwd=self.home,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.procs.append(proc)
        time.sleep(1.0)  # give the window a moment, as OSWorld's setup does

    def _step_execute(self, command: Any, shell: bool = False, **_: Any) -> None:
        cmd = self._command(command, shell)
        try:
            subprocess.run(
                cmd, shell=isinstance(cmd, str), cwd=self.home, env=self.env,
                stdin=subprocess.DEVNULL, capture_output=True, timeout=60,
            )  # fmt: skip
        except subprocess.TimeoutExpired as exc:
            raise SetupError(f"setup command timed out: {cmd}") from exc

    _step_command = _step_execute

    def _step_open(self, path: str, **_: Any) -> None:
        self._step_launch(["xdg-open", path])

    def _step_sleep(self, seconds: float = 1.0, **_: Any) -> None:
        time.sleep(float(seconds))

    def _wmctrl(self, flag: str, window_name: str, by_class: bool = False) -> None:
        argv = ["wmctrl", *(["-x"] if by_class else []), flag, window_name]
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            subprocess.run(argv, env=self.env, capture_output=True, timeout=10)

    def _step_activate_window(self, window_name: str, by_class: bool = False, **_: Any) -> None:
        self._wmctrl("-a", window_name, by_class)

    def _step_close_window(self, window_name: str, by_class: bool = False, **_: Any) -> None:
        self._wmctrl("-c", window_name, by_class)

    def _step_download(self, files: list[dict[str, str]], **_: Any) -> None:
        for item in files:
            url, dest = str(item["url"]), Path(item["path"])
            dest = dest if dest.is_absolute() else self.home / dest
            if url.startswith("file://"):
                source: Path | None = Path(unquote(urlparse(url).path))
            elif "://" not in url:
                source = Path(url)
            else:
                source = cached_path(self.cache_dir, url)
            if source is None or not source.is_file():
                raise TaskSkipped(f"needs network: downloads {url}")
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, dest)

    def _step_chrome_open_tabs(self, urls_to_open: list[str], **_: Any) -> None:
        if self.tabs is None:
            raise TaskSkipped("chrome_open_tabs needs the browser platform")
        for url in urls_to_open:
            self.tabs.new_tab(url)


def needs_browser(task: EvalTask) -> bool:
    return any(
        step.type.startswith("chrome_")
        or (
            step.type == "launch"
            and _program(step.parameters.get("command", ""), False) in _BROWSERS
        )
        for step in task.config
    )
