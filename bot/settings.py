"""All configuration, from the environment or a `.env` file, in one object."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from runner import DEFAULT_IMAGE, RunnerConfig, SandboxLimits, default_concurrency


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
    data_dir: Path = Path("data")
    database_url: str | None = None  # default: SQLite file in data_dir

    sandbox_image: str = DEFAULT_IMAGE
    sandbox: SandboxLimits = SandboxLimits()
    sandbox_pool_size: int = Field(2, ge=0)
    sandbox_concurrency: int = Field(default_factory=default_concurrency, ge=1)
    docker_url: str | None = None

    cooldown_seconds: float = Field(3.0, ge=0, description="between one learner's submissions")
    message_content_intent: bool = True  # needed for code blocks in server threads

    log_level: str = "INFO"

    def runner_config(self) -> RunnerConfig:
        return RunnerConfig(
            image=self.sandbox_image,
            limits=self.sandbox,
            pool_size=self.sandbox_pool_size,
            max_concurrency=self.sandbox_concurrency,
            docker_url=self.docker_url,
        )


@cache
def get_settings() -> Settings:
    return Settings()
