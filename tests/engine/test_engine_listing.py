"""Pass start-up on the real servers: LIST-STATUS discovery and the two logins at once."""

from __future__ import annotations

import dataclasses

import pytest

from testbed.dovecot import ImapServer
from tests.engine.engine_fixtures import endpoint
from tests.imap_fixtures import LoadedSource
from workers.engine.errors import AuthFailed
from workers.engine.listing import list_with_status
from workers.engine.session import ImapSession, open_sessions

pytestmark = pytest.mark.imap


def _roles(session: ImapSession) -> dict[str, tuple[bool, str | None]]:
    return {f.name: (f.selectable, f.role) for f in session.layout().folders}


@pytest.mark.parametrize("side", ["src", "dst"])
def test_list_status_matches_list_and_one_status_per_folder(
    src_server: ImapServer, dst_server: ImapServer, loaded_source: LoadedSource, side: str
) -> None:
    server = src_server if side == "src" else dst_server
    session = ImapSession(endpoint(server, loaded_source.username))
    try:
        if side == "dst":
            session.create_folder("INBOX.Réunions.Équipe")  # non-ASCII names come back decoded
        assert session.info.has("LIST-STATUS")
        layout, statuses = list_with_status(session, with_size=True)
        assert {f.name: (f.selectable, f.role) for f in layout.folders} == _roles(session)
        selectable = {f.name for f in layout.folders if f.selectable}
        assert set(statuses) == selectable
        assert statuses == {name: session.status(name, with_size=True) for name in selectable}
    finally:
        session.close()
    if side == "src":
        assert statuses["Réunions/Équipe"].messages == 5
        assert statuses["INBOX"].size and statuses["INBOX"].size > 3_000_000
        assert layout.separator == "/" and layout.prefix == ""


def test_without_list_status_the_plain_list_is_used(src_server: ImapServer, imap_user: str) -> None:
    session = ImapSession(endpoint(src_server, imap_user))
    try:
        session.info = dataclasses.replace(
            session.info, capabilities=session.info.capabilities - {"LIST-STATUS"}
        )
        layout, statuses = list_with_status(session)
        assert statuses == {}
        assert {f.name for f in layout.folders} >= {"INBOX"}
    finally:
        session.close()


def test_both_logins_at_once_the_source_error_wins(
    src_server: ImapServer, dst_server: ImapServer, imap_user: str
) -> None:
    good_src, good_dst = endpoint(src_server, imap_user), endpoint(dst_server, imap_user)
    bad_src = dataclasses.replace(good_src, password="wrong")
    bad_dst = dataclasses.replace(good_dst, password="wrong", username="dst-" + imap_user)
    with pytest.raises(AuthFailed, match=f"login refused for {imap_user} "):
        open_sessions(bad_src, bad_dst)
    with pytest.raises(AuthFailed, match=f"login refused for dst-{imap_user} "):
        open_sessions(good_src, bad_dst)
    source, destination = open_sessions(good_src, good_dst)
    assert (source.endpoint.port, destination.endpoint.port) == (src_server.port_plain, dst_server.port_plain)
    source.close()
    destination.close()
