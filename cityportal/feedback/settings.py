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


# HMAC-SHA256 keys shorter than its 32-byte output weaken it; a shorter or empty
# key file is what a full disk or an interrupted copy leaves, never a key.
MIN_KEY_BYTES = 32
KEY_HINT = "python -c 'import secrets; print(secrets.token_hex(32))'"


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
    # "production": never invent a signing key (FEEDBACK_ENV, or FEEDBACK_ENV in
    # the Pelican settings file named by FEEDBACK_SITE_SETTINGS, e.g. publishconf.py).
    environment: str = "development"
    # Limits per client address (docs/feedback.md, "Limits"). The proof of work
    # gets harder with the address's recent volume instead of refusing early;
    # the counts below are backstops that honest use of one carrier address
    # (at least 100 submissions an hour) never reaches.
    rate_limit_per_hour: int = 400
    rate_limit_per_minute: int = 8
    question_limit_per_hour: int = 20
    lookup_limit_per_minute: int = 60
    challenge_ttl_seconds: int = 600
    # Upper bound of the secret number in a proof-of-work challenge for an
    # address with no recent submissions: the browser needs about half this
    # many SHA-256 digests on average. It doubles with every `pow_doubling`
    # units of recent volume, up to `pow_ceiling`.
    pow_max_number: int = 5_000
    pow_doubling: int = 20
    pow_ceiling: int = 500_000_000
    # Seconds a write waits for another writer before the citizen gets a 503.
    busy_timeout_seconds: float = 5.0
    # The built site, whose /gop-y/ page gives the service's own pages the
    # portal's header, menu and footer.
    site_root: Path = PROJECT_ROOT / "output"
    # Told to the citizen in the receipt.
    answer_working_days: int = 10
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

    @property
    def production(self) -> bool:
        return self.environment == "production"

    @property
    def key_file(self) -> Path:
        return self.database.with_suffix(".key")

    def signing_key(self) -> bytes:
        """The key that signs challenges, or SettingsError saying in one line what is wrong."""
        if self.secret_key:
            key = self.secret_key.encode()
            if len(key) < MIN_KEY_BYTES:
                raise SettingsError(f"FEEDBACK_SECRET_KEY has {len(key)} bytes; a signing key needs "
                                    f"at least {MIN_KEY_BYTES} (make one with {KEY_HINT})")
            return key
        path = self.key_file
        if path.exists():
            return _read_key(path)
        if self.production:
            raise SettingsError(f"no signing key in production: set FEEDBACK_SECRET_KEY or write "
                                f"{path} (at least {MIN_KEY_BYTES} bytes, mode 600; make one with {KEY_HINT})")
        return _stored_key(path)


def _read_key(path: Path) -> bytes:
    try:
        key = path.read_bytes().strip()
    except OSError as error:
        raise SettingsError(f"{path}: cannot read the signing key ({error.strerror})") from None
    if len(key) < MIN_KEY_BYTES:
        raise SettingsError(f"{path} holds {len(key)} bytes, not a signing key (at least "
                            f"{MIN_KEY_BYTES}): restore it from a backup, or delete it to have a new one made")
    return key


def _stored_key(path: Path) -> bytes:
    """A new random key, written whole or not at all.

    The key goes to a temporary file first, is flushed to disk, then linked to
    its name: a full disk leaves no half-written key behind, and when two
    processes start together the first link wins and the other reads it back."""
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32).encode()
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(key)
            handle.flush()
            os.fsync(handle.fileno())
        os.link(partial, path)
    except FileExistsError:
        return _read_key(path)
    except OSError as error:
        raise SettingsError(f"{path}: cannot write a new signing key ({error.strerror})") from None
    finally:
        partial.unlink(missing_ok=True)
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


def _float(env: dict, name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r}: expected a number of seconds") from None
    if not 0 <= value <= 600:
        raise SettingsError(f"{name}={raw!r}: must be between 0 and 600")
    return value


