"""A ``ChatModel`` for any OpenAI-compatible ``/chat/completions`` endpoint: OpenAI, vLLM,
Ollama, llama.cpp server, LM Studio.

Structured output uses ``response_format: json_schema`` where the server accepts it and falls
back (remembered per client) to plain text read by the tolerant parser where it does not; an
answer that still fails to parse gets one repair round with the reason. 429, 5xx, timeouts and
dropped connections are retried with exponential backoff, honouring ``Retry-After``. Every
call's tokens and cost go to the run's ``UsageMeter``.
"""

from __future__ import annotations

import email.utils
import json
import logging
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal, TypeVar
from urllib.parse import urlsplit

import httpx
from pydantic import BaseModel

from guiagent.errors import ModelError, ModelOutputError, ModelUnavailable
from guiagent.models.base import Message, Usage, UsageMeter, estimate_tokens
from guiagent.models.parsing import parse_output

log = logging.getLogger(__name__)
T = TypeVar("T", bound=BaseModel)

_RETRY_STATUS = frozenset({408, 409, 425, 429, 500, 502, 503, 504})
_SMALL_SCHEMA = 1500  # characters: a schema this small is worth spelling out without json_schema


@dataclass(frozen=True)
class Endpoint:
    """Everything one client needs; built from ``ModelsConfig`` by ``guiagent.models.factory``."""

    base_url: str
    model: str | None = None
    api_key: str | None = None
    timeout: float = 60.0
    connect_timeout: float = 5.0
    max_retries: int = 3
    max_retry_wait: float = 30.0
    structured_output: Literal["auto", "json_schema", "none"] = "auto"
    input_cost_per_mtok: float = 0.0
    output_cost_per_mtok: float = 0.0

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).netloc or self.base_url


