"""Endpoints: the IMAP servers tasks copy from and to."""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from app.models.enums import TlsMode
from app.schemas.fields import Flag, Host, Name, PatchModel, Port, RequestModel, UtcDateTime

MaxConnections = Annotated[StrictInt, Field(ge=1, le=1000)]


class EndpointIn(RequestModel):
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


class EndpointPatch(PatchModel):
    nullable: ClassVar[frozenset[str]] = frozenset({"max_connections", "max_connections_per_account"})

    name: Name | None = None
    host: Host | None = None
    port: Port | None = None
    tls_mode: TlsMode | None = None
    verify_tls: Flag | None = None
    max_connections: MaxConnections | None = None
    max_connections_per_account: MaxConnections | None = None


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
    created_at: UtcDateTime
    updated_at: UtcDateTime
