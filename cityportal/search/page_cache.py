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
from pathlib import Path

from cityportal.fingerprint import bytes_digest, code_stamp, is_racy

from .compact import read_page, weighted_keys

# Below this many pages to parse, starting processes costs more than it saves.
PARALLEL_FROM = 200
_VERSION = 3
_REPLACE = "REPLACE INTO page VALUES (?, ?, ?, ?, ?, ?, ?)"
# A page's keys as the index last used them, kept when its row is first replaced after
# that index (cityportal/search/index_state.py takes them out of the postings).
_KEEP_REPLACED = "INSERT OR IGNORE INTO replaced SELECT path, keys, weights FROM page WHERE path = ?"
_BATCH = 256
_SCHEMA = ("CREATE TABLE IF NOT EXISTS page (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, "
           "digest TEXT, page TEXT, keys TEXT, weights BLOB);"
           "CREATE TABLE IF NOT EXISTS replaced (path TEXT PRIMARY KEY, keys TEXT, weights BLOB);"
           "CREATE TABLE IF NOT EXISTS stamp (value TEXT)")


def _row(path: Path, stat: os.stat_result) -> tuple:
    """The cache's row for the page at `path`: it is read, parsed and split into keys."""
    data = path.read_bytes()
    page = read_page(data.decode("utf-8"))
    keys, weights = weighted_keys(page["fields"]) if page else ([], b"")
    return (str(path), stat.st_size, stat.st_mtime_ns, bytes_digest(data) if is_racy(stat.st_mtime_ns) else "",
            json.dumps(page, ensure_ascii=False), "\n".join(keys), weights)


def _replace_rows(connection: sqlite3.Connection, rows: list[tuple]) -> None:
    connection.executemany(_KEEP_REPLACED, [(row[0],) for row in rows])
    connection.executemany(_REPLACE, rows)


def _store_rows(database: Path, paths: list[Path]) -> None:
    """A worker's share: parse `paths` and write their rows, a batch per transaction."""
    connection = sqlite3.connect(database, timeout=60)
    for start in range(0, len(paths), 64):
        rows = [_row(path, path.stat()) for path in paths[start:start + 64]]
        with connection:
            _replace_rows(connection, rows)
    connection.close()


def _keys(keys: str, weights: bytes) -> tuple[list[str], bytes]:
    return keys.split("\n") if keys else [], weights


def _page(page_json: str, keys: str, weights: bytes) -> dict | None:
    page = json.loads(page_json)
    if page is not None:
        page["keys"] = _keys(keys, weights)
    return page


class PageCache:
    def __init__(self, database: Path | None):
        self._connection = None
        self._database = database
        # path -> (size, mtime_ns, digest) of each stored page
        self._stamps: dict[str, tuple] = {}
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
        self._stamps = {row[0]: row[1:] for row in
                        self._connection.execute("SELECT path, size, mtime_ns, digest FROM page")}

    @staticmethod
    def _open(database: Path) -> sqlite3.Connection:
        """The cache, emptied when the portal's code or packages changed since it was
        written: how a page splits into keys is theirs (as for cityportal/memo.py)."""
        connection = sqlite3.connect(database)
        stamp = f"{_VERSION}:{code_stamp()}"
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        written_by = connection.execute("SELECT value FROM stamp").fetchone() if "stamp" in tables else None
        if written_by != (stamp,):
            for table in tables:
                connection.execute(f'DROP TABLE "{table}"')
            connection.executescript(_SCHEMA)
            connection.execute("INSERT INTO stamp VALUES (?)", (stamp,))
            connection.commit()
        return connection

    @property
    def connection(self) -> sqlite3.Connection | None:
        """The cache's open connection, for the index state kept in the same file and
        saved in the same transaction."""
        return self._connection

    def _fresh(self, path: Path, stat: os.stat_result) -> bool:
        """Whether the stored row is of this very page."""
        key = str(path)
        known = self._stamps.get(key)
        if not known or known[0] != stat.st_size or known[1] != stat.st_mtime_ns:
            return False
        if not known[2] or key in self._verified or bytes_digest(path.read_bytes()) == known[2]:
            self._verified.add(key)
            return True
        return False

    def read(self, path: Path) -> dict | None:
        """The page at `path` as read_page gives it, with its weighted_keys as "keys";
        from the cache when it is the same page. A page may be read more than once in a
        pass; it is parsed once."""
        key = str(path)
        self._seen.add(key)
        if key in self._unsaved:
            return _page(*self._unsaved[key][4:])
        stat = path.stat()
        if self._connection is not None and self._fresh(path, stat):
            return _page(*self._connection.execute(
                "SELECT page, keys, weights FROM page WHERE path = ?", (key,)).fetchone())
        row = _row(path, stat)
        self.parsed += 1
        self._unsaved[key] = row
        if self._connection is not None and len(self._unsaved) >= _BATCH:
            self._write_unsaved()
        return _page(*row[4:])

    def _write_unsaved(self) -> None:
        """Into the open transaction: this connection reads them back, memory is freed."""
        _replace_rows(self._connection, list(self._unsaved.values()))
        self._stamps.update((key, row[1:4]) for key, row in self._unsaved.items())
        self._verified.update(self._unsaved)
        self._unsaved.clear()

    def refresh(self, paths: list[Path], workers: int) -> None:
        """Parse every page of `paths` the cache lacks or holds in another version, in
        `workers` forked processes when there are many, so that each is then read from
        the cache. Every page of `paths` counts as seen: `save` keeps them all."""
        self._seen.update(str(path) for path in paths)
        if self._connection is None:
            return
        missing = [path for path in paths if not self._fresh(path, path.stat())]
        if workers < 2 or len(missing) < PARALLEL_FROM:
            for path in missing:
                self.read(path)
            return
        self._connection.commit()
        shares = [missing[number::workers] for number in range(workers)]
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            pool.starmap(_store_rows, [(self._database, share) for share in shares])
        self._stamps.update((row[0], row[1:]) for row in self._connection.execute(
            "SELECT path, size, mtime_ns, digest FROM page"))
        self.parsed += len(missing)

    def replaced(self) -> dict[str, tuple[list[str], bytes]]:
        """path -> (keys, weights) as stored before the page's row was first replaced (or
        removed) since `forget_replaced`."""
        if self._connection is None:
            return {}
        self._write_unsaved()
        return {path: _keys(keys, weights) for path, keys, weights in
                self._connection.execute("SELECT path, keys, weights FROM replaced")}

    def forget_replaced(self) -> None:
        """The index now holds every page as stored: into the open transaction."""
        self._write_unsaved()
        self._connection.execute("DELETE FROM replaced")

    def save(self) -> None:
        """Keep the pages read in this pass, and forget the pages no longer in the site."""
        if self._connection is None:
            return
        with self._connection:
            self._write_unsaved()
            gone = [(key,) for key in self._stamps if key not in self._seen]
            self._connection.executemany(_KEEP_REPLACED, gone)
            self._connection.executemany("DELETE FROM page WHERE path = ?", gone)
        self._connection.close()
        self._connection = None
