"""Preview one article as the public will see it, in seconds, whatever the site's size.

Building the whole site to look at one page would take a minute at 10,000 articles. The
article page only shows the article itself, its images and the newest articles of its
category ("Tin cùng chuyên mục"), so a small site holding just those, the pages and the
document registry renders that page exactly as the full build would.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from plugins.responsive_images.references import image_references

# The theme lists this many newest articles of the category under each article.
RELATED_COUNT = 5
_HEADER_LINE = re.compile(r"^(?P<key>[A-Za-z][A-Za-z0-9_-]*)\s*:\s*(?P<value>.*)$")
# Small content folders every page draws on: the document registry, robots.txt and the
# sidebar's video thumbnails. Pages (content/pages) are left out: no article page shows
# them, and their links to other articles would fail the content checks.
SHARED_FOLDERS = ("van-ban", "extra", "images/video")


class PreviewError(ValueError):
    pass


@dataclass
class Preview:
    output: Path
    url_path: str
    seconds: float
    articles: int


def _header(path: Path) -> dict[str, str]:
    """The metadata block only: a few hundred bytes, not the whole file."""
    fields = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            match = _HEADER_LINE.match(line.rstrip("\n"))
            if match is None:
                break
            fields[match["key"].lower()] = match["value"].strip()
    return fields


def choose_articles(article: Path, article_dirs: list[Path]) -> list[Path]:
    """The article and the newest others of its category, as the related list needs."""
    own = _header(article)
    if "title" not in own:
        raise PreviewError(f"{article}:1: không thấy trường Title; đây có phải bài viết không?")
    category = own.get("category", "")
    candidates = []
    for folder in article_dirs:
        for path in folder.rglob("*.md"):
            if path.resolve() == article.resolve():
                continue
            fields = _header(path)
            if fields.get("category") == category and fields.get("status", "") != "draft":
                candidates.append((fields.get("date", ""), path))
    candidates.sort(reverse=True)
    return [article, *(path for _, path in candidates[:RELATED_COUNT])]


def _slug_path(output: Path, article: Path) -> str:
    """The article's URL path, read from what Pelican wrote (it knows the slug rules)."""
    title = _header(article)["title"]
    for page in output.glob("*/index.html"):
        text = page.read_text(encoding="utf-8")
        if 'class="article__title"' in text and f">{title}</h1>" in text:
            return f"/{page.parent.name}/"
    raise PreviewError(f"{article}: Pelican did not write this article; see the messages above")


def build_preview(article, content: Path, settings: Path, work: Path) -> Preview:
    """Build into `work`/output the page of `article` (a file under `content`)."""
    started = time.perf_counter()
    content = Path(content)
    article = Path(article).resolve()
    if not article.is_file():
        raise PreviewError(f"{article}: không có tệp này")
    if content.resolve() not in article.parents:
        raise PreviewError(f"{article}: bài viết phải nằm trong {content}")
    article_dirs = [content / "articles", content / "hoi-dap"]
    chosen = choose_articles(article, [d for d in article_dirs if d.is_dir()])

    preview_content = work / "content"
    shutil.rmtree(preview_content, ignore_errors=True)
    for folder in SHARED_FOLDERS:
        if (content / folder).is_dir():
            shutil.copytree(content / folder, preview_content / folder)
    for path in chosen:
        target = preview_content / path.resolve().relative_to(content.resolve())
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
        for reference in image_references(path, content):
            if reference.path is not None and reference.path.is_file():
                image_target = preview_content / reference.path.resolve().relative_to(content.resolve())
                image_target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(reference.path, image_target)

    output = work / "output"
    result = subprocess.run(
        [sys.executable, "-m", "pelican", str(preview_content), "-s", str(settings),
         "-o", str(output), "-q", "-e", f'CACHE_PATH="{work / "cache"}"',
         "STATS_INGEST_ON_BUILD=false", "DELETE_OUTPUT_DIRECTORY=true"],
        cwd=Path(settings).parent, capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise PreviewError(f"{article}: bản xem trước không dựng được:\n{result.stdout}{result.stderr}")
    return Preview(output, _slug_path(output, article), time.perf_counter() - started, len(chosen))


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def serve(directory: Path, port: int) -> ThreadingHTTPServer:
    """A loopback server for the preview; the caller runs serve_forever()."""
    return ThreadingHTTPServer(("127.0.0.1", port), partial(_QuietHandler, directory=str(directory)))
