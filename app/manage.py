"""Administrative commands (also `imapcopier create-admin` / `create-user` / `create-token`).

python -m app.manage migrate             alembic upgrade head
python -m app.manage ensure-admin        create the admin from IMAPCOPIER_ADMIN_PASSWORD, if set
python -m app.manage create-admin [--username NAME]   prompts for the password (or reads it from
                                         IMAPCOPIER_ADMIN_PASSWORD when not on a terminal)
python -m app.manage create-user USERNAME --role admin|operator|viewer   prompts for the password
                                         (or reads IMAPCOPIER_USER_PASSWORD when not on a terminal)
python -m app.manage create-token [--username NAME] [--name LABEL]   the token acts with the user's role
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.config import REPO_ROOT, get_settings
from app.db import make_engine, make_sessionmaker
from app.models import Role, User
from app.services import auth as auth_service


def migrate() -> None:
    from alembic import command
    from alembic.config import Config

    config = Config(str(Path(REPO_ROOT) / "alembic.ini"))
    config.set_main_option("script_location", str(Path(REPO_ROOT) / "migrations"))
    command.upgrade(config, "head")


def _sessions() -> sessionmaker[Session]:
    return make_sessionmaker(make_engine(get_settings().database_url, pool_size=1))


def ensure_admin() -> int:
    settings = get_settings()
    if not settings.admin_password:
        with _sessions()() as session:
            if session.scalar(select(User.id).limit(1)) is None:
                print(
                    "No admin user yet: run `imapcopier create-admin` or set IMAPCOPIER_ADMIN_PASSWORD.",
                    file=sys.stderr,
                )
        return 0
    return create_admin(settings.admin_username, settings.admin_password)


def create_admin(username: str, password: str | None = None) -> int:
    return create_user(username, Role.ADMIN, password, "IMAPCOPIER_ADMIN_PASSWORD")


def create_user(
    username: str, role: Role, password: str | None = None, env: str = "IMAPCOPIER_USER_PASSWORD"
) -> int:
    """Create the user with `role`, or reset its password and role (its sessions end)."""
    if password is None:
        password = os.environ.get(env)
    if password is None and sys.stdin.isatty():
        password = getpass.getpass(f"Password for {username}: ")
        if password != getpass.getpass("Repeat it: "):
            print("error: the passwords differ", file=sys.stderr)
            return 2
    if not password:
        print(f"error: no password (set {env} or run on a terminal)", file=sys.stderr)
        return 2
    try:
        with _sessions().begin() as session:
            auth_service.set_user(session, username, password, role)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{role} user {username!r} is ready")
    return 0


def create_token(username: str, name: str) -> int:
    with _sessions().begin() as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            print(f"error: no user {username!r}; run create-admin first", file=sys.stderr)
            return 2
        token = auth_service.create_token(session, user, name)
    print(token)
    return 0


def _migrate_command(_args: argparse.Namespace) -> int:
    migrate()
    return 0


def add_admin_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("create-admin", help="create the admin user or reset its password")
    p.add_argument("--username", default=None, help="default: IMAPCOPIER_ADMIN_USERNAME or 'admin'")
    p.set_defaults(func=lambda a: create_admin(a.username or get_settings().admin_username))
    p = sub.add_parser("create-user", help="create a user with a role, or reset its password and role")
    p.add_argument("username")
    p.add_argument("--role", required=True, choices=[role.value for role in Role])
    p.set_defaults(func=lambda a: create_user(a.username, Role(a.role)))
    p = sub.add_parser("create-token", help="create an API token (Authorization: Bearer) for scripts")
    p.add_argument("--username", default=None)
    p.add_argument("--name", default="script")
    p.set_defaults(func=lambda a: create_token(a.username or get_settings().admin_username, a.name))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.manage")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate").set_defaults(func=_migrate_command)
    sub.add_parser("ensure-admin").set_defaults(func=lambda a: ensure_admin())
    add_admin_commands(sub)
    args = parser.parse_args(argv)
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
