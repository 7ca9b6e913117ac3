"""Account use cases: create, change, delete, and the all-or-nothing CSV import.

Passwords arrive in plaintext, are encrypted with the installation's SecretBox here, and never leave
this module again (responses carry only `*_password_set`).
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterator, Sequence

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.crypto import CredentialsKeyError, SecretBox
from app.errors import Conflict, Invalid, NotFound
from app.models import Account, Endpoint, Task
from app.models.enums import TestStatus
from app.schemas.accounts import AccountIn, AccountPatch
from app.schemas.fields import MAX_ID
from app.services import sync_state
from app.services.tasks import ensure_not_running, get_task

logger = logging.getLogger(__name__)
MAX_IMPORT_LINES = 5000
CSV_COLUMNS = ("src_user", "src_password", "dst_user", "dst_password")
CSV_FIELDS = ("src_username", "src_password", "dst_username", "dst_password")
_FIELD_OF_COLUMN = dict(zip(CSV_FIELDS, CSV_COLUMNS, strict=True))


def list_accounts(session: Session, task_id: int) -> Sequence[Account]:
    """Raises: NotFound for an unknown task."""
    get_task(session, task_id)
    return session.scalars(select(Account).where(Account.task_id == task_id).order_by(Account.id)).all()


def account_ids(session: Session, task_id: int) -> list[int]:
    """Raises: NotFound for an unknown task."""
    get_task(session, task_id)
    return list(session.scalars(select(Account.id).where(Account.task_id == task_id).order_by(Account.id)))


def task_of_account(session: Session, account_id: int) -> int:
    """Raises: NotFound."""
    task_id = session.scalar(select(Account.task_id).where(Account.id == account_id))
    if task_id is None:
        raise NotFound(f"account {account_id} not found")
    return task_id


def get_account(session: Session, account_id: int) -> Account:
    """Raises: NotFound."""
    account = None if account_id > MAX_ID else session.get(Account, account_id)
    if account is None:
        raise NotFound(f"account {account_id} not found")
    return account


def _src_usernames(session: Session, task_id: int) -> set[str]:
    return set(session.scalars(select(Account.src_username).where(Account.task_id == task_id)))


def _duplicate(username: str) -> Conflict:
    return Conflict(
        f"source user {username} is already in this task",
        {"src_username": f"{username} is already in this task"},
    )


def _insert(session: Session, accounts: list[Account]) -> None:
    """Raises: Conflict when a concurrent request added the same source user first."""
    try:
        with session.begin_nested():
            session.add_all(accounts)
    except IntegrityError as exc:
        raise Conflict(
            "a source user is already in this task", {"src_username": "already in this task"}
        ) from exc


def _encrypt(box: SecretBox, value: str | None) -> bytes:
    return box.encrypt(value) if value is not None else b""  # b"": no password (an OAuth2 side)


def _new_account(box: SecretBox, task_id: int, data: AccountIn) -> Account:
    return Account(
        task_id=task_id,
        src_username=data.src_username,
        src_password_enc=_encrypt(box, data.src_password),
        dst_username=data.dst_username,
        dst_password_enc=_encrypt(box, data.dst_password),
        src_refresh_token_enc=box.encrypt(data.src_refresh_token) if data.src_refresh_token else None,
        dst_refresh_token_enc=box.encrypt(data.dst_refresh_token) if data.dst_refresh_token else None,
        test_src_status=TestStatus.UNTESTED,
        test_dst_status=TestStatus.UNTESTED,
    )


def _check_passwords(session: Session, task: Task, accounts: Sequence[Account]) -> None:
    """A password on every side that signs in with one (OAuth2 sides need none).

    Raises: Invalid naming the missing field.
    """
    for side, endpoint_id in (("src", task.src_endpoint_id), ("dst", task.dst_endpoint_id)):
        endpoint = session.get(Endpoint, endpoint_id)
        if endpoint is not None and endpoint.auth_mode == "oauth2":
            continue
        if any(not getattr(account, f"{side}_password_enc") for account in accounts):
            raise Invalid(
                f"{side}_password is required", {f"{side}_password": "required for password sign-in"}
            )


def create_account(session: Session, box: SecretBox, task_id: int, data: AccountIn) -> Account:
    """Raises: NotFound for an unknown task; Conflict for a source user already in the task."""
    task = get_task(session, task_id, lock=True)
    if data.src_username in _src_usernames(session, task_id):
        raise _duplicate(data.src_username)
    account = _new_account(box, task_id, data)
    _check_passwords(session, task, [account])
    _insert(session, [account])
    logger.info("account.created account_id=%s task_id=%s", account.id, task_id)
    return account


def update_account(session: Session, box: SecretBox, account_id: int, data: AccountPatch) -> Account:
    """Change logins; a changed username or password makes that side's earlier test meaningless.

    Raises: NotFound; Conflict while the task runs or for a source user already in the task.
    """
    account = get_account(session, account_id)
    changes = data.changes()
    task = get_task(session, account.task_id, lock=True)
    if set(changes) - {"enabled"}:  # pausing steers the next runs only, so it may happen during one
        ensure_not_running(task, "change its accounts")
    if "enabled" in changes:
        account.enabled = changes.pop("enabled")
    mailboxes = (account.src_username, account.dst_username)
    new_src = changes.get("src_username", account.src_username)
    if new_src != account.src_username and new_src in _src_usernames(session, account.task_id):
        raise _duplicate(new_src)
    for side in ("src", "dst"):
        if _apply_side(box, account, side, changes):
            setattr(account, f"test_{side}_status", TestStatus.UNTESTED)
            setattr(account, f"test_{side}_error", None)
            account.test_dst_quota = None
    if account.test_src_status == account.test_dst_status == TestStatus.UNTESTED:
        account.tested_at = None
    if (account.src_username, account.dst_username) != mailboxes:
        sync_state.forget_accounts(session, [account.id])
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as exc:
        raise _duplicate(new_src) from exc
    logger.info("account.updated account_id=%s fields=%s", account_id, ",".join(sorted(data.changes())))
    return account


def _apply_side(box: SecretBox, account: Account, side: str, changes: dict[str, str]) -> bool:
    """Set one side's username/password from `changes`; True when either really changed."""
    changed = False
    username = changes.get(f"{side}_username")
    if username is not None and username != getattr(account, f"{side}_username"):
        setattr(account, f"{side}_username", username)
        changed = True
    password = changes.get(f"{side}_password")
    if password is not None and not _same_secret(box, getattr(account, f"{side}_password_enc"), password):
        setattr(account, f"{side}_password_enc", box.encrypt(password))
        changed = True
    refresh = changes.get(f"{side}_refresh_token")
    stored = getattr(account, f"{side}_refresh_token_enc")
    if refresh is not None and not (stored and _same_secret(box, stored, refresh)):
        setattr(account, f"{side}_refresh_token_enc", box.encrypt(refresh))
        changed = True
    return changed


