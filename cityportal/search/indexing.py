"""Build the search index over a finished site (cityportal/search/compact.py).

Pagefind is kept only as the baseline the evaluation compares against
(`build_pagefind_index`, `invoke eval-search`); the site itself no longer needs it."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from .compact import write_index


class IndexingError(RuntimeError):
    pass


INDEX_FOLDER = "chi-muc"
PAGEFIND_FOLDER = "pagefind"


def build_index(site_dir) -> dict:
    """Write a fresh INDEX_FOLDER: a withdrawn article's text must not stay downloadable."""
    return write_index(Path(site_dir), INDEX_FOLDER)


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
