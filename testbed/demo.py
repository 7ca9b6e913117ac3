"""`imapcopier demo`: two local demo IMAP servers with sample mailboxes and a ready demo task.

A newcomer runs `make run` in one terminal and `.venv/bin/imapcopier demo` in another, opens the
web UI, and has a real migration to test and run within a minute. Safe to run again: servers are
reused, mailboxes are loaded once, the demo task is found by name.
"""

from __future__ import annotations

import argparse
import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.config import Settings, get_settings
from app.crypto import SecretBox
from app.db import make_engine, make_sessionmaker
from app.models import Account, Endpoint, Task
from testbed import corpus
from testbed.corpus_imap import load_corpus
from testbed.dovecot import DovecotPair, ImapServer

logger = logging.getLogger(__name__)

DEMO_TASK = "Demo migration"
DEMO_USERS = ("alice", "bob", "carol")


def _load_mailboxes(src: ImapServer) -> int:
    """Load the sample corpus into each demo user that has an empty INBOX; returns users loaded."""
    loaded = 0
    for index, user in enumerate(DEMO_USERS):
        client = src.connect(user)
        try:
            empty = client.select_folder("INBOX", readonly=True)[b"EXISTS"] == 0
        finally:
            client.logout()
        if empty:
            load_corpus(src, user, corpus.generate("test", seed=index + 1))
            loaded += 1
    return loaded


def _endpoint(session: Session, name: str, server: ImapServer) -> Endpoint:
    endpoint = session.scalar(select(Endpoint).where(Endpoint.name == name))
    if endpoint is None:
        endpoint = Endpoint(name=name, host=server.host, port=server.port_plain, tls_mode="plain")
        session.add(endpoint)
        session.flush()
    return endpoint


def _task(session: Session, box: SecretBox, src: Endpoint, dst: Endpoint, password: str) -> Task:
    task = session.scalar(select(Task).where(Task.name == DEMO_TASK))
    if task is None:
        task = Task(name=DEMO_TASK, src_endpoint_id=src.id, dst_endpoint_id=dst.id)
        session.add(task)
        session.flush()
        for user in DEMO_USERS:
            session.add(
                Account(
                    task_id=task.id,
                    src_username=user,
                    src_password_enc=box.encrypt(password),
                    dst_username=user,
                    dst_password_enc=box.encrypt(password),
                )
            )
    return task


def run_demo(_args: argparse.Namespace | None = None, settings: Settings | None = None) -> int:
    settings = settings or get_settings()
    pair = DovecotPair("demo")
    src, dst = pair.start()
    loaded = _load_mailboxes(src)
    sessions = make_sessionmaker(make_engine(settings.database_url, pool_size=1))
    with sessions.begin() as session:
        src_ep = _endpoint(session, "Demo source (Exchange-like, 127.0.0.1)", src)
        dst_ep = _endpoint(session, "Demo destination (Dovecot, 127.0.0.1)", dst)
        task = _task(session, SecretBox(settings.credentials_key), src_ep, dst_ep, src.password)
        task_id = task.id
    print(f"Demo IMAP servers: source 127.0.0.1:{src.port_plain}, destination 127.0.0.1:{dst.port_plain}")
    print(f"Sample mailboxes: {', '.join(DEMO_USERS)} (loaded now: {loaded}); password: {src.password}")
    print(f"Demo task #{task_id} {DEMO_TASK!r} is ready: open the web UI, Test all, then Run.")
    print("Stop the demo servers with: .venv/bin/python -m testbed.dovecot stop --profile demo")
    return 0
