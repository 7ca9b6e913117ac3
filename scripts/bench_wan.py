"""WAN benchmark: the engine against destinations imitating Exchange Online and Gmail over 50 ms.

    .venv/bin/python scripts/bench_wan.py [--messages 400] [--delay 0.025] [--lanes 1,2,4]

The "wan" Dovecot pair; a delaying fault proxy in front of each server (`delay` each way, so a
50 ms round trip to each side), the destination's proxy connecting from the provider's loopback
address (its capability set) and enforcing it (no MULTIAPPEND; LITERAL- up to 4,096 bytes for Gmail).
Printed, per profile: the two ceilings (one APPEND at a time; APPENDs pipelined per batch of 50 on
one connection), the engine's full copy, no-change pass (the CLI, start-up included) and +50 pass at
each lane count, mbsync (Exchange profile) and a Gmail full copy over a 20 Mbit/s link with and
without COMPRESS=DEFLATE. Each measured
command runs in its own process; the proxies run in this one. See docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from testbed import corpus  # noqa: E402
from testbed.dovecot import DovecotPair  # noqa: E402
from testbed.dovecot_config import PROVIDER_ADDRESSES  # noqa: E402
from testbed.faultproxy import FaultProxy  # noqa: E402
from testbed.imap_rules import OFFERS  # noqa: E402

BATCH = 50
MBIT = 1_000_000 / 8


def _endpoint(port: int, user: str) -> Any:
    from workers.engine.imap import ImapEndpoint

    return ImapEndpoint("127.0.0.1", port, "plain", user, "secret", timeout=60.0)


def ceiling(src_port: int, dst_port: int, src_user: str, dst_user: str, pipelined: bool) -> dict[str, Any]:
    """FETCH batches of 50 + one APPEND at a time, or the batch's APPENDs pipelined; no dedup, no state."""
    from workers.engine.fetcher import fetch_bodies, iter_meta
    from workers.engine.pipeline import append_pipelined
    from workers.engine.session import ImapSession

    started = time.perf_counter()
    src, dst = ImapSession(_endpoint(src_port, src_user)), ImapSession(_endpoint(dst_port, dst_user))
    count = nbytes = 0
    for _flags, _sep, folder in src.client.list_folders():
        target = "INBOX" if folder == "INBOX" else "INBOX." + folder.replace("/", ".")
        if target != "INBOX":
            dst.create_folder(target)
        src.select(folder, readonly=True)
        metas = list(iter_meta(src, src.search_uids(["ALL"]), with_identity=False))
        for start in range(0, len(metas), BATCH):
            messages = fetch_bodies(src, metas[start : start + BATCH])
            if pipelined:
                append_pipelined(dst, target, messages)
            else:
                for message in messages:
                    dst.append(target, message)
            count += len(messages)
            nbytes += sum(len(m.body) for m in messages)
    src.close()
    dst.close()
    return {"seconds": time.perf_counter() - started, "messages": count, "bytes": nbytes}


def engine(
    src_port: int, dst_port: int, src_user: str, dst_user: str, state: str, lanes: int, compress: bool = False
) -> dict[str, Any]:
    from workers.engine.copier import copy_mailbox
    from workers.engine.options import CopyOptions
    from workers.engine.state_file import JsonFileState

    started = time.perf_counter()
    with JsonFileState(Path(state)) as store:
        options = CopyOptions(parallel_folders=lanes, compress=compress)
        result = copy_mailbox(
            _endpoint(src_port, src_user), _endpoint(dst_port, dst_user), options, state=store
        )
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "messages": result.copied, "bytes": result.bytes, "errors": result.errors}


def cli_pass(src_port: int, dst_port: int, src_user: str, dst_user: str, state: str) -> dict[str, Any]:
    env = {**os.environ, "IMAPCOPIER_SRC_PASSWORD": "secret", "IMAPCOPIER_DST_PASSWORD": "secret"}
    command = [
        str(ROOT / ".venv" / "bin" / "imapcopier"),
        "copy",
        f"--src=imap+plain://{src_user}@127.0.0.1:{src_port}",
        f"--dst=imap+plain://{dst_user}@127.0.0.1:{dst_port}",
        f"--state-file={state}",
        "--json",
    ]
    started = time.perf_counter()
    out = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    result = json.loads(out.stdout) if out.stdout.strip().startswith("{") else {}
    return {
        "seconds": seconds,
        "messages": result.get("copied", 0),
        "bytes": 0,
        "errors": result.get("errors"),
    }


