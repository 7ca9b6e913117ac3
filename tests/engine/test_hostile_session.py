"""One session against the hostile test server: what the guard leaves behind between commands."""

from __future__ import annotations

from testbed.hostile_imap import HostileImapServer
from workers.engine.guarded_client import KEEP_UNTAGGED
from workers.engine.imap import ImapEndpoint
from workers.engine.session import ImapSession


def test_unclaimed_untagged_responses_do_not_pile_up(hostile_server: HostileImapServer) -> None:
    session = ImapSession(ImapEndpoint(hostile_server.host, hostile_server.port, "plain", "healthy", "x"))
    try:
        session.select("INBOX", readonly=True)
        left = session.client._imap.untagged_responses
        left["EXISTS"] = [b"1"] * (KEEP_UNTAGGED + 1)  # as if earlier replies had carried them
        assert len(session.fetch([1, 2, 3], ["BODY.PEEK[]"])) == 3
        assert sum(len(items) for items in left.values()) < 10
    finally:
        session.close()
    assert not session.broken
