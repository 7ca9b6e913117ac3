"""Small pure parts of the engine: flags, APPENDUID parsing, UID sets, batching."""

from __future__ import annotations

from workers.engine.appender import parse_appenduid
from workers.engine.fetcher import MessageMeta, batches
from workers.engine.flags import flags_from_text, flags_to_text, normalise_flags, source_change
from workers.engine.session import uid_set


def test_flags_drop_recent_and_round_trip_text() -> None:
    flags = normalise_flags([b"\\Seen", b"\\Recent", b"$Label1"])
    assert flags == {"\\Seen", "$Label1"}
    assert flags_from_text(flags_to_text(flags)) == flags
    assert flags_to_text(flags) == "$Label1 \\Seen"


def test_source_change_is_a_difference_not_an_overwrite() -> None:
    change = source_change(frozenset({"\\Seen", "$Label1"}), frozenset({"\\Seen", "\\Flagged"}))
    assert change.added == {"\\Flagged"}
    assert change.removed == {"$Label1"}
    assert not source_change(frozenset({"\\seen"}), frozenset({"\\Seen"}))  # system flags ignore case


def test_appenduid_parsing() -> None:
    assert parse_appenduid(b"[APPENDUID 38505 3955] APPEND completed") == [3955]
    assert parse_appenduid(b"[APPENDUID 38505 3955:3957,4001] done") == [3955, 3956, 3957, 4001]
    assert parse_appenduid(b"[APPENDUID 1 9:7] done") == [7, 8, 9]
    assert parse_appenduid(b"Append completed.") is None


def test_uid_sets_are_compact() -> None:
    assert uid_set([7, 1, 2, 3, 9, 10]) == "1:3,7,9:10"
    assert uid_set([]) == ""


def _meta(uid: int, size: int) -> MessageMeta:
    return MessageMeta(uid, size, frozenset(), None)


def test_batches_are_bounded_by_count_and_bytes_and_big_messages_go_alone() -> None:
    metas = [_meta(1, 10), _meta(2, 10), _meta(3, 10), _meta(4, 500), _meta(5, 10)]
    assert [[m.uid for m in b] for b in batches(metas, max_bytes=100, max_count=2)] == [[1, 2], [3], [4], [5]]
    assert [len(b) for b in batches([_meta(i, 1) for i in range(120)], 10**6, 50)] == [50, 50, 20]


def test_throttling_is_recognised_without_mistaking_auth_failures() -> None:
    from workers.engine.imap import is_throttle_response

    assert is_throttle_response(b"NO [UNAVAILABLE] Temporary authentication failure")
    assert is_throttle_response(b"NO [THROTTLED] Request is throttled")
    assert is_throttle_response(b"[ALERT] Too many simultaneous connections. (Failure)")
    assert not is_throttle_response(b"NO [AUTHENTICATIONFAILED] Authentication failed.")
    assert not is_throttle_response(b"NO Too many invalid login attempts")


def test_error_codes_are_stable_and_classified() -> None:
    from workers.engine import errors

    codes = {
        errors.AuthFailed: "auth_failed",
        errors.TlsFailed: "tls_failed",
        errors.ConnectFailed: "connect_failed",
        errors.FolderUnavailable: "folder_unavailable",
        errors.MessageRefused: "message_refused",
        errors.TransientImapError: "connection_lost",
        errors.Throttled: "throttled",
    }
    for cls, code in codes.items():
        assert cls.code == code
        assert cls.retryable == issubclass(cls, errors.TransientImapError)
    assert errors.Throttled("slow down", retry_after=12).retry_after == 12
    assert str(errors.AuthFailed("login refused")) == "login refused"


def test_the_engine_imports_nothing_from_the_web_side() -> None:
    import subprocess
    import sys

    probe = (
        "import sys, workers.engine, workers.engine.copier;"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'flask', 'celery', 'sqlalchemy', 'app'}))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
