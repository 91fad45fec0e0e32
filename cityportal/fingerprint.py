"""Digests that are the same in every process: a stable repr of settings-like values, a
file's bytes, and stamps of file trees taken from their sizes and times without reading
the files.

Knows nothing of Pelican."""
from __future__ import annotations

import hashlib
import os
import sysconfig
import time
from datetime import date, datetime
from pathlib import Path
from types import ModuleType

from cityportal import CODE_FOLDERS

_SKIPPED_DIRS = {"__pycache__", ".git", ".pytest_cache"}
# A file modified less than this long ago may be modified again within the same tick of
# the file system's clock, keeping its size and time: compare such a file by its bytes.
RACY_SECONDS = 2.0


def stable_repr(value) -> str:
    """A repr that is the same in every process: no memory addresses, sorted mappings."""
    if isinstance(value, dict):
        items = sorted((stable_repr(k), stable_repr(v)) for k, v in value.items())
        return "{" + ",".join(f"{k}:{v}" for k, v in items) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(stable_repr(v) for v in value) + "]"
    if isinstance(value, (set, frozenset)):
        return "{" + ",".join(sorted(stable_repr(v) for v in value)) + "}"
    if isinstance(value, (str, int, float, bool, type(None), datetime, date, Path)):
        return repr(value)
    if isinstance(value, ModuleType):
        return f"<module {value.__name__}>"
    if callable(value):
        return f"<{getattr(value, '__module__', '?')}.{getattr(value, '__qualname__', type(value).__name__)}>"
    return f"<{type(value).__module__}.{type(value).__qualname__}>"


def walk_files(root: Path):
    if root.is_file():
        yield root
        return
    for directory, subdirs, files in os.walk(root):
        subdirs[:] = sorted(d for d in subdirs if d not in _SKIPPED_DIRS)
        for name in sorted(files):
            yield Path(directory) / name


def folder_entries(root: Path):
    """(folder, its path relative to root with a trailing "/", its entries other than
    folders) for root and every folder under it, from os.scandir; symlinked folders are
    listed among the entries, not entered."""
    stack = [(Path(root), "")]
    while stack:
        folder, prefix = stack.pop()
        others = []
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append((folder / entry.name, f"{prefix}{entry.name}/"))
                else:
                    others.append(entry)
        yield folder, prefix, others


def file_stats(paths):
    """(path, size, mtime in ns) of every file under `paths`, in a stable order; a
    missing root gives (root, -1, 0), so its appearance changes a stamp too."""
    for root in sorted({Path(p).resolve() for p in paths}):
        if not root.exists():
            yield root, -1, 0
            continue
        for path in walk_files(root):
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue
            yield path, stat.st_size, stat.st_mtime_ns


def stat_stamp(status: os.stat_result) -> list[int]:
    """What tells one state of a file from another: the inode (a file replaced by a
    rename is a new one), its size and its modification time."""
    return [status.st_ino, status.st_size, status.st_mtime_ns]


def file_stamp(path) -> list[int] | None:
    """`stat_stamp` of the file at `path`; None when there is none."""
    try:
        return stat_stamp(os.stat(path))
    except OSError:
        return None


def is_racy(mtime_ns: int) -> bool:
    """Whether a file with this modification time may still change without changing it."""
    return mtime_ns >= time.time_ns() - int(RACY_SECONDS * 1e9)


def bytes_digest(data: bytes) -> str:
    """The digest by which the build knows a file's bytes."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def file_digest(path: Path) -> str:
    """`bytes_digest` of the file at `path`, read in chunks."""
    digest = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def stats_digest(stats) -> str:
    """Digest of (path, size, mtime in ns) triples, in the order given."""
    digest = hashlib.blake2b(digest_size=16)
    for path, size, mtime_ns in stats:
        digest.update(f"{path}\0{size}\0{mtime_ns}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def tree_stamp(paths) -> str:
    """Digest of (path, size, mtime) of every file under `paths`: any edit, addition or
    removal changes it, without reading a single file."""
    return stats_digest(file_stats(paths))


def packages_stamp() -> str:
    """The installed packages' folder by its time: installing, upgrading or removing a
    package adds or removes an entry in it."""
    return str(os.stat(sysconfig.get_paths()["purelib"]).st_mtime_ns)


def code_stamp() -> str:
    """The portal's code and the installed packages, by size and time: results computed
    by that code are kept under it."""
    return f"{tree_stamp(CODE_FOLDERS)}:{packages_stamp()}"
