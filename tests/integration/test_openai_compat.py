"""The OpenAI-compatible client against a real HTTP server on 127.0.0.1 (http.server in a
thread): what goes over the wire, structured output and its fallback, retries, timeouts and
bad answers."""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import numpy as np
import pytest
from pydantic import BaseModel

from guiagent.config import ModelOverride, ModelsConfig
from guiagent.errors import ModelError, ModelOutputError, ModelUnavailable
from guiagent.models.base import Message, UsageMeter, image_part
from guiagent.models.factory import build_models, resolve_endpoint
from guiagent.models.openai_compat import Endpoint, OpenAICompatModel


class Answer(BaseModel):
    city: str
    count: int


@dataclass
class Reply:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


def chat(content: str, *, finish: str = "stop", usage: bool = True) -> Reply:
    body: dict[str, Any] = {
        "choices": [{"message": {"role": "assistant", "content": content}, "finish_reason": finish}]
    }
    if usage:
        body["usage"] = {"prompt_tokens": 120, "completion_tokens": 9}
    return Reply(body=body)


class FakeServer:
    """Answers each POST with the next queued Reply; GET /v1/models lists ``served``."""

    def __init__(self) -> None:
        self.replies: deque[Reply] = deque()
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.served = ["test-model"]
        self.models_status = 200
        self.stop = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _send(self, reply: Reply) -> None:
                if reply.delay:
                    server.stop.wait(reply.delay)
                data = reply.body if isinstance(reply.body, bytes) else json.dumps(reply.body)
                raw = data if isinstance(data, bytes) else data.encode()
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(raw)))
                    for k, v in reply.headers.items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(raw)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def do_GET(self) -> None:
                body = {"data": [{"id": m} for m in server.served]}
                self._send(Reply(status=server.models_status, body=body))

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                server.requests.append(json.loads(self.rfile.read(length)))
                server.headers.append(dict(self.headers))
                reply = server.replies.popleft() if server.replies else Reply(500, {"e": 1})
                self._send(reply)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def close(self) -> None:
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[FakeServer]:
    srv = FakeServer()
    yield srv
    srv.close()


Sleeps = list[float]


@pytest.fixture
def client(server: FakeServer) -> Iterator[tuple[OpenAICompatModel, Sleeps]]:
    sleeps: Sleeps = []
    endpoint = Endpoint(base_url=server.url, model="test-model", api_key="k-123", timeout=2)
    model = OpenAICompatModel(endpoint, role="decision", sleep=sleeps.append)
    yield model, sleeps
    model.close()


Client = tuple[OpenAICompatModel, Sleeps]
ASK = [Message.system("answer in JSON"), Message.user("where?")]


def test_image_and_json_schema_go_over_the_wire(server: FakeServer, client: Client) -> None:
    model, _ = client
    server.replies.append(chat('{"city": "Oslo", "count": 3}'))
    img = np.zeros((800, 1280, 3), np.uint8)
    img[100:200, 100:300] = (255, 0, 0)
    part = image_part(img, max_side=640)
    result = model.complete([Message.user("what is this?", part)], Answer)
    assert result == Answer(city="Oslo", count=3)
    sent = server.requests[0]
    assert sent["model"] == "test-model"
    assert sent["response_format"]["type"] == "json_schema"
    assert sent["response_format"]["json_schema"]["schema"]["required"] == ["city", "count"]
    parts = sent["messages"][0]["content"]
    assert parts[0] == {"type": "text", "text": "what is this?"}
    url = parts[1]["image_url"]["url"]
    assert url.startswith("data:image/png;base64,")
    assert (part.width, part.height) == (640, 400)
    assert server.headers[0]["Authorization"] == "Bearer k-123"
    usage = model.meter.by_role["decision"]
    assert (usage.calls, usage.prompt_tokens, usage.completion_tokens) == (1, 120, 9)


def test_429_then_success_honours_retry_after(server: FakeServer, client: Client) -> None:
    model, sleeps = client
    server.replies.extend(
        [Reply(429, {"error": "slow down"}, {"Retry-After": "2"}), chat('{"city":"A","count":1}')]
    )
    assert model.complete(ASK, Answer).city == "A"
    assert sleeps == [2.0]
    assert model.meter.total.retries == 1


def test_500_retried_then_clear_error(server: FakeServer, client: Client) -> None:
    model, sleeps = client
    server.replies.extend([Reply(500, {"error": "boom"})] * 4)
    with pytest.raises(ModelError, match=r"HTTP 500.*after 4 attempts"):
        model.complete(ASK, Answer)
    assert len(sleeps) == 3 and all(0 < s <= 10 for s in sleeps)
    assert sleeps[0] < sleeps[2]  # exponential backoff


