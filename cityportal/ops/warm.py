"""A warm process: what `invoke preview` and the resident site of `invoke serve` keep
ready so that a saved article's page is rendered again at once.

- Pelican, the plugins, Markdown and the reference extractor imported and compiled once
  (`warm_up`), and the compiled templates kept on disk between processes
  (`warm_settings`, PORTAL_TEMPLATE_CACHE);
- every article's header in memory, to check the editor's file with the whole site's
  slugs before anything is rendered (`ArticleChecks`);
- each render in a forked child (`run_forked`): it inherits all of the above, leaves the
  warm process as it was, and what it prints is kept for the editor.

`invoke preview` runs Pelican on a small site in the child (preview.py); the resident
site of `invoke serve` renders pages of the whole site it holds (resident.py).
"""
from __future__ import annotations

import importlib
import os
import sys
import tempfile
import traceback
from pathlib import Path
from typing import Callable

from cityportal.editorial import article_slug, file_problems
from cityportal.images.problems import find_problems as image_problems
from cityportal.metadata import SourceFile, read_headers
from cityportal.problems import ERROR, Problem

# Imported once by a warm process, so that each forked render starts at once.
WARM_MODULES = ("pelican", "pelican.readers", "pelican.generators", "pelican.writers", "markdown",
                "jinja2", "nh3", "PIL.Image", "rich.status", "rich.live")


def warm_up(settings: dict) -> None:
    """Import what every render needs and compile Markdown's and the reference
    extractor's patterns once, here: each forked render inherits them."""
    for name in (*WARM_MODULES, *settings["PLUGINS"]):
        importlib.import_module(name)
    import markdown

    from cityportal.legal_refs.extract import extract

    options = settings["MARKDOWN"]
    markdown.Markdown(extensions=list(options.get("extension_configs", {})),
                      extension_configs=options.get("extension_configs", {}),
                      output_format=options.get("output_format", "html5")).convert(
        "# Tiêu đề\n\n*Nội dung* | bảng\n--|--\n[liên kết](/a/)\n")
    extract("Nghị định số 04/2015/NĐ-CP ngày 09/01/2015 của Chính phủ và Luật Đất đai năm 2024.")


def warm_settings(templates: Path) -> dict:
    """Settings a warm process gives Pelican: compiled templates kept in `templates`;
    no site-wide content check (ArticleChecks checks the editor's file) and no reading
    of the access log (the counters are those of the last build)."""
    return {"PORTAL_TEMPLATE_CACHE": str(templates), "PORTAL_CONTENT_CHECKED": True,
            "STATS_INGEST_ON_BUILD": False}


def run_forked(work: Callable[[], None], cwd: Path) -> tuple[int, str]:
    """Run `work` in a forked child of this warm process; return the child's exit status
    and everything it printed. The child leaves without running the parent's cleanup."""
    sys.stdout.flush()
    sys.stderr.flush()
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log:
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                os.chdir(cwd)
                os.dup2(log.fileno(), 1)
                os.dup2(log.fileno(), 2)
                work()
                code = 0
            except SystemExit as exit_:
                code = exit_.code if isinstance(exit_.code, int) else 1
            except BaseException:  # noqa: BLE001 - reported through the log and the status
                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        log.seek(0)
        return os.waitstatus_to_exitcode(status), log.read()


class ArticleChecks:
    """The errors of an editor's article by the build's own rules, with every other
    article's and page's slug known from the headers held in memory."""

    def __init__(self, content: Path, settings: dict, headers: dict[Path, SourceFile]):
        self.content = Path(content)
        self.settings = settings
        self.slugs = {path: self.slug(header) for path, header in headers.items()}
        pages = read_headers([self.content / folder for folder in settings["PAGE_PATHS"]])
        self.page_slugs = {self.slug(header) for header in pages.values()}

    def slug(self, header: SourceFile) -> str:
        return header.get("slug") or article_slug(header.get("title") or "", self.settings)

    def errors(self, article: Path, header: SourceFile) -> list[Problem]:
        """Every error of `article`, whose header is now `header`, by line."""
        self.slugs[article] = self.slug(header)
        slugs = set(self.slugs.values()) | self.page_slugs
        found = file_problems(article, self.content, self.settings, slugs) \
            + image_problems(self.content, articles=[article])
        return sorted((problem for problem in found if problem.level == ERROR),
                      key=lambda problem: problem.line)
