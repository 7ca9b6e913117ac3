#!/usr/bin/env bash
# Install the Debian packages the project needs (idempotent). Runs as root on Debian 12/13.
# Packages: PostgreSQL, Redis, Dovecot (IMAP test/demo servers), Chromium (browser tests),
# docker-compose (validates docker-compose.yml without an engine), openssl, isync (mbsync: the peer
# copier `make bench` measures against), and the runtime libraries of Cyrus IMAP (the second test-bed server, see install_cyrus below).
set -euo pipefail

PKGS=(postgresql redis-server dovecot-imapd chromium docker-compose openssl make isync
      libpcre3 libxapian30 libical3 libsasl2-modules)
# Cyrus IMAP conflicts with dovecot-imapd as a package, so it is never installed: its .debs are
# downloaded and unpacked into a folder of the test bed (testbed/cyrus.py runs it from there).
CYRUS_DEBS=(cyrus-imapd cyrus-common sasl2-bin)
CYRUS_DIR=${IMAPCOPIER_CYRUS_DIR:-/var/tmp/imapcopier-cyrus}

install_cyrus() {
  [ -x "$CYRUS_DIR/root/usr/lib/cyrus/bin/master" ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    # Not fatal: only the Cyrus tests need it, and they say so.
    echo "install-system: Cyrus IMAP missing under $CYRUS_DIR; run this script as root to unpack it" >&2
    return 0
  fi
  echo "install-system: unpacking ${CYRUS_DEBS[*]} into $CYRUS_DIR"
  mkdir -p "$CYRUS_DIR/debs"
  (cd "$CYRUS_DIR/debs" && apt-get download -qq "${CYRUS_DEBS[@]}" 2>/dev/null \
    || { apt-get update -qq && apt-get download -qq "${CYRUS_DEBS[@]}"; })
  rm -rf "$CYRUS_DIR/root.tmp"
  for deb in "$CYRUS_DIR"/debs/*.deb; do dpkg-deb -x "$deb" "$CYRUS_DIR/root.tmp"; done
  rm -rf "$CYRUS_DIR/root"
  mv "$CYRUS_DIR/root.tmp" "$CYRUS_DIR/root"
}
install_cyrus

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