class OpenAICompatModel:
    def __init__(
        self,
        endpoint: Endpoint,
        *,
        role: str = "model",
        meter: UsageMeter | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.endpoint = endpoint
        self.role = role
        self.meter = meter or UsageMeter()
        self._sleep = sleep
        self._schema_ok = endpoint.structured_output != "none"
        headers = {"Authorization": f"Bearer {endpoint.api_key}"} if endpoint.api_key else {}
        self._http = httpx.Client(
            base_url=endpoint.base_url.rstrip("/") + "/",
            headers=headers,
            timeout=httpx.Timeout(endpoint.timeout, connect=endpoint.connect_timeout),
            transport=transport,
        )

    @property
    def name(self) -> str:
        return f"{self.endpoint.model or '?'}@{self.endpoint.host}"

    def close(self) -> None:
        self._http.close()

    # -- start-up check ------------------------------------------------------------------
    def check(self) -> None:
        """Reach the endpoint once before a run: a clear ``ModelUnavailable`` instead of a
        failure mid-task. Picks the model when none is set and the server serves exactly one."""
        try:
            resp = self._http.get("models", timeout=self.endpoint.connect_timeout + 5)
        except httpx.HTTPError as exc:
            raise ModelUnavailable(
                f"cannot reach the model endpoint {self.endpoint.base_url}: {exc}",
                hint="is the server running? set models.base_url, --base-url or OPENAI_BASE_URL",
            ) from exc
        if resp.status_code in (401, 403):
            raise ModelUnavailable(
                f"the model endpoint {self.endpoint.host} refused the API key"
                f" (HTTP {resp.status_code})",
                hint="set OPENAI_API_KEY or models.api_key (GUIAGENT_MODELS__API_KEY)",
            )
        served: list[str] = []
        if resp.status_code == 200:
            try:
                served = [str(m["id"]) for m in resp.json().get("data", []) if "id" in m]
            except (ValueError, TypeError, AttributeError, KeyError):
                served = []
        if self.endpoint.model is None:
            if len(served) != 1:
                listed = ", ".join(served[:10]) or "none listed"
                raise ModelUnavailable(
                    f"no model named for {self.endpoint.host} (it serves: {listed})",
                    hint="set models.model or pass --model",
                )
            self.endpoint = replace(self.endpoint, model=served[0])
        elif served and self.endpoint.model not in served:
            log.warning("%s does not list model %r (it lists %s)", self.endpoint.host,
                        self.endpoint.model, ", ".join(served[:10]))  # fmt: skip

    # -- completion ------------------------------------------------------------------------
    def complete(self, messages: Sequence[Message], output_type: type[T]) -> T:
        usage = Usage()
        convo = list(messages)
        try:
            for attempt in range(2):
                text, finish = self._chat(convo, output_type, usage)
                try:
                    return parse_output(text, output_type)
                except ModelOutputError as exc:
                    if attempt == 1:
                        raise ModelOutputError(
                            f"{self.name} answered twice without a valid {output_type.__name__}:"
                            f" {exc.message}",
                            raw=text,
                        ) from exc
                    usage.repairs += 1
                    log.info("repairing %s answer: %s", output_type.__name__, exc.message)
                    convo += [Message.assistant(text[:4000]), _repair_request(exc, finish)]
            raise AssertionError("unreachable")
        finally:
            self.meter.record(self.role, usage)

    def complete_text(self, messages: Sequence[Message]) -> str:
        """A free-text answer, for models that answer in their own format (grounding models
        reply ``click(start_box='(x,y)')`` or ``<point>x y</point>``, not JSON)."""
        usage = Usage()
        try:
            body: dict[str, Any] = {
                "model": self.endpoint.model or "default",
                "messages": [_wire(m) for m in messages],
            }
            resp = self._post(body, usage)
            if resp is None:
                raise ModelError(f"{self.name} refused a plain chat request")
            self._account(resp, messages, usage)
            return _content(resp, self.name)[0]
        finally:
            self.meter.record(self.role, usage)

    def _chat(
        self, messages: list[Message], output_type: type[BaseModel], usage: Usage
    ) -> tuple[str, str]:
        body: dict[str, Any] = {"model": self.endpoint.model or "default"}
        schema = output_type.model_json_schema()
        if self._schema_ok:
            body["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": output_type.__name__, "schema": schema, "strict": False},
            }
            body["messages"] = [_wire(m) for m in messages]
            resp = self._post(body, usage)
            if resp is None:  # the server refused json_schema: remember and ask in words
                self._schema_ok = False
                return self._chat(messages, output_type, usage)
        else:
            hint = "Reply with one JSON object only: no prose, no code fences."
            spelled = json.dumps(schema, separators=(",", ":"))
            if len(spelled) <= _SMALL_SCHEMA:
                hint += f" It must match this JSON schema: {spelled}"
            body["messages"] = [_wire(m) for m in messages] + [_wire(Message.system(hint))]
            resp = self._post(body, usage)
            assert resp is not None
        self._account(resp, messages, usage)
        return _content(resp, self.name)

    def _post(self, body: dict[str, Any], usage: Usage) -> dict[str, Any] | None:
        """POST with retries; None when a 400 says the server does not do json_schema."""
        last: ModelError | None = None
        for attempt in range(self.endpoint.max_retries + 1):
            wait = min(8.0, 0.5 * 2**attempt) * random.uniform(0.8, 1.2)
            try:
                resp = self._http.post("chat/completions", json=body)
            except httpx.TimeoutException as exc:
                last = ModelError(
                    f"{self.name} did not answer within {self.endpoint.timeout:g}s ({exc})"
                )
            except httpx.TransportError as exc:
                last = ModelError(f"cannot reach {self.endpoint.base_url}: {exc}")
            else:
                if resp.status_code == 200:
                    try:
                        data = resp.json()
                    except ValueError as exc:
                        raise ModelError(f"{self.name} answered with non-JSON HTTP body") from exc
                    if isinstance(data, dict):
                        return data
                    raise ModelError(f"{self.name} answered with an unexpected body")
                if resp.status_code in _RETRY_STATUS:
                    last = ModelError(f"{self.name}: HTTP {resp.status_code}: {_snippet(resp)}")
                    wait = _retry_after(resp) or wait
                else:
                    refused = resp.status_code in (400, 422) and "response_format" in body
                    if (
                        refused
                        and self.endpoint.structured_output == "auto"
                        and _about_schema(resp)
                    ):
                        log.info("%s refuses json_schema; using text output", self.name)
                        return None
                    raise _http_error(resp, self.name)
            if attempt == self.endpoint.max_retries:
                break
            usage.retries += 1
            self._sleep(min(wait, self.endpoint.max_retry_wait))
        assert last is not None
        tries = self.endpoint.max_retries + 1
        raise ModelError(f"{last.message} (after {tries} attempt{'s' * (tries > 1)})")

    def _account(self, resp: dict[str, Any], messages: Sequence[Message], usage: Usage) -> None:
        reported = resp.get("usage") if isinstance(resp.get("usage"), dict) else None
        if reported:
            prompt = int(reported.get("prompt_tokens") or 0)
            completion = int(reported.get("completion_tokens") or 0)
        else:  # some local servers report nothing: estimate rather than count zero
            text, images = estimate_tokens(messages)
            prompt, completion = text + images, 0
        usage.calls += 1
        usage.prompt_tokens += prompt
        usage.completion_tokens += completion
        usage.cost_usd += (
            prompt * self.endpoint.input_cost_per_mtok
            + completion * self.endpoint.output_cost_per_mtok
        ) / 1e6


