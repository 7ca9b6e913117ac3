"""Provider profiles: what choosing Microsoft 365 or Gmail fills in (docs/oauth2.md).

Plain data, shared by the API (endpoint defaults) and the CLI (--src-provider).
"""

from __future__ import annotations

from typing import Any

# MB one account may upload per day where the endpoint sets no `daily_upload_mb`: Gmail's IMAP upload
# limit (docs/providers.md). Other providers: no budget.
DAILY_UPLOAD_MB: dict[str, int] = {"gmail": 500}

# What choosing a provider fills in when the request leaves it out (docs/oauth2.md). The per-account
# connection caps stay under the providers' published limits (Exchange Online: 20 IMAP connections per
# mailbox, Gmail: 15 per account) with room left for the user's own mail clients.
PROFILES: dict[str, dict[str, Any]] = {
    "microsoft365": {
        "host": "outlook.office365.com",
        "port": 993,
        "tls_mode": "ssl",
        "auth_mode": "oauth2",
        "oauth2_grant": "client_credentials",
        "oauth2_scope": "https://outlook.office365.com/.default",
        "oauth2_authorize_url": "https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize",
        "sasl_mechanism": "xoauth2",
        "max_connections_per_account": 8,
    },
    "gmail": {
        "host": "imap.gmail.com",
        "port": 993,
        "tls_mode": "ssl",
        "auth_mode": "oauth2",
        "oauth2_grant": "jwt_bearer",
        "oauth2_token_url": "https://oauth2.googleapis.com/token",
        "oauth2_authorize_url": "https://accounts.google.com/o/oauth2/v2/auth",
        "oauth2_scope": "https://mail.google.com/",
        "max_connections_per_account": 8,
    },
}
