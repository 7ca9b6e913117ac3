"""Engine inputs from stored rows: the only place a stored password is decrypted for a job."""

from __future__ import annotations

from typing import cast

from app.config import Settings
from app.crypto import SecretBox
from app.services.runs.account_runs import AccountLogin, EndpointSpec
from workers.engine.guard import ReadLimits
from workers.engine.imap import ImapEndpoint, TlsMode
from workers.engine.options import CopyOptions


def imap_endpoint(
    spec: EndpointSpec, username: str, password_enc: bytes, box: SecretBox, settings: Settings
) -> ImapEndpoint:
    """Raises: app.crypto.CredentialsKeyError when the stored password cannot be decrypted."""
    return ImapEndpoint(
        host=spec.host,
        port=spec.port,
        tls_mode=cast(TlsMode, spec.tls_mode),
        username=username,
        password=box.decrypt(password_enc),
        verify_tls=spec.verify_tls,
        timeout=settings.imap_timeout_seconds,
        ca_file=settings.imap_ca_file,
        limits=ReadLimits(
            max_message_bytes=settings.imap_max_message_bytes,
            min_bytes_per_second=settings.imap_min_bytes_per_second,
        ),
    )


def imap_endpoints(
    login: AccountLogin, box: SecretBox, settings: Settings
) -> tuple[ImapEndpoint, ImapEndpoint]:
    """Raises: app.crypto.CredentialsKeyError."""
    return (
        imap_endpoint(login.src, login.src_username, login.src_password_enc, box, settings),
        imap_endpoint(login.dst, login.dst_username, login.dst_password_enc, box, settings),
    )


def copy_options(login: AccountLogin, connections: int = 2) -> CopyOptions:
    """The task's folder rules (excluded folders are names with their subtree, or regexes), and as
    many lanes as the account may open connections to each side."""
    return CopyOptions(
        folder_mapping=login.folder_mapping, exclude=login.exclude_folders, parallel_folders=connections
    )


def slot_limits(login: AccountLogin, settings: Settings) -> dict[int, int]:
    """Max simultaneous IMAP connections per endpoint, across all workers."""
    return {
        spec.id: spec.max_connections or settings.endpoint_max_connections for spec in (login.src, login.dst)
    }


def connections_per_side(login: AccountLogin, settings: Settings) -> int:
    """Connections one account may open to each server (a lane is one to each side): the smaller
    per-account cap of the two endpoints, and never more than either endpoint's own limit, so that
    the job can always get its slots (see semaphore.py and docs/performance.md)."""
    caps = list(slot_limits(login, settings).values())
    for spec in (login.src, login.dst):
        caps.append(spec.max_connections_per_account or settings.endpoint_max_connections_per_account)
    return max(1, min(caps))
