"""Finding and starting desktop applications: XDG desktop entries (by id, Name, or a fuzzy
match on Name/GenericName/Keywords), or a command line whose program is on PATH.

People say "calculator" or "text editor", models say "galculator", scripts say
"org.xfce.mousepad"; all of them should land on the same entry.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from rapidfuzz import fuzz

from guiagent.errors import AppNotFound, StepFailed

from .windows import RawWindow

#: below this fuzzy score (0-100) an entry is not taken as the one asked for
FUZZY_THRESHOLD = 80.0

_FIELD_CODES = {"%f", "%F", "%u", "%U", "%d", "%D", "%n", "%N", "%i", "%c", "%k", "%v", "%m"}


@dataclass(frozen=True)
class DesktopEntry:
    """The parts of a ``.desktop`` file that launching needs."""

    id: str
    path: Path
    name: str
    exec: str
    generic_name: str = ""
    comment: str = ""
    keywords: tuple[str, ...] = ()
    terminal: bool = False
    hidden: bool = False
    try_exec: str = ""
    wm_class: str = ""
    extra_names: tuple[str, ...] = field(default=(), repr=False)

    def argv(self) -> list[str]:
        """The Exec line as an argument vector, field codes removed."""
        try:
            words = shlex.split(self.exec)
        except ValueError:
            words = self.exec.split()
        argv = [w.replace("%%", "%") for w in words if w not in _FIELD_CODES]
        if self.terminal:
            term = shutil.which("x-terminal-emulator") or shutil.which("xterm")
            if term:
                argv = [term, "-e", *argv]
        return argv

    @property
    def program(self) -> str:
        words = self.argv()
        return Path(words[0]).name if words else ""

    def launchable(self) -> bool:
        """Its program exists (NoDisplay entries still launch when asked for by id)."""
        if not self.exec:
            return False
        if self.try_exec and shutil.which(self.try_exec) is None:
            return False
        words = self.argv()
        return bool(words) and shutil.which(words[0]) is not None


def application_dirs() -> list[Path]:
    """XDG application directories, most important first."""
    home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    dirs = os.environ.get("XDG_DATA_DIRS") or "/usr/local/share:/usr/share"
    return [Path(d) / "applications" for d in [home, *dirs.split(":")] if d]


def parse_desktop_file(path: Path, entry_id: str) -> DesktopEntry | None:
    """Read the ``[Desktop Entry]`` group; None for anything that is not an application."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    values: dict[str, str] = {}
    names: list[str] = []
    in_entry = False
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            in_entry = line == "[Desktop Entry]"
            continue
        if not in_entry or "=" not in line:
            continue
        key, _, value = line.partition("=")
        key, value = key.strip(), value.strip()
        if key.startswith(("Name[", "GenericName[")):
            names.append(value)  # a localised name still identifies the app
        values.setdefault(key, value)
    if values.get("Type", "Application") != "Application" or "Exec" not in values:
        return None
    truthy = {"true", "1"}
    return DesktopEntry(
        id=entry_id,
        path=path,
        name=values.get("Name", entry_id),
        exec=values["Exec"],
        generic_name=values.get("GenericName", ""),
        comment=values.get("Comment", ""),
        keywords=tuple(k for k in values.get("Keywords", "").split(";") if k),
        terminal=values.get("Terminal", "").lower() in truthy,
        hidden=values.get("Hidden", "").lower() in truthy
        or values.get("NoDisplay", "").lower() in truthy,
        try_exec=values.get("TryExec", ""),
        wm_class=values.get("StartupWMClass", ""),
        extra_names=tuple(names),
    )


def desktop_entries(dirs: list[Path] | None = None) -> list[DesktopEntry]:
    """Every application entry; an id found in an earlier directory hides later ones."""
    seen: dict[str, DesktopEntry] = {}
    for base in dirs if dirs is not None else application_dirs():
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*.desktop")):
            entry_id = str(path.relative_to(base).with_suffix("")).replace(os.sep, "-")
            if entry_id in seen:
                continue
            entry = parse_desktop_file(path, entry_id)
            if entry is not None:
                seen[entry_id] = entry
    return list(seen.values())


def _fuzzy_score(query: str, entry: DesktopEntry) -> float:
    q = query.lower()
    scores = [fuzz.ratio(q, entry.name.lower()), fuzz.ratio(q, entry.id.lower())]
    scores.append(fuzz.ratio(q, entry.program.lower()))
    for text in (entry.generic_name, *entry.keywords, *entry.extra_names):
        if text:
            scores.append(fuzz.ratio(q, text.lower()))
            scores.append(fuzz.token_set_ratio(q, text.lower()) * 0.95)
    if entry.comment:
        scores.append(fuzz.token_set_ratio(q, entry.comment.lower()) * 0.85)
    return max(scores)


@dataclass(frozen=True)
class LaunchSpec:
    """What to run, and what its window is likely to be called."""

    argv: list[str]
    label: str
    wm_classes: tuple[str, ...] = ()
    entry: DesktopEntry | None = None


def _spec_for(entry: DesktopEntry) -> LaunchSpec:
    classes = {c.lower() for c in (entry.wm_class, entry.program, entry.id.split(".")[-1]) if c}
    return LaunchSpec(entry.argv(), entry.name, tuple(sorted(classes)), entry)


