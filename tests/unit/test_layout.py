"""The layout's promises: workers never load the web stack, and the wheel ships no test bed."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from app.config import REPO_ROOT


def test_importing_the_celery_tasks_loads_neither_flask_nor_the_test_bed() -> None:
    code = "import sys, workers.tasks; print(sorted(m for m in ('flask', 'testbed') if m in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT, check=True
    )
    assert out.stdout.strip() == "[]"


def test_the_wheel_holds_the_product_and_no_test_bed_or_tests(tmp_path: Path) -> None:
    # setuptools builds in the checkout's build/ and reuses what it finds there: start clean.
    shutil.rmtree(REPO_ROOT / "build", ignore_errors=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(REPO_ROOT),
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("imapcopier-*.whl")
    tops = {
        name.split("/")[0] for name in zipfile.ZipFile(wheel).namelist() if not name.startswith("imapcopier-")
    }
    assert {"app", "workers", "cli"} <= tops
    assert not tops & {"testbed", "tests", "scripts", "frontend"}, tops
    shutil.rmtree(REPO_ROOT / "build", ignore_errors=True)
