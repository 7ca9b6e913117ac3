"""Endpoints: the IMAP servers tasks copy from and to."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from app.models.enums import TlsMode
from app.schemas.fields import (
    Flag,
    Host,
    Name,
    Password,
    PatchModel,
    Port,
    RequestModel,
    Username,
    UtcDateTime,
)

MaxConnections = Annotated[StrictInt, Field(ge=1, le=1000)]


class EndpointIn(RequestModel):
    name: Name
    host: Host
    port: Port
    tls_mode: TlsMode = TlsMode.SSL
    verify_tls: Flag = True
    max_connections: MaxConnections | None = Field(
        None, description="Cap of simultaneous accounts on this server; null uses the installation default"
    )


class EndpointPatch(PatchModel):
    nullable: ClassVar[frozenset[str]] = frozenset({"max_connections"})

    name: Name | None = None
    host: Host | None = None
    port: Port | None = None
    tls_mode: TlsMode | None = None
    verify_tls: Flag | None = None
    max_connections: MaxConnections | None = None


class EndpointOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    host: str
    port: int
    tls_mode: TlsMode
    verify_tls: bool
    max_connections: int | None
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
