"""Pelican glue for build speed: parallel reading and rendering, skipping unchanged
pages, addresses computed once, translations and listings found without scans, the
cycle collector paused while the site loads, and a Jinja environment that does not
re-check template files on every include.

Rendering happens when Pelican sends `finalized`, after every generator has queued its
pages; a plugin that reads rendered HTML in its own `finalized` handler must not rely on
running after this one.
"""
from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

import jinja2
import markdown
import pelican
from pelican import signals

from cityportal import CODE_FOLDERS
from cityportal.fingerprint import stable_repr
from cityportal.legal_refs.catalog import Entry
from cityportal.precompress import folder_key

from .collector import pause_collection, resume_collection
from .dependencies import SITE_CONTENT_KEYS, Describer, current_shown, is_content, shown_articles
from .fingerprint import site_digest
from .markdown_reader import ReusingMarkdownReader
from .membership import index_listed_articles
from .prefetch import prefetch
from .translations import use_translation_groups
from .urls import freeze_urls
from .writer import ParallelSkippingWriter

logger = logging.getLogger(__name__)

_writers: list[ParallelSkippingWriter] = []
# The shared template context, kept when the generators finish so the writer's digest
# covers what plugins computed (Pelican does not hand the context to get_writer).
_context: dict = {}


def _available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _global_inputs(settings) -> list[str]:
    """Files every page depends on: the theme, the portal's code, and every content folder
    other than articles and pages (images, the document registry), whose effects reach
    pages in ways not described page by page."""
    content = Path(settings["PATH"])
    described = {str(Path(p)) for p in (*settings["ARTICLE_PATHS"], *settings["PAGE_PATHS"])}
    if "." in described or "" in described:
        others = [content]
    else:
        others = [child for child in sorted(content.iterdir()) if child.name not in described]
    return [*map(str, others), settings["THEME"], *map(str, CODE_FOLDERS),
            *settings.get("PLUGIN_PATHS", []), *settings.get("FAST_BUILD_INPUTS", [])]


class UnitDigests:
    """The digest of one output: global inputs, shared data and the page's own inputs
    (see dependencies.py)."""

    def __init__(self, settings, context, global_digest):
        self.describer = Describer()
        self.context = context
        self.settings_keys = set(settings)
        self.base = global_digest + self.describer.shared(context, self.settings_keys)

    def __call__(self, unit) -> str:
        describer, call = self.describer, unit.call
        # Only what the page's templates name is an input: Pelican gives every direct
        # template (404 too) the whole article list, and the tag pages all_articles.
        names = describer.template_names(call.template)
        kwargs = {k: v for k, v in call.kwargs.items() if names is None or k in names}
        parts = [self.base, unit.key, getattr(call.template, "name", "?"),
                 stable_repr([call.relative_urls, call.template_name, call.override_output, call.url])]
        subject = call.kwargs.get("article") or call.kwargs.get("page")
        if subject is not None and is_content(subject):
            parts.append(describer.full(subject))
            rest = {k: v for k, v in kwargs.items() if k not in ("article", "page")}
            parts.append(describer.describe(rest))
        elif isinstance(call.kwargs.get("document"), Entry):
            entry = call.kwargs["document"]
            parts.append(describer.entry(entry, with_articles=True))
            catalog = call.kwargs.get("catalog")
            if catalog is not None:
                parts.append(describer.linked_documents(catalog, entry))
            rest = {k: v for k, v in kwargs.items() if k not in ("document", "catalog")}
            parts.append(describer.describe(rest))
        elif unit.page is not None:
            listed = set(unit.paginators) | {"articles", "dates"}
            parts.append(describer.describe({k: v for k, v in kwargs.items() if k not in listed}))
            for key, paginator in sorted(unit.paginators.items()):
                # A page by its own block and neighbours (plugins/listing_pages.py), never
                # by the number of pages: a new article leaves the older pages alone.
                page = paginator.page(unit.page)
                parts.append(f"{key}:{stable_repr(page.place())}:"
                             + ",".join(describer.card(item) for item in page.object_list))
            if unit.page == 1 and not ({"tag", "category", "author"} & set(call.kwargs)):
                parts.append(describer.site(self.context))  # the home page shows every section
        else:
            parts.append(describer.describe(kwargs))
        if unit.page is None:
            # The site content the templates name and are not given: the sitemap, Sơ đồ
            # trang and the search page list or count articles; 404 and static pages do not.
            read = SITE_CONTENT_KEYS if names is None else (names & SITE_CONTENT_KEYS) - set(call.kwargs)
            parts.append(describer.site(self.context, read))
        return hashlib.blake2b("\0".join(parts).encode("utf-8", "surrogatepass"),
                               digest_size=16).hexdigest()


