"""`imapcopier copy|compare` run as the installed console script, passwords from the environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from testbed.corpus import CorpusMessage, load_corpus
from testbed.dovecot import ImapServer
from tests.engine.engine_fixtures import small_user  # noqa: F401 - fixture
from tests.imap_fixtures import LoadedSource

pytestmark = pytest.mark.imap
IMAPCOPIER = str(Path(sys.executable).parent / "imapcopier")


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "IMAPCOPIER_SRC_PASSWORD": "secret", "IMAPCOPIER_DST_PASSWORD": "secret"}
    environment.update(env or {})
    return subprocess.run(
        [IMAPCOPIER, *args],
        capture_output=True,
        text=True,
        env=environment,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


def urls(src: ImapServer, dst: ImapServer, user: str, scheme: str = "imap+plain") -> list[str]:
    ports = {"imaps": (src.port_ssl, dst.port_ssl)}.get(scheme, (src.port_plain, dst.port_plain))
    return [
        "--src",
        f"{scheme}://{user}@{src.host}:{ports[0]}",
        "--dst",
        f"{scheme}://{user}@{dst.host}:{ports[1]}",
    ]


def as_json(done: subprocess.CompletedProcess[str]) -> Any:
    return json.loads(done.stdout)


def test_copy_twice_then_compare(
    src_server: ImapServer, dst_server: ImapServer, loaded_source: LoadedSource, tmp_path: Path
) -> None:
    where = urls(src_server, dst_server, loaded_source.username)
    state = ["--state-file", str(tmp_path / "state.json")]

    plan = run("copy", *where, *state, "--dry-run", "--json")
    assert plan.returncode == 0, plan.stderr
    folders = {f["src"]: f for f in as_json(plan)["folders"]}
    assert folders["Sent Items"]["dst"] == "INBOX.Sent"
    assert not folders["Projects"]["dst_exists"]

    first = run("copy", *where, *state, "--json")
    assert first.returncode == 0, first.stderr
    summary = as_json(first)
    assert (summary["status"], summary["copied"], summary["errors"]) == ("ok", len(loaded_source.messages), 0)
    assert summary["bytes"] == loaded_source.stats.bytes
    assert summary["seconds"] > 0
    assert {f["folder"] for f in summary["folders"]} >= {"INBOX", "Réunions/Équipe", "Sent Items"}

    second = run("copy", *where, *state, "--json")
    assert (second.returncode, as_json(second)["copied"]) == (0, 0)

    compared = run("compare", *where, "--json")
    assert compared.returncode == 0, compared.stderr
    assert as_json(compared)["complete"] is True
    text = run("compare", *where)
    assert text.returncode == 0 and "complete: 0 missing, 0 duplicated" in text.stdout


def test_copy_with_errors_exits_1_and_compare_shows_the_missing_message(
    src_server: ImapServer,
    dst_server: ImapServer,
    small_user: str,  # noqa: F811
    test_corpus: list[CorpusMessage],
    tmp_path: Path,
) -> None:
    load_corpus(src_server, small_user, [m for m in test_corpus if m.folder == "INBOX"])
    where = urls(src_server, dst_server, small_user, "imaps")
    done = run("copy", *where, "--ca-file", str(src_server.ca_file), "--state-file", str(tmp_path / "s.json"))
    assert done.returncode == 1, done.stderr
    assert "message_refused" not in done.stdout and "over the destination's limit" in done.stdout
    compared = run("compare", *where, "--ca-file", str(src_server.ca_file), "--json")
    assert compared.returncode == 1
    assert (as_json(compared)["missing"], as_json(compared)["duplicated"]) == (1, 0)


def test_failures_and_usage_errors(src_server: ImapServer, dst_server: ImapServer, imap_user: str) -> None:
    where = urls(src_server, dst_server, imap_user)
    wrong = run("compare", *where, "--json", env={"IMAPCOPIER_DST_PASSWORD": "wrong"})
    assert wrong.returncode == 3
    assert as_json(wrong)["error_code"] == "auth_failed"
    assert "Traceback" not in wrong.stderr

    untrusted = run("compare", *urls(src_server, dst_server, imap_user, "imaps"))
    assert untrusted.returncode == 3 and "tls_failed" in untrusted.stderr
    insecure = run("compare", *urls(src_server, dst_server, imap_user, "imaps"), "--insecure")
    assert insecure.returncode == 0, insecure.stderr

    environment = {k: v for k, v in os.environ.items() if k != "IMAPCOPIER_SRC_PASSWORD"}
    no_password = subprocess.run(
        [IMAPCOPIER, "compare", *where],
        capture_output=True,
        text=True,
        env=environment,
        stdin=subprocess.DEVNULL,
    )
    assert no_password.returncode == 2 and "IMAPCOPIER_SRC_PASSWORD" in no_password.stderr
    in_argv = run("compare", "--src", f"imap+plain://{imap_user}:secret@127.0.0.1:1", "--dst", where[3])
    assert in_argv.returncode == 2 and "never read from the command line" in in_argv.stderr
    bad_scheme = run("compare", "--src", "pop3://u@127.0.0.1:1", "--dst", where[3])
    assert bad_scheme.returncode == 2
