#!/usr/bin/env bash
# Install the Debian packages the project needs (idempotent). Runs as root on Debian 12/13.
# Packages: PostgreSQL, Redis, Dovecot (IMAP test/demo servers), Chromium (browser tests),
# docker-compose (validates docker-compose.yml without an engine), openssl, isync (mbsync: the peer
# copier `make bench` measures against).
set -euo pipefail

PKGS=(postgresql redis-server dovecot-imapd chromium docker-compose openssl make isync)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "install-system: missing packages ${missing[*]}; run as root or install them" >&2
  exit 1
fi
echo "install-system: installing ${missing[*]}"
# Installing dovecot-imapd / redis-server / postgresql would start system-wide daemons (Dovecot on
# 143/993). A temporary policy-rc.d that exits 101 stops invoke-rc.d from starting anything; our
# scripts start their own instances with their own configs and ports.
policy=/usr/sbin/policy-rc.d
had_policy=0
[ -e "$policy" ] && had_policy=1
if [ $had_policy -eq 0 ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy"
  chmod +x "$policy"
  trap 'rm -f "$policy"' EXIT
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
