"""Whatever breaks inside the engine, `imapcopier copy` reports a failed account (exit 3), never
"message errors" (exit 1)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import cli.copy
from cli.main import main


def test_an_unexpected_engine_failure_exits_3_with_a_json_result(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("unexpected message list format")

    monkeypatch.setattr(cli.copy, "copy_mailbox", broken)
    monkeypatch.setenv("IMAPCOPIER_SRC_PASSWORD", "secret")
    monkeypatch.setenv("IMAPCOPIER_DST_PASSWORD", "secret")
    where = ["--src", "imap+plain://a@127.0.0.1:1", "--dst", "imap+plain://a@127.0.0.1:2"]
    status = main(["copy", *where, "--state-file", str(tmp_path / "state.json"), "--json"])
    assert status == cli.copy.EXIT_FAILED == 3
    result = json.loads(capsys.readouterr().out)
    assert result["status"] == "failed" and "unexpected message list format" in result["message"]
