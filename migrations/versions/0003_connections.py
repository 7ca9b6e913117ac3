"""endpoints count IMAP connections: max_connections doubled, max_connections_per_account added

`max_connections` counted accounts while each account used up to two connections per side; it now
counts connections, so stored values are doubled (nothing gets tighter). Downgrade halves them
(rounding up) and drops the per-account cap. See docs/performance.md.

Revision ID: 0003_connections
Revises: 0002_security
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_connections"
down_revision: str | None = "0002_security"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("endpoints", sa.Column("max_connections_per_account", sa.Integer(), nullable=True))
    op.execute("UPDATE endpoints SET max_connections = max_connections * 2 WHERE max_connections IS NOT NULL")


def downgrade() -> None:
    op.execute(
        "UPDATE endpoints SET max_connections = (max_connections + 1) / 2 WHERE max_connections IS NOT NULL"
    )
    op.drop_column("endpoints", "max_connections_per_account")
