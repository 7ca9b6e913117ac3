"""`make soak`: the job-level fault suite and the load tests, N rounds, the engine's suite on every server
direction (Dovecot both styles, Cyrus), then the scan benchmark; one table.

    .venv/bin/python scripts/soak.py [--rounds 3] [--no-load] [--no-bench] [--no-matrix] [-k EXPR]

Each round runs tests/proof/test_job_faults.py (and tests/proof/test_load.py) in pytest with
IMAPCOPIER_SOAK_REPORT set: every fault scenario appends one row (fault, runs, accounts, messages
missing and duplicated after the next run, runs left open, seconds), the load tests their figures.
Failed tests are listed from pytest's JUnit XML, so a scenario that failed before it could report
still shows. Exit status 1 when any round failed or any row shows a loss, a duplicate or an open run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
FAULTS = "tests/proof/test_job_faults.py"
LOAD = "tests/proof/test_load.py"
# The engine's integration suite on every server direction (Dovecot both styles, Cyrus): once.
MATRIX = ["tests/engine/test_engine_matrix.py", "--all-directions"]
Row = dict[str, Any]


def run_round(
    number: int, paths: list[str], keyword: str | None, workdir: Path
) -> tuple[list[Row], list[str]]:
    """One pytest session; its report rows and the ids of its failed tests (with the first line why)."""
    report, junit = workdir / f"round-{number}.jsonl", workdir / f"round-{number}.xml"
    command = [PYTHON, "-m", "pytest", "-p", "no:cacheprovider", "-q", f"--junitxml={junit}", *paths]
    if keyword:
        command += ["-k", keyword]
    env = {**os.environ, "IMAPCOPIER_SOAK_REPORT": str(report)}
    started = time.monotonic()
    done = subprocess.run(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "(no output)"
    print(f"round {number}: {summary} [{time.monotonic() - started:.0f} s]", flush=True)
    lines = report.read_text().splitlines() if report.exists() else []
    rows = [{**json.loads(line), "round": number} for line in lines]
    failures = _failures(junit) if junit.exists() else [f"pytest exited {done.returncode}: {summary}"]
    if done.returncode and not failures:
        failures = [f"pytest exited {done.returncode}: {summary}"]
    return rows, failures


def _failures(junit: Path) -> list[str]:
    found = []
    for case in ET.parse(junit).getroot().iter("testcase"):
        for problem in (*case.findall("failure"), *case.findall("error")):
            why = (problem.get("message") or "").strip().splitlines()
            found.append(f"{case.get('name')}: {why[0][:160] if why else problem.tag}")
    return found


def fault_table(rows: list[Row]) -> list[str]:
    by_fault: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_fault[row["fault"]].append(row)
    head = f"{'fault':<20} {'runs':>5} {'accounts':>8} {'missing':>7} {'duplicated':>10} {'left running':>12}"
    lines = [head + f" {'time (s, median/max)':>20}  first run ended", "-" * (len(head) + 40)]
    for fault, items in by_fault.items():
        times = [item["seconds"] for item in items]
        ends = ", ".join(sorted({item["first_run"] for item in items}))
        lines.append(
            f"{fault:<20} {sum(i['runs'] for i in items):>5} {sum(i['accounts'] for i in items):>8}"
            f" {sum(i['missing'] for i in items):>7} {sum(i['duplicated'] for i in items):>10}"
            f" {sum(i['left_running'] for i in items):>12}"
            f" {statistics.median(times):>12.1f} / {max(times):>5.1f}  {ends}"
        )
    return lines


def load_tables(rows: list[Row]) -> list[str]:
    lines = []
    for row in (r for r in rows if r["kind"] == "accounts"):
        lines.append(
            f"round {row['round']}: task of {row['accounts']} accounts: copied {row['copied']},"
            f" errors {row['errors']}, missing {row['missing']}, duplicated {row['duplicated']},"
            f" {row['seconds']} s ({row['per_account_ms']} ms per account on 2 workers)"
        )
    columns = ("round", "clients", "requests", "errors", "per_second", "p50_ms", "p99_ms", "max_ms")
    api = [r for r in rows if r["kind"] == "api"]
    if api:
        lines.append(f"{'API, gunicorn gthread 2x8':<26}" + "".join(f"{c:>11}" for c in columns))
        for r in api:
            lines.append(f"{r['request']:<26}" + "".join(f"{r[c]:>11}" for c in columns))
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("SOAK_ROUNDS", "3")))
    parser.add_argument("--no-load", action="store_true", help="skip tests/proof/test_load.py")
    parser.add_argument("--no-bench", action="store_true", help="skip scripts/bench_scan.py")
    parser.add_argument("--no-matrix", action="store_true", help="skip the server-direction matrix")
    parser.add_argument("-k", dest="keyword", help="pytest -k expression (e.g. 'redis or beats')")
    args = parser.parse_args()
    paths = [FAULTS] if args.no_load else [FAULTS, LOAD]
    started = time.monotonic()
    rows: list[Row] = []
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="imapcopier-soak-") as tmp:
        for number in range(1, args.rounds + 1):
            got, failed = run_round(number, paths, args.keyword, Path(tmp))
            rows += got
            failures += [f"round {number}: {line}" for line in failed]
        if not args.no_matrix:
            _, failed = run_round(0, MATRIX, None, Path(tmp))
            failures += [f"server directions: {line}" for line in failed]
    faults = [r for r in rows if r["kind"] == "fault"]
    print(
        f"\n== faults during a running multi-account copy, {args.rounds} round(s); each followed by the next"
        " run and a compare of every account"
    )
    print("\n".join(fault_table(faults)))
    if not args.no_load:
        print("\n== load")
        print("\n".join(load_tables(rows)))
    if not args.no_bench:
        print("\n== scan benchmark (scripts/bench_scan.py)", flush=True)
        subprocess.run([PYTHON, "scripts/bench_scan.py"], cwd=ROOT, check=False)
    bad = [r for r in faults if r["missing"] or r["duplicated"] or r["left_running"]]
    print(f"\nfailed tests: {len(failures)}")
    for line in failures:
        print(f"  {line}")
    print(f"total time: {time.monotonic() - started:.0f} s")
    return 1 if failures or bad or not faults else 0


if __name__ == "__main__":
    sys.exit(main())
