#!/usr/bin/env bash
# Everything `make run` and `make test` need on a fresh Debian machine, idempotent:
# system packages, the virtualenv, the front-end build, local services and a local .env.
#   scripts/bootstrap.sh            all of it
#   SKIP_FRONTEND=1 scripts/bootstrap.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

bash scripts/install-system.sh

# Python: a project-local virtualenv; reinstall only when pyproject.toml changed.
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
stamp=.venv/.installed-$(sha1sum pyproject.toml | cut -c1-12)
if [ ! -f "$stamp" ]; then
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q -e '.[dev]'
  rm -f .venv/.installed-*
  touch "$stamp"
fi

# Front end: npm ci when the lock file changed, then build (served by the web process at /).
if [ -f frontend/package.json ] && [ -z "${SKIP_FRONTEND:-}" ]; then
  fstamp=frontend/node_modules/.installed-$(sha1sum frontend/package-lock.json | cut -c1-12)
  if [ ! -f "$fstamp" ]; then
    (cd frontend && npm ci --no-audit --no-fund --loglevel=error)
    touch "$fstamp"
  fi
  if [ ! -f frontend/dist/index.html ] || [ -n "$(find frontend/src frontend/index.html frontend/package.json -newer frontend/dist/index.html 2>/dev/null | head -1)" ]; then
    (cd frontend && npm run -s build)
  fi
fi

# .env: generated secrets on first run (git-ignored, mode 600); local services when none configured.
touch .env
chmod 600 .env
env_has() { grep -q "^$1=" .env; }
if ! env_has SECRET_KEY && [ -z "${SECRET_KEY:-}" ]; then
  echo "SECRET_KEY=$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(48))')" >> .env
fi
if ! env_has CREDENTIALS_KEY && [ -z "${CREDENTIALS_KEY:-}" ]; then
  echo "CREDENTIALS_KEY=$(.venv/bin/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')" >> .env
fi
if ! env_has FLOWER_BASIC_AUTH && [ -z "${FLOWER_BASIC_AUTH:-}" ]; then
  echo "FLOWER_BASIC_AUTH=admin:$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(24))')" >> .env
fi
# A DATABASE_URL / REDIS_URL from the environment or .env wins; the local services (scripts/services.sh)
# are started and written into .env only when none is configured or .env already points at them.
env_get() { grep "^$1=" .env | tail -n 1 | cut -d= -f2- || true; }
db_url=${DATABASE_URL:-$(env_get DATABASE_URL)}
redis_url=${REDIS_URL:-$(env_get REDIS_URL)}
local_pg=${IMAPCOPIER_PG_PORT:-54329}
local_redis=${IMAPCOPIER_REDIS_PORT:-63790}
if [ -z "$db_url" ] || [[ "$db_url" == *"@127.0.0.1:$local_pg/"* ]] || [ -z "$redis_url" ] || [[ "$redis_url" == *"127.0.0.1:$local_redis"* ]]; then
  urls=$(bash scripts/services.sh up)
  if [ -z "$db_url" ] || [[ "$db_url" == *"@127.0.0.1:$local_pg/"* ]]; then
    grep -v '^DATABASE_URL=' .env > .env.tmp || true; mv .env.tmp .env; chmod 600 .env
    echo "$urls" | grep '^DATABASE_URL=' >> .env
  fi
  if [ -z "$redis_url" ]; then
    echo "$urls" | grep '^REDIS_URL=' >> .env
  fi
fi
