"""Settings: every environment variable the product reads, validated once at start-up."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Configuration from the environment (and a local `.env`, written by scripts/bootstrap.sh)."""

    model_config = SettingsConfigDict(env_file=REPO_ROOT / ".env", extra="ignore", populate_by_name=True)

    database_url: str = Field(description="PostgreSQL URL, e.g. postgresql+psycopg://user:pw@host/db")
    redis_url: str = Field("redis://127.0.0.1:63790/0", description="Redis: Celery broker, results, events")
    secret_key: str = Field(min_length=16, description="Signs session cookies")
    credentials_key: str = Field(description="Fernet key that encrypts stored IMAP passwords")
    admin_username: str = Field("admin", alias="IMAPCOPIER_ADMIN_USERNAME")
    admin_password: str | None = Field(None, alias="IMAPCOPIER_ADMIN_PASSWORD")
    log_level: str = "INFO"
    log_format: str = Field("text", pattern="^(text|json)$")
    session_cookie_secure: bool = False
    login_rate_limit: int = Field(10, ge=1, description="Failed logins per username+IP per window")
    login_rate_window_seconds: int = Field(300, ge=1)
    frontend_dist: Path = REPO_ROOT / "frontend" / "dist"
    imap_timeout_seconds: float = Field(30.0, gt=0)
    imap_ca_file: str | None = Field(None, description="Extra CA bundle used to verify IMAP servers")
    endpoint_max_connections: int = Field(
        10, ge=1, description="Default cap of simultaneous accounts per endpoint, across all workers"
    )
    worker_concurrency: int = Field(2, ge=1)

    @field_validator("database_url")
    @classmethod
    def _psycopg3(cls, value: str) -> str:
        # Plain postgres:// URLs (Heroku style, docker-compose) would pick psycopg2, which we do not ship.
        for prefix in ("postgres://", "postgresql://"):
            if value.startswith(prefix):
                return "postgresql+psycopg://" + value[len(prefix) :]
        return value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once (tests build their own Settings instead)."""
    return Settings()
