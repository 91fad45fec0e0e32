"""Steps after Pelican that make output/ ready to serve: the search index, then the
precompressed copies (last, so the index files get theirs too)."""
from __future__ import annotations

import hashlib
from pathlib import Path

from plugins.precompress import CompressionReport, compress_tree
from plugins.search.indexing import build_index


def finish_output(output_dir, cache_dir) -> CompressionReport:
    output_dir = Path(output_dir)
    build_index(output_dir)
    # One manifest per output folder: what was compressed in one says nothing of another.
    folder_key = hashlib.blake2b(str(output_dir.resolve()).encode(), digest_size=6).hexdigest()
    report = compress_tree(output_dir, Path(cache_dir) / f"precompress-{folder_key}.json")
    return report
