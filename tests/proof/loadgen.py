"""A small HTTP load generator: client threads, each with its own connection and a bearer token, send
GET requests for a fixed time and record every latency, per kind of request."""

from __future__ import annotations

import json
import math
import os
import random
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass

import requests

from tests.proof.fault_runs import REPORT_ENV


@dataclass(frozen=True)
class Figures:
    """Latencies of one kind of request (milliseconds) and what went wrong."""

    request: str
    clients: int
    requests: int
    errors: int
    per_second: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    first_error: str | None = None

    def write(self) -> None:
        """Append to the soak report, when one is being written."""
        path = os.environ.get(REPORT_ENV)
        if path:
            with open(path, "a") as out:
                out.write(json.dumps({"kind": "api", **asdict(self)}) + "\n")


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile (what a p99 means for a few thousand samples)."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


@dataclass
class _Tally:
    latencies: dict[str, list[float]]
    errors: dict[str, list[str]]
    lock: threading.Lock


def _client(
    base: str, token: str, targets: dict[str, list[str]], until: float, tally: _Tally, seed: int
) -> None:
    rng = random.Random(seed)
    kinds = sorted(targets)
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    turn = seed
    while time.monotonic() < until:
        kind = kinds[turn % len(kinds)]
        turn += 1
        path = rng.choice(targets[kind])
        started = time.perf_counter()
        try:
            response = session.get(base + path, timeout=30)
            error = None if response.status_code == 200 else f"{path}: HTTP {response.status_code}"
        except requests.RequestException as exc:
            error = f"{path}: {exc.__class__.__name__}"
        elapsed = (time.perf_counter() - started) * 1000
        with tally.lock:
            tally.latencies[kind].append(elapsed)
            if error:
                tally.errors[kind].append(error)
    session.close()


def hammer(
    base: str, token: str, targets: dict[str, list[str]], clients: int = 8, seconds: float = 10.0
) -> list[Figures]:
    """`clients` threads take turns over the kinds of `targets` (each a list of paths, one picked at
    random per request) for `seconds`; one Figures per kind."""
    tally = _Tally(defaultdict(list), defaultdict(list), threading.Lock())
    until = time.monotonic() + seconds
    with ThreadPoolExecutor(max_workers=clients) as pool:
        futures = [pool.submit(_client, base, token, targets, until, tally, seed) for seed in range(clients)]
        for future in futures:
            future.result()  # a bug in a client thread fails the measurement
    return [
        Figures(
            request=kind,
            clients=clients,
            requests=len(samples),
            errors=len(tally.errors[kind]),
            per_second=round(len(samples) / seconds, 1),
            p50_ms=round(percentile(samples, 0.50), 1),
            p99_ms=round(percentile(samples, 0.99), 1),
            max_ms=round(max(samples), 1),
            first_error=next(iter(tally.errors[kind]), None),
        )
        for kind, samples in sorted(tally.latencies.items())
    ]