def _same_secret(box: SecretBox, stored: bytes, password: str) -> bool:
    try:
        return box.decrypt(stored) == password
    except CredentialsKeyError:
        return False  # encrypted under another key: unusable, so any new password replaces it


def delete_account(session: Session, account_id: int) -> None:
    """Delete an account with its run results and sync state (database cascade).

    Raises: NotFound; Conflict while the task runs.
    """
    account = get_account(session, account_id)
    ensure_not_running(get_task(session, account.task_id, lock=True), "delete its accounts")
    session.delete(account)
    session.flush()
    logger.info("account.deleted account_id=%s task_id=%s", account_id, account.task_id)


def import_csv(
    session: Session, box: SecretBox, task_id: int, text: str, *, upsert: bool = False
) -> tuple[list[Account], list[Account]]:
    """Import `src_user,src_password,dst_user,dst_password` lines: all of them, or none. With `upsert`
    a line whose source user is already in the task updates that account (docs/console.md, "CSV
    update mode"). Returns (created, updated).

    Raises: NotFound for an unknown task; Invalid with one `line N` field per bad line; Conflict for
    an update while the task runs.
    """
    task = get_task(session, task_id, lock=True)
    rows = list(_rows(text))
    if not rows:
        raise Invalid("the file holds no accounts", {"body": "no account lines"})
    if len(rows) > MAX_IMPORT_LINES:
        raise Invalid(
            f"too many lines: {len(rows)} (at most {MAX_IMPORT_LINES} per import)",
            {"body": f"more than {MAX_IMPORT_LINES} account lines"},
        )
    existing = {a.src_username: a for a in session.scalars(select(Account).where(Account.task_id == task_id))}
    optional = _oauth2_password_fields(session, task)
    parsed, errors = _check_lines(rows, set() if upsert else set(existing), optional)
    if errors:
        raise Invalid(f"{len(errors)} invalid line(s); nothing was imported", errors)
    updates = [(existing[data.src_username], data) for data in parsed if data.src_username in existing]
    if updates:
        ensure_not_running(task, "update its accounts")
    for account, data in updates:
        _overwrite(session, box, account, data)
    accounts = [_new_account(box, task_id, data) for data in parsed if data.src_username not in existing]
    _insert(session, accounts)
    session.flush()
    logger.info("account.imported task_id=%s created=%s updated=%s", task_id, len(accounts), len(updates))
    return accounts, [account for account, _ in updates]


