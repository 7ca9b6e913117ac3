"""Write the API's OpenAPI document (what GET /api/openapi.json serves) without a running server.

    python -m app.openapi_dump frontend/openapi.json

The front end generates its client from this file (`npm run generate`, docs/frontend-client.md).
The app is built with placeholder settings: building it opens no database or Redis connection.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet
from flask import Response

from app import create_app
from app.config import Settings


def document() -> dict[str, Any]:
    """The document exactly as the live route serves it (every registered blueprint included)."""
    settings = Settings(
        database_url="postgresql+psycopg://openapi@127.0.0.1:9/unused",
        redis_url="redis://127.0.0.1:9/0",
        secret_key="openapi-dump-placeholder-key",
        credentials_key=Fernet.generate_key().decode(),
        log_level="WARNING",
    )
    app = create_app(settings)
    # The route's own view, called directly: the login guard (which reads the database) stays out.
    with app.test_request_context("/api/openapi.json"):
        response = app.view_functions["health.openapi"]()
    if not isinstance(response, Response):
        raise TypeError(f"the OpenAPI view answered {type(response).__name__}, not a JSON response")
    body: dict[str, Any] = response.get_json()
    return body


def dumps(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, sort_keys=True) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m app.openapi_dump OUTPUT.json", file=sys.stderr)
        return 2
    Path(argv[0]).write_text(dumps(document()), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
