"""OAuth2 sign-in over SASL (XOAUTH2 or OAUTHBEARER) for endpoints that carry a token provider.

The engine never stores a token: it asks the endpoint's `token_provider` at every (re)connect, so a
session that the server ended because its token expired signs in again with a fresh one. The
provider caches and renews tokens itself (workers/jobs/tokens.py, cli/oauth.py); here a refused
token is asked for once more with `force_refresh=True` before the login counts as failed.
See docs/oauth2.md.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Literal

from imapclient import IMAPClient
from imapclient.exceptions import LoginError

from workers.engine.errors import CopyError

logger = logging.getLogger(__name__)

SaslMechanism = Literal["auto", "xoauth2", "oauthbearer"]
# force_refresh -> an access token. Raises TokenFailed when the token endpoint refuses.
TokenProvider = Callable[[bool], str]


class TokenFailed(CopyError):
    """No access token: the token endpoint refused the grant (invalid_client, invalid_grant...)."""

    code = "token_failed"

    def __init__(self, message: str, error: str | None = None) -> None:
        super().__init__(message)
        self.error = error  # the token endpoint's own error code, when it sent one


def choose_mechanism(capabilities: frozenset[str], setting: SaslMechanism) -> str:
    """XOAUTH2 or OAUTHBEARER: the setting when forced, else what CAPABILITY offers (XOAUTH2 first,
    the one every provider speaks). Servers that advertise neither get XOAUTH2 and say no."""
    if setting != "auto":
        return setting.upper()
    if "AUTH=XOAUTH2" not in capabilities and "AUTH=OAUTHBEARER" in capabilities:
        return "OAUTHBEARER"
    return "XOAUTH2"


def _authenticate(client: IMAPClient, mechanism: str, username: str, token: str) -> None:
    if mechanism == "OAUTHBEARER":
        client.oauthbearer_login(username, token)
    else:
        client.oauth2_login(username, token)


def login(client: IMAPClient, username: str, provider: TokenProvider, setting: SaslMechanism) -> str:
    """AUTHENTICATE with a token from `provider`; the mechanism used.

    Raises:
        LoginError when the server refuses a freshly issued token too; TokenFailed from the provider.
    """
    capabilities = frozenset(c.decode("ascii", "replace").upper() for c in client.capabilities())
    mechanism = choose_mechanism(capabilities, setting)
    try:
        _authenticate(client, mechanism, username, provider(False))
    except LoginError:
        # A cached token the server no longer takes (expired early, revoked): renew once.
        logger.info("imap.token_refused mechanism=%s retrying with a fresh token", mechanism)
        _authenticate(client, mechanism, username, provider(True))
    return mechanism
