"""Preview one article as the public will see it, in seconds, whatever the site's size.

Building the whole site to look at one page would take a minute at 10,000 articles. The
article page only shows the article itself, its images and its neighbours in its
category ("Tin cùng chuyên mục"), so a small site holding just those, the pages and the
document registry renders that page exactly as the full build would.

`invoke preview` then stays warm (warm.py: every article's header in memory, Pelican and
the plugins imported, the compiled templates on disk). When the editor saves, it checks
the file, copies what changed and renders only the article's page in a forked process
(PORTAL_WRITE_ONLY), and the open page reloads itself (a small script the preview
server adds; the published site has none). `invoke bench-preview` measures the time
from a save to the new page.
"""
from __future__ import annotations

import shutil
import threading
import time
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from pelican.settings import read_settings

from cityportal.build import pelican_command
from cityportal.images.references import image_references
from cityportal.listings import related_positions
from cityportal.metadata import read_header, read_headers
from cityportal.ops.warm import ArticleChecks, run_forked, warm_settings
from cityportal.problems import error_summary
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


def choose_articles(article: Path, article_dirs: list[Path], related_count: int,
                    headers: dict | None = None) -> list[Path]:
    """The article and the others of its category its related list shows: those published
    just before it, or the nearest newer ones where too few are older."""
    headers = read_headers(article_dirs) if headers is None else headers
    article = article.resolve()
    own = headers.get(article) or read_header(article)
    category = own.get("category") or ""
    same = [(own.get("date") or "", article)]
    for path, fields in headers.items():
        if path == article or (not path.is_absolute() and path.resolve() == article):
            continue
        if fields.get("category") == category and (fields.get("status") or "") != "draft":
            same.append((fields.get("date") or "", path))
    same.sort(reverse=True)
    position = next(index for index, (_, path) in enumerate(same) if path == article)
    return [article, *(same[index][1] for index in related_positions(position, len(same), related_count))]


class PreviewSession:
    """One article's preview, kept warm between saves."""

    def __init__(self, article, content: Path, settings: Path, work: Path):
        self.content = Path(content)
        self.article = Path(article).resolve()
        if not self.article.is_file():
            raise PreviewError(f"{self.article}: không có tệp này")
        if self.content.resolve() not in self.article.parents:
            raise PreviewError(f"{self.article}: bài viết phải nằm trong {self.content}")
        self.settings_file = Path(settings).resolve()
        self.root = self.settings_file.parent
        self.work = Path(work)
        self.site_settings = read_settings(str(self.settings_file))
        # Resolved once, so that no rebuild resolves 10,000 paths again.
        self.article_dirs = [(self.content / folder).resolve() for folder in self.site_settings["ARTICLE_PATHS"]]
        self.headers = read_headers(self.article_dirs)
        self.checks = ArticleChecks(self.content, self.site_settings, self.headers)
        self.preview_content = self.work / "content"
        self.output = self.work / "output"
        self.version = 0
        self.chosen: list[Path] = []
        self._copied: dict[Path, float] = {}

    def _check(self) -> None:
        """Every error of the editor's file, under its own name, before anything is built."""
        self.headers[self.article] = read_header(self.article)
        errors = self.checks.errors(self.article, self.headers[self.article])
        if errors:
            raise _refuse_with(errors, self.root)

    def _copy(self, source: Path) -> None:
        source = source.resolve()
        stamp = source.stat().st_mtime_ns
        if self._copied.get(source) == stamp:
            return
        target = self.preview_content / source.relative_to(self.content.resolve())
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
        self._copied[source] = stamp

    def _sync(self) -> None:
        """The preview's content folder: shared folders once, then the chosen articles."""
        if not self._copied:
            shutil.rmtree(self.preview_content, ignore_errors=True)
            for folder in SHARED_FOLDERS:
                if (self.content / folder).is_dir():
                    shutil.copytree(self.content / folder, self.preview_content / folder)
        chosen = choose_articles(self.article, self.article_dirs, self.site_settings["PORTAL_RELATED_COUNT"],
                                 self.headers)
        for gone in set(self.chosen) - set(chosen):
            (self.preview_content / gone.resolve().relative_to(self.content.resolve())).unlink(missing_ok=True)
            self._copied.pop(gone.resolve(), None)
        for path in chosen:
            self._copy(path)
            for reference in image_references(path, self.content):
                inside = reference.path is not None and reference.path.resolve().is_relative_to(self.content.resolve())
                if inside and reference.path.is_file():
                    self._copy(reference.path)
        self.chosen = chosen

    def _pelican(self, only: list[str] | None) -> tuple[int, str]:
        """Pelican on the preview's content in a forked child of this (warm) process."""
        # The content check is _check's, with the whole site's slugs: the copy holds only
        # a few articles, so its links would look broken.
        extra = {"CACHE_PATH": str(self.work / "cache"), "DELETE_OUTPUT_DIRECTORY": False,
                 **warm_settings(self.work / "templates")}
        if only is not None:
            extra["PORTAL_WRITE_ONLY"] = only
        command = pelican_command(self.output, self.settings_file, self.preview_content, extra)
        arguments = command[command.index("pelican") + 1:] + ["--quiet"]

        def pelican():
            from pelican import main

            main(arguments)

        return run_forked(pelican, self.root)

    def build(self, only_the_article: bool = False) -> Preview:
        """Check, copy, render; the first build renders the small site, later ones the page."""
        started = time.perf_counter()
        self._check()
        self._sync()
        # The article's address by Pelican's own slug rule and the site's ARTICLE_URL.
        names = {"slug": self.checks.slugs[self.article], "lang": self.site_settings["DEFAULT_LANG"]}
        url_path = "/" + self.site_settings["ARTICLE_URL"].format(**names)
        save_as = self.site_settings["ARTICLE_SAVE_AS"].format(**names)
        code, log = self._pelican([save_as] if only_the_article else None)
        if code != 0:
            raise PreviewError(_editor_paths(log.strip(), self.preview_content, self.content, self.root))
        self.version += 1
        return Preview(self.output, url_path, time.perf_counter() - started, len(self.chosen))

    def watch(self, on_built, on_error, stop: threading.Event | None = None) -> None:
        """Rebuild the article's page whenever the editor saves it (or one of its images)."""
        import watchfiles

        folders = {self.article.parent, *(self.content / "images",)}
        for changes in watchfiles.watch(*(f for f in folders if f.is_dir()), debounce=50, step=10,
                                        stop_event=stop, raise_interrupt=False):
            touched = {Path(path).resolve() for _kind, path in changes}
            if not touched & (set(self._copied) | {self.article}):
                continue
            try:
                on_built(self.build(only_the_article=True))
            except PreviewError as error:
                on_error(error)
            except FileNotFoundError:
                on_error(PreviewError(f"{self.article}: tệp vừa bị xóa hoặc đổi tên"))


