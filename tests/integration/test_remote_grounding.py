"""Remote grounding against a real HTTP server on 127.0.0.1 speaking the OpenAI chat protocol
and answering in each grounding-model convention; answers map back to screenshot pixels."""

from __future__ import annotations

import base64
import io
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest
from PIL import Image

from guiagent.errors import TargetNotFound
from guiagent.models.openai_compat import Endpoint, OpenAICompatModel
from guiagent.observation import Box, Element, Observation, Screen
from guiagent.perception.remote import (
    Convention,
    MixtureGrounder,
    RemoteGrounder,
    parse_answer,
)

SHOT = (1280, 800)
SENT = (640, 400)  # max_side 640 halves the screenshot
TARGET = (900, 500)  # where the element is, in screenshot pixels


class Replies:
    def __init__(self) -> None:
        self.answer = ""
        self.seen_sizes: list[tuple[int, int]] = []
        self.calls = 0


@pytest.fixture
def server() -> Iterator[tuple[str, Replies]]:
    replies = Replies()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            replies.calls += 1
            for part in body["messages"][-1]["content"]:
                if part["type"] == "image_url":
                    data = part["image_url"]["url"].split(",", 1)[1]
                    replies.seen_sizes.append(Image.open(io.BytesIO(base64.b64decode(data))).size)
            answer = {
                "choices": [{"message": {"content": replies.answer}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 100, "completion_tokens": 10},
            }
            raw = json.dumps(answer).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/v1", replies
    finally:
        httpd.shutdown()
        httpd.server_close()


def screen(elements: list[Element] | None = None) -> Screen:
    obs = Observation(image=np.full((SHOT[1], SHOT[0], 3), 255, np.uint8), platform="test")
    return Screen(elements=elements or [], width=SHOT[0], height=SHOT[1], observation=obs)


def model(url: str) -> OpenAICompatModel:
    return OpenAICompatModel(Endpoint(base_url=url, model="grounder", max_retries=0))


@pytest.mark.parametrize(
    ("convention", "answer"),
    [
        ("pixels", "click(start_box='(450,250)')"),  # UI-TARS-1.5
        ("pixels", '{"bbox_2d": [440, 240, 460, 260], "label": "gear"}'),  # Qwen2.5-VL
        ("pixels", "<point>450 250</point>"),
        ("grid1000", "<|box_start|>(695,612),(711,637)<|box_end|>"),  # OS-Atlas
        ("grid1000", "click(start_box='(703,625)')"),  # UI-TARS 1.0
        ("unit", "(0.703, 0.625)"),  # SeeClick
    ],
)
def test_each_convention_maps_back_to_screenshot_pixels(
    server: tuple[str, Replies], convention: Convention, answer: str
) -> None:
    url, replies = server
    replies.answer = answer
    found = RemoteGrounder(model(url), convention, max_side=640).locate(screen(), "the gear")
    assert replies.seen_sizes == [SENT]
    assert len(found) == 1 and found[0].element.source == "remote"
    p = found[0].point
    assert abs(p.x - TARGET[0]) <= 12 and abs(p.y - TARGET[1]) <= 12, (p, answer)


def test_answers_without_coordinates_or_outside_are_no_candidate(
    server: tuple[str, Replies],
) -> None:
    url, replies = server
    grounder = RemoteGrounder(model(url), "pixels", max_side=640)
    replies.answer = "I cannot see a gear icon."
    assert grounder.locate(screen(), "the gear") == []
    assert "without coordinates" in grounder.last_reason
    replies.answer = "(900, 900)"  # outside the 640x400 image it was sent
    assert grounder.locate(screen(), "the gear") == []
    assert "outside" in grounder.last_reason


def test_unreachable_endpoint_is_a_reason_not_a_crash() -> None:
    dead = OpenAICompatModel(
        Endpoint(base_url="http://127.0.0.1:9/v1", model="x", max_retries=0, connect_timeout=1)
    )
    grounder = RemoteGrounder(dead, "pixels")
    assert grounder.locate(screen(), "anything") == []
    assert "failed" in grounder.last_reason


def test_mixture_asks_the_remote_model_only_for_what_local_grounding_misses(
    server: tuple[str, Replies],
) -> None:
    url, replies = server
    replies.answer = "<point>450 250</point>"
    ok = Element(id=0, role="button", name="OK", box=Box.xywh(100, 100, 60, 24), source="a11y")
    mixture = MixtureGrounder(RemoteGrounder(model(url), "pixels", max_side=640))
    assert mixture.best(screen([ok]), "OK").element.name == "OK"
    assert replies.calls == 0
    hit = mixture.best(screen([ok]), "the gear icon")
    assert hit.element.source == "remote" and replies.calls == 1
    replies.answer = "no idea"
    with pytest.raises(TargetNotFound, match="without coordinates"):
        mixture.best(screen([ok]), "the gear icon")


def test_parse_answer_shapes() -> None:
    assert parse_answer("click(start_box='(12,34)')").values == (12, 34)  # type: ignore[union-attr]
    assert parse_answer("[0.5, 0.25]").values == (0.5, 0.25)  # type: ignore[union-attr]
    assert parse_answer('{"bbox_2d": [1, 2, 3, 4]}').values == (1, 2, 3, 4)  # type: ignore[union-attr]
    assert parse_answer("nothing here") is None
