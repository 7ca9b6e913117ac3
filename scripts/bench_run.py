"""Throughput of one run of 8 accounts with 1 versus 2 worker processes (real Celery, real Dovecot).

    .venv/bin/python scripts/bench_run.py [--accounts 8] [--messages 400] [--workers 1 2]

Each account is a source user on the bench Dovecot pair holding `--messages` messages of the bench
corpus (realistic size mix). For each worker count: fresh destination users, a task with the
accounts, that many `celery worker` processes (concurrency 1, queues copy+default), one manual run
through the same claim + chord path as the product; the wall time runs from the claim to the
run's close. Its own database (imapcopier_bench_run) and Redis dbs 12 (events) and 13 (broker).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from celery import Celery  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from app import dispatch  # noqa: E402
from app.config import get_settings  # noqa: E402
from app.crypto import SecretBox  # noqa: E402
from app.db import utcnow  # noqa: E402
from app.models import Account, Endpoint, Run, Task  # noqa: E402
from app.resources import Resources  # noqa: E402
from app.services import runs  # noqa: E402
from scripts.bench_scan import bench_engine  # noqa: E402
from testbed import corpus  # noqa: E402
from testbed.dovecot import DovecotPair, ImapServer  # noqa: E402

DB_NAME = "imapcopier_bench_run"


def _redis(db: int) -> str:
    return re.sub(r"/\d+$", "", get_settings().redis_url) + f"/{db}"


def start_workers(count: int, env: dict[str, str], log_dir: Path) -> list[subprocess.Popen[bytes]]:
    procs = []
    for n in range(count):
        log = (log_dir / f"bench-worker-{n}.log").open("wb")
        args = ["worker", "-Q", "copy,default", "-c", "1", "--prefetch-multiplier", "1", "-n", f"bench{n}@%h",
                "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "WARNING"]  # fmt: skip
        celery = str(Path(sys.executable).with_name("celery"))
        procs.append(
            subprocess.Popen(
                [celery, "-A", "workers.celery_app", *args],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
    return procs


def cpu_times() -> tuple[float, float]:
    """(busy, total) jiffies of all cores since boot, from /proc/stat."""
    fields = [float(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def wait_ready(client: Celery, count: int) -> None:
    deadline = time.monotonic() + 60
    while len(client.control.ping(timeout=1.0)) < count:
        if time.monotonic() > deadline:
            raise RuntimeError("the bench workers did not start; see /tmp/bench-worker-*.log")


def make_task(res: Resources, src: ImapServer, dst: ImapServer, pairs: list[tuple[str, str]]) -> int:
    box = SecretBox(res.settings.credentials_key)
    with Session(res.engine) as session, session.begin():
        ends = [Endpoint(name=s.name, host=s.host, port=s.port_plain, tls_mode="plain") for s in (src, dst)]
        session.add_all(ends)
        session.flush()
        task = Task(name="bench", src_endpoint_id=ends[0].id, dst_endpoint_id=ends[1].id)
        session.add(task)
        session.flush()
        for src_user, dst_user in pairs:
            session.add(
                Account(
                    task_id=task.id,
                    src_username=src_user,
                    src_password_enc=box.encrypt(src.password),
                    dst_username=dst_user,
                    dst_password_enc=box.encrypt(dst.password),
                    test_src_status="ok",
                    test_dst_status="ok",
                )
            )
        return task.id


def one_run(
    res: Resources, workers: int, src: ImapServer, dst: ImapServer, sources: list[str]
) -> tuple[Run, float, float]:
    """The closed run, its wall time in seconds, and how busy the machine's cores were meanwhile."""
    dst_users = [f"benchdst-{uuid.uuid4().hex[:6]}" for _ in sources]
    task_id = make_task(res, src, dst, list(zip(sources, dst_users, strict=True)))
    env = {
        **os.environ,
        "DATABASE_URL": res.settings.database_url,
        "REDIS_URL": res.settings.redis_url,
        "BROKER_URL": res.settings.broker_url or "",
        "LOG_LEVEL": "WARNING",
    }
    procs = start_workers(workers, env, Path("/tmp"))
    client = dispatch.make_client(res.settings)
    try:
        wait_ready(client, workers)
        started, (busy0, total0) = time.perf_counter(), cpu_times()
        with Session(res.engine) as session, session.begin():
            claimed = runs.claim_manual_run(session, task_id, utcnow())
        dispatch.launch(client, res, claimed)
        while True:
            with Session(res.engine) as session:
                run = session.get_one(Run, claimed.run_id)
            if run.finished_at is not None:
                busy1, total1 = cpu_times()
                return run, time.perf_counter() - started, (busy1 - busy0) / (total1 - total0)
            time.sleep(0.1)
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=30)
        for user in dst_users:
            dst.reset_user(user)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=8)
    parser.add_argument("--messages", type=int, default=400)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    engine = bench_engine(DB_NAME)
    settings = get_settings().model_copy(
        update={
            "database_url": engine.url.render_as_string(hide_password=False),
            "redis_url": _redis(12),
            "broker_url": _redis(13),
        }
    )
    res = Resources.from_settings(settings)
    src, dst = DovecotPair("bench").start()
    sources = [f"benchsrc-{uuid.uuid4().hex[:6]}" for _ in range(args.accounts)]
    for user in sources:
        corpus.load_corpus(src, user, corpus.generate("bench", count=args.messages))
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    header = (
        "round",
        "workers",
        "accounts",
        "messages",
        "MB",
        "errors",
        "wall s",
        "msg/s",
        "MB/s",
        "CPU busy",
    )
    print(" ".join(f"{h:>8}" for h in header))
    walls: dict[int, list[float]] = {count: [] for count in args.workers}
    try:
        for round_ in range(1, args.rounds + 1):  # alternate, so that load from elsewhere hits both
            for count in args.workers:
                run, wall, busy = one_run(res, count, src, dst, sources)
                walls[count].append(wall)
                mb = run.total_bytes / 1e6
                rate = f"{run.total_copied / wall:.0f}"
                cells = (round_, count, args.accounts, run.total_copied, f"{mb:.1f}", run.total_errors,
                         f"{wall:.2f}", rate, f"{mb / wall:.1f}", f"{busy:.0%}")  # fmt: skip
                print(" ".join(f"{c:>8}" for c in cells))
    finally:
        for user in sources:
            src.reset_user(user)
        engine.dispose()
    base = statistics.median(walls[args.workers[0]])
    for count, samples in walls.items():
        wall = statistics.median(samples)
        rate = args.accounts * args.messages / wall
        print(f"{count} worker(s): median wall {wall:.2f} s, {rate:.0f} msg/s, speedup {base / wall:.2f}x")


if __name__ == "__main__":
    main()
