"""An OpenAI-compatible chat endpoint on 127.0.0.1 that answers from a script, for tests that
run the LLM agents in another process (``guiagent eval run`` workers, the CLI).

Each request is answered per output type, named by the request's ``json_schema`` (``Plan``,
``Decision``, ``Reflection``), the way :class:`ScriptedChatModel` answers in process. Every
request body is kept, so a test can check what the agents sent.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Mapping, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class ScriptedChatServer:
    """``answers`` maps an output type's name to the JSON answers it gets, in order."""

    def __init__(self, answers: Mapping[str, Sequence[Any]]) -> None:
        self._queues = {name: deque(items) for name, items in answers.items()}
        self._lock = threading.Lock()
        self.requests: list[dict[str, Any]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                self._send(200, {"data": [{"id": "scripted"}]})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                status, reply = server._answer(body)
                self._send(status, reply)

            def _send(self, status: int, body: dict[str, Any]) -> None:
                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def __enter__(self) -> ScriptedChatServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def remaining(self) -> dict[str, int]:
        with self._lock:
            return {name: len(q) for name, q in self._queues.items() if q}

    def asked(self, output_type: str) -> list[dict[str, Any]]:
        """The requests that asked for ``output_type``."""
        return [r for r in self.requests if _output_type(r) == output_type]

    def _answer(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        name = _output_type(body)
        with self._lock:
            self.requests.append(body)
            queue = self._queues.get(name)
            if not queue:
                return 500, {"error": {"message": f"no scripted answer left for {name}"}}
            answer = queue.popleft()
        content = answer if isinstance(answer, str) else json.dumps(answer)
        return 200, {
            "choices": [{"message": {"role": "assistant", "content": content},
                         "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 1000, "completion_tokens": 50},
        }  # fmt: skip


def _output_type(body: dict[str, Any]) -> str:
    schema = (body.get("response_format") or {}).get("json_schema") or {}
    return str(schema.get("name", ""))
