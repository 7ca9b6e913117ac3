"""Endpoints: the IMAP servers tasks copy from and to."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    StringConstraints,
    model_validator,
)

from app.models.enums import AuthMode, OAuth2Grant, Provider, SaslMechanism, TlsMode
from app.profiles import PROFILES
from app.schemas.fields import (
    Flag,
    Host,
    Name,
    NoNul,
    Password,
    PatchModel,
    Port,
    RequestModel,
    Secret,
    Username,
    UtcDateTime,
)

MaxConnections = Annotated[StrictInt, Field(ge=1, le=1000)]
DailyUpload = Annotated[StrictInt, Field(ge=1, le=10_000_000)]


def _http_url(value: str) -> str:
    if not value.startswith(("https://", "http://")):
        raise ValueError("must be an http(s) URL")
    return value


Url = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000), AfterValidator(_http_url)
]
ClientId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500), NoNul]
Scope = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000), NoNul]


class OAuth2Settings(BaseModel):
    """The sign-in fields shared by create and update."""

    oauth2_grant: OAuth2Grant | None = None
    oauth2_token_url: Url | None = None
    oauth2_authorize_url: Url | None = None
    oauth2_client_id: ClientId | None = None
    oauth2_scope: Scope | None = None
    oauth2_client_secret: Secret | None = Field(None, description="Write-only; responses say *_set")
    oauth2_private_key: Secret | None = Field(
        None, description="PEM of the service account's key (jwt_bearer); write-only"
    )


class EndpointIn(OAuth2Settings, RequestModel):
    name: Name
    host: Host
    port: Port
    tls_mode: TlsMode = TlsMode.SSL
    verify_tls: Flag = True
    max_connections: MaxConnections | None = Field(
        None,
        description="Cap of simultaneous IMAP connections to this server across all workers; "
        "null uses the installation default",
    )
    max_connections_per_account: MaxConnections | None = Field(
        None,
        description="Cap of IMAP connections one account opens to this server (Gmail allows 15); "
        "null uses the installation default",
    )
    daily_upload_mb: DailyUpload | None = Field(
        None,
        description="MB one account may upload to this server per day, for the plan's budget warning; "
        "null uses the provider's default (gmail: 500, others: no budget)",
    )
    provider: Provider = Provider.GENERIC
    auth_mode: AuthMode = AuthMode.PASSWORD
    sasl_mechanism: SaslMechanism = SaslMechanism.AUTO

    @model_validator(mode="before")
    @classmethod
    def _profile_defaults(cls, data: Any) -> Any:
        """A provider fills host, port, TLS and sign-in defaults the request leaves out."""
        if isinstance(data, dict) and isinstance(data.get("provider"), str):
            profile = {k: v for k, v in PROFILES.get(data["provider"], {}).items() if k in cls.model_fields}
            return {**profile, **data}
        return data


class EndpointPatch(OAuth2Settings, PatchModel):
    nullable: ClassVar[frozenset[str]] = frozenset(
        {"max_connections", "max_connections_per_account", "daily_upload_mb", "oauth2_grant"}
        | {"oauth2_token_url"}
        | {
            "oauth2_authorize_url",
            "oauth2_client_id",
            "oauth2_scope",
            "oauth2_client_secret",
            "oauth2_private_key",
        }
    )

    name: Name | None = None
    host: Host | None = None
    port: Port | None = None
    tls_mode: TlsMode | None = None
    verify_tls: Flag | None = None
    max_connections: MaxConnections | None = None
    max_connections_per_account: MaxConnections | None = None
    daily_upload_mb: DailyUpload | None = None
    provider: Provider | None = None
    auth_mode: AuthMode | None = None
    sasl_mechanism: SaslMechanism | None = None


class EndpointOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    host: str
    port: int
    tls_mode: TlsMode
    verify_tls: bool
    max_connections: int | None
    max_connections_per_account: int | None
    daily_upload_mb: int | None
    provider: Provider
    auth_mode: AuthMode
    oauth2_grant: OAuth2Grant | None
    oauth2_token_url: str | None
    oauth2_authorize_url: str | None
    oauth2_client_id: str | None
    oauth2_scope: str | None
    sasl_mechanism: SaslMechanism
    oauth2_client_secret_set: bool
    oauth2_private_key_set: bool
    created_at: UtcDateTime
    updated_at: UtcDateTime


class EndpointLoginIn(RequestModel):
    username: Username | None = Field(None, description="A test user; without one the login is skipped")
    password: Password | None = None


class EndpointTestIn(EndpointLoginIn):
    """The server form as it stands, unsaved (`name` and `max_connections` are accepted and unused)."""

    name: Name | None = None
    host: Host
    port: Port
    tls_mode: TlsMode = TlsMode.SSL
    verify_tls: Flag = True
    max_connections: MaxConnections | None = None


class EndpointTestOut(BaseModel):
    tls: str | None = Field(None, description="The negotiated TLS version; null for a plain connection")
    certificate: str | None = Field(
        None, description="Trusted (subject, issuer, expiry), not verified, or null"
    )
    capabilities: list[str] = Field(default_factory=list)
    separator: str | None = Field(None, description="Hierarchy separator (known after a login)")
    namespace_prefix: str | None = Field(None, description="Personal namespace prefix (after a login)")
    login: Literal["ok", "fail", "skipped"]
    error: str | None = None
