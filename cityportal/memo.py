"""Results of the build's costly pure functions of an article's text (cleaning its body,
finding its legal references), kept between builds in a SQLite file of the cache folder.
An unchanged article then costs a lookup instead of the work.

A result is found by the function's name and a digest of its arguments, under a stamp of
the portal's code and installed packages: after any change to either, every result is
computed afresh. Results a build did not ask for are dropped when it saves, so the file
holds the current site only. Without a file (no cache folder) nothing is kept.

One Memo per file and process (`shared_memo`): every plugin asks the same one, so their
writes never wait on each other's transactions.
"""
from __future__ import annotations

import hashlib
import pickle
import sqlite3
from pathlib import Path

from cityportal.fingerprint import code_stamp

_SCHEMA = ("CREATE TABLE IF NOT EXISTS result (name TEXT, key TEXT, value BLOB, PRIMARY KEY (name, key));"
           "CREATE TABLE IF NOT EXISTS stamp (value TEXT)")


class Memo:
    def __init__(self, database: Path | None):
        self._connection = None
        self._database = database
        self._used: dict[str, set[str]] = {}
        self._stored: dict[str, dict[str, bytes]] = {}  # results not yet asked for, by name
        self._in_file: dict[str, set[str]] = {}  # keys the file holds, by name
        if database is None:
            return
        Path(database).parent.mkdir(parents=True, exist_ok=True)
        stamp = code_stamp()
        try:
            self._connection = self._open(database, stamp)
        except sqlite3.DatabaseError:  # a damaged file only costs the work once
            Path(database).unlink(missing_ok=True)
            self._connection = self._open(database, stamp)

    @staticmethod
    def _open(database: Path, stamp: str) -> sqlite3.Connection:
        connection = sqlite3.connect(database)
        connection.executescript(_SCHEMA)
        if connection.execute("SELECT value FROM stamp").fetchone() != (stamp,):
            with connection:
                connection.execute("DELETE FROM result")
                connection.execute("DELETE FROM stamp")
                connection.execute("INSERT INTO stamp VALUES (?)", (stamp,))
        return connection

    def __call__(self, name: str, function, *arguments):
        """`function(*arguments)`, from the file when this build's code computed it before."""
        if self._connection is None:
            return function(*arguments)
        key = hashlib.blake2b(pickle.dumps(arguments, protocol=5), digest_size=16).hexdigest()
        self._used.setdefault(name, set()).add(key)
        if name not in self._stored:
            # One query for all of a name's results (a query per call cost 25 µs each);
            # each is let go once taken, so memory does not hold them all to the end.
            self._stored[name] = dict(self._connection.execute(
                "SELECT key, value FROM result WHERE name = ?", (name,)))
            self._in_file[name] = set(self._stored[name])
        stored = self._stored[name].pop(key, None)
        if stored is not None:
            return pickle.loads(stored)
        value = function(*arguments)
        if key not in self._in_file[name]:  # asked again: the file has it already
            self._connection.execute("INSERT OR REPLACE INTO result VALUES (?, ?, ?)",
                                     (name, key, pickle.dumps(value, protocol=5)))
            self._in_file[name].add(key)
        return value

    def save(self) -> None:
        """Keep what this build computed; drop, for each name it used, what it did not ask
        for. Later calls do nothing."""
        if self._connection is None:
            return
        _shared.pop(self._database, None)
        with self._connection:
            self._connection.execute("CREATE TEMP TABLE used (name TEXT, key TEXT)")
            self._connection.executemany("INSERT INTO used VALUES (?, ?)",
                                         [(name, key) for name, keys in self._used.items() for key in keys])
            self._connection.execute(
                "DELETE FROM result WHERE name IN (SELECT DISTINCT name FROM used) "
                "AND (name, key) NOT IN (SELECT name, key FROM used)")
        self._connection.close()
        self._connection = None


_shared: dict[Path, Memo] = {}


def shared_memo(cache_dir) -> Memo:
    """The process's Memo over `cache_dir`/memo.sqlite, opened on first use."""
    database = (Path(cache_dir) / "memo.sqlite").resolve()
    if database not in _shared:
        _shared[database] = Memo(database)
    return _shared[database]
