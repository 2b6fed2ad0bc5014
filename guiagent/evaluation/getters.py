"""Getters, by OSWorld name, through an explicit registry: ``getter(env, params) -> value``.

They read the task's private desktop after the agent finished: a file, a command's output, the
terminal's text, the accessibility tree, the browser's active tab, a literal rule, a cached
"cloud" file. A name not listed here makes the task skipped, never a silent pass.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from guiagent.errors import SetupError


@dataclass
class EvalEnv:
    """What getters may look at: the task's private HOME, the environment of its display, the
    folder xterm logs go to, the optional local cache for cloud files, and live probes."""

    home: Path
    env: dict[str, str]
    work: Path
    cache_dir: Path | None = None
    tab_info: Callable[[], dict[str, str]] | None = None
    a11y_dump: Callable[[], str] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def terminal_logs(self) -> Path:
        return self.work / "terminal-logs"


_ANSI = re.compile(r"\x1b(\[[0-9;?]*[A-Za-z]|\][^\x07]*\x07|[()][A-Z0-9])")
Getter = Callable[[EvalEnv, dict[str, Any]], Any]


def _local(env: EvalEnv, path: str) -> Path:
    p = Path(path).expanduser() if not path.startswith("~") else env.home / path[2:]
    return p if p.is_absolute() else env.home / p


def vm_file(env: EvalEnv, params: dict[str, Any]) -> Any:
    """The file's local path (None when it does not exist); lists give lists."""
    paths = params["path"]
    if isinstance(paths, list):
        return [vm_file(env, {"path": p}) for p in paths]
    path = _local(env, str(paths))
    return path if path.exists() else None


def vm_command_line(env: EvalEnv, params: dict[str, Any]) -> str:
    command = params["command"]
    shell = bool(params.get("shell", isinstance(command, str)))
    try:
        proc = subprocess.run(
            command,
            shell=shell,
            env=env.env,
            cwd=env.home,
            capture_output=True,
            text=True,
            timeout=float(params.get("timeout", 30)),
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"error: {exc}"
    return proc.stdout


def vm_command_error(env: EvalEnv, params: dict[str, Any]) -> str:
    command = params["command"]
    shell = bool(params.get("shell", isinstance(command, str)))
    proc = subprocess.run(
        command, shell=shell, env=env.env, cwd=env.home, capture_output=True, text=True, timeout=30
    )
    return proc.stderr


def vm_terminal_output(env: EvalEnv, params: dict[str, Any]) -> str:
    """What the task's terminals showed: the provider starts xterm with logging into
    ``terminal-logs``; the newest log is the active terminal."""
    logs = sorted(env.terminal_logs.glob("*"), key=lambda p: p.stat().st_mtime)
    text = logs[-1].read_text(errors="replace") if logs else ""
    return _ANSI.sub("", text).replace("\r", "")


def accessibility_tree(env: EvalEnv, params: dict[str, Any]) -> str:
    if env.a11y_dump is None:
        raise SetupError("no accessibility tree on this task's display")
    return env.a11y_dump()


def active_tab_info(env: EvalEnv, params: dict[str, Any]) -> dict[str, str]:
    if env.tab_info is None:
        raise SetupError("the task opened no browser")
    return env.tab_info()


def active_url(env: EvalEnv, params: dict[str, Any]) -> str:
    return active_tab_info(env, params).get("url", "")


def rule(env: EvalEnv, params: dict[str, Any]) -> Any:
    return params.get("rules")


def list_directory(env: EvalEnv, params: dict[str, Any]) -> list[str] | None:
    path = _local(env, str(params["path"]))
    return sorted(p.name for p in path.iterdir()) if path.is_dir() else None


def cached_path(cache_dir: Path | None, url: str) -> Path | None:
    """A URL's copy in the local cache: ``<cache>/<host>/<path>`` or ``<cache>/<basename>``."""
    if cache_dir is None:
        return None
    parsed = urlparse(url)
    for candidate in (
        cache_dir / parsed.netloc / parsed.path.lstrip("/"),
        cache_dir / Path(parsed.path).name,
    ):
        if candidate.is_file():
            return candidate
    return None


def cloud_file(env: EvalEnv, params: dict[str, Any]) -> Any:
    paths = params["path"]
    if isinstance(paths, list):
        return [cloud_file(env, {"path": p}) for p in paths]
    found = cached_path(env.cache_dir, str(paths))
    if found is None:
        raise SetupError(f"needs network: {paths} is not in the local cache")
    return found


GETTERS: dict[str, Getter] = {
    "vm_file": vm_file,
    "vm_command_line": vm_command_line,
    "vm_command_error": vm_command_error,
    "vm_terminal_output": vm_terminal_output,
    "accessibility_tree": accessibility_tree,
    "active_tab_info": active_tab_info,
    "active_url_from_accessTree": active_url,
    "active_tab_url_parse": active_url,
    "rule": rule,
    "list_directory": list_directory,
    "cloud_file": cloud_file,
}
