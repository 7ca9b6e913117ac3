#!/usr/bin/env bash
# `make bench`: engine, scheduler-scan and run-throughput benchmarks on loopback, then the engine
# over a 50 ms link to Exchange-like and Gmail-like destinations (with mbsync); prints tables.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
SKIP_FRONTEND=1 bash scripts/bootstrap.sh
set -a; . ./.env; set +a
echo "== engine (Dovecot pair on 127.0.0.1, profile bench)"
.venv/bin/python scripts/bench_engine.py "$@"
echo; echo "== engine over 50 ms (profile wan, providers imitated; see docs/performance.md)"
.venv/bin/python scripts/bench_wan.py
for b in bench_scan bench_run; do
  if [ -f "scripts/$b.py" ]; then
    echo; echo "== $b"
    .venv/bin/python "scripts/$b.py"
  fi
done
