"""The endpoint probe job: "Test connection" in the server form (docs/console.md, "Endpoint test").

The API sends the form's values with the test user's password encrypted by the installation's key;
it is decrypted here, used for one login, and never returned.
"""

from __future__ import annotations

import dataclasses
from typing import Any, cast

from app.crypto import CredentialsKeyError
from app.resources import Resources
from workers.engine.imap import ImapEndpoint, TlsMode
from workers.engine.probe import probe_server


def probe(res: Resources, spec: dict[str, Any]) -> dict[str, Any]:
    """`{tls, certificate, capabilities, separator, namespace_prefix, login, error}` for one server."""
    username = str(spec.get("username") or "")
    try:
        password = res.box.decrypt(str(spec["password_enc"]).encode()) if spec.get("password_enc") else ""
    except CredentialsKeyError as exc:
        return {"login": "skipped", "capabilities": [], "error": str(exc)}
    endpoint = ImapEndpoint(
        host=str(spec["host"]),
        port=int(spec["port"]),
        tls_mode=cast(TlsMode, spec["tls_mode"]),
        username=username,
        password=password,
        verify_tls=bool(spec["verify_tls"]),
        timeout=float(spec["timeout"]),
        ca_file=res.settings.imap_ca_file,
    )
    return dataclasses.asdict(probe_server(endpoint, login=bool(username and password)))
