"""The searchable fields of each built page and its weighted index keys, kept between
builds in a SQLite file of the cache folder, so that a rebuild reads and splits into keys
only the pages the build wrote again.

A page is known by its size and modification time: the build never rewrites a page whose
bytes did not change, so an equal stamp means the same page. A page written in the last
seconds may be written again in the same tick of the clock with the same size, so its
entry also keeps a digest of its bytes and is compared by them (as
cityportal/build_inputs.py does for the build's inputs)."""
from __future__ import annotations

import json
import multiprocessing
import os
import sqlite3
import time
from pathlib import Path

from cityportal.fingerprint import RACY_SECONDS, bytes_digest

from .compact import read_page, weighted_keys

# Below this many pages to parse, starting processes costs more than it saves.
PARALLEL_FROM = 200
_VERSION = 2
_REPLACE = "REPLACE INTO page VALUES (?, ?, ?, ?, ?, ?, ?)"
_BATCH = 256
_SCHEMA = ("CREATE TABLE IF NOT EXISTS page (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, "
           "digest TEXT, page TEXT, keys TEXT, weights BLOB)")


def _row(path: Path, stat: os.stat_result) -> tuple:
    """The cache's row for the page at `path`: it is read, parsed and split into keys."""
    data = path.read_bytes()
    page = read_page(data.decode("utf-8"))
    keys, weights = weighted_keys(page["fields"]) if page else ([], b"")
    racy = stat.st_mtime_ns >= time.time_ns() - int(RACY_SECONDS * 1e9)
    return (str(path), stat.st_size, stat.st_mtime_ns, bytes_digest(data) if racy else "",
            json.dumps(page, ensure_ascii=False), "\n".join(keys), weights)


def _store_rows(database: Path, paths: list[Path]) -> None:
    """A worker's share: parse `paths` and write their rows, a batch per transaction."""
    connection = sqlite3.connect(database, timeout=60)
    for start in range(0, len(paths), 64):
        rows = [_row(path, path.stat()) for path in paths[start:start + 64]]
        with connection:
            connection.executemany(_REPLACE, rows)
    connection.close()


def _page(page_json: str, keys: str, weights: bytes) -> dict | None:
    page = json.loads(page_json)
    if page is not None:
        page["keys"] = (keys.split("\n") if keys else [], weights)
    return page


class PageCache:
    def __init__(self, database: Path | None):
        self._connection = None
        self._database = database
        self._known: set[str] = set()
        self._verified: set[str] = set()  # compared by their bytes in this pass already
        self._seen: set[str] = set()
        self._unsaved: dict[str, tuple] = {}  # rows parsed in this pass, not yet written
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

    def _cached(self, path: Path, stat: os.stat_result) -> tuple | None:
        """The stored page, keys and weights of `path` when they are of this very page."""
        if str(path) not in self._known:
            return None
        known = self._connection.execute(
            "SELECT size, mtime_ns, digest, page, keys, weights FROM page WHERE path = ?", (str(path),)
        ).fetchone()
        if known and known[0] == stat.st_size and known[1] == stat.st_mtime_ns:
            if not known[2] or str(path) in self._verified or bytes_digest(path.read_bytes()) == known[2]:
                self._verified.add(str(path))
                return known[3:]
        return None

    def read(self, path: Path) -> dict | None:
        """The page at `path` as read_page gives it, with its weighted_keys as "keys";
        from the cache when it is the same page. A page may be read more than once in a
        pass; it is parsed once."""
        key = str(path)
        self._seen.add(key)
        if key in self._unsaved:
            return _page(*self._unsaved[key][4:])
        stat = path.stat()
        stored = self._cached(path, stat)
        if stored is None:
            row = _row(path, stat)
            self.parsed += 1
            self._unsaved[key] = row
            if self._connection is not None and len(self._unsaved) >= _BATCH:
                self._write_unsaved()
            stored = row[4:]
        return _page(*stored)

    def _write_unsaved(self) -> None:
        """Into the open transaction: this connection reads them back, memory is freed."""
        self._connection.executemany(_REPLACE, self._unsaved.values())
        self._known.update(self._unsaved)
        self._verified.update(self._unsaved)
        self._unsaved.clear()

    def prepare(self, paths, workers: int) -> None:
        """Parse in `workers` forked processes the pages of `paths` the cache lacks, each
        writing its rows into the cache, so that `read` then finds every page there."""
        if self._connection is None or workers < 2:
            return
        missing = [path for path in paths if self._cached(path, path.stat()) is None]
        if len(missing) < PARALLEL_FROM:
            return
        self._connection.commit()
        shares = [missing[number::workers] for number in range(workers)]
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            pool.starmap(_store_rows, [(self._database, share) for share in shares])
        self._known.update(str(path) for path in missing)
        self.parsed += len(missing)

    def save(self) -> None:
        """Keep the pages read in this pass, and forget the pages no longer in the site."""
        if self._connection is None:
            return
        with self._connection:
            self._write_unsaved()
            self._connection.executemany("DELETE FROM page WHERE path = ?",
                                         [(key,) for key in self._known if key not in self._seen])
        self._connection.close()
        self._connection = None
