"""How many connections an account job opens to each side: per-account caps, endpoint limits."""

from __future__ import annotations

from app.services.runs.account_runs import AccountLogin, EndpointSpec
from tests.settings import make_test_settings
from workers.jobs.logins import connections_per_side, copy_options


def _login(src: EndpointSpec, dst: EndpointSpec) -> AccountLogin:
    return AccountLogin(1, 1, src, dst, "u", b"", "u", b"", {}, ())


def _spec(eid: int, limit: int | None = None, per_account: int | None = None) -> EndpointSpec:
    return EndpointSpec(eid, "imap.example", 993, "ssl", True, limit, per_account)


def test_defaults_then_the_smaller_cap_of_both_sides_wins() -> None:
    settings = make_test_settings(endpoint_max_connections=20, endpoint_max_connections_per_account=4)
    assert connections_per_side(_login(_spec(1), _spec(2)), settings) == 4
    assert connections_per_side(_login(_spec(1, per_account=15), _spec(2, per_account=6)), settings) == 6
    # Never more than an endpoint's own limit: the job must be able to get its slots.
    limited = _login(_spec(1, limit=3, per_account=15), _spec(2, per_account=15))
    assert connections_per_side(limited, settings) == 3
    assert connections_per_side(_login(_spec(1, limit=1), _spec(2)), settings) == 1
    assert copy_options(_login(_spec(1), _spec(2)), 3).parallel_folders == 3
