"""Tasks whose endpoints sign in with OAuth2 against the test identity provider."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.models import Account, Endpoint, Task
from app.models.enums import TestStatus
from tests.support.factories import BOX, Built


@dataclass(frozen=True)
class OAuthSide:
    """How one side signs in: host/port of the server (or a proxy in front of it) and the grant."""

    port: int
    grant: str
    token_url: str
    client_id: str
    client_secret: str | None = None
    private_key: str | None = None
    authorize_url: str | None = None
    sasl_mechanism: str = "auto"


def _endpoint(session: Session, name: str, side: OAuthSide) -> Endpoint:
    row = Endpoint(
        name=name,
        host="127.0.0.1",
        port=side.port,
        tls_mode="plain",
        verify_tls=True,
        auth_mode="oauth2",
        oauth2_grant=side.grant,
        oauth2_token_url=side.token_url,
        oauth2_authorize_url=side.authorize_url,
        oauth2_client_id=side.client_id,
        oauth2_scope="imap",
        sasl_mechanism=side.sasl_mechanism,
        oauth2_client_secret_enc=BOX.encrypt(side.client_secret) if side.client_secret else None,
        oauth2_private_key_enc=BOX.encrypt(side.private_key) if side.private_key else None,
    )
    session.add(row)
    return row


def make_oauth_task(
    engine: Engine,
    src: OAuthSide,
    dst: OAuthSide,
    mailboxes: list[tuple[str, str | None]],
    tested: bool = True,
) -> Built:
    """One account per (mailbox, destination refresh token) pair; the same mailbox name on both sides."""
    with Session(engine, expire_on_commit=False) as session, session.begin():
        src_row, dst_row = _endpoint(session, "oauth src", src), _endpoint(session, "oauth dst", dst)
        session.flush()
        task = Task(
            name="oauth task",
            src_endpoint_id=src_row.id,
            dst_endpoint_id=dst_row.id,
            folder_mapping={},
            exclude_folders=[],
            schedule_interval_seconds=0,
        )
        session.add(task)
        session.flush()
        status = TestStatus.OK if tested else TestStatus.UNTESTED
        accounts = [
            Account(
                task_id=task.id,
                src_username=mailbox,
                src_password_enc=b"",
                dst_username=mailbox,
                dst_password_enc=b"",
                dst_refresh_token_enc=BOX.encrypt(refresh) if refresh else None,
                test_src_status=status,
                test_dst_status=status,
            )
            for mailbox, refresh in mailboxes
        ]
        session.add_all(accounts)
        session.flush()
        return Built(task.id, [a.id for a in accounts], src_row.id, dst_row.id)
