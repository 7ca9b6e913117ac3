"""endpoints: daily upload budget (Gmail's IMAP upload limit), for the plan's budget warning

Null uses the provider's default (docs/providers.md). Downgrade drops the column.

Revision ID: 0008_gmail
Revises: 0007_console
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_gmail"
down_revision: str | None = "0007_console"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("endpoints", sa.Column("daily_upload_mb", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("endpoints", "daily_upload_mb")
