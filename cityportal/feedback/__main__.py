"""`python -m cityportal.feedback`: serve the feedback API with uvicorn.

Settings come from FEEDBACK_* environment variables (docs/feedback.md)."""
from __future__ import annotations

import sys

import uvicorn

from .app import create_app
from .settings import SettingsError, from_env


def main() -> int:
    try:
        settings = from_env()
    except SettingsError as error:
        print(f"feedback service: {error}", file=sys.stderr)
        return 2
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port,
                proxy_headers=False, server_header=False, access_log=False,
                log_level="warning")
    return 0


if __name__ == "__main__":
    sys.exit(main())
