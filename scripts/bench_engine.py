"""Engine benchmark on the loopback Dovecot pair (profile "bench"): prints a table.

    .venv/bin/python scripts/bench_engine.py [--messages N]

Phases, each in its own process so peak RSS is that phase's alone:
  ceiling-single   FETCH in batches + one APPEND per message into an empty destination, no dedup/state
  ceiling-multi    FETCH in batches + MULTIAPPEND batches of 50 (RFC 3502), no dedup/state
  engine-full      `copy_mailbox` into an empty destination (state in a JSON file)
  engine-1-lane    the same with `parallel_folders=1` (one connection pair), into another destination
  engine-nochange  the same again: nothing new
  engine-delta     after 50 new messages are appended to the source
Then `compare_mailbox` checks zero missing / zero duplicated.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from testbed import corpus  # noqa: E402
from testbed.dovecot import DovecotPair, ImapServer  # noqa: E402

BATCH_BYTES = 8 * 1024 * 1024


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _folders(client: object) -> list[str]:
    return [name for _flags, _sep, name in client.list_folders()]  # type: ignore[attr-defined]


def ceiling(src: ImapServer, dst: ImapServer, src_user: str, dst_user: str, multi: bool) -> dict[str, float]:
    s = src.connect(src_user)
    d = dst.connect(dst_user)
    started = time.perf_counter()
    count = nbytes = 0
    for folder in _folders(s):
        target = dst.mailbox_name(src.logical_name(folder))
        if target != "INBOX":
            d.create_folder(target)
        s.select_folder(folder, readonly=True)
        sizes = s.fetch(s.search("ALL"), ["RFC822.SIZE"])
        batch: list[int] = []
        batch_bytes = 0
        uids = sorted(sizes)
        for i, uid in enumerate(uids):
            batch.append(uid)
            batch_bytes += sizes[uid][b"RFC822.SIZE"]
            if batch_bytes < BATCH_BYTES and len(batch) < 50 and i + 1 < len(uids):
                continue
            data = s.fetch(batch, ["BODY.PEEK[]", "FLAGS", "INTERNALDATE"])
            msgs = [
                {
                    "msg": data[u][b"BODY[]"],
                    "flags": [f for f in data[u][b"FLAGS"] if f != b"\\Recent"],
                    "date": data[u][b"INTERNALDATE"],
                }
                for u in batch
            ]
            if multi:
                d.multiappend(target, msgs)
            else:
                for m in msgs:
                    d.append(target, m["msg"], m["flags"], m["date"])
            count += len(msgs)
            nbytes += sum(len(m["msg"]) for m in msgs)
            batch, batch_bytes = [], 0
    seconds = time.perf_counter() - started
    s.logout()
    d.logout()
    return {"seconds": seconds, "messages": count, "bytes": nbytes, "rss_mb": _rss_mb()}


def engine_pass(
    src: ImapServer, dst: ImapServer, src_user: str, dst_user: str, state_path: Path, lanes: int
) -> dict[str, float]:
    from workers.engine.copier import copy_mailbox
    from workers.engine.imap import ImapEndpoint
    from workers.engine.options import CopyOptions
    from workers.engine.state_file import JsonFileState

    def endpoint(server: ImapServer, user: str) -> ImapEndpoint:
        return ImapEndpoint(
            host=server.host,
            port=server.port_plain,
            tls_mode="plain",
            username=user,
            password=server.password,
        )

    with JsonFileState(state_path) as state:
        started = time.perf_counter()
        options = CopyOptions(parallel_folders=lanes)
        result = copy_mailbox(endpoint(src, src_user), endpoint(dst, dst_user), options, state=state)
        seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "messages": result.copied,
        "skipped": result.skipped,
        "errors": result.errors,
        "bytes": result.bytes,
        "rss_mb": _rss_mb(),
        "status": result.status,
    }


def compare(src: ImapServer, dst: ImapServer, src_user: str, dst_user: str) -> dict[str, float]:
    from workers.engine.copier import compare_mailbox
    from workers.engine.imap import ImapEndpoint

    comparison = compare_mailbox(
        ImapEndpoint(
            host=src.host, port=src.port_plain, tls_mode="plain", username=src_user, password=src.password
        ),
        ImapEndpoint(
            host=dst.host, port=dst.port_plain, tls_mode="plain", username=dst_user, password=dst.password
        ),
    )
    missing = sum(f.missing for f in comparison.folders)
    duplicated = sum(f.duplicated for f in comparison.folders)
    return {"missing": missing, "duplicated": duplicated}


def child(args: argparse.Namespace) -> None:
    src, dst = DovecotPair("bench").servers()
    if args.phase == "ceiling-single":
        out = ceiling(src, dst, args.src_user, args.dst_user, multi=False)
    elif args.phase == "ceiling-multi":
        out = ceiling(src, dst, args.src_user, args.dst_user, multi=True)
    elif args.phase == "engine":
        out = engine_pass(src, dst, args.src_user, args.dst_user, Path(args.state), int(args.lanes))
    else:
        out = compare(src, dst, args.src_user, args.dst_user)
    print(json.dumps(out))


def run_phase(phase: str, **kw: str) -> dict[str, float]:
    cmd = [sys.executable, __file__, "--phase", phase] + [
        f"--{k.replace('_', '-')}={v}" for k, v in kw.items()
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--phase")
    parser.add_argument("--src-user")
    parser.add_argument("--dst-user")
    parser.add_argument("--state")
    parser.add_argument("--lanes", default="2")
    parser.add_argument("--messages", type=int, default=None, help="corpus size (default: the bench profile)")
    args = parser.parse_args()
    if args.phase:
        child(args)
        return

    pair = DovecotPair("bench")
    src, dst = pair.start()
    load_before = _load()
    tag = uuid.uuid4().hex[:6]
    src_user = f"bench-{tag}"
    started = time.perf_counter()
    stats = corpus.load_corpus(src, src_user, corpus.generate("bench", count=args.messages))
    print(f"loaded source corpus: {stats} in {time.perf_counter() - started:.1f} s", flush=True)
    state = ROOT / ".bench" / f"state-{tag}.json"
    rows: list[tuple[str, dict[str, float]]] = []
    rows.append(
        ("ceiling: FETCH + APPEND each", run_phase("ceiling-single", src_user=src_user, dst_user=f"c1-{tag}"))
    )
    rows.append(
        (
            "ceiling: FETCH + MULTIAPPEND 50",
            run_phase("ceiling-multi", src_user=src_user, dst_user=f"c2-{tag}"),
        )
    )
    engine_user = f"eng-{tag}"
    kw = {"src_user": src_user, "dst_user": engine_user, "state": str(state)}
    rows.append(("engine: full copy", run_phase("engine", **kw)))
    one_lane = {"src_user": src_user, "dst_user": f"e1-{tag}", "state": str(state) + ".1", "lanes": "1"}
    rows.append(("engine: full copy, 1 lane", run_phase("engine", **one_lane)))
    rows.append(("engine: no-change pass", run_phase("engine", **kw)))
    corpus.load_corpus(src, src_user, corpus.new_messages(50, seed=7, folders=("INBOX", "Projects")))
    rows.append(("engine: +50 messages", run_phase("engine", **kw)))
    check = run_phase("compare", src_user=src_user, dst_user=engine_user)
    # Each run writes some 600 MB of mail: leave the shared disk as we found it.
    src.reset_user(src_user)
    for user in (f"c1-{tag}", f"c2-{tag}", engine_user, f"e1-{tag}"):
        dst.reset_user(user)
    for path in state.parent.glob(f"state-{tag}.json*"):
        path.unlink()

    print()
    print(f"{'phase':34} {'seconds':>8} {'msgs':>6} {'msg/s':>8} {'MB/s':>7} {'peak RSS MB':>11}")
    for name, r in rows:
        secs = r["seconds"]
        mb = r.get("bytes", 0) / 1e6
        print(
            f"{name:34} {secs:8.3f} {int(r['messages']):6d} {r['messages'] / secs:8.0f} {mb / secs:7.1f} "
            f"{r['rss_mb']:11.0f}"
        )
    full, single, multi, nochange = rows[2][1], rows[0][1], rows[1][1], rows[4][1]
    print()
    print(f"full copy vs plain ceiling:        {full['seconds'] / single['seconds']:.2f}x (target <= 1.25x)")
    print(f"full copy vs MULTIAPPEND ceiling:  {full['seconds'] / multi['seconds']:.2f}x (target <= 1.5x)")
    print(f"no-change pass speed-up:           {full['seconds'] / nochange['seconds']:.0f}x (target >= 20x)")
    print(f"verify: missing={int(check['missing'])} duplicated={int(check['duplicated'])}")
    print(f"full copy, 2 lanes vs 1 lane:      {full['seconds'] / rows[3][1]['seconds']:.2f}x")
    print(f"load average: {load_before} before, {_load()} after, {os.cpu_count()} CPUs")
    print("(on a shared machine the load skews every figure: compare rows of the same run)")


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


if __name__ == "__main__":
    main()
