"""tasks: include/exclude regex rules on source folder names; account runs: the per-folder live view

`tasks.folder_include` and `tasks.folder_exclude` (lists of patterns, empty by default: every folder
copied as before). `account_runs.live_folders` is the running account's per-folder state, saved with
its progress so a page reloaded mid-run lists the folders (docs/console.md). Downgrade drops them.

Revision ID: 0009_folder_rules
Revises: 0008_gmail
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0009_folder_rules"
down_revision: str | None = "0008_gmail"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _list_column(name: str) -> sa.Column[object]:
    return sa.Column(
        name, postgresql.JSONB(astext_type=sa.Text()), nullable=False, server_default=sa.text("'[]'::jsonb")
    )


def upgrade() -> None:
    op.add_column("tasks", _list_column("folder_include"))
    op.add_column("tasks", _list_column("folder_exclude"))
    op.add_column("account_runs", _list_column("live_folders"))


def downgrade() -> None:
    op.drop_column("account_runs", "live_folders")
    op.drop_column("tasks", "folder_exclude")
    op.drop_column("tasks", "folder_include")
