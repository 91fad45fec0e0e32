"""The SQLite store: submissions, spent challenges and the per-client rate window.

WAL mode with synchronous=FULL: once `add` returns, the row survives a killed
process and a power cut. Every statement is parameterised.

Writes go through one connection behind a lock; reads use a connection per
thread, so a status lookup reads its snapshot while a writer (this service, a
staff task or a backup) holds the write lock. A database that cannot be opened
or written (read-only disk, full disk, locked past the busy timeout) raises
StoreUnavailable naming the file, never a bare sqlite3 error.
"""
from __future__ import annotations

import dataclasses
import sqlite3
import threading
from pathlib import Path

from . import codes
from .captcha import REPLAYED, Ticket
from .limits import Recent
from .submission import Submission

RATE_WINDOW_SECONDS = 3600
STATUS_LABELS = {
    "received": "Đã tiếp nhận",
    "processing": "Đang xử lý",
    "answered": "Đã trả lời",
}

SCHEMA = """
CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'received'
        CHECK (status IN ('received', 'processing', 'answered')),
    topic TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    article TEXT NOT NULL DEFAULT '',
    consent INTEGER NOT NULL,
    initials TEXT NOT NULL,
    -- personal data: NULL once the retention period has passed
    name TEXT,
    email TEXT,
    phone TEXT,
    answer TEXT,
    answered_at INTEGER,
    published_at INTEGER,
    purged_at INTEGER
);
CREATE INDEX IF NOT EXISTS submissions_created ON submissions (created_at);
CREATE TABLE IF NOT EXISTS spent_challenges (
    id TEXT PRIMARY KEY,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;
-- client is a keyed hash of the address, so no IP address is ever stored;
-- kind is the challenge passed: 'pow' or 'question'
DROP TABLE IF EXISTS rate_events;
CREATE TABLE IF NOT EXISTS client_events (
    client TEXT NOT NULL,
    at INTEGER NOT NULL,
    kind TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS client_events_client ON client_events (client, at);
"""

# SQLite result codes (low byte) that mean the file cannot be used right now,
# as opposed to a bug: busy, locked, read-only, I/O error, full, cannot open.
_UNAVAILABLE = {5: "locked by another program", 6: "locked by another program",
                8: "read-only", 10: "disk I/O error", 13: "disk full", 14: "cannot be opened"}


class StoreUnavailable(Exception):
    """The database file cannot be used now; str() names the file and the reason."""

    def __init__(self, path: Path, reason: str, detail: str):
        super().__init__(f"{path}: {reason} ({detail})")
        self.path = path
        self.reason = reason


def _unavailable(path: Path, error: sqlite3.Error) -> StoreUnavailable | None:
    code = getattr(error, "sqlite_errorcode", None)
    reason = _UNAVAILABLE.get(code & 0xFF) if code is not None else None
    return StoreUnavailable(path, reason, str(error)) if reason else None


