#!/usr/bin/env bash
# Start/stop/inspect the local Dovecot pair: scripts/imap-servers.sh start|stop|status|restart [profile]
# Profiles: test (default), demo, bench. See testbed/dovecot.py.
set -euo pipefail
cd "$(dirname "$0")/.."
cmd="${1:-status}"
profile="${2:-test}"
exec .venv/bin/python -m testbed.dovecot "$cmd" --profile "$profile"
