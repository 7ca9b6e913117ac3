"""CLI plumbing for `copy`/`compare`: server URLs, passwords, and where the sync state lives."""

from __future__ import annotations

import getpass
import hashlib
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urlsplit

from platformdirs import user_data_dir

from workers.engine.guard import ReadLimits
from workers.engine.imap import ImapEndpoint, TlsMode
from workers.engine.state import SyncState
from workers.engine.state_file import JsonFileState

SCHEMES: dict[str, tuple[TlsMode, int]] = {
    "imaps": ("ssl", 993),
    "imap": ("starttls", 143),
    "imap+plain": ("plain", 143),
}
PASSWORD_ENV = {"src": "IMAPCOPIER_SRC_PASSWORD", "dst": "IMAPCOPIER_DST_PASSWORD"}
Side = Literal["src", "dst"]


class UsageError(Exception):
    """Bad command-line input: printed as `imapcopier: error: ...`, exit status 2."""


@dataclass(frozen=True)
class ServerUrl:
    tls_mode: TlsMode
    username: str
    host: str
    port: int

    def key(self) -> str:
        return f"{self.username}@{self.host}:{self.port}"


def parse_url(text: str) -> ServerUrl:
    """`imaps://USER@HOST:PORT`, `imap://...` (STARTTLS required) or `imap+plain://...` (no TLS).

    The user may be an address (`imaps://jane%40example.com@host` or `imaps://jane@example.com@host`).
    """
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise UsageError(f"unsupported URL {text!r}: use imaps://, imap:// (STARTTLS) or imap+plain://")
    userinfo, at, hostport = parts.netloc.rpartition("@")
    if not at or not userinfo:
        raise UsageError(f"{text!r} has no user: write {scheme}://USER@HOST:PORT")
    if ":" in userinfo:
        raise UsageError("passwords are never read from the command line: use IMAPCOPIER_SRC/DST_PASSWORD")
    host, port_text = _split_host_port(hostport, text)
    tls_mode, default_port = SCHEMES[scheme]
    return ServerUrl(tls_mode, unquote(userinfo), host, int(port_text) if port_text else default_port)


def _split_host_port(hostport: str, text: str) -> tuple[str, str]:
    match = re.fullmatch(r"\[(?P<v6>[^\]]+)\](?::(?P<p6>\d+))?|(?P<host>[^:]+)(?::(?P<port>\d+))?", hostport)
    if not match:
        raise UsageError(f"cannot read host and port in {text!r}")
    host = match.group("v6") or match.group("host")
    return host, match.group("p6") or match.group("port") or ""


def read_password(side: Side, url: ServerUrl) -> str:
    """From the environment, else a prompt when a terminal is attached."""
    env = PASSWORD_ENV[side]
    if env in os.environ:
        return os.environ[env]
    if sys.stdin.isatty():
        label = "source" if side == "src" else "destination"
        return getpass.getpass(f"Password for {url.key()} ({label}): ")
    raise UsageError(f"no password for {url.key()}: set {env} (passwords are never taken from argv)")


def endpoint(
    url: ServerUrl,
    password: str,
    insecure: bool,
    ca_file: str | None,
    timeout: float,
    limits: ReadLimits | None = None,
) -> ImapEndpoint:
    return ImapEndpoint(
        host=url.host,
        port=url.port,
        tls_mode=url.tls_mode,
        username=url.username,
        password=password,
        verify_tls=not insecure,
        timeout=timeout,
        ca_file=ca_file,
        limits=limits or ReadLimits(),
    )


def pair_key(src: ServerUrl, dst: ServerUrl) -> str:
    return f"cli:{src.key()}>{dst.key()}"


def default_state_file(src: ServerUrl, dst: ServerUrl) -> Path:
    """One file per source/destination pair under the user's data directory."""
    key = pair_key(src, dst)
    readable = re.sub(r"[^A-Za-z0-9.@_-]+", "_", f"{src.key()}_to_{dst.key()}")[:120]
    digest = hashlib.sha256(key.encode()).hexdigest()[:10]
    return Path(user_data_dir("imapcopier")) / "state" / f"{readable}-{digest}.json"


def database_url() -> str | None:
    """The configured database (app settings, i.e. DATABASE_URL or .env), if any."""
    from pydantic import ValidationError

    from app.config import get_settings

    try:
        return get_settings().database_url
    except ValidationError:
        # The CLI needs only the URL, not the web app's other secrets.
        url = os.environ.get("DATABASE_URL")
        if url and url.startswith(("postgres://", "postgresql://")):
            url = "postgresql+psycopg://" + url.split("://", 1)[1]
        return url


def open_state(src: ServerUrl, dst: ServerUrl, state_file: str | None) -> tuple[SyncState, str]:
    """The state store for this pair and a description of it: --state-file, else the DB, else a file."""
    if state_file is None:
        url = database_url()
        if url:
            from workers.jobs.sync_state_store import open_db_state

            return open_db_state(url, pair_key(src, dst)), "database"
    path = Path(state_file) if state_file else default_state_file(src, dst)
    return JsonFileState(path), str(path)


def close_state(state: SyncState) -> None:
    if isinstance(state, JsonFileState):
        state.close()
