"""The Cyrus server of the test bed: runs from the unpacked packages, users from its sasldb."""

from __future__ import annotations

import pytest
from imapclient.exceptions import LoginError

from testbed.cyrus import CyrusImapServer
from tests.imap_fixtures import new_username

pytestmark = pytest.mark.imap


def test_a_new_user_logs_in_to_the_inbox_namespace_with_special_use_folders(
    cyrus_server: CyrusImapServer,
) -> None:
    username = new_username()
    cyrus_server.add_user(username)
    client = cyrus_server.connect(username)
    try:
        assert client.namespace().personal == (("INBOX.", "."),)
        listed = {name: {f.decode().lower() for f in flags} for flags, _, name in client.list_folders()}
        for name, use in cyrus_server.special_use.items():
            assert use.lower() in listed[cyrus_server.mailbox_name(name)]
    finally:
        client.logout()
    cyrus_server.reset_user(username)
    with pytest.raises(LoginError):
        cyrus_server.connect(username)


def test_an_unknown_user_cannot_log_in(cyrus_server: CyrusImapServer) -> None:
    with pytest.raises(LoginError):
        cyrus_server.connect(new_username())
