"""Webhook signatures: the receiver's check accepts the real one and rejects tampering and replays."""

from app.services.notifications.signing import sign, verify

BODY = b'{"event":"task_broken"}'


def test_signature_round_trip_and_rejections() -> None:
    header = sign("s3cret-key", BODY, 1_700_000_000)
    assert header.startswith("t=1700000000,v1=") and len(header.split("v1=")[1]) == 64
    assert verify("s3cret-key", BODY, header, now=1_700_000_010)
    assert not verify("other-key", BODY, header, now=1_700_000_010)
    assert not verify("s3cret-key", BODY + b" ", header, now=1_700_000_010)
    assert not verify("s3cret-key", BODY, header, now=1_700_000_000 + 3600)  # a replay an hour later
    assert not verify("s3cret-key", BODY, "v1=abc", now=1_700_000_000)
