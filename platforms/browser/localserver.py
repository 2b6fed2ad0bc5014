"""A static web server on 127.0.0.1 in a thread: local task pages (MiniWoB++, test pages) need
http:// rather than file:// (some read their own URL or load files by XHR).

It records every request, and answers a POST with a short "received" page, so a test or a task
checker can read what a form actually submitted.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from guiagent.errors import SetupError


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    body: bytes = b""
    form: dict[str, list[str]] = field(default_factory=dict)


class _Handler(SimpleHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib's name
        """Quiet: a test or a benchmark run is not a web server log."""

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self) -> None:
        self.server.record(Request("GET", self.path))
        super().do_GET()

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        form: dict[str, list[str]] = {}
        if "application/x-www-form-urlencoded" in (self.headers.get("Content-Type") or ""):
            form = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
        self.server.record(Request("POST", self.path, body, form))
        page = (
            b"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Received</title></head>"
            b"<body><h1>Received</h1><p>The form was submitted.</p></body></html>"
        )
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        self.wfile.write(page)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, root: Path) -> None:
        super().__init__(("127.0.0.1", 0), partial(_Handler, directory=str(root)))
        self.requests: list[Request] = []
        self._lock = threading.Lock()

    def record(self, request: Request) -> None:
        with self._lock:
            self.requests.append(request)


class StaticServer:
    """Serves ``root`` at ``http://127.0.0.1:<free port>/`` until stopped."""

    def __init__(self, root: Path) -> None:
        if not root.is_dir():
            raise SetupError(f"cannot serve {root}: not a folder")
        self.root = root
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> StaticServer:
        if self._server is None:
            self._server = _Server(self.root)
            self._thread = threading.Thread(
                target=self._server.serve_forever, name="guiagent-static-server", daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            if self._thread is not None:
                self._thread.join(timeout=5)
            self._server = None
            self._thread = None

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise SetupError("the static server is not running")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def url(self, path: str = "") -> str:
        """The URL of a file under the root (``"miniwob/click-button.html"``)."""
        return f"{self.base_url}/{path.lstrip('/')}"

    @property
    def requests(self) -> list[Request]:
        return list(self._server.requests) if self._server is not None else []

    def posts(self, path: str | None = None) -> list[Request]:
        """POST requests received, to ``path`` when given."""
        return [
            r
            for r in self.requests
            if r.method == "POST" and (path is None or urlsplit(r.path).path == path)
        ]

    def __enter__(self) -> StaticServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
