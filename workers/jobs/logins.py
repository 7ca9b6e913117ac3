"""Engine inputs from stored rows: the only place stored passwords and OAuth2 secrets are decrypted."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, cast

from sqlalchemy import update

from app.config import Settings
from app.crypto import SecretBox
from app.folder_rules import FolderRules
from app.models import Account
from app.resources import Resources
from app.services.runs.account_runs import AccountLogin, EndpointSpec
from workers.engine.grants import Grant, GrantSpec
from workers.engine.guard import ReadLimits
from workers.engine.imap import ImapEndpoint, TlsMode
from workers.engine.options import CopyOptions
from workers.engine.sasl import SaslMechanism
from workers.jobs.tokens import RedisTokenProvider

Side = Literal["src", "dst"]


def _decrypt(box: SecretBox, ciphertext: bytes | None) -> str | None:
    return box.decrypt(ciphertext) if ciphertext else None


def grant_spec(
    spec: EndpointSpec, refresh_token_enc: bytes | None, box: SecretBox, timeout: float
) -> GrantSpec:
    """How to get tokens for an OAuth2 endpoint. Raises: app.crypto.CredentialsKeyError."""
    return GrantSpec(
        grant=cast(Grant, spec.oauth2_grant),
        token_url=spec.oauth2_token_url or "",
        client_id=spec.oauth2_client_id or "",
        scope=spec.oauth2_scope,
        client_secret=_decrypt(box, spec.oauth2_client_secret_enc),
        private_key=_decrypt(box, spec.oauth2_private_key_enc),
        refresh_token=_decrypt(box, refresh_token_enc),
        timeout=timeout,
    )


def _store_rotated(res: Resources, account_id: int, side: Side) -> Callable[[str], None]:
    """Keeps a rotated refresh token on the account (encrypted), so the next run starts from it."""

    def store(refresh_token: str) -> None:
        with res.sessions.begin() as session:
            session.execute(
                update(Account)
                .where(Account.id == account_id)
                .values({f"{side}_refresh_token_enc": res.box.encrypt(refresh_token)})
            )

    return store


def imap_endpoint(res: Resources, login: AccountLogin, side: Side) -> ImapEndpoint:
    """One side's login: a password, or a token provider backed by the shared Redis cache.

    Raises: app.crypto.CredentialsKeyError when a stored secret cannot be decrypted.
    """
    spec = login.src if side == "src" else login.dst
    username = login.src_username if side == "src" else login.dst_username
    password_enc = login.src_password_enc if side == "src" else login.dst_password_enc
    settings = res.settings
    provider = None
    if spec.auth_mode == "oauth2":
        refresh_enc = login.src_refresh_token_enc if side == "src" else login.dst_refresh_token_enc
        grant = grant_spec(spec, refresh_enc, res.box, settings.imap_timeout_seconds)
        provider = RedisTokenProvider(
            res.redis, res.box, spec.id, username, grant, _store_rotated(res, login.account_id, side)
        )
    return ImapEndpoint(
        host=spec.host,
        port=spec.port,
        tls_mode=cast(TlsMode, spec.tls_mode),
        username=username,
        password=_decrypt(res.box, password_enc) or "",
        verify_tls=spec.verify_tls,
        timeout=settings.imap_timeout_seconds,
        ca_file=settings.imap_ca_file,
        limits=ReadLimits(
            max_message_bytes=settings.imap_max_message_bytes,
            min_bytes_per_second=settings.imap_min_bytes_per_second,
        ),
        token_provider=provider,
        sasl_mechanism=cast(SaslMechanism, spec.sasl_mechanism),
    )


def imap_endpoints(login: AccountLogin, res: Resources) -> tuple[ImapEndpoint, ImapEndpoint]:
    """Raises: app.crypto.CredentialsKeyError."""
    return imap_endpoint(res, login, "src"), imap_endpoint(res, login, "dst")


def copy_options(login: AccountLogin, connections: int = 2) -> CopyOptions:
    """The task's folder rules (the exclusion list, then the include/exclude regex rules, decided by
    app/folder_rules.py as the API's preview does), and as many lanes as the account may open
    connections to each side. A Gmail source gets Gmail's folder rules (docs/providers.md)."""
    rules = FolderRules(login.folder_include, login.folder_exclude, login.exclude_folders)
    return CopyOptions(
        folder_mapping=login.folder_mapping,
        select=rules.excluded_by,
        parallel_folders=connections,
        gmail_source=login.src.provider == "gmail",
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
