"""Settings: every environment variable the product reads, validated once at start-up."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
# The due-task scan runs this often (docs/decisions.md, "Scheduling").
POLL_INTERVAL_SECONDS = 30


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
    session_idle_seconds: int = Field(
        3600, ge=60, description="A browser session ends after this long without a request"
    )
    session_max_seconds: int = Field(
        12 * 3600, ge=60, description="A browser session ends this long after login, however active"
    )
    public_base_url: str = Field(
        "http://127.0.0.1:5000",
        description="Where browsers reach the app: the websocket's allowed Origin, the OAuth2 redirect_uri "
        "(…/api/oauth/callback) and links in notifications",
    )
    ws_allowed_origins: str = Field(
        "http://localhost:5173,http://127.0.0.1:5173",
        description="Extra origins the websocket accepts, comma-separated (the Vite dev server)",
    )
    trusted_proxies: int = Field(
        0,
        ge=0,
        le=5,
        description="Reverse proxies in front of the app whose X-Forwarded-For/-Proto/-Host are believed "
        "(the audit log's address, the login throttle, the websocket's own host); 0 believes none",
    )
    login_rate_limit: int = Field(10, ge=1, description="Failed logins per username+IP per window")
    login_rate_window_seconds: int = Field(300, ge=1)
    frontend_dist: Path = REPO_ROOT / "frontend" / "dist"
    imap_timeout_seconds: float = Field(30.0, gt=0)
    imap_ca_file: str | None = Field(None, description="Extra CA bundle used to verify IMAP servers")
    imap_max_message_bytes: int = Field(
        150 * 1024 * 1024,
        ge=1,
        description="Largest message read from a source, bigger ones are refused unread (Exchange Online's)",
    )
    imap_min_bytes_per_second: int = Field(
        16 * 1024, ge=1, description="Slowest transfer an IMAP command may take beyond IMAP_TIMEOUT_SECONDS"
    )
    endpoint_max_connections: int = Field(
        20, ge=1, description="Default cap of simultaneous IMAP connections per endpoint, across all workers"
    )
    endpoint_max_connections_per_account: int = Field(
        4, ge=1, description="Default cap of IMAP connections one account opens to each endpoint"
    )
    worker_concurrency: int = Field(2, ge=1)
    # The job system (workers/celery_app.py, app/services/runs/). Tests shorten the timings.
    broker_url: str | None = Field(
        None, description="Celery broker + result backend; defaults to REDIS_URL (/metrics reads its queues)"
    )
    copy_time_limit_seconds: int = Field(
        12 * 3600,
        ge=60,
        description="Hard time limit of one account copy job (the broker timeout is above it)",
    )
    scan_interval_seconds: float = Field(
        float(POLL_INTERVAL_SECONDS), gt=0, description="Beat period of the due-task scan (tests shorten it)"
    )
    run_heartbeat_seconds: float = Field(
        5.0, gt=0, description="How often a running job touches its run and reads cancel requests"
    )
    run_stale_seconds: float = Field(
        180.0, gt=0, description="A run whose jobs have not beaten for this long is abandoned by the reaper"
    )
    run_queue_timeout_seconds: float = Field(
        24 * 3600.0, gt=0, description="A run none of whose jobs ever started is abandoned after this"
    )
    semaphore_lease_seconds: float = Field(
        60.0, gt=0, description="Lease of a per-endpoint connection slot; renewed by the heartbeat"
    )
    throttle_wait_max_seconds: float = Field(
        3600.0, ge=0, description="Total back-off one account job may spend on a throttling server"
    )
    plan_timeout_seconds: float = Field(60.0, gt=0, description="How long GET /plan waits for its job")
    notify_retry_base_seconds: float = Field(
        30.0, gt=0, description="First back-off of a failed notification delivery (doubles, up to an hour)"
    )
    smtp_ca_file: str | None = Field(
        None, description="Extra CA bundle used to verify the notification SMTP server"
    )
    notify_digest_hour: int = Field(7, ge=0, le=23, description="Hour (UTC) the daily digest is sent")

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
