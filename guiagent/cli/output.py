"""How the CLI talks: progress and errors on stderr (rich), results on stdout (text or JSON)."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console
from rich.markup import escape


class Output:
    def __init__(self, *, json_mode: bool = False) -> None:
        self.json_mode = json_mode
        self.err = Console(stderr=True, highlight=False, soft_wrap=True)
        self.out = Console(highlight=False, soft_wrap=True)

    def progress(self, text: str) -> None:
        self.err.print(f"[dim]·[/dim] {escape(text)}")

    def warn(self, text: str) -> None:
        self.err.print(f"[yellow]![/yellow] {escape(text)}")

    def error(self, exc: BaseException | str) -> None:
        self.err.print(f"[bold red]error:[/bold red] {escape(str(exc))}")

    def result(self, text: str, data: dict[str, Any] | list[Any] | None = None) -> None:
        """One result: JSON on stdout in --json mode, else the text."""
        if self.json_mode and data is not None:
            print(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            self.out.print(escape(text))
