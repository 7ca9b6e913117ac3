"""pytest plugin: the test identity provider and a Dovecot pair whose XOAUTH2/OAUTHBEARER logins it checks."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from testbed.dovecot import DovecotPair, ImapServer, data_root, free_ports
from testbed.idp import IdentityProvider, IdpState

APP_ID = "imapcopier-app"
APP_SECRET = "app-secret-not-for-logs-7f3a"
SERVICE_ACCOUNT = "copier@sa.example.test"
DOMAIN = "example.test"


@dataclass(frozen=True)
class IdpHandle:
    """The running IdP with a confidential app and a service account registered."""

    idp: IdentityProvider
    private_key_pem: str  # the service account's key (RS256)

    @property
    def state(self) -> IdpState:
        return self.idp.state


def _key_pair() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


@pytest.fixture(scope="session")
def test_idp_session() -> Iterator[IdpHandle]:
    private, public = _key_pair()
    with IdentityProvider() as idp:
        idp.state.add_client(APP_ID, APP_SECRET, tenant=DOMAIN)
        idp.state.add_client(SERVICE_ACCOUNT, None, public_key_pem=public, tenant=DOMAIN)
        yield IdpHandle(idp, private)


@pytest.fixture()
def test_idp(test_idp_session: IdpHandle) -> IdpHandle:
    """The session's IdP with default lifetimes and an empty log for this test."""
    state = test_idp_session.idp.state
    with state.lock:
        state.access_lifetime = 3600
        state.rotate_refresh_tokens = False
        state.log.clear()
    return test_idp_session


@pytest.fixture(scope="session")
def oauth_pair(test_idp_session: IdpHandle) -> Iterator[DovecotPair]:
    """A private Dovecot pair with the oauth2 passdb pointing at the test IdP (passwords work too)."""
    root = data_root() / f"imap-oauth-{uuid.uuid4().hex[:8]}"
    ports = free_ports(4)
    pair = DovecotPair(
        "test", base_dir=root, ports=ports, introspection_url=test_idp_session.idp.introspection_url
    )  # type: ignore[arg-type]
    pair.start()
    yield pair
    pair.stop()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture()
def oauth_src(oauth_pair: DovecotPair) -> ImapServer:
    return oauth_pair.server("src")


@pytest.fixture()
def oauth_dst(oauth_pair: DovecotPair) -> ImapServer:
    return oauth_pair.server("dst")


@pytest.fixture()
def mailbox(oauth_pair: DovecotPair) -> Iterator[str]:
    """A fresh mailbox in the IdP's tenant, valid on both servers of `oauth_pair`."""
    username = f"u-{uuid.uuid4().hex[:8]}@{DOMAIN}"
    yield username
    for server in oauth_pair.servers():
        server.reset_user(username)
