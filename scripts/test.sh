#!/usr/bin/env bash
# `make test`: the whole suite against real services started by the project's own scripts:
# lint + types (Python and front end), unit, API, IMAP engine (two Dovecot servers), jobs
# (real Celery workers), end-to-end (Chromium). Extra args go to pytest, e.g. `make test ARGS=-k copy`.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
bash scripts/bootstrap.sh
set -a; . ./.env; set +a
export PYTHONUNBUFFERED=1

echo "== lint: ruff, mypy"
.venv/bin/ruff check app workers cli testbed tests migrations scripts
.venv/bin/ruff format --check app workers cli testbed tests migrations scripts
.venv/bin/mypy
if [ -f frontend/package.json ]; then
  echo "== front end: tsc, lint, vitest"
  (cd frontend && npm run -s typecheck && npm run -s lint && npm run -s test)
fi
echo "== docker-compose.yml"
if [ -f docker-compose.yml ]; then
  docker-compose -f docker-compose.yml --env-file docker/example.env config -q
fi
echo "== pytest"
.venv/bin/pytest "$@"
