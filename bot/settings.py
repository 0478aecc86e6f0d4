"""All configuration, from the environment or a `.env` file, in one object."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from runner import RunnerConfig, SandboxLimits, default_concurrency
from runner.image import image_tag
from runner.queue import DEFAULT_QUEUE_NAME, QueueConfig

from .services.tutor.config import TutorSettings


class Settings(BaseSettings):
    """Environment variables are ``PYDOJO_<FIELD>``; nested limits use ``__``, e.g.
    ``PYDOJO_SANDBOX__MEMORY_MIB=256``. Tokens also answer to their usual names."""

    model_config = SettingsConfigDict(
        env_prefix="PYDOJO_", env_file=".env", env_nested_delimiter="__", extra="ignore"
    )

    discord_token: SecretStr | None = Field(
        None, validation_alias=AliasChoices("PYDOJO_DISCORD_TOKEN", "DISCORD_TOKEN")
    )
    gemini_api_key: SecretStr | None = Field(
        None, validation_alias=AliasChoices("PYDOJO_GEMINI_API_KEY", "GEMINI_API_KEY")
    )
    # The optional AI tutor's models, budgets and limits (README: "The AI tutor").
    tutor: TutorSettings = TutorSettings()
    data_dir: Path = Path("data")
    database_url: str | None = None  # default: SQLite file in data_dir

    # The Python that judges (and `/run`'s default); `sandbox_image` overrides its image tag.
    sandbox_python: Literal["3.13", "3.11"] = "3.13"
    sandbox_image: str = ""
    sandbox: SandboxLimits = SandboxLimits()
    sandbox_pool_size: int = Field(2, ge=0)
    sandbox_concurrency: int = Field(default_factory=default_concurrency, ge=1)
    docker_url: str | None = None

    cooldown_seconds: float = Field(3.0, ge=0, description="between one learner's submissions")
    message_content_intent: bool = True  # needed for code blocks in server threads
    rooms_per_server: int = Field(3, ge=1, description="open study rooms in one server at once")

    log_level: str = "INFO"

    # Scaling out (README: "Scaling"). With a queue URL the bot judges on `pydojo runner serve`
    # workers instead of in its own process, and needs no Docker engine.
    queue_url: str | None = None  # redis://host:6379/0
    queue_name: str = DEFAULT_QUEUE_NAME
    queue_pickup_seconds: float = Field(30.0, gt=0, description="then: the judge is busy")
    shard_count: Annotated[int, Field(ge=1)] | Literal["auto"] | None = None  # AutoShardedBot
    metrics_host: str = "127.0.0.1"
    metrics_port: int | None = Field(None, ge=0, le=65535, description="the bot's /metrics")
    runner_metrics_port: int | None = Field(None, ge=0, le=65535, description="a worker's")

    @model_validator(mode="after")
    def _image(self) -> Settings:
        if not self.sandbox_image:
            self.sandbox_image = image_tag(self.sandbox_python)
        return self

    def runner_config(self) -> RunnerConfig:
        return RunnerConfig(
            image=self.sandbox_image,
            python=self.sandbox_python,
            limits=self.sandbox,
            pool_size=self.sandbox_pool_size,
            max_concurrency=self.sandbox_concurrency,
            docker_url=self.docker_url,
        )

    def queue_config(self) -> QueueConfig | None:
        if not self.queue_url:
            return None
        return QueueConfig(
            url=self.queue_url,
            name=self.queue_name,
            limits=self.sandbox,
            pickup_seconds=self.queue_pickup_seconds,
        )


@cache
def get_settings() -> Settings:
    return Settings()
