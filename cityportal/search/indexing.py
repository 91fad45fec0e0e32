"""Build the Pagefind search index over a finished site."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path


class IndexingError(RuntimeError):
    pass


INDEX_FOLDER = "pagefind"


def build_index(site_dir) -> None:
    """Run the Pagefind binary shipped in the `pagefind[bin]` wheel, into a fresh
    INDEX_FOLDER: Pagefind leaves old fragments behind, and a withdrawn article's text
    must not stay downloadable."""
    site_dir = Path(site_dir)
    shutil.rmtree(site_dir / INDEX_FOLDER, ignore_errors=True)
    result = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--quiet"],
        capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise IndexingError(f"pagefind failed on {site_dir} ({result.returncode}): "
                            f"{result.stderr.strip() or result.stdout.strip()}; "
                            "is pagefind[bin] installed (pip install -r requirements.txt)?")
