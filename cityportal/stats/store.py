"""The statistics database: per-day and per-path totals, today's visitor hashes, and
where each log file was left.

Everything one ingest changes is written in a single transaction, so a crash or a kill
leaves the database as it was before the ingest started.
"""
import sqlite3
from contextlib import contextmanager
from pathlib import Path

from .logfiles import KnownSource

BUSY_TIMEOUT_SECONDS = 120
# Counter name prefix of the skipped lines per reason ("rejected:late").
REJECTED_PREFIX = "rejected:"
SCHEMA = """
CREATE TABLE IF NOT EXISTS daily (
    day TEXT PRIMARY KEY,
    visits INTEGER NOT NULL DEFAULT 0,
    visitors INTEGER NOT NULL DEFAULT 0,
    pageviews INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS path_views (
    path TEXT PRIMARY KEY,
    views INTEGER NOT NULL
);
-- Only the days whose visitors may still return; a day's rows go with its salt.
CREATE TABLE IF NOT EXISTS day_salts (
    day TEXT PRIMARY KEY,
    salt BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS visitors (
    day TEXT NOT NULL REFERENCES day_salts(day),
    visitor BLOB NOT NULL,
    runs TEXT NOT NULL,
    PRIMARY KEY (day, visitor)
);
CREATE TABLE IF NOT EXISTS sources (
    id INTEGER PRIMARY KEY,
    log_path TEXT NOT NULL,
    fingerprint BLOB NOT NULL,
    fingerprint_length INTEGER NOT NULL,
    device INTEGER,
    inode INTEGER,
    offset INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS counters (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
"""


class StatsDatabaseError(Exception):
    """The database cannot be opened or is not a statistics database."""


@contextmanager
def connect(path):
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # A cron run may wait for a long one still writing rather than fail.
        connection = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_SECONDS)
        # Deleted salts and hashes are overwritten, not left in free pages.
        connection.execute("PRAGMA secure_delete = ON")
        connection.executescript(SCHEMA)
    except (OSError, sqlite3.Error) as error:
        raise StatsDatabaseError(
            f"{path}: cannot open the statistics database ({error}); "
            "check --db or STATS_DB and the directory's permissions"
        ) from error
    try:
        yield connection
    finally:
        connection.close()


@contextmanager
def transaction(connection):
    """One write transaction; IMMEDIATE so two cron runs cannot interleave."""
    try:
        connection.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as error:
        raise StatsDatabaseError(
            f"cannot lock the statistics database ({error}); another `invoke stats` may "
            "still be running, or the file is not writable"
        ) from error
    try:
        yield connection
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def known_sources(connection):
    return [
        KnownSource(*row)
        for row in connection.execute(
            "SELECT id, fingerprint, fingerprint_length, device, inode, offset FROM sources"
        )
    ]


def has_read(connection, log_path):
    return (
        connection.execute(
            "SELECT 1 FROM sources WHERE log_path = ? LIMIT 1", (str(log_path),)
        ).fetchone()
        is not None
    )


def save_source(connection, log_path, planned, offset):
    values = (
        str(log_path),
        planned.fingerprint,
        len(planned.head),
        planned.device,
        planned.inode,
        offset,
    )
    if planned.source_id is None:
        connection.execute(
            "INSERT INTO sources (log_path, fingerprint, fingerprint_length, device, inode, offset)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            values,
        )
    else:
        connection.execute(
            "UPDATE sources SET log_path = ?, fingerprint = ?, fingerprint_length = ?,"
            " device = ?, inode = ?, offset = ? WHERE id = ?",
            values + (planned.source_id,),
        )


def day_salt(connection, day):
    row = connection.execute("SELECT salt FROM day_salts WHERE day = ?", (day,)).fetchone()
    return row[0] if row else None


def day_visitors(connection, day):
    return connection.execute(
        "SELECT visitor, runs FROM visitors WHERE day = ?", (day,)
    ).fetchall()


def replace_day_visitors(connection, day, salt, rows):
    connection.execute("DELETE FROM visitors WHERE day = ?", (day,))
    connection.execute(
        "INSERT OR REPLACE INTO day_salts (day, salt) VALUES (?, ?)", (day, salt)
    )
    connection.executemany(
        "INSERT INTO visitors (day, visitor, runs) VALUES (?, ?, ?)",
        ((day, visitor, runs) for visitor, runs in rows),
    )


def forget_days_outside(connection, oldest_open_day, newest_day):
    """Delete salts and visitor hashes of every day before ``oldest_open_day`` or after
    ``newest_day`` (ISO dates); the latter exist only in databases written before
    future lines were refused."""
    for table in ("visitors", "day_salts"):
        connection.execute(
            f"DELETE FROM {table} WHERE day < ? OR day > ?", (oldest_open_day, newest_day)
        )


def add_daily(connection, totals):
    connection.executemany(
        "INSERT INTO daily (day, visits, visitors, pageviews) VALUES (?, ?, ?, ?)"
        " ON CONFLICT(day) DO UPDATE SET visits = visits + excluded.visits,"
        " visitors = visitors + excluded.visitors, pageviews = pageviews + excluded.pageviews",
        ((day, *counts) for day, counts in totals.items()),
    )


def add_path_views(connection, views):
    connection.executemany(
        "INSERT INTO path_views (path, views) VALUES (?, ?)"
        " ON CONFLICT(path) DO UPDATE SET views = views + excluded.views",
        views.items(),
    )


def add_counter(connection, name, amount):
    connection.execute(
        "INSERT INTO counters (name, value) VALUES (?, ?)"
        " ON CONFLICT(name) DO UPDATE SET value = value + excluded.value",
        (name, amount),
    )


def set_counter(connection, name, value):
    connection.execute(
        "INSERT OR REPLACE INTO counters (name, value) VALUES (?, ?)", (name, value)
    )


def counter(connection, name, default=0):
    row = connection.execute("SELECT value FROM counters WHERE name = ?", (name,)).fetchone()
    return row[0] if row else default


def rejected_counts(connection):
    """Skipped lines per reason, in the order of parse.REASONS' names as stored."""
    return {
        name[len(REJECTED_PREFIX):]: value
        for name, value in connection.execute(
            "SELECT name, value FROM counters WHERE name LIKE ? AND value > 0 ORDER BY name",
            (REJECTED_PREFIX + "%",),
        )
    }


def daily_rows(connection):
    return connection.execute(
        "SELECT day, visits, visitors, pageviews FROM daily ORDER BY day"
    ).fetchall()


def all_path_views(connection):
    return dict(connection.execute("SELECT path, views FROM path_views"))


def current_visitor_runs(connection):
    return [runs for (runs,) in connection.execute("SELECT runs FROM visitors")]
