"""An editor's saves, timed: what `invoke bench-preview` and `invoke bench-serve` share.

The site is the synthetic corpus (corpus.py) with the repository's small shared folders
(the document registry, robots.txt, the sidebar's video thumbnails). Each save appends a
sentence with a fresh marker to one article's body; the clock stops when the server
answers the article's address with that marker in it.
"""
from __future__ import annotations

import shutil
import statistics
import time
import urllib.request
from pathlib import Path
from typing import Callable

from cityportal.bench.corpus import write_corpus
from cityportal.ops.preview import SHARED_FOLDERS

TARGET_SECONDS = 1.0


def write_site_content(root: Path, content: Path, articles: int) -> Path:
    """`articles` synthetic articles and the repository's shared folders in `content`."""
    write_corpus(content, articles)
    for shared in SHARED_FOLDERS:
        source = root / "content" / shared
        if source.is_dir():
            shutil.copytree(source, content / shared)
    return content


def middle_article(content: Path) -> Path:
    """The article the benchmarks save: neither the newest nor the oldest."""
    articles = sorted((content / "articles").rglob("*.md"))
    return articles[len(articles) // 2]


def save_with_marker(article: Path, number: int) -> tuple[str, float]:
    """Append a sentence with a fresh marker to the body; the marker and the time of the save."""
    marker = f"Thong-tin-cap-nhat-{number}-{time.time_ns()}"
    text = article.read_text(encoding="utf-8")
    saved = time.perf_counter()
    article.write_text(text + f"\nThông tin cập nhật: {marker}.\n", encoding="utf-8")
    return marker, saved


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.read().decode("utf-8")
    except OSError:
        return ""


def seconds_until_served(url: str, marker: str, saved: float, failed: Callable[[], object] = lambda: None,
                         timeout: float = 60) -> float:
    """Seconds from `saved` until `url` answers with `marker`; raise after `timeout` or
    as soon as `failed()` returns something (the server's error)."""
    while marker not in _fetch(url):
        problem = failed()
        if time.perf_counter() - saved > timeout or problem:
            raise RuntimeError(f"{url} không có nội dung mới: {problem or 'hết giờ'}")
        time.sleep(0.01)
    return time.perf_counter() - saved


def spread(times: list[float], target: float | None = None) -> str:
    """median, best and worst, beside the target when there is one."""
    line = (f"median {statistics.median(times):.2f} s, best {min(times):.2f} s, "
            f"worst {max(times):.2f} s")
    return line + (f" (target <= {target:.0f} s)" if target is not None else "")
