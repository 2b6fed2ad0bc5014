"""From ``ModelsConfig`` (plus ``OPENAI_BASE_URL`` / ``OPENAI_API_KEY``) to one client per
role, with the one message that says how to configure an endpoint when none is."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import replace

import httpx

from guiagent.config import ModelRole, ModelsConfig
from guiagent.errors import ModelUnavailable
from guiagent.models.base import ChatModel, UsageMeter
from guiagent.models.openai_compat import Endpoint, OpenAICompatModel

OPENAI_URL = "https://api.openai.com/v1"
ROLES: tuple[ModelRole, ...] = ("planner", "decision", "reflection")

HOW_TO_CONFIGURE = (
    "configure an OpenAI-compatible endpoint: pass --base-url URL --model NAME, or set"
    " OPENAI_BASE_URL (+ OPENAI_API_KEY), or [models] base_url/model/api_key in"
    " ~/.config/guiagent/config.toml — e.g. --base-url http://127.0.0.1:11434/v1 for Ollama,"
    " http://127.0.0.1:8080/v1 for llama.cpp server"
)


def endpoint_configured(config: ModelsConfig, env: Mapping[str, str] | None = None) -> bool:
    env = os.environ if env is None else env
    return bool(
        config.base_url or config.api_key or env.get("OPENAI_BASE_URL") or env.get("OPENAI_API_KEY")
    )


def resolve_endpoint(
    config: ModelsConfig, role: ModelRole | None = None, env: Mapping[str, str] | None = None
) -> Endpoint:
    """Role override, then the models section, then the OPENAI_* variables, then OpenAI."""
    env = os.environ if env is None else env
    if not endpoint_configured(config, env) and not (role and role in config.roles):
        raise ModelUnavailable("no model endpoint is configured", hint=HOW_TO_CONFIGURE)
    over = config.roles.get(role) if role else None
    base_url = (over and over.base_url) or config.base_url or env.get("OPENAI_BASE_URL")
    key_secret = (over and over.api_key) or config.api_key
    api_key = key_secret.get_secret_value() if key_secret else env.get("OPENAI_API_KEY")
    base_url = base_url or OPENAI_URL
    if not api_key and "api.openai.com" in base_url:
        raise ModelUnavailable("OpenAI's endpoint needs an API key", hint=HOW_TO_CONFIGURE)
    return Endpoint(
        base_url=base_url,
        model=(over and over.model) or config.model,
        api_key=api_key or None,
        timeout=(over and over.timeout) or config.timeout,
        connect_timeout=config.connect_timeout,
        max_retries=config.max_retries,
        max_retry_wait=config.max_retry_wait,
        structured_output=config.structured_output,
        input_cost_per_mtok=config.input_cost_per_mtok,
        output_cost_per_mtok=config.output_cost_per_mtok,
    )


def build_models(
    config: ModelsConfig,
    meter: UsageMeter,
    *,
    check: bool = True,
    transport: httpx.BaseTransport | None = None,
) -> dict[ModelRole, ChatModel]:
    """One client per role; ``check`` reaches each distinct endpoint once before the run."""
    checked: dict[tuple[str, str | None, str | None], Endpoint] = {}
    models: dict[ModelRole, ChatModel] = {}
    for role in ROLES:
        endpoint = resolve_endpoint(config, role)
        key = (endpoint.base_url, endpoint.model, endpoint.api_key)
        client = OpenAICompatModel(endpoint, role=role, meter=meter, transport=transport)
        if check:
            if key in checked:
                client.endpoint = replace(endpoint, model=checked[key].model)
            else:
                client.check()
                checked[key] = client.endpoint
        models[role] = client
    return models
