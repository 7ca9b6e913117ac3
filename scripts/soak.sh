#!/usr/bin/env bash
# `make soak`: the job-level fault suite and the load tests, 3 rounds (SOAK_ROUNDS=N to change), then
# the scan benchmark; prints one table. Every fault runs on a private PostgreSQL, Redis and Dovecot
# pair (tests/proof/stack.py): the shared services are never restarted. Extra args go to
# scripts/soak.py, e.g. `bash scripts/soak.sh --rounds 1 -k redis`.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
SKIP_FRONTEND=1 bash scripts/bootstrap.sh
set -a; . ./.env; set +a
export PYTHONUNBUFFERED=1
exec .venv/bin/python scripts/soak.py "$@"
