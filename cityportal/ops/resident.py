"""The resident site of `invoke serve`: the whole site in memory, as `hugo server` keeps it.

A process of its own (`python -m cityportal.ops.resident`) runs Pelican's generators
once, with the settings and content of the dev server's build, and keeps what they
made: every article with its related list, picture and views, the document catalog,
the sidebar, the compiled templates, and the header of every article file as
`read_header` reads it, taken before Pelican read them.

When the editor saves articles whose header is still the one it holds, it checks them
(warm.ArticleChecks), then, in a forked child (warm.run_forked), reads their new bodies
with Pelican's own reader, links their legal references again and writes just their
pages into output/ with Pelican's own call for an article page. The child's copy of the
site goes with it: the site in memory stays the one that was loaded, and a later save
reads its body again. Anything else (another header, a new or deleted file, the theme,
the settings, the registry) is answered "full": the dev server runs the full build and
then loads a new resident site (devserver.py).

The dev server talks to it through `ResidentSite`: one JSON request a line on the
process's stdin, one JSON answer a line on its stdout. What Pelican prints while loading
goes to `<cache>/resident.log`.
"""
from __future__ import annotations

import gc
import io
import json
import logging
import os
import subprocess
import sys
import time
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from pelican import LOG_HANDLERS, get_instance, parse_arguments, signals
from pelican.contents import Article, Content
from pelican.generators import ArticlesGenerator
from pelican.log import init as init_logging
from pelican.writers import Writer

from cityportal.build import cache_folder, pelican_command
from cityportal.metadata import SourceFile, read_header, read_headers
from cityportal.ops.warm import ArticleChecks, run_forked, warm_settings, warm_up

# The generator's lists an article page is written from, in Pelican's order.
ARTICLE_LISTS = ("translations", "articles", "hidden_translations", "hidden_articles",
                 "drafts_translations", "drafts")


@dataclass(frozen=True)
class SiteSources:
    """What the dev server builds: the same for its full builds and its resident site."""

    settings_file: Path
    content: Path
    output: Path
    extra_settings: dict = field(default_factory=dict)

    @property
    def cache(self) -> Path:
        return cache_folder(self.settings_file, self.extra_settings)


def header_values(header: SourceFile) -> dict[str, str]:
    """What an article's header says, field by field, whatever lines it takes."""
    return {name: value for name, (value, _line) in header.fields.items()}


def replace_if_changed(path: Path, data: bytes) -> None:
    """Put `data` at `path` in one rename, so that a reader gets the old page or the new
    one, never half of it; leave a file that already holds `data` alone."""
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    # os.open's mode goes through the umask, as Pelican's own open() does.
    with os.fdopen(os.open(staging, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666), "wb") as handle:
        handle.write(data)
    os.replace(staging, path)


class PageWriter(Writer):
    """Pelican's writer, writing each page with replace_if_changed."""

    @contextmanager
    def _open_w(self, filename, encoding, override=False):
        buffer = io.StringIO()
        yield buffer
        replace_if_changed(Path(filename), buffer.getvalue().encode(encoding))


def _generate(pelican) -> list:
    """Pelican.run() up to the point where it starts writing: every generator's context,
    as a build has it."""
    context = pelican.settings.copy()
    context["generated_content"] = {}
    context["static_links"] = set()
    context["static_content"] = {}
    context["localsiteurl"] = pelican.settings["SITEURL"]
    generators = [cls(context=context, settings=pelican.settings, path=pelican.path, theme=pelican.theme,
                      output_path=pelican.output_path)
                  for cls in pelican._get_generator_classes()]
    for generator in generators:
        if hasattr(generator, "generate_context"):
            generator.generate_context()
        if hasattr(generator, "check_disabled_readers"):
            generator.check_disabled_readers()
    signals.all_generators_finalized.send(generators)
    for generator in generators:
        if hasattr(generator, "refresh_metadata_intersite_links"):
            generator.refresh_metadata_intersite_links()
    return generators


