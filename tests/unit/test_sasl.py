"""SASL mechanism choice and the token renewal schedule (pure)."""

from __future__ import annotations

import pytest

from workers.engine.grants import GrantSpec, describe_error, renew_after
from workers.engine.sasl import choose_mechanism


@pytest.mark.parametrize(
    ("capabilities", "setting", "expected"),
    [
        ({"AUTH=XOAUTH2", "AUTH=OAUTHBEARER"}, "auto", "XOAUTH2"),
        ({"AUTH=OAUTHBEARER"}, "auto", "OAUTHBEARER"),
        ({"AUTH=XOAUTH2"}, "auto", "XOAUTH2"),
        ({"AUTH=PLAIN"}, "auto", "XOAUTH2"),
        ({"AUTH=XOAUTH2"}, "oauthbearer", "OAUTHBEARER"),
        ({"AUTH=OAUTHBEARER"}, "xoauth2", "XOAUTH2"),
    ],
)
def test_mechanism_from_capability(capabilities: set[str], setting: str, expected: str) -> None:
    assert choose_mechanism(frozenset(capabilities), setting) == expected  # type: ignore[arg-type]


def test_tokens_are_renewed_before_they_expire() -> None:
    assert renew_after(3600) == 3300
    assert renew_after(10) == 5
    assert 0 < renew_after(1) < 1


def test_token_errors_name_the_code_and_never_the_secret() -> None:
    spec = GrantSpec("refresh_token", "http://idp/token", "app", client_secret="s3cret", refresh_token="rt-x")
    assert describe_error(spec, "invalid_grant") == "consent revoked, press Connect again (invalid_grant)"
    client = GrantSpec("client_credentials", "http://idp/token", "app", client_secret="s3cret")
    assert "(invalid_client)" in describe_error(client, "invalid_client")
    assert "(unauthorized_client)" in describe_error(client, "unauthorized_client")
    assert "s3cret" not in repr(spec) + repr(client)