def mbsync(src_port: int, dst_port: int, src_user: str, dst_user: str, workdir: Path) -> dict[str, Any]:
    """mbsync 1.4 pushing every source folder to the destination (IMAP to IMAP)."""
    config = workdir / "mbsyncrc"
    (workdir / "sync").mkdir(exist_ok=True)
    # Only the source's folders: the destination's own special folders have no source side.
    from imapclient import IMAPClient

    client = IMAPClient("127.0.0.1", src_port, ssl=False)
    client.login(src_user, "secret")
    names = [name for _flags, _sep, name in client.list_folders()]
    client.logout()
    patterns = " ".join('"' + name.replace('"', "") + '"' for name in names)
    config.write_text(
        f"""IMAPAccount src
Host 127.0.0.1
Port {src_port}
User {src_user}
Pass secret
SSLType None
AuthMechs LOGIN

IMAPStore src
Account src

IMAPAccount dst
Host 127.0.0.1
Port {dst_port}
User {dst_user}
Pass secret
SSLType None
AuthMechs LOGIN

IMAPStore dst
Account dst
Path INBOX.

Channel copy
Far :src:
Near :dst:
Patterns {patterns}
Create Near
Sync Pull
SyncState {workdir}/sync/
"""
    )
    started = time.perf_counter()
    out = subprocess.run(
        ["mbsync", "-q", "-c", str(config), "copy"], capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "messages": 0,
        "bytes": 0,
        "errors": out.returncode,
        "stderr": out.stderr[-300:],
    }


def child(args: argparse.Namespace) -> None:
    kw = (int(args.src_port), int(args.dst_port), args.src_user, args.dst_user)
    if args.phase in ("ceiling-single", "ceiling-pipelined"):
        out = ceiling(*kw, pipelined=args.phase == "ceiling-pipelined")
    elif args.phase == "engine":
        out = engine(*kw, args.state, int(args.lanes), args.compress == "yes")
    elif args.phase == "cli":
        out = cli_pass(*kw, args.state)
    else:
        out = mbsync(*kw, Path(args.state))
    print(json.dumps(out))


def run_phase(phase: str, **kw: object) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--phase", phase] + [
        f"--{k.replace('_', '-')}={v}" for k, v in kw.items()
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def proxies(
    pair: DovecotPair, provider: str, delay: float, rate: float | None = None
) -> tuple[FaultProxy, FaultProxy]:
    src, dst = pair.servers()
    near = FaultProxy(src.port_plain, delay=delay, rate=rate)
    far = FaultProxy(
        dst.port_plain,
        delay=delay,
        rate=rate,
        offer=OFFERS[provider],
        source_address=PROVIDER_ADDRESSES[provider],
    )
    return near.__enter__(), far.__enter__()