class SiteInMemory:
    """The loaded site, inside the resident process."""

    def __init__(self, sources: SiteSources):
        self.root = sources.settings_file.parent
        extra = {**sources.extra_settings, **warm_settings(sources.cache / "templates"),
                 # the build's content cache is read, never written: a build may be reading it
                 "CACHE_CONTENT": False}
        command = pelican_command(sources.output, sources.settings_file, sources.content, extra)
        arguments = parse_arguments(command[command.index("pelican") + 1:] + ["--quiet"])
        init_logging(level=arguments.verbosity, fatal=arguments.fatal, name="pelican",
                     handler=LOG_HANDLERS[arguments.log_handler],
                     logs_dedup_min_level=getattr(logging, arguments.logs_dedup_min_level))
        pelican, settings = get_instance(arguments)
        warm_up(settings)
        content = Path(settings["PATH"])
        self.headers = read_headers([(content / folder).resolve() for folder in settings["ARTICLE_PATHS"]])
        self.checks = ArticleChecks(content, settings, self.headers)
        self.generators = _generate(pelican)
        self.articles = next(g for g in self.generators if isinstance(g, ArticlesGenerator))
        self.by_source, self.list_of = {}, {}
        for name in ARTICLE_LISTS:
            for article in getattr(self.articles, name):
                self.by_source[Path(article.source_path).resolve()] = article
                self.list_of[id(article)] = name
        # Compile every template of the theme here, once: each forked render inherits them.
        environment = self.articles.env
        for name in environment.list_templates():
            if not name.startswith("!"):  # Pelican's own simple theme
                environment.get_template(name)
        if self.by_source:  # the Markdown reader builds its converter on first use
            self._read_again(next(iter(self.by_source.values())))
        # What is loaded stays: the garbage collector of a forked child leaves it alone,
        # so the child copies only the memory pages it writes.
        gc.collect()
        gc.freeze()

    def _read_again(self, article):
        """The article's file read as the build reads it: Pelican's reader, then every
        handler of a new content object (the body's allow-list)."""
        generator = self.articles
        return generator.readers.read_file(
            base_path=generator.path, path=os.path.relpath(article.source_path, generator.path),
            content_class=Article, context=generator.context,
            preread_signal=signals.article_generator_preread, preread_sender=generator,
            context_signal=signals.article_generator_context, context_sender=generator)

    def render(self, paths: list[Path]) -> dict:
        """Write the pages of `paths` when only their bodies changed; otherwise say why not."""
        started = time.perf_counter()
        targets = []
        for path in paths:
            article, held = self.by_source.get(path), self.headers.get(path)
            try:
                header = read_header(path)
            except (OSError, UnicodeDecodeError):
                return {"full": str(path)}
            if article is None or held is None or header_values(header) != header_values(held):
                return {"full": str(path)}
            targets.append(article)
        problems = [problem for path in paths for problem in self.checks.errors(path, self.headers[path])]
        if problems:
            return {"problems": [[str(p.path), p.line, p.level, p.message] for p in problems]}
        code, log = run_forked(partial(self._write, targets), self.root)
        if code != 0:
            return {"full": "", "log": log}
        return {"pages": [article.url for article in targets], "log": log,
                "seconds": time.perf_counter() - started}

    def _write(self, targets) -> None:
        """In the forked child: new bodies into the held articles, then their pages."""
        for article in targets:
            article._content = self._read_again(article)._content
            for generator in self.generators:  # plugins/legal_refs links the body's references
                if hasattr(generator, "link_article"):
                    generator.link_article(article)
        # Pelican memoises each article's body and summary as first rendered.
        Content.get_content.cache.clear()
        Content.get_summary.cache.clear()
        generator = self.articles
        for name in ARTICLE_LISTS:  # built from the targets: walking the site's lists would copy them
            setattr(generator, name, [article for article in targets if self.list_of[id(article)] == name])
        writer = PageWriter(generator.output_path, settings=generator.settings)
        write = partial(writer.write_file, relative_urls=generator.settings["RELATIVE_URLS"])
        generator.generate_articles(write)
        generator.generate_drafts(write)


def main(argv: list[str]) -> int:
    """The resident process: load, say so, then answer one request a line."""
    sources = SiteSources(Path(argv[0]), Path(argv[1]), Path(argv[2]), json.loads(argv[3]))
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # anything else printed goes to the log, never among the answers

    def answer(value: dict) -> None:
        answers.write(json.dumps(value, ensure_ascii=False) + "\n")
        answers.flush()

    started = time.perf_counter()
    try:
        site = SiteInMemory(sources)
    except (Exception, SystemExit):  # noqa: BLE001 - the log says what; the dev server builds in full
        traceback.print_exc()
        answer({"loaded": False})
        return 1
    answer({"loaded": True, "articles": len(site.headers), "seconds": time.perf_counter() - started})
    for line in sys.stdin:
        answer(site.render([Path(path) for path in json.loads(line)]))
    return 0


class ResidentSite:
    """The dev server's handle on a resident process."""

    def __init__(self, process: subprocess.Popen, articles: int, seconds: float):
        self.process = process
        self.articles = articles
        self.seconds = seconds  # how long the load took

    @classmethod
    def load(cls, sources: SiteSources, started=lambda process: None) -> "ResidentSite | None":
        """Start a resident process and wait until it holds the site; None when it could
        not load it (the reason is in its log) or was stopped while loading. `started`
        is given the process at once, so that a server stopping can end the load."""
        sources.cache.mkdir(parents=True, exist_ok=True)
        with open(sources.cache / "resident.log", "w", encoding="utf-8") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "cityportal.ops.resident", str(sources.settings_file),
                 str(sources.content), str(sources.output), json.dumps(sources.extra_settings)],
                cwd=sources.settings_file.parent, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=log, text=True, encoding="utf-8")
        started(process)
        first = process.stdout.readline()
        loaded = json.loads(first) if first else {"loaded": False}
        if not loaded["loaded"]:
            process.wait()
            return None
        return cls(process, loaded["articles"], loaded["seconds"])

    def render(self, paths: list[Path]) -> dict | None:
        """The process's answer for `paths` (see SiteInMemory.render); None if it is gone."""
        try:
            self.process.stdin.write(json.dumps([str(path) for path in paths]) + "\n")
            self.process.stdin.flush()
            line = self.process.stdout.readline()
        except OSError:
            return None
        return json.loads(line) if line else None

    def close(self) -> None:
        try:
            self.process.stdin.close()
        except OSError:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
