"""A local Cyrus IMAP server (Debian's 3.6 binaries) on 127.0.0.1 for tests, beside the Dovecot pair.

Debian's cyrus-imapd conflicts with dovecot-imapd, so it is never installed: scripts/install-system.sh
unpacks its .debs into IMAPCOPIER_CYRUS_DIR (default /var/tmp/imapcopier-cyrus), and this module runs
`master` from there with its own imapd.conf/cyrus.conf, as the test bed's unprivileged mail user, on
a free port. Users live in a sasldb (`add_user`); their special-use folders are created at first
login. Namespace and separator are Cyrus's classic ones: `INBOX.` and `.`.

Usage: `python -m testbed.cyrus start|stop|status [--name NAME]`. Data: `<data root>/cyrus-<name>/`.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from imapclient import IMAPClient
from imapclient.imapclient import Quota

from testbed.cyrus_config import ADMIN, SPECIAL, render_cyrus, render_imapd
from testbed.dovecot import ImapServer, data_root, ensure_mail_user, free_ports
from testbed.dovecot_config import HOST, MAIL_USER, PASSWORD, process_alive

logger = logging.getLogger(__name__)

ENV_INSTALL = "IMAPCOPIER_CYRUS_DIR"
REPO_ROOT = Path(__file__).resolve().parents[1]
_TIMEOUT = 15.0


def install_dir() -> Path:
    return Path(os.environ.get(ENV_INSTALL, "/var/tmp/imapcopier-cyrus"))


def ensure_installed() -> Path:
    """The unpacked package tree (`.../root`), unpacking it first when missing (needs root)."""
    root = install_dir() / "root"
    if not (root / "usr/lib/cyrus/bin/master").exists():
        subprocess.run(["bash", str(REPO_ROOT / "scripts" / "install-system.sh")], check=True)
    if not (root / "usr/lib/cyrus/bin/master").exists():
        raise RuntimeError(f"Cyrus IMAP is not unpacked in {root}: run scripts/install-system.sh as root")
    return root


@dataclass(frozen=True)
class CyrusImapServer(ImapServer):
    """The Cyrus server as a client sees it: users must be added to its sasldb before they log in."""

    install_root: Path = Path()
    data_dir: Path = Path()

    def _env(self) -> dict[str, str]:
        return {**os.environ, "LD_LIBRARY_PATH": str(self.install_root / "usr/lib/x86_64-linux-gnu")}

    def _saslpasswd(self) -> str:
        return str(self.install_root / "usr/sbin/saslpasswd2")

    def add_user(self, username: str) -> None:
        """Put `username` with the shared test password into the sasldb."""
        subprocess.run(
            [
                self._saslpasswd(),
                *("-f", str(self.data_dir / "conf" / "sasldb2"), "-p", "-c", username),
            ],
            input=self.password.encode(),
            env=self._env(),
            user=MAIL_USER,
            group=MAIL_USER,
            extra_groups=[],  # not root's groups: master refuses to start with them
            check=True,
            capture_output=True,
        )

    def set_quota(self, username: str, storage_kb: int) -> None:
        """Limit the user's mailbox to `storage_kb` KiB (as the admin, SETQUOTA on their quota root)."""
        admin = IMAPClient(self.host, self.port_plain, ssl=False, timeout=10)
        try:
            admin.login(ADMIN, self.password)
            admin.set_quota([Quota(f"user.{username}", "STORAGE", 0, storage_kb)])
        finally:
            admin.logout()

    def reset_user(self, username: str) -> None:
        """Delete the user's whole mailbox tree (as the admin) and its sasldb entry."""
        if not username or "." in username or "/" in username:
            raise ValueError(f"unsafe username {username!r}")
        with contextlib.suppress(Exception):
            admin = IMAPClient(self.host, self.port_plain, ssl=False, timeout=10)
            try:
                admin.login(ADMIN, self.password)
                admin.set_acl(f"user.{username}", ADMIN, "lrswipkxtecda")
                admin.delete_folder(f"user.{username}")
            finally:
                admin.logout()
        subprocess.run(
            [self._saslpasswd(), "-f", str(self.data_dir / "conf" / "sasldb2"), "-d", username],
            env=self._env(),
            user=MAIL_USER,
            group=MAIL_USER,
            extra_groups=[],  # not root's groups: master refuses to start with them
            capture_output=True,
        )


