"""notifications and schedule windows

Revision ID: 0006_notifications
Revises: 0005_oauth
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006_notifications"
down_revision: str | None = "0005_oauth"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("tasks", sa.Column("schedule_window", postgresql.JSONB(), nullable=True))
    op.add_column("tasks", sa.Column("due_window_closes_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "tasks",
        sa.Column("notify_emails", postgresql.JSONB(), server_default=sa.text("'[]'::jsonb"), nullable=False),
    )
    op.create_table(
        "notification_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("smtp_host", sa.String(length=255), nullable=True),
        sa.Column("smtp_port", sa.Integer(), nullable=False),
        sa.Column("smtp_security", sa.String(length=16), nullable=False),
        sa.Column("smtp_username", sa.String(length=320), nullable=True),
        sa.Column("smtp_password_enc", sa.LargeBinary(), nullable=True),
        sa.Column("smtp_from", sa.String(length=320), nullable=True),
        sa.Column("smtp_recipients", postgresql.JSONB(), nullable=False),
        sa.Column("webhooks", postgresql.JSONB(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_notification_settings_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_settings")),
    )
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dedup_key", sa.String(length=600), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("payload", postgresql.JSONB(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", postgresql.JSONB(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["run_id"], ["runs.id"], name=op.f("fk_notifications_run_id_runs"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["tasks.id"], name=op.f("fk_notifications_task_id_tasks"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
        sa.UniqueConstraint("dedup_key", name=op.f("uq_notifications_dedup_key")),
    )
    op.create_index("ix_notifications_created", "notifications", ["created_at"], unique=False)
    op.create_index(
        "ix_notifications_open",
        "notifications",
        ["status"],
        unique=False,
        postgresql_where=sa.text("status IN ('pending', 'retrying', 'sending')"),
    )
    op.create_index(
        "ix_notifications_task_kind_created", "notifications", ["task_id", "kind", "created_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_notifications_task_kind_created", table_name="notifications")
    op.drop_index(
        "ix_notifications_open",
        table_name="notifications",
        postgresql_where=sa.text("status IN ('pending', 'retrying', 'sending')"),
    )
    op.drop_index("ix_notifications_created", table_name="notifications")
    op.drop_table("notifications")
    op.drop_table("notification_settings")
    op.drop_column("tasks", "notify_emails")
    op.drop_column("tasks", "due_window_closes_at")
    op.drop_column("tasks", "schedule_window")
