"""The SQLite store: submissions, spent challenges and the per-client rate window.

WAL mode with synchronous=FULL: once `add` returns, the row survives a killed
process and a power cut. Every statement is parameterised.
"""
from __future__ import annotations

import dataclasses
import sqlite3
import threading
from pathlib import Path

from . import codes
from .captcha import Ticket
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
-- client is a keyed hash of the address, so no IP address is ever stored
CREATE TABLE IF NOT EXISTS rate_events (
    client TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS rate_events_client ON rate_events (client, at);
"""


class Rejected(Exception):
    """Refused by a rule that needs the database; str() is the Vietnamese message."""


class RateLimited(Rejected):
    pass


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


def connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute("PRAGMA foreign_keys=ON")
    connection.executescript(SCHEMA)
    return connection


class Store:
    """One connection shared by the service's threads behind a lock: SQLite
    has one writer at a time anyway, and commits here take well under a ms."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._connection = connect(self.path)
        self._lock = threading.Lock()
        self._last_sweep = 0

    def close(self) -> None:
        with self._lock:
            self._connection.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def _transaction(self):
        return _Transaction(self._connection, self._lock)

    # --- service side ------------------------------------------------------

    def add(self, submission: Submission, ticket: Ticket, client: str, *,
            now: int, limit_per_hour: int) -> str:
        """Commit a submission and return its tracking code, or raise Rejected.

        The rate check, the spending of the challenge and the insert share one
        transaction, so two requests racing with one challenge cannot both pass.
        """
        with self._transaction() as db:
            self._sweep(db, now)
            window_start = now - RATE_WINDOW_SECONDS
            (recent,) = db.execute(
                "SELECT COUNT(*) FROM rate_events WHERE client = ? AND at > ?",
                (client, window_start)).fetchone()
            if recent >= limit_per_hour:
                raise RateLimited(
                    f"Bạn đã gửi {recent} ý kiến trong một giờ qua, đạt giới hạn cho phép. "
                    "Vui lòng thử lại sau.")
            try:
                db.execute("INSERT INTO spent_challenges (id, expires_at) VALUES (?, ?)",
                           (ticket.id, ticket.expires_at))
            except sqlite3.IntegrityError:
                raise ChallengeSpent(
                    "Mã kiểm tra này đã được sử dụng. Vui lòng lấy mã mới và gửi lại.") from None
            code = self._insert_submission(db, submission, now)
            db.execute("INSERT INTO rate_events (client, at) VALUES (?, ?)", (client, now))
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
        db.execute("DELETE FROM rate_events WHERE at <= ?", (now - RATE_WINDOW_SECONDS,))

    # --- reading -----------------------------------------------------------

    def get(self, code: str) -> Item | None:
        with self._lock:
            row = self._connection.execute(
                f"SELECT {_ITEM_COLUMNS} FROM submissions WHERE code = ?", (code,)).fetchone()
        return _item(row) if row else None

    def items(self, status: str | None = None) -> list[Item]:
        query = f"SELECT {_ITEM_COLUMNS} FROM submissions"
        params: tuple = ()
        if status:
            query += " WHERE status = ?"
            params = (status,)
        with self._lock:
            rows = self._connection.execute(query + " ORDER BY created_at, id", params).fetchall()
        return [_item(row) for row in rows]

    def count(self) -> int:
        with self._lock:
            return self._connection.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]

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
        source = sqlite3.connect(self.path, timeout=10)
        target = sqlite3.connect(partial)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
        partial.replace(destination)


class _Transaction:
    def __init__(self, connection: sqlite3.Connection, lock: threading.Lock):
        self._connection = connection
        self._lock = lock

    def __enter__(self) -> sqlite3.Connection:
        self._lock.acquire()
        try:
            self._connection.execute("BEGIN IMMEDIATE")
        except BaseException:
            self._lock.release()
            raise
        return self._connection

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                self._connection.execute("COMMIT")
            else:
                self._connection.execute("ROLLBACK")
        finally:
            self._lock.release()


def _item(row: tuple) -> Item:
    item = Item(*row)
    return dataclasses.replace(item, consent=bool(item.consent))