class _Guard:
    """Turns sqlite3 errors that mean "cannot use the file" into StoreUnavailable."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if isinstance(exc, sqlite3.Error):
            unavailable = _unavailable(self.path, exc)
            if unavailable is not None:
                raise unavailable from exc
        return False


class Rejected(Exception):
    """Refused by a rule that needs the database; str() is the Vietnamese message."""


class ChallengeSpent(Rejected):
    pass


@dataclasses.dataclass(frozen=True)
class Item:
    id: int
    code: str
    created_at: int
    status: str
    topic: str
    title: str
    body: str
    article: str
    consent: bool
    initials: str
    name: str | None
    email: str | None
    phone: str | None
    answer: str | None
    answered_at: int | None
    published_at: int | None
    purged_at: int | None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


_ITEM_COLUMNS = ", ".join(Item.__dataclass_fields__)


def initials(name: str) -> str:
    """'Nguyễn Văn An' -> 'N.V.A.': enough to recognise oneself, not to be found."""
    letters = [part[0].upper() for part in name.split() if part[0].isalpha()]
    return ".".join(letters) + "." if letters else "Ẩn danh"


def connect(path: Path, timeout: float = 10) -> sqlite3.Connection:
    with _Guard(path):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreUnavailable(path, "cannot be opened", error.strerror or str(error)) from None
        connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False,
                                     timeout=timeout)
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=FULL")
            connection.execute("PRAGMA foreign_keys=ON")
            (has_schema,) = connection.execute(
                "SELECT COUNT(*) FROM sqlite_master WHERE name = 'client_events'").fetchone()
            if not has_schema:
                connection.executescript(SCHEMA)
        except BaseException:
            connection.close()
            raise
        return connection


class Store:
    """Writes: one connection shared by the service's threads behind a lock
    (SQLite has one writer at a time anyway, and commits here take well under
    a ms). Reads: one connection per thread, never behind that lock.

    The write connection is opened on first use and again after a failure, so
    a service started on a read-only or locked database answers 503 and
    recovers by itself once the file is usable."""

    def __init__(self, path: Path, *, busy_timeout: float = 10):
        self.path = Path(path)
        self.busy_timeout = busy_timeout
        self._connection: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self._readers = threading.local()
        self._all_readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()
        self._last_sweep = 0

    def open(self) -> None:
        """Open (and if need be create) the database now; raises StoreUnavailable."""
        with self._lock:
            self._writer()

    def _writer(self) -> sqlite3.Connection:
        if self._connection is None:
            self._connection = connect(self.path, self.busy_timeout)
        return self._connection

    def _reader(self) -> sqlite3.Connection:
        connection = getattr(self._readers, "connection", None)
        if connection is None:
            if not self.path.exists():
                self.open()  # creates the file and its schema
            with _Guard(self.path):
                connection = sqlite3.connect(self.path, check_same_thread=False,
                                             timeout=self.busy_timeout)
                connection.execute("PRAGMA query_only=1")
            self._readers.connection = connection
            with self._readers_lock:
                self._all_readers.append(connection)
        return connection

    def _read(self, query: str, params: tuple = ()) -> list[tuple]:
        with _Guard(self.path):
            return self._reader().execute(query, params).fetchall()

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None
        with self._readers_lock:
            for reader in self._all_readers:
                reader.close()
            self._all_readers.clear()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def _transaction(self):
        return _Transaction(self, self._lock)

    # --- service side ------------------------------------------------------

    _RECENT = ("SELECT COUNT(*), COALESCE(SUM(at > ?), 0), COALESCE(SUM(kind = 'question'), 0)"
               " FROM client_events WHERE client = ? AND at > ?")

    def recent(self, client: str, *, now: int) -> Recent:
        """The address's accepted submissions of the last hour, read without the write lock."""
        [(hour, minute, questions)] = self._read(self._RECENT, (now - 60, client,
                                                                now - RATE_WINDOW_SECONDS))
        return Recent(hour, minute, questions)

    def add(self, submission: Submission, ticket: Ticket, client: str, *,
            now: int, check=None) -> str:
        """Commit a submission and return its tracking code, or raise.

        `check(recent, ticket)` sees the address's recent volume and may raise to
        refuse (limits.Limits.check). The check, the spending of the challenge
        and the insert share one transaction, so two requests racing with one
        challenge cannot both pass.
        """
        with self._transaction() as db:
            self._sweep(db, now)
            [(hour, minute, questions)] = db.execute(
                self._RECENT, (now - 60, client, now - RATE_WINDOW_SECONDS)).fetchall()
            if check is not None:
                check(Recent(hour, minute, questions), ticket)
            try:
                db.execute("INSERT INTO spent_challenges (id, expires_at) VALUES (?, ?)",
                           (ticket.id, ticket.expires_at))
            except sqlite3.IntegrityError:
                raise ChallengeSpent(REPLAYED) from None
            code = self._insert_submission(db, submission, now)
            db.execute("INSERT INTO client_events (client, at, kind) VALUES (?, ?, ?)",
                       (client, now, ticket.kind))
        return code

    @staticmethod
    def _insert_submission(db: sqlite3.Connection, s: Submission, now: int) -> str:
        for _ in range(5):
            code = codes.new_code()
            try:
                db.execute(
                    "INSERT INTO submissions (code, created_at, topic, title, body, article,"
                    " consent, initials, name, email, phone)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (code, now, s.topic, s.title, s.body, s.article, int(s.consent),
                     initials(s.name), s.name, s.email, s.phone or None))
                return code
            except sqlite3.IntegrityError:
                continue  # a code collision: 59 random bits make a second one unheard of
        raise RuntimeError("could not draw an unused tracking code")

    def spend(self, ticket: Ticket, *, now: int) -> None:
        """Use up a challenge that was answered wrongly."""
        with self._transaction() as db:
            db.execute("INSERT OR IGNORE INTO spent_challenges (id, expires_at) VALUES (?, ?)",
                       (ticket.id, ticket.expires_at))

    def _sweep(self, db: sqlite3.Connection, now: int) -> None:
        # Expired rows are useless: a spent challenge past its expiry is refused
        # by its signature anyway. Once a minute keeps the tables small.
        if now - self._last_sweep < 60:
            return
        self._last_sweep = now
        db.execute("DELETE FROM spent_challenges WHERE expires_at < ?", (now,))
        db.execute("DELETE FROM client_events WHERE at <= ?", (now - RATE_WINDOW_SECONDS,))

    # --- reading -----------------------------------------------------------

    def get(self, code: str) -> Item | None:
        rows = self._read(f"SELECT {_ITEM_COLUMNS} FROM submissions WHERE code = ?", (code,))
        return _item(rows[0]) if rows else None

    def items(self, status: str | None = None) -> list[Item]:
        query = f"SELECT {_ITEM_COLUMNS} FROM submissions"
        params: tuple = ()
        if status:
            query += " WHERE status = ?"
            params = (status,)
        rows = self._read(query + " ORDER BY created_at, id", params)
        return [_item(row) for row in rows]

    def count(self) -> int:
        return self._read("SELECT COUNT(*) FROM submissions")[0][0]

    # --- staff side --------------------------------------------------------

    def mark_processing(self, code: str) -> bool:
        with self._transaction() as db:
            cursor = db.execute(
                "UPDATE submissions SET status = 'processing' WHERE code = ? AND status = 'received'",
                (code,))
        return cursor.rowcount == 1

    def answer(self, code: str, answer: str, *, now: int) -> bool:
        with self._transaction() as db:
            cursor = db.execute(
                "UPDATE submissions SET status = 'answered', answer = ?, answered_at = ?,"
                " published_at = NULL WHERE code = ?", (answer, now, code))
        return cursor.rowcount == 1

    def mark_published(self, code: str, *, now: int) -> None:
        with self._transaction() as db:
            db.execute("UPDATE submissions SET published_at = ? WHERE code = ?", (now, code))

    def purge(self, *, older_than: int, now: int) -> tuple[int, int]:
        """Forget personal data of submissions answered before `older_than`, or
        received before it and never answered.

        Answered questions whose sender agreed to publication keep the question
        and the answer (they are public anyway) but lose name, email and phone;
        every other old submission is deleted. Returns (anonymised, deleted).
        """
        with self._transaction() as db:
            anonymised = db.execute(
                "UPDATE submissions SET name = NULL, email = NULL, phone = NULL, purged_at = ?"
                " WHERE COALESCE(answered_at, created_at) < ? AND consent = 1 AND status = 'answered'"
                " AND purged_at IS NULL", (now, older_than)).rowcount
            deleted = db.execute(
                "DELETE FROM submissions WHERE COALESCE(answered_at, created_at) < ?"
                " AND NOT (consent = 1 AND status = 'answered')", (older_than,)).rowcount
        return anonymised, deleted

    def backup(self, destination: Path) -> None:
        """A consistent copy through SQLite's online backup API, safe while the
        service keeps writing. One step: in WAL mode the copy reads a snapshot
        without blocking writers, whereas a copy in small steps restarts each
        time a writer changes the database and might never finish under load."""
        destination = Path(destination)
        destination.parent.mkdir(parents=True, exist_ok=True)
        partial = destination.with_name(destination.name + ".partial")
        partial.unlink(missing_ok=True)
        with _Guard(self.path):
            source = sqlite3.connect(self.path, timeout=self.busy_timeout)
            target = sqlite3.connect(partial)
            try:
                source.backup(target)
            finally:
                target.close()
                source.close()
        partial.replace(destination)


class _Transaction:
    def __init__(self, store: Store, lock: threading.Lock):
        self._store = store
        self._lock = lock
        self._connection: sqlite3.Connection | None = None

    def __enter__(self) -> sqlite3.Connection:
        self._lock.acquire()
        try:
            with _Guard(self._store.path):
                self._connection = self._store._writer()
                self._connection.execute("BEGIN IMMEDIATE")
        except BaseException:
            self._lock.release()
            raise
        return self._connection

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            with _Guard(self._store.path):
                try:
                    if exc_type is None:
                        self._connection.execute("COMMIT")
                finally:
                    if self._connection.in_transaction:
                        self._connection.execute("ROLLBACK")
        finally:
            self._lock.release()


def _item(row: tuple) -> Item:
    item = Item(*row)
    return dataclasses.replace(item, consent=bool(item.consent))