def _overwrite(session: Session, box: SecretBox, account: Account, data: AccountIn) -> None:
    """An upserted line: new logins; a changed side goes back to untested, a new destination mailbox
    forgets the sync state (as PATCH does)."""
    changes = data.model_dump()
    dst_username = account.dst_username
    for side in ("src", "dst"):
        if _apply_side(box, account, side, changes):
            setattr(account, f"test_{side}_status", TestStatus.UNTESTED)
            setattr(account, f"test_{side}_error", None)
    if account.dst_username != dst_username:
        sync_state.forget_accounts(session, [account.id])


def _rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """(first line number, cells) of each non-blank record, without the optional header line.

    Raises: Invalid for text the csv module cannot read (naming the line).
    """
    reader = csv.reader(io.StringIO(text), skipinitialspace=True)
    start, first = 1, True
    try:
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            if first and tuple(cell.strip().lower() for cell in cells) == CSV_COLUMNS:
                first = False
                continue
            first = False
            yield line, cells
    except csv.Error as exc:
        raise Invalid(f"line {start}: {exc}", {f"line {start}": str(exc)}) from exc


def _oauth2_password_fields(session: Session, task: Task) -> frozenset[str]:
    """The password columns that may stay empty: the sides whose server signs in with OAuth2."""
    sides = (("src_password", task.src_endpoint_id), ("dst_password", task.dst_endpoint_id))
    return frozenset(
        field
        for field, endpoint_id in sides
        if (endpoint := session.get(Endpoint, endpoint_id)) is not None and endpoint.auth_mode == "oauth2"
    )


def _check_lines(
    rows: list[tuple[int, list[str]]], existing: set[str], optional: frozenset[str] = frozenset()
) -> tuple[list[AccountIn], dict[str, str]]:
    """The valid records, and why each other line is refused (keyed `line N`)."""
    seen: dict[str, int] = {}
    parsed: list[AccountIn] = []
    errors: dict[str, str] = {}
    for line, cells in rows:
        data = _parse_line(cells, optional)
        if isinstance(data, str):
            errors[f"line {line}"] = data
        elif data.src_username in existing:
            errors[f"line {line}"] = f"src_user {data.src_username} is already in this task"
        elif data.src_username in seen:
            errors[f"line {line}"] = (
                f"duplicate src_user {data.src_username} (also on line {seen[data.src_username]})"
            )
        else:
            seen[data.src_username] = line
            parsed.append(data)
    return parsed, errors


def _parse_line(cells: list[str], optional: frozenset[str] = frozenset()) -> AccountIn | str:
    """One record as an AccountIn, or the reason it is refused (`optional` columns may be empty)."""
    if len(cells) != len(CSV_COLUMNS):
        return f"expected {len(CSV_COLUMNS)} columns ({','.join(CSV_COLUMNS)}), got {len(cells)}"
    values: dict[str, str | None] = dict(zip(CSV_FIELDS, cells, strict=True))
    for name in optional:
        if not (values[name] or "").strip():
            values[name] = None
    try:
        return AccountIn.model_validate(values)
    except ValidationError as exc:
        err = exc.errors()[0]
        column = _FIELD_OF_COLUMN[str(err["loc"][0])]
        empty = not cells[CSV_COLUMNS.index(column)].strip()
        return f"{column} is empty" if empty else f"{column}: {err['msg']}"