def _site_settings(env: dict) -> dict:
    """FEEDBACK_ENV and SITEURL from the Pelican settings file named by
    FEEDBACK_SITE_SETTINGS (e.g. publishconf.py), so that the service started
    for the published site is a production service without a second switch."""
    name = env.get("FEEDBACK_SITE_SETTINGS")
    if not name:
        return {}
    path = Path(name) if Path(name).is_absolute() else PROJECT_ROOT / name
    if not path.is_file():
        raise SettingsError(f"FEEDBACK_SITE_SETTINGS={name!r}: no such file")
    import runpy

    values = runpy.run_path(str(path))
    return {key: values[key] for key in ("FEEDBACK_ENV", "SITEURL") if values.get(key)}


def from_env(env: dict | None = None) -> Settings:
    env = dict(os.environ if env is None else env)
    base = Settings()
    site = _site_settings(env)
    environment = env.get("FEEDBACK_ENV") or site.get("FEEDBACK_ENV") or base.environment
    if environment not in ("development", "production"):
        raise SettingsError(f"FEEDBACK_ENV={environment!r}: expected development or production")
    return Settings(
        database=Path(env.get("FEEDBACK_DATABASE") or base.database),
        secret_key=env.get("FEEDBACK_SECRET_KEY", ""),
        host=env.get("FEEDBACK_HOST") or base.host,
        port=_int(env, "FEEDBACK_PORT", base.port, minimum=1),
        allowed_origins=_list(env, "FEEDBACK_ALLOWED_ORIGINS", base.allowed_origins),
        trusted_proxies=_list(env, "FEEDBACK_TRUSTED_PROXIES", base.trusted_proxies),
        environment=environment,
        rate_limit_per_hour=_int(env, "FEEDBACK_RATE_LIMIT_PER_HOUR", base.rate_limit_per_hour, 1),
        rate_limit_per_minute=_int(env, "FEEDBACK_RATE_LIMIT_PER_MINUTE", base.rate_limit_per_minute, 1),
        question_limit_per_hour=_int(env, "FEEDBACK_QUESTION_LIMIT_PER_HOUR",
                                     base.question_limit_per_hour, 1),
        lookup_limit_per_minute=_int(env, "FEEDBACK_LOOKUP_LIMIT_PER_MINUTE",
                                     base.lookup_limit_per_minute, 1),
        challenge_ttl_seconds=_int(env, "FEEDBACK_CHALLENGE_TTL", base.challenge_ttl_seconds, 1),
        pow_max_number=_int(env, "FEEDBACK_POW_MAX_NUMBER", base.pow_max_number, 1),
        pow_doubling=_int(env, "FEEDBACK_POW_DOUBLING", base.pow_doubling, 1),
        pow_ceiling=_int(env, "FEEDBACK_POW_CEILING", base.pow_ceiling, 1),
        busy_timeout_seconds=_float(env, "FEEDBACK_BUSY_TIMEOUT", base.busy_timeout_seconds),
        site_root=Path(env.get("FEEDBACK_SITE_ROOT") or base.site_root),
        answer_working_days=_int(env, "FEEDBACK_ANSWER_WORKING_DAYS", base.answer_working_days, 1),
        max_body_bytes=_int(env, "FEEDBACK_MAX_BODY_BYTES", base.max_body_bytes, 1024),
        retention_days=_int(env, "FEEDBACK_RETENTION_DAYS", base.retention_days, 1),
        site_url=(env.get("FEEDBACK_SITE_URL") or site.get("SITEURL") or "").rstrip("/"),
        answer_author=env.get("FEEDBACK_ANSWER_AUTHOR") or base.answer_author,
        smtp_host=env.get("FEEDBACK_SMTP_HOST", ""),
        smtp_port=_int(env, "FEEDBACK_SMTP_PORT", base.smtp_port, 1),
        smtp_sender=env.get("FEEDBACK_SMTP_SENDER") or base.smtp_sender,
        smtp_user=env.get("FEEDBACK_SMTP_USER", ""),
        smtp_password=env.get("FEEDBACK_SMTP_PASSWORD", ""),
        smtp_starttls=_bool(env, "FEEDBACK_SMTP_STARTTLS", base.smtp_starttls),
    )
