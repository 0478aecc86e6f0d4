"""The tutor's knobs, nested in the settings as ``PYDOJO_TUTOR__<NAME>``.

Model names are settings because Google retires them every few months; pin a generally
available name, never a ``-latest`` alias.
"""

from __future__ import annotations

from pydantic import BaseModel, Field


class TutorSettings(BaseModel):
    primary_model: str = "gemini-3.8-flash"
    fallback_model: str = "gemini-3.5-flash-lite"  # cheaper; used while the primary is cooling
    thinking_level: str | None = "low"  # low | medium | high; none: the model's default
    base_url: str | None = None  # tests and proxies; default: Google's endpoint
    request_seconds: float = Field(12.0, gt=0, description="one HTTP request to the model")
    # A deferred Discord reply may follow up for 15 minutes, but a learner waits for it.
    total_seconds: float = Field(25.0, gt=0, description="a whole answer, retries included")
    retries: int = Field(2, ge=0, le=2, description="after the first attempt")
    backoff_seconds: float = Field(0.5, ge=0, description="first pause before a retry")

    hearts: int = Field(10, ge=1, description="AI answers a learner may ask for in a burst")
    heart_minutes: float = Field(3.0, gt=0, description="one heart comes back this often")
    server_daily_requests: int = Field(300, ge=0, description="AI answers per server per day")
    daily_tokens: int = Field(2_000_000, ge=0, description="all AI use, input + output")
    generation_share: float = Field(
        0.3, ge=0, le=1, description="of the daily tokens problem generation may spend"
    )

    ask_memory: int = Field(6, ge=0, le=20, description="earlier /ask messages kept per problem")
    cache_days: float = Field(7.0, ge=0, description="how long a cached answer is reused")

    fresh_stock: int = Field(3, ge=0, description="verified new problems kept ready per level")
    fresh_attempts: int = Field(3, ge=1, description="generation tries per missing problem")