class CyrusServer:
    """Starts, stops and describes one Cyrus instance (by the PID `master` writes)."""

    def __init__(
        self, name: str = "test", base_dir: Path | None = None, port: int | None = None, quota_kb: int = 0
    ) -> None:
        self.name = name
        self.root = (base_dir or data_root() / f"cyrus-{name}").resolve()
        self.port_file = self.root / "port"
        self.pid_file = self.root / "run" / "master.pid"
        self.quota_kb = quota_kb
        self._port = port

    @property
    def port(self) -> int:
        if self._port is None:
            saved = self.port_file.read_text().strip() if self.port_file.exists() else ""
            self._port = int(saved) if saved.isdigit() else free_ports(1)[0]
        return self._port

    def server(self) -> CyrusImapServer:
        return CyrusImapServer(
            name=f"cyrus-{self.name}",
            host=HOST,
            port_plain=self.port,
            port_ssl=self.port,
            ca_file=self.root / "no-tls.pem",
            password=PASSWORD,
            separator=".",
            prefix="INBOX.",
            home_root=self.root / "spool",
            special_use=dict(SPECIAL),
            install_root=install_dir() / "root",
            data_dir=self.root,
        )

    def master_pid(self) -> int | None:
        try:
            pid = int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None
        return pid if process_alive(pid) else None

    def answers(self) -> bool:
        try:
            with socket.create_connection((HOST, self.port), timeout=1) as sock:
                return sock.recv(4).startswith(b"* OK")
        except OSError:
            return False

    def running(self) -> bool:
        return self.master_pid() is not None and self.answers()

    def start(self) -> CyrusImapServer:
        """Start (or reuse) the instance and wait until it greets; the admin is in the sasldb."""
        if self.running():
            return self.server()
        if self.master_pid() is not None:
            self.stop()
        installed = ensure_installed()
        ensure_mail_user()
        self._prepare(installed)
        env = {**os.environ, "LD_LIBRARY_PATH": str(installed / "usr/lib/x86_64-linux-gnu")}
        master = installed / "usr/lib/cyrus/bin/master"
        command = [str(master), "-C", str(self.root / "imapd.conf"), "-M", str(self.root / "cyrus.conf")]
        subprocess.run(
            [*command, "-d", "-p", str(self.pid_file)],
            env=env,
            user=MAIL_USER,
            group=MAIL_USER,
            extra_groups=[],  # not root's groups: master refuses to start with them
            check=True,
            capture_output=True,
        )
        self._wait(up=True)
        server = self.server()
        server.add_user(ADMIN)
        logger.info("cyrus.started name=%s port=%s", self.name, self.port)
        return server

    def stop(self) -> None:
        pid = self.master_pid()
        if pid is None:
            return
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + _TIMEOUT
        while process_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        if process_alive(pid):
            os.kill(pid, signal.SIGKILL)
        logger.info("cyrus.stopped name=%s pid=%s", self.name, pid)

    def remove(self) -> None:
        """Stop and delete the instance's data."""
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def _prepare(self, installed: Path) -> None:
        for sub in ("conf/socket", "spool", "sieve", "run"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        self.port_file.write_text(str(self.port))
        conf = self.root / "imapd.conf"
        conf.write_text(render_imapd(self.root, self.name, self.quota_kb))
        bin_dir = installed / "usr/lib/cyrus/bin"
        (self.root / "cyrus.conf").write_text(render_cyrus(bin_dir, conf, self.port))
        for path in (self.root, *self.root.rglob("*")):
            shutil.chown(path, MAIL_USER, MAIL_USER)

    def _wait(self, up: bool) -> None:
        deadline = time.monotonic() + _TIMEOUT
        while time.monotonic() < deadline:
            if self.answers() == up:
                return
            time.sleep(0.05)
        raise RuntimeError(f"cyrus {self.name} on port {self.port} did not {'start' if up else 'stop'}")


def remove_stopped_instances() -> None:
    """Delete the data of instances whose `master` is no longer running (a killed test session's).
    Running instances are left alone: a parallel session may be using them."""
    for folder in data_root().glob("cyrus-*"):
        pid_file = folder / "run" / "master.pid"
        if pid_file.exists() and CyrusServer(folder.name.removeprefix("cyrus-")).master_pid() is None:
            shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m testbed.cyrus", description=__doc__)
    parser.add_argument("command", choices=["start", "stop", "status"])
    parser.add_argument("--name", default="test")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    instance = CyrusServer(args.name)
    if args.command == "start":
        instance.start()
    elif args.command == "stop":
        instance.stop()
    state = "running" if instance.running() else "stopped"
    print(f"cyrus {args.name}: {state} {HOST}:{instance.port} in {instance.root}; password {PASSWORD}")
    return 0 if args.command != "status" or state == "running" else 1


if __name__ == "__main__":
    sys.exit(main())
