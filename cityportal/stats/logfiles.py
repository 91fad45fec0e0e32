"""Finding, identifying and reading access log files, rotated and gzipped ones included.

A file is recognised by the first bytes of its (decompressed) content, plus its inode
when it is not compressed: a rename keeps both, gzip keeps the content, and a new log
started in place of a rotated one has neither.
"""
import gzip
import hashlib
import os
import zlib
from dataclasses import dataclass
from pathlib import Path

HEAD_BYTES = 1024
MAX_LINE_BYTES = 16 * 1024
CHUNK_BYTES = 1 << 20
MAX_GENERATIONS = 1000
_GZIP_MAGIC = b"\x1f\x8b"


class LogReadError(Exception):
    """A log file cannot be read; the message says which and what to do."""


@dataclass(frozen=True)
class KnownSource:
    id: int
    fingerprint: bytes
    fingerprint_length: int
    device: int | None
    inode: int | None
    offset: int


@dataclass
class PlannedRead:
    path: Path
    head: bytes
    compressed: bool
    device: int | None
    inode: int | None
    start: int
    # A rotated file is complete: its last line counts even without a newline.
    final: bool
    source_id: int | None = None

    @property
    def fingerprint(self):
        return fingerprint(self.head)


def fingerprint(head):
    return hashlib.sha256(head).digest()


def _is_gzip(path):
    with open(path, "rb") as stream:
        return stream.read(2) == _GZIP_MAGIC


def open_log(path):
    """Open a log for binary reading, decompressing gzip files whatever their name."""
    try:
        if _is_gzip(path):
            return gzip.open(path, "rb")
        return open(path, "rb")
    except OSError as error:
        raise LogReadError(
            f"{path}: cannot read the access log ({error.strerror or error}); "
            "check the path and that this user may read it"
        ) from error


def read_head(path):
    stream = open_log(path)
    try:
        with stream:
            return stream.read(HEAD_BYTES)
    except (OSError, EOFError, zlib.error) as error:
        raise LogReadError(
            f"{path}: the file is not a readable log or gzip file ({error}); "
            "check it or move it away from the log directory"
        ) from error


def generations(path):
    """The log and its rotated predecessors, oldest first: f.2.gz, f.1, f."""
    path = Path(path)
    found = [path]
    for number in range(1, MAX_GENERATIONS):
        for candidate in (Path(f"{path}.{number}"), Path(f"{path}.{number}.gz")):
            if candidate.exists():
                found.append(candidate)
                break
        else:
            break
    return list(reversed(found))


def describe(path, start=0, final=True):
    head = read_head(path)
    compressed = _is_gzip(path)
    status = os.stat(path)
    return PlannedRead(
        path=Path(path),
        head=head,
        compressed=compressed,
        device=None if compressed else status.st_dev,
        inode=None if compressed else status.st_ino,
        start=start,
        final=final,
    )


def _same_content(head, source):
    return (
        len(head) >= source.fingerprint_length
        and fingerprint(head[: source.fingerprint_length]) == source.fingerprint
    )


def check_readable(path):
    """Raise LogReadError unless ``path`` is a file this process can open."""
    path = Path(path)
    if not path.is_file():
        reason = "does not exist" if not path.exists() else "is not a file"
        raise LogReadError(f"{path}: the access log {reason}; check --log or STATS_LOG")
    try:
        open(path, "rb").close()
    except OSError as error:
        raise LogReadError(
            f"{path}: cannot read the access log ({error.strerror}); "
            "check that this user may read it"
        ) from error


def plan_reads(path, known_sources, first_run):
    """What to read of ``path`` and its rotated files, given the files read before.

    Known files resume at their stored offset. Files newer than the oldest known one
    are read whole (they were started after we last looked). On a first run only the
    current log is read, so old rotated files are not imported by surprise.
    Raises LogReadError, before anything is read, if a file cannot be opened.
    """
    path = Path(path)
    check_readable(path)
    files = [describe(candidate, final=candidate != path) for candidate in generations(path)]
    files = [planned for planned in files if planned.head]
    _match_sources(files, known_sources)
    matched = [index for index, planned in enumerate(files) if planned.source_id is not None]
    if matched:
        return files[matched[0]:]
    if first_run:
        return [planned for planned in files if planned.path == path]
    return files


def _match_sources(files, known_sources):
    unclaimed = {source.id: source for source in known_sources}

    def claim(planned, source):
        planned.source_id = source.id
        planned.start = source.offset
        del unclaimed[source.id]

    # A file that kept its inode and content is certainly the same file; only then may
    # content alone identify a copy or a compressed file, oldest first.
    for planned in files:
        for source in list(unclaimed.values()):
            if (
                planned.inode is not None
                and (planned.device, planned.inode) == (source.device, source.inode)
                and _same_content(planned.head, source)
                and os.path.getsize(planned.path) >= source.offset
            ):
                claim(planned, source)
                break
    for planned in files:
        if planned.source_id is not None:
            continue
        for source in list(unclaimed.values()):
            if _same_content(planned.head, source) and (
                planned.compressed or os.path.getsize(planned.path) >= source.offset
            ):
                claim(planned, source)
                break


def line_batches(planned):
    """Yield (lines, consumed, overlong) for complete lines from ``planned.start``.

    ``consumed`` is the number of bytes the lines of the batch (and the over-long lines
    skipped with them) take in the file, so the offset after a batch always sits at a
    line boundary. Over-long lines are skipped whole and only counted. An unfinished
    last line of a live log is left for the next run.
    """
    stream = open_log(planned.path)
    try:
        with stream:
            stream.seek(planned.start)
            yield from _split_batches(stream, planned.final)
    except (OSError, EOFError, zlib.error) as error:
        raise LogReadError(
            f"{planned.path}: reading failed ({error}); the file may be damaged, "
            "move it away from the log directory and run again"
        ) from error


def _split_batches(stream, final):
    pending = b""
    skipped_bytes = 0  # bytes of an over-long line already passed over
    while True:
        chunk = stream.read(CHUNK_BYTES)
        if not chunk:
            break
        lines = (pending + chunk).split(b"\n")
        pending = lines.pop()
        consumed = 0
        overlong = 0
        if skipped_bytes and lines:
            consumed += skipped_bytes + len(lines[0]) + 1
            overlong += 1
            skipped_bytes = 0
            del lines[0]
        if lines and max(map(len, lines)) > MAX_LINE_BYTES:
            kept = [line for line in lines if len(line) <= MAX_LINE_BYTES]
            overlong += len(lines) - len(kept)
            consumed += sum(len(line) + 1 for line in lines)
            lines = kept
        else:
            consumed += sum(map(len, lines)) + len(lines)
        if len(pending) > MAX_LINE_BYTES:
            skipped_bytes += len(pending)
            pending = b""
        yield lines, consumed, overlong
    if final and (pending or skipped_bytes):
        if skipped_bytes or len(pending) > MAX_LINE_BYTES:
            yield [], skipped_bytes + len(pending), 1
        else:
            yield [pending], len(pending), 0
