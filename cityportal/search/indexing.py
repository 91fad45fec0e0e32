"""Build the search index over a finished site (cityportal/search/compact.py).

Pagefind is kept only as the baseline the evaluation compares against
(`build_pagefind_index`, `invoke eval-search`); the site itself no longer needs it."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from cityportal.fingerprint import stats_digest

from .compact import page_files, write_index
from .index_state import IndexState
from .page_cache import PageCache


class IndexingError(RuntimeError):
    pass


INDEX_FOLDER = "chi-muc"
PAGEFIND_FOLDER = "pagefind"


def pages_stamp(pages: list[Path]) -> str:
    """Digest of (path, size, mtime) of the site's pages. The writer leaves a page whose
    bytes did not change untouched, so this changes exactly when a page was written,
    added or removed."""
    return stats_digest((path, stat.st_size, stat.st_mtime_ns)
                        for path, stat in ((path, path.stat()) for path in pages))


def _usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def build_index(site_dir, stamp_file: Path | None = None, page_cache: Path | None = None) -> dict | None:
    """Write INDEX_FOLDER afresh from the pages now in `site_dir`: a withdrawn article's
    text must not stay downloadable.

    With `stamp_file`, an index built from exactly the pages now in `site_dir` is kept as
    it is and None is returned; otherwise the counts of the new index. With `page_cache`
    (a SQLite file), only pages written since the last index are parsed again, and the
    index is updated in place when the change allows it (cityportal/search/index_state.py)."""
    site_dir = Path(site_dir)
    pages = list(page_files(site_dir, INDEX_FOLDER))  # every HTML page outside the index
    stamp = pages_stamp(pages) if stamp_file else None
    if stamp and (site_dir / INDEX_FOLDER).is_dir():
        try:
            if Path(stamp_file).read_text(encoding="utf-8") == stamp:
                return None
        except OSError:
            pass
    if stamp_file:
        Path(stamp_file).unlink(missing_ok=True)
    cache = PageCache(page_cache)
    cache.refresh(pages, _usable_cores())
    state = IndexState(cache) if cache.connection is not None else None
    counts = state and state.update(site_dir, INDEX_FOLDER, pages)
    if counts is None:
        counts = write_index(site_dir, INDEX_FOLDER, read=cache.read, pages=pages, keep=state)
    cache.save()
    counts["parsed"] = cache.parsed
    if stamp_file:
        Path(stamp_file).parent.mkdir(parents=True, exist_ok=True)
        Path(stamp_file).write_text(stamp, encoding="utf-8")
    return counts


def build_pagefind_index(site_dir) -> None:
    """Plain Pagefind over the same pages, for the evaluation's side-by-side figures."""
    site_dir = Path(site_dir)
    shutil.rmtree(site_dir / PAGEFIND_FOLDER, ignore_errors=True)
    result = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--quiet"],
        capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise IndexingError(f"pagefind failed on {site_dir} ({result.returncode}): "
                            f"{result.stderr.strip() or result.stdout.strip()}; "
                            "is pagefind[bin] installed (pip install -r requirements.txt)?")
