"""The one configuration tree: a TOML file plus ``GUIAGENT_*`` environment variables.

Loaded once by a surface (CLI, daemon) with :func:`load_config` and passed down; nothing reads
it from a global. Nested fields use ``__`` in variables: ``GUIAGENT_GATE__CONFIRM_TIMEOUT=30``.
The file is ``$GUIAGENT_CONFIG`` or ``~/.config/guiagent/config.toml`` when present.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, SecretStr, ValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from guiagent.errors import ConfigError


def default_data_dir() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "guiagent"


class RemoteGroundingConfig(BaseModel):
    """An OpenAI-compatible grounding model asked only for targets local grounding misses."""

    base_url: str
    model: str
    api_key: str | None = None
    convention: Literal["pixels", "grid1000", "unit"] = Field(
        default="pixels",
        description="pixels: Qwen2.5-VL, UI-TARS-1.5; grid1000: UI-TARS 1.0, OS-Atlas; "
        "unit: SeeClick",
    )
    max_side: int = Field(default=1280, ge=64, description="longer side of the image sent")
    timeout: float = Field(default=30.0, gt=0)


class PerceptionConfig(BaseModel):
    remote: RemoteGroundingConfig | None = Field(
        default=None, description="optional remote grounding model"
    )
    ocr: bool = True
    accessibility: bool = True
    detector: bool = Field(
        default=True,
        description="the project's ONNX element detector where no a11y tree comes, adding the "
        "controls the field and icon finders missed",
    )
    icons: bool = Field(
        default=True,
        description="name icon-only controls by the installed icon themes where no a11y tree comes",
    )
    icon_classifier: Literal["off", "controls", "all"] = Field(
        default="controls",
        description="the learned icon classifier names icons no installed icon matches: on "
        "controls (fields' and detector's boxes), on every icon-shaped blob too, or off",
    )
    ocr_min_score: float = Field(default=0.5, ge=0, le=1)
    ocr_fast_rec: bool = Field(
        default=True,
        description="recognise text with the shipped Latin-only int8 model (0.87x the CPU of "
        "rapidocr's fp32 one; 0.1% of characters differ) instead of the fp32 model",
    )
    ocr_rec_height: int = Field(
        default=48,
        ge=24,
        le=64,
        description="height text crops are scaled to for recognition (needs ocr_fast_rec); "
        "the model was trained on 48. 40 costs 0.6x the time and 32 0.4x, but change 1.6% and "
        "3.4% of characters (small text, arrows)",
    )
    min_ground_score: float = Field(
        default=0.6, ge=0, le=1, description="below this a query counts as not found"
    )


class GateConfig(BaseModel):
    policy: Path | None = Field(
        default=None, description="a policy TOML; built-in defaults if unset"
    )
    confirm_timeout: float = Field(default=60.0, gt=0, description="no answer in time means deny")
    audit_log: Path | None = Field(default=None, description="JSON lines; <data_dir>/audit.jsonl")


class RunnerConfig(BaseModel):
    max_steps: int = Field(default=50, ge=1)
    settle_seconds: float = Field(default=0.25, ge=0, description="pause after an action")
    trajectory_dir: Path | None = Field(default=None, description="<data_dir>/runs if unset")
    kill_corner: bool = Field(default=True, description="pointer in a screen corner stops the run")


class LinuxConfig(BaseModel):
    display: str | None = Field(default=None, description="X display; $DISPLAY if unset")
    accessibility: bool = True
    type_delay_ms: int = Field(default=8, ge=0)
    monitor: int | str = Field(
        default=0,
        description="0: all monitors; N: the N-th monitor; or a region WIDTHxHEIGHT+X+Y",
    )
    capture_scale: float = Field(
        default=1.0, ge=0.25, le=1.0, description="screenshots downscaled by this (large screens)"
    )


ModelRole = Literal["planner", "decision", "reflection"]


class ModelOverride(BaseModel):
    """Per-role settings (e.g. a small fast model for reflection); unset fields inherit."""

    base_url: str | None = None
    model: str | None = None
    api_key: SecretStr | None = None
    timeout: float | None = Field(default=None, gt=0)


class ModelsConfig(BaseModel):
    """The OpenAI-compatible endpoint the LLM agents use. ``base_url`` and ``api_key`` fall
    back to the conventional ``OPENAI_BASE_URL`` / ``OPENAI_API_KEY`` variables."""

    base_url: str | None = Field(default=None, description="e.g. http://127.0.0.1:8080/v1")
    model: str | None = Field(default=None, description="unset: the one model a server lists")
    api_key: SecretStr | None = None
    timeout: float = Field(default=60.0, gt=0, description="seconds per request")
    connect_timeout: float = Field(default=5.0, gt=0)
    max_retries: int = Field(default=3, ge=0, le=10, description="on 429, 5xx and timeouts")
    max_retry_wait: float = Field(default=30.0, ge=0, description="cap on one backoff/Retry-After")
    structured_output: Literal["auto", "json_schema", "none"] = Field(
        default="auto", description="auto: json_schema, falling back when the server refuses it"
    )
    input_cost_per_mtok: float = Field(default=0.0, ge=0, description="USD per 1M prompt tokens")
    output_cost_per_mtok: float = Field(default=0.0, ge=0)
    roles: dict[ModelRole, ModelOverride] = Field(default_factory=dict)


class AgentsConfig(BaseModel):
    """What the LLM agents send and how they recover."""

    max_image_side: int = Field(default=1024, ge=256, description="screenshot downscaled to this")
    max_elements: int = Field(default=80, ge=5, description="elements listed per decision")
    max_actions_per_step: int = Field(default=4, ge=1, le=10)
    reflection: Literal["auto", "always"] = Field(
        default="auto", description="auto: cheap local checks first, the model when unclear"
    )
    sops: dict[str, str] = Field(
        default_factory=dict, description="per-application notes for the planner, keyed by app"
    )


class BrowserConfig(BaseModel):
    """The browser driver: a system Chromium driven through Playwright."""

    executable_path: Path | None = Field(
        default=Path("/usr/bin/chromium"),
        description="the Chromium binary; None uses a Playwright-managed browser",
    )
    headless: bool = True
    viewport_width: int = Field(default=1280, ge=200, le=7680)
    viewport_height: int = Field(default=800, ge=200, le=4320)
    device_scale_factor: float = Field(
        default=1.0, gt=0, le=4, description="screenshot pixels per CSS pixel"
    )
    extra_args: list[str] = Field(
        default_factory=list, description="added to the always-on launch arguments"
    )
    start_url: str | None = Field(default=None, description="opened when the driver starts")
    navigation_timeout: float = Field(default=20.0, gt=0, description="seconds for a page load")
    action_timeout: float = Field(default=5.0, gt=0, description="seconds for one input step")
    type_delay_ms: int = Field(default=0, ge=0, description="pause between typed characters")
    max_elements: int = Field(default=600, ge=1, description="elements one observe() reports")
    select_popup: bool = Field(
        default=True,
        description="draw <select> options in the page (headless Chromium's own popup "
        "takes no mouse input)",
    )


class Config(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="GUIAGENT_", env_nested_delimiter="__", extra="forbid"
    )

    data_dir: Path = Field(default_factory=default_data_dir)
    perception: PerceptionConfig = PerceptionConfig()
    gate: GateConfig = GateConfig()
    runner: RunnerConfig = RunnerConfig()
    linux: LinuxConfig = LinuxConfig()
    browser: BrowserConfig = BrowserConfig()
    models: ModelsConfig = ModelsConfig()
    agents: AgentsConfig = AgentsConfig()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        path = _config_path()
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if path is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=path))
        return tuple(sources)

    @property
    def audit_log_path(self) -> Path:
        return self.gate.audit_log or self.data_dir / "audit.jsonl"

    @property
    def runs_dir(self) -> Path:
        return self.runner.trajectory_dir or self.data_dir / "runs"


def _config_path() -> Path | None:
    explicit = os.environ.get("GUIAGENT_CONFIG")
    if explicit:
        return Path(explicit)
    default = Path.home() / ".config" / "guiagent" / "config.toml"
    return default if default.exists() else None


def load_config(path: Path | None = None, **overrides: Any) -> Config:
    """Read the file and the environment once; a bad value names the field and its source."""
    if path is not None:
        if not path.exists():
            raise ConfigError(f"config file not found: {path}")
        os.environ["GUIAGENT_CONFIG"] = str(path)
    try:
        return Config(**overrides)
    except ValidationError as exc:
        where = _config_path() or "environment"
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"invalid configuration in {where}: {field}: {first['msg']}") from exc
    except (OSError, ValueError) as exc:  # TOML syntax errors are ValueErrors
        raise ConfigError(f"cannot read configuration {_config_path()}: {exc}") from exc
