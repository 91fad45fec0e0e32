"""Fill the @@NAME@@ placeholders of deploy/nginx.conf for production or for a test run."""
from __future__ import annotations

import re
from pathlib import Path

from cityportal import PROJECT_ROOT
from cityportal.ops.publishing import CURRENT_RELEASE

TEMPLATE = PROJECT_ROOT / "deploy" / "nginx.conf"
SNIPPETS_DIR = TEMPLATE.parent / "nginx"

PRODUCTION = {
    "USER": "www-data",
    "PID_FILE": "/run/nginx.pid",
    "ERROR_LOG": "/var/log/nginx/portal.error.log",
    "ACCESS_LOG": "/var/log/nginx/portal.access.log",
    "MIME_TYPES": "/etc/nginx/mime.types",
    "TEMP_DIR": "/var/lib/nginx",
    "LISTEN": "80",
    "SERVER_NAME": "_",
    "SNIPPETS_DIR": "/srv/portal/deploy/nginx",
}

_PLACEHOLDER = re.compile(r"@@([A-Z_]+)@@")


class ConfigError(ValueError):
    pass


def production_root(publish_path: str) -> str:
    """The folder nginx serves in production: the release `invoke publish` switched to
    last (kept unresolved, so that each switch takes effect at once)."""
    return f"{publish_path.rstrip('/')}/{CURRENT_RELEASE}"


def render(values: dict[str, str] | None = None, template: Path = TEMPLATE) -> str:
    """The template with production values, overridden by `values` (ROOT has no
    production default: it comes from the publish settings, see `production_root`).

    Every placeholder must have a value and every value must be used, so a renamed
    placeholder fails here instead of producing a config nginx rejects later.
    """
    merged = {**PRODUCTION, **(values or {})}
    text = template.read_text(encoding="utf-8")
    used = set(_PLACEHOLDER.findall(text))
    missing = sorted(used - merged.keys())
    unknown = sorted(merged.keys() - used)
    if missing or unknown:
        raise ConfigError(f"{template}: placeholders without a value: {missing}; "
                          f"values without a placeholder: {unknown}")
    for name, value in merged.items():
        if any(ch in str(value) for ch in ";{}\n"):
            raise ConfigError(f"{name}={value!r} would break the nginx syntax; pick another path")
    return _PLACEHOLDER.sub(lambda match: str(merged[match[1]]), text)


def loopback_values(root: Path, port: int, state_dir: Path, user: str) -> dict[str, str]:
    """Values for running nginx unprivileged on 127.0.0.1 with everything under `state_dir`."""
    state_dir = Path(state_dir)
    (state_dir / "temp").mkdir(parents=True, exist_ok=True)
    return {
        "USER": user,
        "PID_FILE": str(state_dir / "nginx.pid"),
        "ERROR_LOG": str(state_dir / "error.log"),
        "ACCESS_LOG": str(state_dir / "access.log"),
        "TEMP_DIR": str(state_dir / "temp"),
        "LISTEN": f"127.0.0.1:{port}",
        "SERVER_NAME": "localhost",
        "ROOT": str(Path(root).resolve()),
        "SNIPPETS_DIR": str(SNIPPETS_DIR),
    }
