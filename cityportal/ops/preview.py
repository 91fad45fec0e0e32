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
from cityportal.editorial import article_slug, file_problems
from cityportal.images.problems import find_problems as image_problems
from cityportal.problems import ERROR, error_summary
from cityportal.images.references import image_references
from cityportal.metadata import read_header
# Small content folders every page draws on: the document registry, robots.txt and the
# sidebar's video thumbnails. Pages (content/pages) are left out: no article page shows
# them, and their links to other articles would fail the content checks.
SHARED_FOLDERS = ("van-ban", "extra", "images/video")


class PreviewError(ValueError):
    pass


def _refuse_with(problems, root: Path) -> PreviewError:
    """Every error, one `file:line: lỗi:` line each, then the summary below them."""
    lines = [problem.format(root) for problem in problems]
    return PreviewError("\n".join([*lines, error_summary(len(problems), "bản xem trước")]))


def _editor_paths(text: str, preview_content: Path, content: Path, root: Path) -> str:
    """The build ran on a copy under cache/preview/; the editor knows only content/."""
    try:
        shown = content.resolve().relative_to(root.resolve())
    except ValueError:
        shown = content
    for form in (str(preview_content.resolve()), str(preview_content)):
        text = text.replace(form, str(shown))
    return text


@dataclass
class Preview:
    output: Path
    url_path: str
    seconds: float
    articles: int


def read_headers(folders) -> dict[Path, object]:
    """The header of every Markdown file under `folders` (a few hundred bytes each)."""
    return {path: read_header(path) for folder in folders if folder.is_dir()
            for path in sorted(folder.rglob("*.md"))}


def choose_articles(article: Path, article_dirs: list[Path], related_count: int,
                    headers: dict | None = None) -> list[Path]:
    """The article and the newest others of its category, as the related list needs."""
    headers = read_headers(article_dirs) if headers is None else headers
    own = read_header(article)
    category = own.get("category") or ""
    candidates = []
    for path, fields in headers.items():
        if path.resolve() == article.resolve():
            continue
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
    root = Path(settings).resolve().parent
    article_dirs = [content / folder for folder in site_settings["ARTICLE_PATHS"]]
    # The editor's file first, by itself: every error it has, under its own name.
    headers = read_headers(article_dirs)
    pages = read_headers([content / folder for folder in site_settings["PAGE_PATHS"]])
    slugs = {header.get("slug") or article_slug(header.get("title") or "", site_settings)
             for header in [*headers.values(), *pages.values()]}
    errors = [problem for problem in file_problems(article, content, site_settings, slugs)
              + image_problems(content, articles=[article]) if problem.level == ERROR]
    if errors:
        raise _refuse_with(sorted(errors, key=lambda problem: problem.line), root)
    chosen = choose_articles(article, article_dirs, site_settings["PORTAL_RELATED_COUNT"], headers)

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
                                        # checked above with the whole site's slugs; the copy
                                        # holds only a few articles, so its links would look broken
                                        "PORTAL_CONTENT_CHECKED": True,
                                        "DELETE_OUTPUT_DIRECTORY": True})
    if not result.ok:
        raise PreviewError(_editor_paths(f"{result.stdout or ''}{result.stderr or ''}".strip(),
                                         preview_content, content, root))
    return Preview(output, _url_path(article, site_settings), time.perf_counter() - started, len(chosen))


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def serve(directory: Path, port: int) -> ThreadingHTTPServer:
    """A loopback server for the preview; the caller runs serve_forever()."""
    return ThreadingHTTPServer(("127.0.0.1", port), partial(_QuietHandler, directory=str(directory)))
