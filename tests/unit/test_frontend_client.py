"""The UI's generated client is current: fails when the API changed and `npm run generate` was not
run, or when someone edited frontend/src/client by hand (docs/frontend-client.md)."""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from app.openapi_dump import document, dumps

FRONTEND = Path(__file__).resolve().parents[2] / "frontend"
STALE = "the UI's client is stale: run `cd frontend && npm run generate` and commit the result"


def test_the_committed_openapi_document_is_the_live_one() -> None:
    committed = (FRONTEND / "openapi.json").read_text(encoding="utf-8")
    assert committed == dumps(document()), STALE


def test_the_committed_client_is_what_the_generator_writes(tmp_path: Path) -> None:
    generator = FRONTEND / "node_modules" / ".bin" / "openapi-ts"
    if not generator.exists() or shutil.which("node") is None:
        pytest.skip("the front end's npm packages are not installed (SKIP_FRONTEND)")
    out = tmp_path / "client"
    subprocess.run(
        [str(generator), "-s", "-f", "openapi-ts.config.ts"],
        cwd=FRONTEND,
        env={**os.environ, "OPENAPI_TS_OUTPUT": str(out)},
        check=True,
        timeout=120,
    )
    committed = FRONTEND / "src" / "client"
    compared = filecmp.dircmp(out, committed)
    assert sorted(compared.left_list) == sorted(compared.right_list), STALE
    _, mismatch, errors = filecmp.cmpfiles(out, committed, compared.common_files, shallow=False)
    assert not mismatch and not errors, f"{STALE} (differs: {mismatch + errors})"
