"""An SMTP server on 127.0.0.1 that keeps every message it receives as a .eml file (aiosmtpd).

Run as a process of the test bed: `python -m testbed.smtp_sink --port N --dir D`. `SmtpSink` starts
and stops it (stop, then start again on the same port, imitates a server that is down for a while).
"""

from __future__ import annotations

import argparse
import email
import email.policy
import signal
import ssl
import subprocess
import sys
import threading
import time
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from testbed.dovecot import free_ports

HOST = "127.0.0.1"

READY_TIMEOUT = 15.0


class _Keep:
    """aiosmtpd handler: write each message to `<dir>/<n>.eml` (envelope recipients in a header)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.count = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.count += 1
        rcpt = ", ".join(envelope.rcpt_tos)
        login = getattr(session.auth_data, "login", None) if session.authenticated else None
        user = login.decode() if isinstance(login, bytes) else ""
        data = f"X-Envelope-To: {rcpt}\r\nX-Sink-Login: {user}\r\n".encode() + envelope.original_content
        tmp = self.directory / f".{self.count}.tmp"
        tmp.write_bytes(data)
        tmp.rename(self.directory / f"{time.time_ns()}-{self.count}.eml")
        return "250 Message accepted"


def _accept_any(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
    from aiosmtpd.smtp import AuthResult

    return AuthResult(success=True, handled=False, auth_data=data)


def serve(port: int, directory: Path, security: str = "none", tls_dir: Path | None = None) -> None:
    """security: none | starttls (required before MAIL) | tls (implicit, from the first byte);
    `tls_dir` holds server.pem and server.key (testbed/tls.py)."""
    from aiosmtpd.controller import Controller

    directory.mkdir(parents=True, exist_ok=True)
    context = None
    if security != "none":
        assert tls_dir is not None, "TLS needs --tls-dir"
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(tls_dir / "server.pem", tls_dir / "server.key")
    # Any login is accepted: the sink checks that the client logs in, not the password.
    options: dict[str, Any] = {"auth_require_tls": False, "authenticator": _accept_any}
    if security == "starttls":
        options.update(tls_context=context, require_starttls=True)
    elif security == "tls":
        options.update(ssl_context=context)
    controller = Controller(_Keep(directory), hostname=HOST, port=port, **options)
    controller.start()
    print(f"smtp_sink ready on {HOST}:{port}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    finally:
        controller.stop()


class SmtpSink:
    """The sink as a child process on a free port; `messages()` parses what it received."""

    def __init__(
        self, directory: Path, port: int | None = None, security: str = "none", tls_dir: Path | None = None
    ) -> None:
        self.directory = directory
        self.security, self.tls_dir = security, tls_dir
        self.port = port or free_ports(1)[0]
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        args = ["--port", str(self.port), "--dir", str(self.directory), "--security", self.security]
        if self.tls_dir is not None:
            args += ["--tls-dir", str(self.tls_dir)]
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "testbed.smtp_sink", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().decode()
        if "ready" not in line:
            self.stop()
            raise RuntimeError(f"smtp_sink did not start: {line!r}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=READY_TIMEOUT)
        self.proc = None

    def messages(self) -> list[EmailMessage]:
        found = []
        for path in sorted(self.directory.glob("*.eml")):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            assert isinstance(message, EmailMessage)
            found.append(message)
        return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", type=Path, required=True)
    parser.add_argument("--security", choices=("none", "starttls", "tls"), default="none")
    parser.add_argument("--tls-dir", type=Path)
    args = parser.parse_args()
    serve(args.port, args.dir, args.security, args.tls_dir)


if __name__ == "__main__":
    main()
