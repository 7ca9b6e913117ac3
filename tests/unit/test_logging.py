import json
import logging
import subprocess
import sys

SCRIPT = """
import logging
from app.logging_setup import configure_logging, log_context
configure_logging("INFO", "{fmt}")
log = logging.getLogger("job")
with log_context(run_id=7, task_id=3, account_id=42):
    log.info("copy.batch_done folder=%s", "INBOX")
log.info("outside")
"""


def _run(fmt: str) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(fmt=fmt)], capture_output=True, text=True, check=True
    )
    return out.stderr.strip().splitlines()


def test_json_lines_carry_job_ids() -> None:
    first, second = (json.loads(line) for line in _run("json"))
    assert first["message"] == "copy.batch_done folder=INBOX"
    assert (first["run_id"], first["task_id"], first["account_id"]) == (7, 3, 42)
    assert "run_id" not in second and second["levelname"] == "INFO"


def test_text_lines_end_with_ids() -> None:
    first, second = _run("text")
    assert first.endswith("copy.batch_done folder=INBOX run_id=7 task_id=3 account_id=42")
    assert second.endswith("outside")
    assert logging.getLogger().handlers is not None