def _writer_class(pelican_instance):
    settings = pelican_instance.settings
    output = Path(pelican_instance.output_path).resolve()
    context = _context.pop("context", None) or {}
    versions = {"pelican": pelican.__version__, "jinja2": jinja2.__version__,
                "markdown": markdown.__version__}
    manifest = settings.get("FAST_BUILD_MANIFEST") or (
        Path(settings.get("CACHE_PATH", "cache")) / f"fast_build-{folder_key(output)}.json")
    skip = settings.get("FAST_BUILD_SKIP_UNCHANGED", True)
    digests = None
    if skip:
        # The portal's own code is an input too: a changed plugin or core re-renders every page.
        digests = UnitDigests(settings, context,
                              site_digest(settings, _global_inputs(settings), versions))

    class ConfiguredWriter(ParallelSkippingWriter):
        describe = digests
        shown_articles = shown_articles(context) if skip else None
        current_shown = current_shown(context) if skip else {}
        manifest_path = Path(manifest) if skip else None
        workers = _workers(settings)

        def __init__(self, output_path, settings=None):
            super().__init__(output_path, settings=settings)
            _writers.append(self)

    return ConfiguredWriter


def _flush(pelican_instance):
    while _writers:
        report = _writers.pop().flush()
        logger.info("fast_build: %d page groups rendered by %d processes, %d skipped as "
                    "unchanged; %d files written, %d identical files left alone",
                    report.rendered, report.workers, report.skipped, report.files_written,
                    report.files_unchanged)


def _configure(pelican_instance):
    # Generators build a fresh Jinja environment for every build, so checking each
    # template's mtime on every {% include %} (Jinja's default) buys nothing.
    settings = pelican_instance.settings
    settings["JINJA_ENVIRONMENT"] = {**settings["JINJA_ENVIRONMENT"], "auto_reload": False}


def _use_reusing_reader(readers):
    for extension in ReusingMarkdownReader.file_extensions:
        if extension in readers.reader_classes:
            readers.reader_classes[extension] = ReusingMarkdownReader


def _workers(settings) -> int:
    return settings.get("FAST_BUILD_WORKERS") or _available_cores()


def _prefetch_articles(generator):
    settings = generator.settings
    relative = generator.get_files(settings["ARTICLE_PATHS"], exclude=settings["ARTICLE_EXCLUDES"])
    paths = sorted(os.path.abspath(os.path.join(generator.path, f)) for f in relative)
    read = prefetch(generator.readers, paths, _workers(settings))
    logger.info("fast_build: %d of %d article files converted in parallel", read, len(paths))


def _keep_context(generators):
    if generators:
        _context["context"] = generators[0].context


def _freeze_generator_urls(generator):
    """Sent when the articles' or the pages' generator has finished: nothing changes a
    slug, a date or a category after that, and every later plugin asks for addresses."""
    for name in ("articles", "translations", "hidden_articles", "hidden_translations",
                 "drafts", "drafts_translations", "pages", "hidden_pages", "draft_pages",
                 "draft_translations"):
        freeze_urls(getattr(generator, name, ()))


def register():
    use_translation_groups()
    signals.initialized.connect(_configure)
    signals.initialized.connect(pause_collection)
    signals.readers_init.connect(_use_reusing_reader)
    signals.article_generator_init.connect(_prefetch_articles)
    signals.article_generator_finalized.connect(index_listed_articles)
    signals.article_generator_finalized.connect(_freeze_generator_urls)
    signals.page_generator_finalized.connect(_freeze_generator_urls)
    signals.all_generators_finalized.connect(_keep_context)
    signals.all_generators_finalized.connect(resume_collection)
    signals.get_writer.connect(_writer_class)
    signals.finalized.connect(_flush)