def _wire(msg: Message) -> dict[str, Any]:
    if isinstance(msg.content, str):
        return {"role": msg.role, "content": msg.content}
    parts: list[dict[str, Any]] = []
    for part in msg.content:
        if isinstance(part, str):
            parts.append({"type": "text", "text": part})
        else:
            parts.append({"type": "image_url", "image_url": {"url": part.data_url()}})
    return {"role": msg.role, "content": parts}


def _content(resp: dict[str, Any], name: str) -> tuple[str, str]:
    try:
        choice = resp["choices"][0]
        message = choice["message"]
    except (KeyError, IndexError, TypeError) as exc:
        raise ModelError(f"{name} answered without choices[0].message") from exc
    content = message.get("content") if isinstance(message, dict) else None
    if isinstance(content, list):  # some servers return content parts
        content = "".join(p.get("text", "") for p in content if isinstance(p, dict))
    if not isinstance(content, str) or not content.strip():
        refusal = message.get("refusal") if isinstance(message, dict) else None
        raise ModelOutputError(
            f"{name} returned no text" + (f" (refusal: {refusal})" if refusal else "")
        )
    return content, str(choice.get("finish_reason") or "")


def _repair_request(exc: ModelOutputError, finish: str) -> Message:
    cut = " Your answer was cut off (length limit): be brief." if finish == "length" else ""
    return Message.user(
        f"Your answer could not be used: {exc.message}.{cut} Reply again with only the"
        " corrected JSON object."
    )


def _retry_after(resp: httpx.Response) -> float | None:
    value = resp.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _about_schema(resp: httpx.Response) -> bool:
    text = resp.text.lower()
    return any(w in text for w in ("response_format", "json_schema", "schema", "grammar"))


def _snippet(resp: httpx.Response, limit: int = 200) -> str:
    text = " ".join(resp.text.split())
    return text[:limit] + ("…" if len(text) > limit else "")


def _http_error(resp: httpx.Response, name: str) -> ModelError:
    status = resp.status_code
    if status in (401, 403):
        return ModelUnavailable(
            f"{name} refused the API key (HTTP {status})",
            hint="set OPENAI_API_KEY or models.api_key",
        )
    if status == 404:
        return ModelUnavailable(
            f"{name}: not found (HTTP 404): {_snippet(resp)}",
            hint="check models.base_url (usually ends in /v1) and models.model",
        )
    return ModelError(f"{name}: HTTP {status}: {_snippet(resp)}")
