"""The one error tree of guiagent.

Every failure the project reports is a ``GuiAgentError``; backend exceptions (X errors, AT-SPI,
ONNX runtime, YAML) are translated into it at the boundary where they happen. Each class carries
the process exit code a surface should use and a message written for the person (or the agent)
that has to act on it::

    GuiAgentError                      exit 1 unless a subclass says otherwise
    ├── UsageError                     exit 2: the request itself is wrong
    │   ├── CommandParseError          a command-mode sentence no form understands
    │   ├── ScriptError                a task/skill file that does not validate (file:line field)
    │   └── ConfigError                a config file or GUIAGENT_* variable that does not validate
    ├── SetupError                     exit 2: something the machine lacks, with the fix
    │   ├── DisplayUnavailable         no X display
    │   └── AppNotFound                an application that cannot be found or started
    ├── DriverError                    a platform backend failed while acting or observing
    │   └── ActionUnsupported          the driver does not support this action kind
    ├── PerceptionError                OCR / model / image problems
    ├── ModelError                     a chat model endpoint or its answer failed
    │   ├── ModelUnavailable           exit 2: no endpoint, no key, unreachable (checked at start)
    │   └── ModelOutputError           an answer that is not the expected type, even after repair
    ├── TargetNotFound                 grounding found nothing good enough (carries candidates)
    ├── StepFailed                     an action ran but its expected effect never showed
    ├── GateDenied                     the gate (or a missing approval) refused an action
    └── RunCancelled                   the kill switch or Ctrl+C stopped the run
"""

from __future__ import annotations

from typing import Any


class GuiAgentError(Exception):
    """Root of every error guiagent raises on purpose."""

    exit_code: int = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n  hint: {self.hint}" if self.hint else self.message


class UsageError(GuiAgentError):
    exit_code = 2


class CommandParseError(UsageError):
    """A sentence the embedded command grammar does not understand."""


class ScriptError(UsageError):
    """A task or skill file that does not validate; names the file, line and field."""

    def __init__(
        self, message: str, *, file: str, line: int | None = None, field: str | None = None
    ) -> None:
        where = file if line is None else f"{file}:{line}"
        what = f" (field '{field}')" if field else ""
        super().__init__(f"{where}: {message}{what}")
        self.file = file
        self.line = line
        self.field = field


class ConfigError(UsageError):
    pass


class SetupError(GuiAgentError):
    exit_code = 2


class DisplayUnavailable(SetupError):
    pass


class AppNotFound(SetupError):
    pass


class DriverError(GuiAgentError):
    pass


class ActionUnsupported(DriverError):
    pass


class PerceptionError(GuiAgentError):
    pass


class ModelError(GuiAgentError):
    """A chat model failed mid-run: HTTP errors after retries, timeouts, unusable answers."""


class ModelUnavailable(ModelError):
    """No endpoint configured, a missing or refused key, an unreachable server: said at start."""

    exit_code = 2


class ModelOutputError(ModelError):
    """Model output that does not parse into the expected type (after one repair round), or
    that names things not on the screen; ``raw`` keeps the (truncated) text for the log."""

    def __init__(self, message: str, *, raw: str = "", hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.raw = raw[:2000]


class TargetNotFound(GuiAgentError):
    """Grounding found no element for a query; ``candidates`` holds the closest ones seen."""

    def __init__(self, query: str, candidates: list[Any] | None = None, reason: str = "") -> None:
        self.query = query
        self.candidates = list(candidates or [])
        lines = [f"target not found: {query!r}" + (f" ({reason})" if reason else "")]
        if self.candidates:
            lines.append("closest seen:")
            for cand in self.candidates[:3]:
                lines.append(f"  {cand.describe()}")
        else:
            lines.append("nothing similar is on the screen")
        super().__init__("\n".join(lines))


class StepFailed(GuiAgentError):
    pass


class GateDenied(GuiAgentError):
    pass


class RunCancelled(GuiAgentError):
    exit_code = 130
