"""`python -m cityportal.feedback`: serve the feedback API with uvicorn.

Settings come from FEEDBACK_* environment variables (docs/feedback.md). A
setting or key the service cannot use stops it with one line on stderr."""
from __future__ import annotations

import logging
import sys

import uvicorn

from .app import create_app
from .settings import SettingsError, from_env


def main() -> int:
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        settings = from_env()
        app = create_app(settings)
    except SettingsError as error:
        print(f"feedback service: {error}", file=sys.stderr)
        return 2
    uvicorn.run(app, host=settings.host, port=settings.port,
                proxy_headers=False, server_header=False, access_log=False,
                log_level="warning")
    return 0


if __name__ == "__main__":
    sys.exit(main())
