"""Benchmark of the 30 s scan: `claim_due_runs` with 10,000 and 100,000 scheduled tasks, 1% due.

    .venv/bin/python scripts/bench_scan.py [--sizes 10000 100000] [--repeat 15]

Measures what `runs.scan_due_tasks` does in the database, without the dispatch: find the due tasks
through the partial index, flip them to running, insert their runs and queued account runs (one
statement). Each repetition is rolled back, so every one claims the same 1%. Also times the
due-task lookup alone and shows whether the planner uses ix_tasks_next_due_at. Uses its own
database (imapcopier_bench_scan on the configured server), created and migrated on first use.
Targets: median under 50 ms, and the two sizes within 2x of each other.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from app.config import get_settings  # noqa: E402
from app.db import Base, utcnow  # noqa: E402
from app.services import runs  # noqa: E402
from app.services.runs import claim  # noqa: E402

DB_NAME = "imapcopier_bench_scan"
DUE_FRACTION = 0.01
# The scan's lookup (the claim statement's first CTE), for EXPLAIN and for timing on its own.
LOOKUP = text(claim._DUE.replace(" FOR UPDATE OF t SKIP LOCKED", ""))

SEED = """
INSERT INTO endpoints (id, name, host, port, tls_mode, verify_tls, created_at, updated_at)
VALUES (1, 'src', '127.0.0.1', 143, 'plain', true, now(), now()),
       (2, 'dst', '127.0.0.1', 143, 'plain', true, now(), now());
INSERT INTO tasks (id, name, src_endpoint_id, dst_endpoint_id, status, folder_mapping, exclude_folders,
                   schedule_interval_seconds, schedule_anchor, next_due_at, broken, created_at, updated_at)
SELECT i, 'task ' || i, 1, 2, 'done', '{}', '[]', 3600, now() - interval '2 hours',
       CASE WHEN i % :every = 0 THEN now() - interval '1 minute'
            ELSE now() + interval '10 minutes' + (i % 3600) * interval '1 second' END,
       false, now(), now()
FROM generate_series(1, :n) AS i;
INSERT INTO accounts (task_id, src_username, src_password_enc, dst_username, dst_password_enc,
                      test_src_status, test_dst_status, created_at, updated_at)
SELECT i, 'user' || i, '\\x00', 'user' || i, '\\x00', 'ok', 'ok', now(), now()
FROM generate_series(1, :n) AS i;
"""


def bench_engine(db_name: str = DB_NAME) -> Engine:
    """An engine on a benchmark database of the configured server, created and migrated as needed."""
    base = get_settings().database_url
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": db_name}):
            conn.execute(text(f'CREATE DATABASE "{db_name}"'))
    admin.dispose()
    url = re.sub(r"/[^/?]+(\?|$)", rf"/{db_name}\1", base, count=1)
    from alembic import command
    from alembic.config import Config

    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", url)
    command.upgrade(config, "head")
    return create_engine(url)


def seed(engine: Engine, n: int) -> None:
    tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        for statement in SEED.strip().split(";\n"):
            conn.execute(text(statement), {"n": n, "every": round(1 / DUE_FRACTION)})
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE tasks, accounts"))


def timed(fn: object, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat + 2):  # two warm-ups (plan cache, buffers)
        started = time.perf_counter()
        fn()  # type: ignore[operator]
        samples.append((time.perf_counter() - started) * 1000)
    return samples[2:]


def measure(engine: Engine, n: int, repeat: int) -> dict[str, object]:
    seed(engine, n)
    counts: dict[str, int] = {}

    def claim(batches: bool) -> None:
        with Session(engine) as session:
            total, found = 0, runs.SCAN_BATCH
            while found == runs.SCAN_BATCH:
                found = len(runs.claim_due_runs(session, utcnow(), runs.SCAN_BATCH))
                total += found
                if not batches:
                    break
            counts["all" if batches else "batch"] = total
            session.rollback()  # leave the same tasks due for the next repetition

    def lookup() -> None:
        with engine.connect() as conn:
            counts["due"] = len(conn.execute(LOOKUP, {"now": utcnow(), "limit": 10 * n}).all())

    lookup_ms = timed(lookup, repeat)
    batch_ms = timed(lambda: claim(False), repeat)
    all_ms = timed(lambda: claim(True), repeat)
    with engine.connect() as conn:
        plan = "\n".join(
            r[0] for r in conn.execute(text("EXPLAIN " + str(LOOKUP)), {"now": utcnow(), "limit": n})
        )
    return {
        "tasks": n,
        "due": counts["due"],
        "lookup": statistics.median(lookup_ms),
        "batch": statistics.median(batch_ms),
        "batch_n": counts["batch"],
        "all": statistics.median(all_ms),
        "index": "ix_tasks_next_due_at" in plan and "Seq Scan" not in plan,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    engine = bench_engine()
    rows = [measure(engine, n, args.repeat) for n in args.sizes]
    print(
        f"{'tasks':>8} {'due':>5} {'find due (ms)':>14} {'scan tick: claim 1 batch (ms)':>30}"
        f" {'claim all due (ms)':>19}  index only"
    )
    for r in rows:
        print(
            f"{r['tasks']:>8} {r['due']:>5} {r['lookup']:>14.2f} {r['batch']:>23.1f} ({r['batch_n']:>4})"
            f" {r['all']:>19.1f}  {'yes' if r['index'] else 'NO'}"
        )
    ticks = [float(r["batch"]) for r in rows]  # type: ignore[arg-type]
    ratio = max(ticks) / min(ticks)
    verdict = "ok" if max(ticks) < 50 and ratio <= 2 else "MISSED"
    print(
        f"target (median scan, without the dispatch, < 50 ms and within 2x): {max(ticks):.1f} ms,"
        f" {ratio:.2f}x -> {verdict}"
    )
    print(f"(a tick claims at most {runs.SCAN_BATCH} tasks per transaction; 'claim all due' is every batch)")
    engine.dispose()


if __name__ == "__main__":
    main()
