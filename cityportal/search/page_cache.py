"""The searchable fields of each built page and its weighted index keys, kept between
builds in a SQLite file of the cache folder, so that a rebuild reads and splits into keys
only the pages the build wrote again.

A page is known by its size and modification time: the build never rewrites a page whose
bytes did not change, so an equal stamp means the same page. A page written in the last
seconds may be written again in the same tick of the clock with the same size, so its
entry also keeps a digest of its bytes and is compared by them (as
cityportal/build_inputs.py does for the build's inputs)."""
from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from pathlib import Path

from .compact import read_page, weighted_keys

RACY_SECONDS = 2.0
_VERSION = 2
_SCHEMA = ("CREATE TABLE IF NOT EXISTS page (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, "
           "digest TEXT, page TEXT, keys TEXT, weights BLOB)")


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _page(page_json: str, keys: str, weights: bytes) -> dict | None:
    page = json.loads(page_json)
    if page is not None:
        page["keys"] = (keys.split("\n") if keys else [], weights)
    return page


class PageCache:
    def __init__(self, database: Path | None):
        self._connection = None
        self._known: set[str] = set()
        self._seen: set[str] = set()
        self._changes: list[tuple] = []
        self.parsed = 0
        if database is None:
            return
        Path(database).parent.mkdir(parents=True, exist_ok=True)
        try:
            self._connection = self._open(database)
        except sqlite3.DatabaseError:  # a damaged cache only costs a full parse
            Path(database).unlink(missing_ok=True)
            self._connection = self._open(database)
        self._known = {row[0] for row in self._connection.execute("SELECT path FROM page")}

    @staticmethod
    def _open(database: Path) -> sqlite3.Connection:
        connection = sqlite3.connect(database)
        if connection.execute("PRAGMA user_version").fetchone()[0] != _VERSION:
            connection.execute("DROP TABLE IF EXISTS page")
            connection.execute(f"PRAGMA user_version = {_VERSION}")
        connection.execute(_SCHEMA)
        return connection

    def read(self, path: Path) -> dict | None:
        """The page at `path` as read_page gives it, with its weighted_keys as "keys";
        from the cache when it is the same page."""
        key = str(path)
        self._seen.add(key)
        stat = path.stat()
        known = self._connection.execute(
            "SELECT size, mtime_ns, digest, page, keys, weights FROM page WHERE path = ?", (key,)
        ).fetchone() if key in self._known else None
        data = None
        if known and known[0] == stat.st_size and known[1] == stat.st_mtime_ns:
            if not known[2] or _digest(data := path.read_bytes()) == known[2]:
                return _page(*known[3:])
        data = path.read_bytes() if data is None else data
        page = read_page(data.decode("utf-8"))
        self.parsed += 1
        keys, weights = weighted_keys(page["fields"]) if page else ([], b"")
        racy = stat.st_mtime_ns >= time.time_ns() - int(RACY_SECONDS * 1e9)
        stored = (json.dumps(page, ensure_ascii=False), "\n".join(keys), weights)
        self._changes.append((key, stat.st_size, stat.st_mtime_ns, _digest(data) if racy else "", *stored))
        return _page(*stored)

    def save(self) -> None:
        """Keep the pages read in this pass, and forget the pages no longer in the site."""
        if self._connection is None:
            return
        with self._connection:
            self._connection.executemany("REPLACE INTO page VALUES (?, ?, ?, ?, ?, ?, ?)", self._changes)
            self._connection.executemany("DELETE FROM page WHERE path = ?",
                                         [(key,) for key in self._known if key not in self._seen])
        self._connection.close()
        self._connection = None