def measure(
    pair: DovecotPair, src_user: str, args: argparse.Namespace, tag: str
) -> list[tuple[str, dict[str, Any]]]:
    rows: list[tuple[str, dict[str, Any]]] = []
    users: list[str] = []
    delta: list[tuple[str, int, dict[str, Any]]] = []
    state_dir = Path(tempfile.mkdtemp(prefix="bench-wan-"))

    def user(name: str) -> str:
        users.append(f"{name}-{tag}")
        return users[-1]

    for provider in ("exchange", "gmail"):
        near, far = proxies(pair, provider, args.delay)
        ports = {"src_port": near.port, "dst_port": far.port, "src_user": src_user}
        rows.append(
            (f"{provider}: one APPEND at a time", run_phase("ceiling-single", **ports, dst_user=user("c1")))
        )
        rows.append(
            (
                f"{provider}: pipelined per 50, 1 conn",
                run_phase("ceiling-pipelined", **ports, dst_user=user("c2")),
            )
        )
        for lanes in args.lanes:
            dst_user = user(f"e{lanes}{provider[0]}")
            state = str(state_dir / f"{dst_user}.json")
            kw = {**ports, "dst_user": dst_user, "state": state}
            rows.append(
                (f"{provider}: engine full, {lanes} conn/side", run_phase("engine", **kw, lanes=lanes))
            )
            rows.append((f"{provider}: CLI no-change, {lanes} conn/side", run_phase("cli", **kw)))
            delta.append((provider, lanes, kw))
        if provider == "exchange" and shutil.which("mbsync"):
            workdir = state_dir / f"mbsync-{provider}"
            workdir.mkdir()
            kw = {**ports, "dst_user": user("mb"), "state": str(workdir)}
            rows.append((f"{provider}: mbsync full", run_phase("mbsync", **kw)))
            rows.append((f"{provider}: mbsync no-change", run_phase("mbsync", **kw)))
        near.stop()
        far.stop()
    src, _dst = pair.servers()
    corpus.load_corpus(src, src_user, corpus.new_messages(50, seed=7, folders=("INBOX", "Projects")))
    for provider, lanes, kw in delta:
        near, far = proxies(pair, provider, args.delay)
        kw = {**kw, "src_port": near.port, "dst_port": far.port}
        rows.append((f"{provider}: engine +50, {lanes} conn/side", run_phase("engine", **kw, lanes=lanes)))
        near.stop()
        far.stop()
    for compress in ("no", "yes"):
        # Gmail offers COMPRESS=DEFLATE (and so does the plain source); Exchange does not.
        near, far = proxies(pair, "gmail", args.delay, rate=20 * MBIT)
        capped = {
            "src_port": near.port,
            "dst_port": far.port,
            "src_user": src_user,
            "dst_user": user(f"z{compress}"),
        }
        name = f"gmail: full, 20 Mbit/s, 4 conn, COMPRESS {compress}"
        state = str(state_dir / f"cap-{compress}.json")
        rows.append((name, run_phase("engine", **capped, state=state, lanes=4, compress=compress)))
        near.stop()
        far.stop()
    _, dst = pair.servers()
    for name in users:
        dst.reset_user(name)
    shutil.rmtree(state_dir, ignore_errors=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    for name in (
        "--phase",
        "--src-port",
        "--dst-port",
        "--src-user",
        "--dst-user",
        "--state",
        "--lanes",
        "--compress",
    ):
        parser.add_argument(name)
    parser.add_argument("--messages", type=int, default=400)
    parser.add_argument("--delay", type=float, default=0.025, help="seconds each way, on each side")
    args = parser.parse_args()
    if args.phase:
        child(args)
        return
    args.lanes = [int(n) for n in (args.lanes or "1,2,4").split(",")]
    pair = DovecotPair("wan")
    src, _dst = pair.start()
    tag = uuid.uuid4().hex[:6]
    src_user = f"wan-{tag}"
    stats = corpus.load_corpus(src, src_user, corpus.generate("bench", count=args.messages))
    print(f"source corpus: {stats}; round trip {2 * args.delay * 1000:.0f} ms to each server", flush=True)
    try:
        rows = measure(pair, src_user, args, tag)
    finally:
        src.reset_user(src_user)
    print()
    print(f"{'phase':44} {'seconds':>8} {'msgs':>5} {'MB/s':>6} {'errors':>6}")
    for name, r in rows:
        secs = r["seconds"]
        rate = r["bytes"] / 1e6 / secs
        print(f"{name:44} {secs:8.2f} {int(r['messages']):5d} {rate:6.1f} {r.get('errors')!s:>6}")
        if r.get("stderr"):
            print(f"    mbsync said: {r['stderr'].strip()[:200]}")
    load = " ".join(f"{v:.2f}" for v in os.getloadavg())
    print(f"load average after: {load} on {os.cpu_count()} CPUs (a shared machine skews every figure)")


if __name__ == "__main__":
    main()
