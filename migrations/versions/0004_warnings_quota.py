"""account runs keep warnings (the destination quota the account cannot fit); the connection test
keeps the destination's quota against the source's size

Revision ID: 0004_warnings_quota
Revises: 0003_connections
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004_warnings_quota"
down_revision: str | None = "0003_connections"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "account_runs",
        sa.Column(
            "warnings",
            postgresql.JSONB(astext_type=sa.Text()),
            nullable=False,
            server_default=sa.text("'[]'::jsonb"),
        ),
    )
    op.add_column(
        "accounts", sa.Column("test_dst_quota", postgresql.JSONB(astext_type=sa.Text()), nullable=True)
    )


def downgrade() -> None:
    op.drop_column("accounts", "test_dst_quota")
    op.drop_column("account_runs", "warnings")
