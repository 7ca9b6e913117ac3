"""OAuth2 sign-in: endpoint provider, auth mode and grant settings; per-account refresh tokens

Revision ID: 0005_oauth
Revises: 0004_warnings_quota
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_oauth"
down_revision: str | None = "0004_warnings_quota"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CHECKS = {
    "provider": "provider IN ('generic', 'microsoft365', 'gmail')",
    "auth_mode": "auth_mode IN ('password', 'oauth2')",
    "oauth2_grant": (
        "oauth2_grant IS NULL OR oauth2_grant IN ('client_credentials', 'jwt_bearer', 'refresh_token')"
    ),
    "sasl_mechanism": "sasl_mechanism IN ('auto', 'xoauth2', 'oauthbearer')",
}


def upgrade() -> None:
    with op.batch_alter_table("endpoints") as batch:
        batch.add_column(sa.Column("provider", sa.String(16), nullable=False, server_default="generic"))
        batch.add_column(sa.Column("auth_mode", sa.String(16), nullable=False, server_default="password"))
        batch.add_column(sa.Column("oauth2_grant", sa.String(32), nullable=True))
        batch.add_column(sa.Column("oauth2_token_url", sa.String(2000), nullable=True))
        batch.add_column(sa.Column("oauth2_authorize_url", sa.String(2000), nullable=True))
        batch.add_column(sa.Column("oauth2_client_id", sa.String(500), nullable=True))
        batch.add_column(sa.Column("oauth2_scope", sa.String(1000), nullable=True))
        batch.add_column(sa.Column("sasl_mechanism", sa.String(16), nullable=False, server_default="auto"))
        batch.add_column(sa.Column("oauth2_client_secret_enc", sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column("oauth2_private_key_enc", sa.LargeBinary(), nullable=True))
        for name, condition in _CHECKS.items():
            batch.create_check_constraint(op.f(f"ck_endpoints_{name}"), condition)
    with op.batch_alter_table("accounts") as batch:
        batch.add_column(sa.Column("src_refresh_token_enc", sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column("dst_refresh_token_enc", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("dst_refresh_token_enc")
        batch.drop_column("src_refresh_token_enc")
    with op.batch_alter_table("endpoints") as batch:
        for name in _CHECKS:
            batch.drop_constraint(op.f(f"ck_endpoints_{name}"), type_="check")
        for column in (
            "oauth2_private_key_enc",
            "oauth2_client_secret_enc",
            "sasl_mechanism",
            "oauth2_scope",
            "oauth2_client_id",
            "oauth2_authorize_url",
            "oauth2_token_url",
            "oauth2_grant",
            "auth_mode",
            "provider",
        ):
            batch.drop_column(column)
