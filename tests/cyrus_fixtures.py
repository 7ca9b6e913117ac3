"""pytest plugin: Cyrus IMAP servers of the test bed (testbed/cyrus.py), one pair per session.

Each session starts its own instances on free ports under the data root and removes them at the
end (a start costs about a second). `cyrus_server` is the one most tests use; `cyrus_server_b` is a
second instance for Cyrus-to-Cyrus copies, started only when a test asks for it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from testbed.cyrus import CyrusImapServer, CyrusServer, remove_stopped_instances


def _instance(label: str) -> Iterator[CyrusImapServer]:
    remove_stopped_instances()  # left by sessions that were killed before their teardown
    instance = CyrusServer(f"{label}-{uuid.uuid4().hex[:8]}")
    server = instance.start()
    yield server
    instance.remove()


@pytest.fixture(scope="session")
def cyrus_server() -> Iterator[CyrusImapServer]:
    """A running Cyrus 3.6 (namespace `INBOX.`, separator `.`, special-use folders at first login)."""
    yield from _instance("a")


@pytest.fixture(scope="session")
def cyrus_server_b() -> Iterator[CyrusImapServer]:
    """A second Cyrus instance, for copies from one Cyrus to another."""
    yield from _instance("b")


# The server pairs the engine's integration suite runs on (tests/engine/test_engine_matrix.py):
# a representative subset by default, every direction with --all-directions (`make soak`).
ALL_DIRECTIONS_OPTION = "--all-directions"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        ALL_DIRECTIONS_OPTION,
        action="store_true",
        help="run the engine's integration suite on every server direction (Dovecot both styles, Cyrus)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "all_directions: one of the extra server directions (--all-directions)"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption(ALL_DIRECTIONS_OPTION):
        return
    skip = pytest.mark.skip(reason=f"extra server direction: run with {ALL_DIRECTIONS_OPTION} (make soak)")
    for item in items:
        if item.get_closest_marker("all_directions"):
            item.add_marker(skip)
