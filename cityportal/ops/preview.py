"""Preview one article as the public will see it, in seconds, whatever the site's size.

Building the whole site to look at one page would take a minute at 10,000 articles. The
article page only shows the article itself, its images and the newest articles of its
category ("Tin cùng chuyên mục"), so a small site holding just those, the pages and the
document registry renders that page exactly as the full build would.
"""
from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from pelican.settings import read_settings

from cityportal.build import build_site
from cityportal.editorial import article_slug
from cityportal.images.references import image_references
from cityportal.metadata import read_header
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


def choose_articles(article: Path, article_dirs: list[Path], related_count: int) -> list[Path]:
    """The article and the newest others of its category, as the related list needs."""
    own = read_header(article)
    if own.get("title") is None:
        raise PreviewError(f"{article}:1: không thấy trường Title; đây có phải bài viết không?")
    category = own.get("category") or ""
    candidates = []
    for folder in article_dirs:
        for path in folder.rglob("*.md"):
            if path.resolve() == article.resolve():
                continue
            fields = read_header(path)
            if fields.get("category") == category and (fields.get("status") or "") != "draft":
                candidates.append((fields.get("date") or "", path))
    candidates.sort(reverse=True)
    return [article, *(path for _, path in candidates[:related_count])]


def _url_path(article: Path, settings: dict) -> str:
    """The article's URL path by Pelican's own slug rule and the site's ARTICLE_URL."""
    header = read_header(article)
    slug = header.get("slug") or article_slug(header.get("title") or "", settings)
    return "/" + settings["ARTICLE_URL"].format(slug=slug, lang=settings["DEFAULT_LANG"])


def build_preview(article, content: Path, settings: Path, work: Path) -> Preview:
    """Build into `work`/output the page of `article` (a file under `content`)."""
    started = time.perf_counter()
    content = Path(content)
    article = Path(article).resolve()
    if not article.is_file():
        raise PreviewError(f"{article}: không có tệp này")
    if content.resolve() not in article.parents:
        raise PreviewError(f"{article}: bài viết phải nằm trong {content}")
    site_settings = read_settings(str(settings))
    article_dirs = [content / folder for folder in site_settings["ARTICLE_PATHS"]]
    chosen = choose_articles(article, [d for d in article_dirs if d.is_dir()],
                             site_settings["PORTAL_RELATED_COUNT"])

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
            inside = reference.path is not None and reference.path.resolve().is_relative_to(content.resolve())
            if inside and reference.path.is_file():
                image_target = preview_content / reference.path.resolve().relative_to(content.resolve())
                image_target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(reference.path, image_target)

    output = work / "output"
    result = build_site(output, settings, preview_content,
                        extra_settings={"CACHE_PATH": str(work / "cache"), "STATS_INGEST_ON_BUILD": False,
                                        "DELETE_OUTPUT_DIRECTORY": True})
    if not result.ok:
        raise PreviewError(f"{article}: bản xem trước không dựng được:\n{result.stdout}{result.stderr}")
    return Preview(output, _url_path(article, site_settings), time.perf_counter() - started, len(chosen))


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def serve(directory: Path, port: int) -> ThreadingHTTPServer:
    """A loopback server for the preview; the caller runs serve_forever()."""
    return ThreadingHTTPServer(("127.0.0.1", port), partial(_QuietHandler, directory=str(directory)))