def test_timeout_is_retried_then_reported(server: FakeServer) -> None:
    endpoint = Endpoint(base_url=server.url, model="m", timeout=0.3, max_retries=1)
    model = OpenAICompatModel(endpoint, sleep=lambda s: None)
    server.replies.extend([Reply(delay=2.0, body={}), chat('{"city":"B","count":2}')])
    assert model.complete(ASK, Answer).city == "B"
    server.replies.extend([Reply(delay=2.0, body={}), Reply(delay=2.0, body={})])
    with pytest.raises(ModelError, match="did not answer within 0.3s"):
        model.complete(ASK, Answer)


def test_malformed_json_gets_one_repair_round(server: FakeServer, client: Client) -> None:
    model, _ = client
    server.replies.extend(
        [chat("Sure! The city is Oslo."), chat('```json\n{"city": "Oslo", "count": 2,}\n```')]
    )
    assert model.complete(ASK, Answer) == Answer(city="Oslo", count=2)
    repair = server.requests[1]["messages"]
    assert repair[-2] == {"role": "assistant", "content": "Sure! The city is Oslo."}
    assert "no JSON object" in repair[-1]["content"]
    assert model.meter.total.repairs == 1


def test_truncated_json_twice_is_a_model_output_error(server: FakeServer, client: Client) -> None:
    model, _ = client
    server.replies.extend(
        [chat('{"city": "Os', finish="length"), chat('{"city": "Oslo", "cou', finish="length")]
    )
    with pytest.raises(ModelOutputError, match="truncated"):
        model.complete(ASK, Answer)
    assert "cut off" in server.requests[1]["messages"][-1]["content"]


def test_wrong_schema_is_fed_back(server: FakeServer, client: Client) -> None:
    model, _ = client
    server.replies.extend([chat('{"city": "Oslo"}'), chat('{"city": "Oslo", "count": 4}')])
    assert model.complete(ASK, Answer).count == 4
    assert "count: Field required" in server.requests[1]["messages"][-1]["content"]


def test_server_without_json_schema_falls_back_to_text(server: FakeServer, client: Client) -> None:
    model, _ = client
    server.replies.extend(
        [
            Reply(400, {"error": "response_format json_schema is not supported"}),
            chat('{"city": "Rome", "count": 1}', usage=False),
            chat('{"city": "Bern", "count": 5}'),
        ]
    )
    assert model.complete(ASK, Answer).city == "Rome"
    assert model.complete(ASK, Answer).city == "Bern"
    assert "response_format" not in server.requests[1]
    assert "JSON schema" in server.requests[1]["messages"][-1]["content"]
    assert "response_format" not in server.requests[2]  # remembered
    assert model.meter.total.prompt_tokens > 120  # estimated when the server reports none


def test_check_picks_the_single_served_model(server: FakeServer) -> None:
    model = OpenAICompatModel(Endpoint(base_url=server.url))
    model.check()
    assert model.endpoint.model == "test-model"
    server.served = ["a", "b"]
    with pytest.raises(ModelUnavailable, match="no model named"):
        OpenAICompatModel(Endpoint(base_url=server.url)).check()


def test_check_reports_a_refused_key(server: FakeServer) -> None:
    server.models_status = 401
    with pytest.raises(ModelUnavailable, match="refused the API key") as info:
        OpenAICompatModel(Endpoint(base_url=server.url, model="m")).check()
    assert info.value.exit_code == 2


def test_unreachable_endpoint_is_one_clear_error() -> None:
    model = OpenAICompatModel(Endpoint(base_url="http://127.0.0.1:9/v1", model="m"))
    with pytest.raises(ModelUnavailable, match="cannot reach the model endpoint") as info:
        model.check()
    assert "OPENAI_BASE_URL" in str(info.value)


def test_missing_configuration_says_how_to_configure() -> None:
    with pytest.raises(ModelUnavailable, match="no model endpoint") as info:
        resolve_endpoint(ModelsConfig(), env={})
    assert "--base-url" in str(info.value)
    with pytest.raises(ModelUnavailable, match="needs an API key"):
        resolve_endpoint(ModelsConfig(base_url="https://api.openai.com/v1"), env={})


def test_environment_and_role_overrides(server: FakeServer) -> None:
    env = {"OPENAI_BASE_URL": server.url, "OPENAI_API_KEY": "from-env"}
    cfg = ModelsConfig(model="big", roles={"reflection": ModelOverride(model="small")})
    assert resolve_endpoint(cfg, "decision", env).api_key == "from-env"
    assert resolve_endpoint(cfg, "reflection", env).model == "small"
    assert resolve_endpoint(cfg, "planner", env).model == "big"


def test_build_models_checks_once_per_endpoint(server: FakeServer) -> None:
    cfg = ModelsConfig(base_url=server.url)
    meter = UsageMeter()
    models = build_models(cfg, meter)
    assert set(models) == {"planner", "decision", "reflection"}
    assert all(m.name == f"test-model@{server.url.split('/')[2]}" for m in models.values())
    server.replies.append(chat('{"city": "X", "count": 0}'))
    models["planner"].complete(ASK, Answer)
    assert meter.by_role["planner"].calls == 1
