#!/usr/bin/env bash
# `make run`: install what is missing, start local services when none are configured, migrate,
# ensure the admin user, then start web + workers + beat + flower with honcho (Procfile).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
bash scripts/bootstrap.sh
set -a; . ./.env; set +a
.venv/bin/python -m app.manage migrate
.venv/bin/python -m app.manage ensure-admin
echo "IMAP Copier: http://${WEB_BIND:-127.0.0.1:5000}/  (Flower: http://127.0.0.1:${FLOWER_PORT:-5555}/)"
exec .venv/bin/honcho start -f Procfile ${IMAPCOPIER_PROCESSES:-}
