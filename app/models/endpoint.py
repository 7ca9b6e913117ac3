from __future__ import annotations

from sqlalchemy import CheckConstraint, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, Timestamps
from app.models.enums import AuthMode, OAuth2Grant, Provider, SaslMechanism, TlsMode, check_in


class Endpoint(Timestamps, Base):
    """An IMAP server (source or destination of tasks), signed in to with passwords or OAuth2
    (docs/oauth2.md). The client secret and private key are Fernet ciphertext."""

    __tablename__ = "endpoints"
    __table_args__ = (
        CheckConstraint(check_in("tls_mode", TlsMode), name="tls_mode"),
        CheckConstraint("port BETWEEN 1 AND 65535", name="port_range"),
        CheckConstraint(check_in("provider", Provider), name="provider"),
        CheckConstraint(check_in("auth_mode", AuthMode), name="auth_mode"),
        CheckConstraint(
            f"oauth2_grant IS NULL OR {check_in('oauth2_grant', OAuth2Grant)}", name="oauth2_grant"
        ),
        CheckConstraint(check_in("sasl_mechanism", SaslMechanism), name="sasl_mechanism"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    host: Mapped[str] = mapped_column(String(255))
    port: Mapped[int]
    tls_mode: Mapped[str] = mapped_column(String(16), default=TlsMode.SSL)
    verify_tls: Mapped[bool] = mapped_column(default=True)
    # IMAP connections at once across all workers, and per account (null: the installation defaults).
    max_connections: Mapped[int | None] = mapped_column(default=None)
    max_connections_per_account: Mapped[int | None] = mapped_column(default=None)
    # MB the destination accepts per day over IMAP (null: the provider's default; docs/providers.md).
    daily_upload_mb: Mapped[int | None] = mapped_column(default=None)
    provider: Mapped[str] = mapped_column(String(16), default=Provider.GENERIC)
    auth_mode: Mapped[str] = mapped_column(String(16), default=AuthMode.PASSWORD)
    oauth2_grant: Mapped[str | None] = mapped_column(String(32))
    oauth2_token_url: Mapped[str | None] = mapped_column(String(2000))
    oauth2_authorize_url: Mapped[str | None] = mapped_column(String(2000))
    oauth2_client_id: Mapped[str | None] = mapped_column(String(500))
    oauth2_scope: Mapped[str | None] = mapped_column(String(1000))
    sasl_mechanism: Mapped[str] = mapped_column(String(16), default=SaslMechanism.AUTO)
    oauth2_client_secret_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    oauth2_private_key_enc: Mapped[bytes | None] = mapped_column(LargeBinary)

    @property
    def oauth2_client_secret_set(self) -> bool:
        return bool(self.oauth2_client_secret_enc)

    @property
    def oauth2_private_key_set(self) -> bool:
        return bool(self.oauth2_private_key_enc)
