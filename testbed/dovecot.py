"""Two local Dovecot IMAP servers (source + destination) on 127.0.0.1 for tests, demo and bench.

The source looks like Exchange (separator `/`, no prefix, "Sent Items", ...); the
destination like a classic Courier/Dovecot host (separator `.`, prefix `INBOX.`,
"Sent", "Trash", ...) with a message size limit, so that folder translation,
special-use mapping and refused messages are all exercised.

Usage: `python -m testbed.dovecot start|stop|status|restart [src|dst] [--profile test] [--dir D]`.
Files live in `<repo>/.data/imap-<profile>/` (src/, dst/, tls/ca.pem); `--dir` (or the
`base_dir` argument) names that profile directory itself, while the environment variable
IMAPCOPIER_IMAP_DIR replaces `<repo>/.data` as the parent of all `imap-<profile>` dirs.
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import logging
import os
import shutil
import signal
import socket
import ssl
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from imapclient import IMAPClient

from testbed.dovecot_config import (
    DST_MAX_MAIL_SIZE,
    DST_SPECIAL,
    HOST,
    MAIL_USER,
    PASSWORD,
    SMALL_MAX_MAIL_SIZE,
    SMALL_USER_PREFIX,
    SRC_SPECIAL,
    InstanceLayout,
    oauth2_args,
    process_alive,
    render,
)
from testbed.tls import ensure_tls

logger = logging.getLogger(__name__)

__all__ = [
    "DST_MAX_MAIL_SIZE",
    "PASSWORD",
    "PROFILES",
    "SMALL_MAX_MAIL_SIZE",
    "SMALL_USER_PREFIX",
    "DovecotPair",
    "ImapServer",
    "ensure_mail_user",
    "free_ports",
]


DOVECOT = "/usr/sbin/dovecot"
REPO_ROOT = Path(__file__).resolve().parents[1]
ENV_DIR = "IMAPCOPIER_IMAP_DIR"
# (src plain, src tls, dst plain, dst tls) per profile.
# IMAPCOPIER_IMAP_PORT_OFFSET shifts every profile's ports, so that two checkouts on one machine
# can run their test servers side by side.
_OFFSET = int(os.environ.get("IMAPCOPIER_IMAP_PORT_OFFSET", "0"))
PROFILES: dict[str, tuple[int, int, int, int]] = {
    name: (ports[0] + _OFFSET, ports[1] + _OFFSET, ports[2] + _OFFSET, ports[3] + _OFFSET)
    for name, ports in {
        "test": (14143, 14993, 15143, 15993),
        "demo": (24143, 24993, 25143, 25993),
        "bench": (34143, 34993, 35143, 35993),
        # Destination imitating providers' capability sets (see PROVIDER_ADDRESSES): WAN tests, bench.
        "wan": (44143, 44993, 45143, 45993),
    }.items()
}
_START_TIMEOUT = 15.0
_STOP_TIMEOUT = 15.0
_SYSTEM_DH = Path("/usr/share/dovecot/dh.pem")

Which = Literal["src", "dst"]
TlsMode = Literal["plain", "starttls", "ssl"]


@dataclass(frozen=True)
class ImapServer:
    """One running Dovecot instance, as a client sees it."""

    name: str
    host: str
    port_plain: int
    port_ssl: int
    ca_file: Path
    password: str
    separator: str
    prefix: str
    home_root: Path
    special_use: Mapping[str, str] = field(default_factory=dict, hash=False)
    max_mail_size: int | None = None

    def mailbox_name(self, logical: str) -> str:
        """Server folder name for a logical `/`-separated name (INBOX stays INBOX)."""
        if logical.upper() == "INBOX":
            return "INBOX"
        return self.prefix + logical.replace("/", self.separator)

    def logical_name(self, mailbox: str) -> str:
        """Inverse of mailbox_name: strip the prefix and use `/` as separator."""
        if mailbox.upper() == "INBOX":
            return "INBOX"
        if self.prefix and mailbox.startswith(self.prefix):
            mailbox = mailbox[len(self.prefix) :]
        return mailbox.replace(self.separator, "/")

    def ssl_context(self) -> ssl.SSLContext:
        """A client context that trusts only this test bed's CA."""
        return ssl.create_default_context(cafile=str(self.ca_file))

    def connect(self, username: str, mode: TlsMode = "plain", timeout: float = 30.0) -> IMAPClient:
        """Log in as `username` with the shared test password and return the client."""
        if mode == "ssl":
            client = IMAPClient(
                self.host, self.port_ssl, ssl=True, ssl_context=self.ssl_context(), timeout=timeout
            )
        else:
            client = IMAPClient(self.host, self.port_plain, ssl=False, timeout=timeout)
            if mode == "starttls":
                client.starttls(self.ssl_context())
        client.login(username, self.password)
        return client

    def add_user(self, username: str) -> None:
        """Make `username` able to log in: Dovecot's test passdb takes any name, so nothing to do."""

    def reset_user(self, username: str) -> None:
        """Delete all of that user's mail (their home directory)."""
        if not username or "/" in username or username.startswith("."):
            raise ValueError(f"unsafe username {username!r}")
        shutil.rmtree(self.home_root / username, ignore_errors=True)


