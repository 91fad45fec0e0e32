"""Service settings, read from FEEDBACK_* environment variables.

Every setting has a default that works for local development, so
`python -m cityportal.feedback` runs with nothing configured.
"""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, replace
from pathlib import Path

from cityportal import PROJECT_ROOT


class SettingsError(ValueError):
    """A FEEDBACK_* variable holds a value the service cannot use."""


@dataclass(frozen=True)
class Settings:
    database: Path = PROJECT_ROOT / "data" / "feedback.sqlite"
    # Signs captcha challenges; when empty a random key is kept beside the
    # database so that challenges survive a restart.
    secret_key: str = ""
    host: str = "127.0.0.1"
    port: int = 8001
    allowed_origins: tuple[str, ...] = (
        "http://127.0.0.1:8000",
        "http://localhost:8000",
    )
    trusted_proxies: tuple[str, ...] = ("127.0.0.1",)
    rate_limit_per_hour: int = 5
    challenge_ttl_seconds: int = 600
    # Upper bound of the secret number in a proof-of-work challenge: the
    # browser needs about half this many SHA-256 digests on average.
    pow_max_number: int = 50_000
    max_body_bytes: int = 16 * 1024
    # Personal data is kept this long after the answer (or after receipt
    # when there never was one); the privacy page promises 24 months.
    retention_days: int = 730
    site_url: str = ""
    # Shown as the author of published Hỏi đáp answers.
    answer_author: str = "Văn phòng HĐND và UBND thành phố"
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_sender: str = "khong-tra-loi@localhost"
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False

    def with_changes(self, **changes) -> "Settings":
        return replace(self, **changes)

    def signing_key(self) -> bytes:
        if self.secret_key:
            return self.secret_key.encode()
        return _stored_key(self.database.with_suffix(".key"))


def _stored_key(path: Path) -> bytes:
    if path.exists():
        return path.read_bytes().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32).encode()
    # O_EXCL: when two processes start together, the first key written wins
    # and the other process reads it back.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes().strip()
    with os.fdopen(fd, "wb") as handle:
        handle.write(key)
    return key


def _int(env: dict, name: str, default: int, minimum: int = 0) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r}: expected a whole number") from None
    if value < minimum:
        raise SettingsError(f"{name}={raw!r}: must be at least {minimum}")
    return value


def _list(env: dict, name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    raw = env.get(name)
    if raw is None:
        return default
    return tuple(item.strip().rstrip("/") for item in raw.split(",") if item.strip())


def _bool(env: dict, name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name}={raw!r}: expected 1/0, true/false, yes/no or on/off")


def from_env(env: dict | None = None) -> Settings:
    env = dict(os.environ if env is None else env)
    base = Settings()
    return Settings(
        database=Path(env.get("FEEDBACK_DATABASE") or base.database),
        secret_key=env.get("FEEDBACK_SECRET_KEY", ""),
        host=env.get("FEEDBACK_HOST") or base.host,
        port=_int(env, "FEEDBACK_PORT", base.port, minimum=1),
        allowed_origins=_list(env, "FEEDBACK_ALLOWED_ORIGINS", base.allowed_origins),
        trusted_proxies=_list(env, "FEEDBACK_TRUSTED_PROXIES", base.trusted_proxies),
        rate_limit_per_hour=_int(env, "FEEDBACK_RATE_LIMIT_PER_HOUR", base.rate_limit_per_hour, 1),
        challenge_ttl_seconds=_int(env, "FEEDBACK_CHALLENGE_TTL", base.challenge_ttl_seconds, 1),
        pow_max_number=_int(env, "FEEDBACK_POW_MAX_NUMBER", base.pow_max_number, 1),
        max_body_bytes=_int(env, "FEEDBACK_MAX_BODY_BYTES", base.max_body_bytes, 1024),
        retention_days=_int(env, "FEEDBACK_RETENTION_DAYS", base.retention_days, 1),
        site_url=(env.get("FEEDBACK_SITE_URL") or "").rstrip("/"),
        answer_author=env.get("FEEDBACK_ANSWER_AUTHOR") or base.answer_author,
        smtp_host=env.get("FEEDBACK_SMTP_HOST", ""),
        smtp_port=_int(env, "FEEDBACK_SMTP_PORT", base.smtp_port, 1),
        smtp_sender=env.get("FEEDBACK_SMTP_SENDER") or base.smtp_sender,
        smtp_user=env.get("FEEDBACK_SMTP_USER", ""),
        smtp_password=env.get("FEEDBACK_SMTP_PASSWORD", ""),
        smtp_starttls=_bool(env, "FEEDBACK_SMTP_STARTTLS", base.smtp_starttls),
    )
