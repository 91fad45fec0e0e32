"""The searchable fields of each built page, kept between builds in a SQLite file of the
cache folder, so that a rebuild parses only the pages the build wrote again.

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

from .compact import read_page

RACY_SECONDS = 2.0
_SCHEMA = "CREATE TABLE IF NOT EXISTS page (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, digest TEXT, fields TEXT)"


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class PageCache:
    def __init__(self, database: Path | None):
        self._connection = None
        self._known: dict[str, tuple] = {}
        self._seen: set[str] = set()
        self._changes: list[tuple] = []
        self.parsed = 0
        if database is None:
            return
        Path(database).parent.mkdir(parents=True, exist_ok=True)
        try:
            self._connection = sqlite3.connect(database)
            self._connection.execute(_SCHEMA)
            self._known = {row[0]: row[1:] for row in
                           self._connection.execute("SELECT path, size, mtime_ns, digest, fields FROM page")}
        except sqlite3.DatabaseError:  # a damaged cache only costs a full parse
            Path(database).unlink(missing_ok=True)
            self._connection = sqlite3.connect(database)
            self._connection.execute(_SCHEMA)
            self._known = {}

    def read(self, path: Path) -> dict | None:
        """The fields of the page at `path` (read_page), from the cache when it is the same page."""
        key = str(path)
        self._seen.add(key)
        stat = path.stat()
        known = self._known.get(key)
        data = None
        if known and known[0] == stat.st_size and known[1] == stat.st_mtime_ns:
            if not known[2]:
                return json.loads(known[3])
            data = path.read_bytes()
            if _digest(data) == known[2]:
                return json.loads(known[3])
        data = path.read_bytes() if data is None else data
        page = read_page(data.decode("utf-8"))
        self.parsed += 1
        racy = stat.st_mtime_ns >= time.time_ns() - int(RACY_SECONDS * 1e9)
        self._changes.append((key, stat.st_size, stat.st_mtime_ns, _digest(data) if racy else "",
                              json.dumps(page, ensure_ascii=False)))
        return page

    def save(self) -> None:
        """Keep the pages read in this pass, and forget the pages no longer in the site."""
        if self._connection is None:
            return
        with self._connection:
            self._connection.executemany("REPLACE INTO page VALUES (?, ?, ?, ?, ?)", self._changes)
            self._connection.executemany("DELETE FROM page WHERE path = ?",
                                         [(key,) for key in self._known if key not in self._seen])
        self._connection.close()
        self._connection = None
