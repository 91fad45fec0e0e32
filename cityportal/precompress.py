"""Write .gz and .br siblings of text files so the web server can send them without work.

Knows nothing of Pelican. A manifest (path -> size, mtime, content hash) lets a rebuild
skip files whose bytes did not change, even when the build rewrote them with a new mtime.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from cityportal.fingerprint import bytes_digest, folder_entries

try:
    import brotli
except ImportError:  # .br files are optional: only a CDN or nginx with ngx_brotli uses them
    brotli = None

# .bin: the search index's postings (chi-muc/s/), binary but a third of their size gzipped.
DEFAULT_EXTENSIONS = (".html", ".css", ".js", ".xml", ".json", ".svg", ".txt", ".webmanifest", ".bin")
# Below this size the headers cost more than the compression saves.
DEFAULT_MIN_BYTES = 256
# Level 9 made pages 0.2% and the search index's shards 2.7% smaller than level 6, in
# 1.2x and 4x the time (a common word's 75 KB shard took 55 ms); and only a client
# without brotli is sent the .gz file.
DEFAULT_GZIP_LEVEL = 6
# Measured on the portal's pages: quality 7 gives the same size as 9 in 1/30 of the time,
# and 11 is slower again for a few per cent; 10,000 pages must compress in seconds.
DEFAULT_BROTLI_QUALITY = 7


@dataclass
class CompressionReport:
    compressed: int = 0
    unchanged: int = 0
    too_small: int = 0
    bytes_in: int = 0
    bytes_gzip: int = 0
    bytes_brotli: int = 0
    removed_orphans: int = 0


def _write_atomic(path: Path, data: bytes, mtime_ns: int) -> None:
    staging = path.with_name(f".{path.name}.tmp")
    staging.write_bytes(data)
    os.utime(staging, ns=(mtime_ns, mtime_ns))
    os.replace(staging, path)


# The files this module writes beside each text file.
SIBLING_SUFFIXES = (".gz", ".br")


def _siblings(path: Path, with_brotli: bool) -> list[Path]:
    names = [path.with_name(path.name + ".gz")]
    if with_brotli:
        names.append(path.with_name(path.name + ".br"))
    return names


class _Compressor:
    def __init__(self, root: Path, previous: dict, gzip_level: int, brotli_quality: int | None,
                 min_bytes: int):
        self.root = root
        self.previous = previous
        self.gzip_level = gzip_level
        self.brotli_quality = brotli_quality
        self.min_bytes = min_bytes

    def __call__(self, path: Path):
        """Returns (relative path, manifest record or None, outcome, sizes)."""
        relative = path.relative_to(self.root).as_posix()
        stat = path.stat()
        siblings = _siblings(path, self.brotli_quality is not None)
        known = self.previous.get(relative)
        have_siblings = all(s.exists() for s in siblings)
        if known and have_siblings and known[:2] == [stat.st_size, stat.st_mtime_ns]:
            return relative, known, "unchanged", (0, 0, 0)
        if stat.st_size < self.min_bytes:
            for sibling in _siblings(path, True):
                sibling.unlink(missing_ok=True)
            return relative, None, "too_small", (0, 0, 0)
        data = path.read_bytes()
        digest = bytes_digest(data)
        if known and have_siblings and known[2] == digest:
            return relative, [stat.st_size, stat.st_mtime_ns, digest], "unchanged", (0, 0, 0)
        packed = gzip.compress(data, compresslevel=self.gzip_level, mtime=0)
        _write_atomic(siblings[0], packed, stat.st_mtime_ns)
        sizes = [len(data), len(packed), 0]
        if self.brotli_quality is not None:
            squeezed = brotli.compress(data, quality=self.brotli_quality)
            _write_atomic(siblings[1], squeezed, stat.st_mtime_ns)
            sizes[2] = len(squeezed)
        return relative, [stat.st_size, stat.st_mtime_ns, digest], "compressed", tuple(sizes)


def folder_key(root) -> str:
    """A short name for an output folder, for the caches that belong to it alone."""
    return hashlib.blake2b(str(Path(root).resolve()).encode(), digest_size=6).hexdigest()


def manifest_for(root, cache_dir) -> Path:
    """One manifest per output folder: what was compressed in one says nothing of another."""
    return Path(cache_dir) / f"precompress-{folder_key(root)}.json"


def compress_tree(
    root,
    manifest_path=None,
    *,
    extensions=DEFAULT_EXTENSIONS,
    min_bytes: int = DEFAULT_MIN_BYTES,
    gzip_level: int = DEFAULT_GZIP_LEVEL,
    brotli_quality: int | None = DEFAULT_BROTLI_QUALITY,
    workers: int | None = None,
) -> CompressionReport:
    """Compress every text file under `root`; `brotli_quality=None` writes only .gz."""
    root = Path(root)
    if brotli_quality is not None and brotli is None:
        raise RuntimeError("brotli is not installed: pip install -r requirements.txt, "
                           "or pass brotli_quality=None to write only .gz files")
    manifest_path = Path(manifest_path) if manifest_path else None
    previous = {}
    if manifest_path and manifest_path.is_file():
        previous = json.loads(manifest_path.read_text(encoding="utf-8"))
    report = CompressionReport()
    candidates = []
    suffixes = tuple(extensions)
    wanted = SIBLING_SUFFIXES if brotli_quality is not None else SIBLING_SUFFIXES[:1]
    manifest = {}
    for folder, prefix, entries in folder_entries(root):
        files = {entry.name: entry for entry in entries if entry.is_file()}
        for name, entry in files.items():
            if name.endswith(SIBLING_SUFFIXES):
                if name[:-3] not in files:
                    os.unlink(entry.path)
                    report.removed_orphans += 1
                continue
            if not name.endswith(suffixes):
                continue
            # Same size and time as when compressed, siblings in place: nothing to do,
            # and no thread is asked (tens of thousands of files on a large site).
            known, stat = previous.get(prefix + name), entry.stat()
            if known and known[:2] == [stat.st_size, stat.st_mtime_ns] \
                    and all(name + suffix in files for suffix in wanted):
                manifest[prefix + name] = known
                report.unchanged += 1
            else:
                candidates.append(folder / name)
    # zlib and brotli release the GIL while compressing, so threads use every core.
    worker = _Compressor(root, previous, gzip_level, brotli_quality, min_bytes)
    with ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
        for relative, record, outcome, sizes in pool.map(worker, candidates, chunksize=64):
            if record is not None:
                manifest[relative] = record
            setattr(report, outcome, getattr(report, outcome) + 1)
            report.bytes_in += sizes[0]
            report.bytes_gzip += sizes[1]
            report.bytes_brotli += sizes[2]
    if manifest_path:
        manifest_path.parent.mkdir(parents=True, exist_ok=True)
        manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    return report
