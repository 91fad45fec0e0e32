"""Read new and changed Markdown files in parallel, before Pelican reads them one by one.

Pelican's reader-level content cache (CACHE_CONTENT) keeps each file's converted HTML and
metadata. Forked workers convert the files the cache does not hold yet and hand the
results back, so when Pelican then reads the files it finds every one of them cached. A
file a worker fails on is left out, so Pelican reads it itself and reports the error
as usual.
"""
from __future__ import annotations

import os
import pickle
import zlib

from pelican.readers import _filter_discardable_metadata
from pelican.utils import file_suffix


def _stale(readers, paths):
    missing = object()
    return [path for path in paths if readers.get_cached_data(path, missing) is missing]


def _read(readers, paths):
    results = []
    for path in paths:
        reader = readers.readers.get(file_suffix(path))
        if reader is None:
            continue
        try:
            content, metadata = reader.read(path)
        except Exception:  # noqa: BLE001 - Pelican reads it again and reports the error
            continue
        results.append((path, content, _filter_discardable_metadata(metadata)))
    return results


def prefetch(readers, paths, workers: int) -> int:
    """Fill `readers`' cache for `paths` (absolute); returns how many files were read."""
    if not readers._cache_data_policy:  # nowhere to keep the results: caching is off
        return 0
    todo = _stale(readers, paths)
    workers = max(1, min(workers, len(todo) // 100 or 1))
    shares = [[p for p in todo if zlib.crc32(p.encode()) % workers == i] for i in range(workers)]
    children = []
    for share in shares[1:]:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_end)
            status = 0
            try:
                with os.fdopen(write_end, "wb") as pipe:
                    pickle.dump(_read(readers, share), pipe, protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException:  # noqa: BLE001 - the parent then reads these files itself
                status = 1
            finally:
                os._exit(status)
        os.close(write_end)
        children.append((pid, read_end))
    results = _read(readers, shares[0])
    for pid, read_end in children:
        with os.fdopen(read_end, "rb") as pipe:
            payload = pipe.read()
        _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) == 0 and payload:
            results.extend(pickle.loads(payload))
    for path, content, metadata in results:
        readers.cache_data(path, (content, metadata))
    return len(results)
