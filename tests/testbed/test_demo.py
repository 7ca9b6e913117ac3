"""`imapcopier demo` starts the demo servers, loads sample mailboxes once, and creates a ready task."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.config import Settings
from app.crypto import SecretBox
from app.models import Account, Endpoint, Task
from testbed.demo import DEMO_TASK, DEMO_USERS, run_demo
from testbed.dovecot import PROFILES, DovecotPair

pytestmark = pytest.mark.imap


def test_demo_creates_a_ready_task_and_is_idempotent(settings: Settings, clean_db: Engine) -> None:
    assert run_demo(settings=settings) == 0
    assert run_demo(settings=settings) == 0  # again: nothing duplicated

    with Session(clean_db) as session:
        task = session.scalars(select(Task).where(Task.name == DEMO_TASK)).one()
        accounts = session.scalars(select(Account).where(Account.task_id == task.id)).all()
        assert sorted(a.src_username for a in accounts) == sorted(DEMO_USERS)
        assert session.scalar(select(func.count()).select_from(Endpoint)) == 2
        src = session.get(Endpoint, task.src_endpoint_id)
        assert src is not None and src.port == PROFILES["demo"][0]
        password = SecretBox(settings.credentials_key).decrypt(accounts[0].src_password_enc)

    server, _dst = DovecotPair("demo").servers()
    client = server.connect(DEMO_USERS[0])
    try:
        assert password == server.password
        assert client.select_folder("INBOX", readonly=True)[b"EXISTS"] > 10
        assert len(client.list_folders()) > 5
    finally:
        client.logout()
