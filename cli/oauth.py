"""OAuth2 for `copy`/`compare`: --src-oauth2-* / --dst-oauth2-* options, secrets from the environment.

A ready token in IMAPCOPIER_SRC_ACCESS_TOKEN wins; otherwise a grant (given, or from --src-provider)
fetches tokens through Authlib and renews them in this process (docs/oauth2.md).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Literal, cast

from app.profiles import PROFILES
from workers.engine.grants import Grant, GrantSpec, MemoryTokenProvider, static_token
from workers.engine.sasl import SaslMechanism, TokenProvider

Side = Literal["src", "dst"]
GRANTS = ("client_credentials", "jwt_bearer", "refresh_token")


class OAuthUsageError(Exception):
    """Incomplete OAuth2 options (printed as a usage error)."""


def env_name(side: Side, what: str) -> str:
    return f"IMAPCOPIER_{side.upper()}_{what}"


def add_oauth_args(parser: argparse.ArgumentParser) -> None:
    for side in ("src", "dst"):
        label = "source" if side == "src" else "destination"
        group = parser.add_argument_group(f"OAuth2 for the {label} (secrets only from the environment)")
        group.add_argument(
            f"--{side}-provider",
            choices=("generic", *PROFILES),
            help="fill OAuth2 defaults (a gmail source also gets Gmail's folder rules: docs/providers.md)",
        )
        group.add_argument(
            f"--{side}-oauth2-grant", choices=GRANTS, help="sign in with OAuth2 using this grant"
        )
        group.add_argument(f"--{side}-oauth2-token-url", metavar="URL")
        group.add_argument(f"--{side}-oauth2-client-id", metavar="ID")
        group.add_argument(f"--{side}-oauth2-scope", metavar="SCOPE")
        group.add_argument(
            f"--{side}-sasl-mechanism", choices=("auto", "xoauth2", "oauthbearer"), default=None
        )


def _option(args: argparse.Namespace, side: Side, name: str) -> str | None:
    value = getattr(args, f"{side}_{name}", None)
    if value is None:
        profile = PROFILES.get(getattr(args, f"{side}_provider", None) or "", {})
        value = profile.get(name)
    return cast(str | None, value)


def uses_oauth2(args: argparse.Namespace, side: Side) -> bool:
    return bool(env_name(side, "ACCESS_TOKEN") in os.environ or _option(args, side, "oauth2_grant"))


def sasl_mechanism(args: argparse.Namespace, side: Side) -> SaslMechanism:
    return cast(SaslMechanism, _option(args, side, "sasl_mechanism") or "auto")


def token_provider(args: argparse.Namespace, side: Side, mailbox: str) -> TokenProvider | None:
    """None: this side signs in with a password.

    Raises: OAuthUsageError naming what is missing.
    """
    ready = os.environ.get(env_name(side, "ACCESS_TOKEN"))
    if ready:
        return static_token(ready)
    grant = _option(args, side, "oauth2_grant")
    if not grant:
        return None
    token_url, client_id = _option(args, side, "oauth2_token_url"), _option(args, side, "oauth2_client_id")
    if not token_url or not client_id:
        raise OAuthUsageError(
            f"--{side}-oauth2-grant needs --{side}-oauth2-token-url and --{side}-oauth2-client-id"
        )
    key_file = os.environ.get(env_name(side, "OAUTH2_PRIVATE_KEY_FILE"))
    spec = GrantSpec(
        grant=cast(Grant, grant),
        token_url=token_url,
        client_id=client_id,
        scope=_option(args, side, "oauth2_scope"),
        client_secret=os.environ.get(env_name(side, "OAUTH2_CLIENT_SECRET")),
        private_key=Path(key_file).read_text() if key_file else None,
        refresh_token=os.environ.get(env_name(side, "REFRESH_TOKEN")),
        timeout=float(getattr(args, "timeout", 60.0)),
    )
    needed = {
        "client_credentials": ("OAUTH2_CLIENT_SECRET", spec.client_secret),
        "jwt_bearer": ("OAUTH2_PRIVATE_KEY_FILE", spec.private_key),
        "refresh_token": ("REFRESH_TOKEN", spec.refresh_token),
    }[spec.grant]
    if not needed[1]:
        raise OAuthUsageError(f"the {spec.grant} grant needs {env_name(side, needed[0])} in the environment")
    return MemoryTokenProvider(spec, mailbox)