def resolve_app(name: str, entries: list[DesktopEntry] | None = None) -> LaunchSpec:
    """Turn what was asked for into a command line, or raise AppNotFound with the nearest
    entries. Order: desktop id, Name, a command on PATH, then the best fuzzy match."""
    wanted = name.strip()
    if not wanted:
        raise AppNotFound("no application name given")
    pool = entries if entries is not None else desktop_entries()
    low = wanted.lower().removesuffix(".desktop")
    runnable = [e for e in pool if e.launchable()]
    for entry in runnable:
        if entry.id.lower() == low or entry.id.lower().endswith("." + low):
            return _spec_for(entry)
    for entry in runnable:
        if entry.name.lower() == low:
            return _spec_for(entry)
    try:
        words = shlex.split(wanted)
    except ValueError:
        words = []
    if words and shutil.which(words[0]) is not None:
        return LaunchSpec(words, wanted, (Path(words[0]).name.lower(),))
    visible = [e for e in runnable if not e.hidden]
    ranked = sorted(visible, key=lambda e: _fuzzy_score(wanted, e), reverse=True)
    if ranked and _fuzzy_score(wanted, ranked[0]) >= FUZZY_THRESHOLD:
        return _spec_for(ranked[0])
    closest = ", ".join(f"{e.name} ({e.id})" for e in ranked[:5]) or "none installed"
    raise AppNotFound(
        f"no application matches {wanted!r}; closest desktop entries: {closest}",
        hint="give a desktop entry's name or id, or a command that is on PATH",
    )


@dataclass
class LaunchedApp:
    """A program we started, with its stderr kept aside so a quick failure can be reported."""

    proc: subprocess.Popen[bytes]
    label: str
    _errlog: IO[bytes] | None = field(default=None, repr=False)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def poll(self) -> int | None:
        return self.proc.poll()

    def stderr_tail(self, limit: int = 500) -> str:
        if self._errlog is None:
            return ""
        try:
            self._errlog.seek(0, os.SEEK_END)
            self._errlog.seek(max(0, self._errlog.tell() - limit))
            return self._errlog.read().decode(errors="replace").strip()
        except (OSError, ValueError):
            return ""

    def release(self) -> None:
        """Forget the stderr file (the program keeps running and keeps its own copy)."""
        if self._errlog is not None:
            self._errlog.close()
            self._errlog = None


def launch(argv: list[str], env: dict[str, str], label: str = "") -> LaunchedApp:
    """Start a program detached from us: its own session, no terminal, no stdin."""
    if not argv or shutil.which(argv[0]) is None:
        raise AppNotFound(f"cannot run {' '.join(argv) or '(empty command)'}: not found on PATH")
    errlog = tempfile.TemporaryFile(prefix="guiagent-app-")  # noqa: SIM115 - closed by release()
    try:
        proc = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=errlog,
            env=env,
            start_new_session=True,
            close_fds=True,
        )
    except OSError as exc:
        errlog.close()
        raise AppNotFound(f"cannot start {argv[0]}: {exc}") from exc
    return LaunchedApp(proc, label or Path(argv[0]).name, errlog)


class NoWindow(StepFailed):
    """A launched program showed no new window in time."""


def url_command(url: str) -> list[str]:
    """How to open a URL here: xdg-open, except as root, where Chromium needs --no-sandbox
    (xdg-open would start it without and it would refuse to run)."""
    target = url.strip()
    if "://" not in target and not target.startswith(("about:", "data:", "mailto:", "file:")):
        target = "https://" + target
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if os.geteuid() == 0 and chromium:
        return [chromium, "--no-sandbox", "--no-first-run", target]
    opener = shutil.which("xdg-open")
    if opener:
        return [opener, target]
    browser = chromium or shutil.which("firefox") or shutil.which("x-www-browser")
    if browser:
        return [browser, target]
    raise AppNotFound(
        "no way to open a URL: neither xdg-open nor a browser is installed",
        hint="sudo apt-get install --no-install-recommends xdg-utils chromium",
    )


def is_descendant(pid: int, ancestor: int) -> bool:
    """Whether ``ancestor`` is ``pid`` or one of its parents (a launcher script's child)."""
    for _ in range(32):
        if pid == ancestor:
            return True
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            return False
        pid = int(stat[stat.rfind(")") + 2 :].split()[1])
        if pid <= 1:
            return False
    return False


def _belongs(win: RawWindow, app: LaunchedApp, classes: tuple[str, ...]) -> bool:
    if win.pid is not None and is_descendant(win.pid, app.pid):
        return True
    names = {win.wm_class.lower(), win.wm_instance.lower()} - {""}
    if names & set(classes):
        return True
    return win.pid is None and app.poll() is None  # toolkits that do not set _NET_WM_PID


def wait_for_new_window(
    app: LaunchedApp,
    poll: Callable[[], list[RawWindow]],
    before: set[int],
    classes: tuple[str, ...],
    timeout: float,
    need_match: bool = True,
) -> RawWindow:
    """The first new top-level window that belongs to ``app``.

    A program that exits 0 may have handed over to a running instance (single-instance apps,
    browsers, xdg-open); then any new window counts, for a short grace period. A non-zero exit
    is a failed start and reports the program's last words."""
    deadline = time.monotonic() + timeout
    exited_at: float | None = None
    while True:
        fresh = [w for w in poll() if w.id not in before]
        code = app.poll()
        handed_over = code == 0
        for win in fresh:
            if not need_match or handed_over or _belongs(win, app, classes):
                return win
        if code is not None and code != 0:
            raise AppNotFound(
                f"{app.label} exited with status {code} before showing a window: "
                f"{app.stderr_tail() or '(no output)'}"
            )
        now = time.monotonic()
        if handed_over:
            exited_at = exited_at or now
            if now - exited_at > 2.0:
                break
        if now >= deadline:
            break
        time.sleep(0.1)
    raise NoWindow(
        f"{app.label} (pid {app.pid}) showed no new window within {timeout:g} s",
        hint="it may have opened in an existing window; observe the screen again",
    )