def build_preview(article, content: Path, settings: Path, work: Path) -> Preview:
    """Build into `work`/output the page of `article` (a file under `content`)."""
    return PreviewSession(article, content, settings, work).build()


RELOAD_PATH = "/__xem-truoc__/"
RELOAD_SCRIPT = """// Added by the preview server only: reload the page when the preview is rebuilt.
(function () {
  var seen = null;
  function check() {
    fetch("%(path)sphien-ban", {cache: "no-store"}).then(function (answer) { return answer.text(); })
      .then(function (version) {
        if (seen !== null && version !== seen) { location.reload(); return; }
        seen = version;
        setTimeout(check, 250);
      }, function () { setTimeout(check, 1000); });
  }
  check();
})();
""" % {"path": RELOAD_PATH}


class _QuietHandler(SimpleHTTPRequestHandler):
    session = None  # the PreviewSession whose version the page watches

    def log_message(self, format, *args):
        pass

    def _send(self, body: bytes, content_type: str):
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = self.path.split("?")[0]
        if path == RELOAD_PATH + "phien-ban":
            return self._send(str(self.session.version if self.session else 0).encode(), "text/plain")
        if path == RELOAD_PATH + "tai-lai.js":
            return self._send(RELOAD_SCRIPT.encode(), "application/javascript")
        if self.session is not None and path.endswith("/"):
            page = Path(self.directory) / path.lstrip("/") / "index.html"
            if page.is_file():
                html = page.read_text(encoding="utf-8")
                tag = f'<script src="{RELOAD_PATH}tai-lai.js" defer></script>'
                return self._send(html.replace("</head>", tag + "</head>", 1).encode("utf-8"),
                                  "text/html; charset=utf-8")
        return super().do_GET()


def serve(directory: Path, port: int, session: PreviewSession | None = None) -> ThreadingHTTPServer:
    """A loopback server for the preview; the caller runs serve_forever(). With a
    session, every page reloads itself after each rebuild."""
    handler = type("PreviewHandler", (_QuietHandler,), {"session": session})
    return ThreadingHTTPServer(("127.0.0.1", port), partial(handler, directory=str(directory)))