def ensure_mail_user() -> None:
    """Create the unprivileged system user that owns the mail (Dovecot refuses root)."""
    if _uid(MAIL_USER) is not None:
        return
    subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", MAIL_USER],
        check=True,
        capture_output=True,
    )
    logger.info("devservers.user_created user=%s", MAIL_USER)


def _uid(user: str) -> int | None:
    import pwd

    try:
        return pwd.getpwnam(user).pw_uid
    except KeyError:
        return None


def free_ports(count: int = 4) -> tuple[int, ...]:
    """Ports free on 127.0.0.1 right now, for a private pair (`DovecotPair(ports=...)`)."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind((HOST, 0))
        return tuple(sock.getsockname()[1] for sock in sockets)
    finally:
        for sock in sockets:
            sock.close()


def data_root() -> Path:
    """Where the Dovecot instances keep their mail: `<repo>/.data`, or IMAPCOPIER_IMAP_DIR.

    The mail processes run as an unprivileged user that must traverse every parent folder. A clone
    under a private home (mode 700) does not allow that, so the data then goes to a per-checkout
    folder under /var/tmp instead (scripts/services.sh does the same for PostgreSQL).
    """
    if parent := os.environ.get(ENV_DIR):
        return Path(parent)
    local = REPO_ROOT / ".data"
    if all(folder.stat().st_mode & stat.S_IXOTH for folder in local.parents if folder.exists()):
        return local
    digest = hashlib.sha1(str(REPO_ROOT).encode()).hexdigest()[:10]
    return Path("/var/tmp") / f"imapcopier-{digest}"


def _default_dir(profile: str) -> Path:
    return data_root() / f"imap-{profile}"


class DovecotPair:
    """Starts, stops and describes the source + destination Dovecot instances of one profile."""

    def __init__(
        self,
        profile: str = "test",
        base_dir: Path | None = None,
        ports: tuple[int, int, int, int] | None = None,
        introspection_url: str | None = None,
    ) -> None:
        """`ports` (src plain, src TLS, dst plain, dst TLS) overrides the profile's, for private pairs;
        `introspection_url` adds the oauth2 passdb (XOAUTH2/OAUTHBEARER) against that identity provider."""
        self.introspection_url = introspection_url
        if profile not in PROFILES:
            raise ValueError(f"unknown profile {profile!r}; choose from {sorted(PROFILES)}")
        self.profile = profile
        self.root = (base_dir or _default_dir(profile)).resolve()
        src_plain, src_ssl, dst_plain, dst_ssl = ports or PROFILES[profile]
        self.layouts: dict[Which, InstanceLayout] = {
            "src": InstanceLayout("src", self.root / "src", src_plain, src_ssl, "/", ""),
            "dst": InstanceLayout("dst", self.root / "dst", dst_plain, dst_ssl, ".", "INBOX."),
        }

    @property
    def ca_file(self) -> Path:
        return self.root / "tls" / "ca.pem"

    def servers(self) -> tuple[ImapServer, ImapServer]:
        """Describe both instances (whether running or not)."""
        return self.server("src"), self.server("dst")

    def server(self, which: Which) -> ImapServer:
        layout = self.layouts[which]
        is_dst = which == "dst"
        return ImapServer(
            name=which,
            host=HOST,
            port_plain=layout.port_plain,
            port_ssl=layout.port_ssl,
            ca_file=self.ca_file,
            password=PASSWORD,
            separator=layout.separator,
            prefix=layout.prefix,
            home_root=layout.home_root,
            special_use=dict(DST_SPECIAL if is_dst else SRC_SPECIAL),
            max_mail_size=DST_MAX_MAIL_SIZE if is_dst else None,
        )

    def start(self) -> tuple[ImapServer, ImapServer]:
        """Start both instances, reusing any already running; wait until both answer."""
        with self._lock():
            ensure_mail_user()
            ensure_tls(self.root / "tls")
            for which in self.layouts:
                self._start_one(which)
        return self.servers()

    def stop(self) -> None:
        """Stop both instances (by the PID in their pid files) and wait for them to exit."""
        with self._lock():
            self._stop_many(list(self.layouts))

    def restart(self, which: Which) -> None:
        """Stop and start one instance, e.g. to drop connections mid-copy in fault tests."""
        with self._lock():
            self._stop_one(which)
            self._start_one(which)

    def status(self) -> dict[str, bool]:
        return {which: self._running(layout) for which, layout in self.layouts.items()}

    @contextmanager
    def _lock(self) -> Iterator[None]:
        # Serialises parallel pytest workers / CLI calls on the same profile dir.
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _running(self, layout: InstanceLayout) -> bool:
        return layout.master_pid() is not None and layout.answers()

    def _dh_path(self) -> Path:
        if _SYSTEM_DH.exists():
            return _SYSTEM_DH
        path = self.root / "tls" / "dh.pem"
        if not path.exists():
            subprocess.run(
                ["openssl", "dhparam", "-dsaparam", "-out", str(path), "2048"],
                check=True,
                capture_output=True,
            )
        return path

    def _prepare(self, layout: InstanceLayout) -> bool:
        """Write the config and directories; return True when the config text changed."""
        for path in (layout.root, layout.state_dir, layout.home_root):
            path.mkdir(parents=True, exist_ok=True)
        shutil.chown(layout.home_root, MAIL_USER, MAIL_USER)
        oauth2_path = None
        if self.introspection_url:
            oauth2_path = layout.root / "dovecot-oauth2.conf.ext"
            oauth2_path.write_text(oauth2_args(self.introspection_url))
        instance = f"{self.profile}-{layout.name}"
        text = render(
            layout, self.root / "tls", self._dh_path(), instance, oauth2_path, providers=self.profile == "wan"
        )
        old = layout.config_path.read_text() if layout.config_path.exists() else None
        if old != text:
            layout.config_path.write_text(text)
        return old != text

    def _start_one(self, which: Which) -> None:
        layout = self.layouts[which]
        changed = self._prepare(layout)
        if self._running(layout):
            if not changed:
                return
            self._stop_one(which)
        if layout.master_pid() is not None:
            self._stop_one(which)  # master alive but not answering: start afresh
        (layout.base_dir / "anvil-auth-penalty").unlink(missing_ok=True)
        with tempfile.TemporaryFile() as err:
            # Dovecot daemonizes; a file (not a pipe) for stderr so we never wait on the daemon.
            proc = subprocess.run(
                [DOVECOT, "-c", str(layout.config_path)], stdin=subprocess.DEVNULL, stdout=err, stderr=err
            )
            err.seek(0)
            output = err.read().decode(errors="replace")
        if proc.returncode != 0:
            raise RuntimeError(f"dovecot {which} failed to start: {output.strip()}")
        self._wait(layout, up=True)
        logger.info("devservers.started which=%s port=%s", which, layout.port_plain)

    def _stop_one(self, which: Which) -> None:
        self._stop_many([which])

    def _stop_many(self, which: list[Which]) -> None:
        """SIGTERM every master first, then wait: both shut down in parallel (~1 s)."""
        pids = {w: pid for w in which if (pid := self.layouts[w].master_pid()) is not None}
        for pid in pids.values():
            os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + _STOP_TIMEOUT
        while any(process_alive(pid) for pid in pids.values()) and time.monotonic() < deadline:
            time.sleep(0.02)
        for w, pid in pids.items():
            if process_alive(pid):
                os.kill(pid, signal.SIGKILL)
            self._wait(self.layouts[w], up=False)
            logger.info("devservers.stopped which=%s pid=%s", w, pid)

    def _wait(self, layout: InstanceLayout, up: bool) -> None:
        deadline = time.monotonic() + _START_TIMEOUT
        while time.monotonic() < deadline:
            if layout.answers() == up:
                return
            time.sleep(0.02)
        raise RuntimeError(
            f"dovecot {layout.name} on port {layout.port_plain} did not {'start' if up else 'stop'}; "
            f"see {layout.log_path}"
        )


def _describe(pair: DovecotPair) -> str:
    lines = [f"profile {pair.profile} in {pair.root}", f"CA file: {pair.ca_file}"]
    status = pair.status()
    for server in pair.servers():
        state = "running" if status[server.name] else "stopped"
        lines.append(
            f"{server.name}: {state} {server.host} plain/STARTTLS {server.port_plain}, "
            f"TLS {server.port_ssl}, separator {server.separator!r}, prefix {server.prefix!r}"
        )
    lines.append(f"password: {PASSWORD} (any username)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m testbed.dovecot", description=__doc__)
    parser.add_argument("command", choices=["start", "stop", "status", "restart"])
    parser.add_argument("which", nargs="?", choices=["src", "dst"], help="restart only this one")
    parser.add_argument("--profile", default="test", choices=sorted(PROFILES))
    parser.add_argument("--dir", type=Path, default=None, help=f"profile directory (default ${ENV_DIR})")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    pair = DovecotPair(args.profile, args.dir)
    if args.command == "start":
        pair.start()
    elif args.command == "stop":
        pair.stop()
    elif args.command == "restart":
        targets: list[Which] = [args.which] if args.which else ["src", "dst"]
        for which in targets:
            pair.restart(which)
    print(_describe(pair))
    if args.command == "status":
        return 0 if all(pair.status().values()) else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
