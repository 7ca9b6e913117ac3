"""Throttling end to end: the fault proxy answers FETCH and APPEND with Exchange's and Gmail's
throttling replies for a while; the copy backs off and completes with nothing missing or twice."""

from __future__ import annotations

from dataclasses import replace

import pytest
from tenacity import RetryCallState

from testbed.corpus import load_corpus, new_messages
from testbed.dovecot import ImapServer
from testbed.faultproxy import FaultProxy
from tests.engine.engine_fixtures import endpoint
from workers.engine import mailbox_copy
from workers.engine.copier import compare_mailbox, copy_mailbox
from workers.engine.errors import Throttled
from workers.engine.options import CopyOptions

pytestmark = pytest.mark.imap

EXCHANGE = rb"\1 NO Request is throttled. Suggested Backoff Time: 300 milliseconds"
GMAIL = rb"\1 NO [ALERT] Account exceeded command or bandwidth limits. (Failure)"
FETCH_OK = rb"(\w+) OK Fetch completed[^\r]*"
APPEND_OK = rb"(\w+) OK \[APPENDUID [^\]]*\] Append completed[^\r]*"


@pytest.mark.parametrize(("fetch_reply", "append_reply"), [(EXCHANGE, GMAIL), (GMAIL, EXCHANGE)])
def test_throttled_fetch_and_append_back_off_and_complete(
    src_server: ImapServer,
    dst_server: ImapServer,
    imap_user: str,
    fetch_reply: bytes,
    append_reply: bytes,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    load_corpus(src_server, imap_user, new_messages(60, folders=("INBOX", "Work"), batch=81))
    waits: list[float] = []
    wait = mailbox_copy.backoff

    def recorded(options: CopyOptions, retry_state: RetryCallState, failures: int) -> float:
        waits.append(wait(options, retry_state, failures))
        return waits[-1]

    monkeypatch.setattr(mailbox_copy, "backoff", recorded)
    # Short waits where the server suggests none (Gmail): the cap; Exchange's 300 ms is under it.
    options = CopyOptions(retries=6, retry_wait=0.05, retry_wait_max=0.5, batch_messages=10)
    with (
        FaultProxy(
            src_server.port_plain, rewrite=(FETCH_OK, fetch_reply), rewrite_skip=1, max_rewrites=2
        ) as sp,
        FaultProxy(
            dst_server.port_plain, rewrite=(APPEND_OK, append_reply), rewrite_skip=1, max_rewrites=2
        ) as dp,
    ):
        src = replace(endpoint(src_server, imap_user), port=sp.port)
        dst = replace(endpoint(dst_server, imap_user), port=dp.port)
        result = copy_mailbox(src, dst, options)
    assert (sp.rewrites, dp.rewrites) == (2, 2)  # the throttling replies were sent
    assert (result.status, result.errors) == ("ok", 0), result.error_list
    # The server stored the batches whose OK became a throttling reply: found by the retry, not resent.
    assert result.copied + result.skipped == 60
    assert 0.3 in waits  # Exchange's suggested backoff, as asked
    comparison = compare_mailbox(endpoint(src_server, imap_user), endpoint(dst_server, imap_user))
    assert (comparison.missing, comparison.duplicated) == (0, 0)


@pytest.mark.parametrize(
    ("reply", "wait"),
    [
        (b"A1 NO Request is throttled. Suggested Backoff Time: 59669 milliseconds", 59.669),
        (b"A1 NO [ALERT] Account exceeded command or bandwidth limits. (Failure)", 30.0),
        (b"A1 NO [THROTTLED] slow down", 30.0),
    ],
)
def test_throttling_replies_are_recognised_with_their_wait(reply: bytes, wait: float) -> None:
    from workers.engine.imap import is_throttle_response, throttled

    assert is_throttle_response(reply)
    error = throttled("x", reply)
    assert isinstance(error, Throttled) and error.retry_after == wait
    assert not is_throttle_response(b"A1 NO [OVERQUOTA] Quota exceeded")
