"""Pelican glue for build speed: parallel rendering, skipping unchanged pages, and a
Jinja environment that does not re-check template files on every include.

Rendering happens when Pelican sends `finalized`, after every generator has queued its
pages; a plugin that reads rendered HTML in its own `finalized` handler must not rely on
running after this one.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path

import jinja2
import markdown
import pelican
from pelican import signals

import cityportal
from cityportal.precompress import folder_key

from .fingerprint import site_digest
from .markdown_reader import ReusingMarkdownReader
from .prefetch import prefetch
from .urls import freeze_urls
from .writer import ParallelSkippingWriter

logger = logging.getLogger(__name__)

_writers: list[ParallelSkippingWriter] = []
# The shared template context, kept when the generators finish so the writer's digest
# covers what plugins computed (Pelican does not hand the context to get_writer).
_context: dict = {}
# Filled from sets in whatever order hashing gives, and fully described by the content
# folder's file stamps anyway.
_UNORDERED_CONTEXT_KEYS = {"staticfiles", "static_content", "static_links"}
_CODE_FOLDERS = [str(Path(cityportal.__file__).parent), str(Path(__file__).parent.parent)]


def _available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _writer_class(pelican_instance):
    settings = pelican_instance.settings
    output = Path(pelican_instance.output_path).resolve()
    # The portal's own code is an input too: a changed plugin or core re-renders every page.
    inputs = [settings["PATH"], settings["THEME"], *_CODE_FOLDERS, *settings.get("PLUGIN_PATHS", []),
              *settings.get("FAST_BUILD_INPUTS", [])]
    context = _context.pop("context", None)
    if context is not None:
        context = {k: v for k, v in context.items() if k not in _UNORDERED_CONTEXT_KEYS}
    versions = {"pelican": pelican.__version__, "jinja2": jinja2.__version__,
                "markdown": markdown.__version__}
    manifest = settings.get("FAST_BUILD_MANIFEST") or (
        Path(settings.get("CACHE_PATH", "cache")) / f"fast_build-{folder_key(output)}.json")
    skip = settings.get("FAST_BUILD_SKIP_UNCHANGED", True)

    class ConfiguredWriter(ParallelSkippingWriter):
        digest = site_digest(settings, inputs, versions, context) if skip else ""
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


def _after_generators(generators):
    if generators:
        _context["context"] = generators[0].context
    for generator in generators:
        for name in ("articles", "translations", "hidden_articles", "hidden_translations",
                     "drafts", "drafts_translations", "pages", "hidden_pages", "draft_pages",
                     "draft_translations"):
            freeze_urls(getattr(generator, name, ()))


def register():
    signals.initialized.connect(_configure)
    signals.readers_init.connect(_use_reusing_reader)
    signals.article_generator_init.connect(_prefetch_articles)
    signals.all_generators_finalized.connect(_after_generators)
    signals.get_writer.connect(_writer_class)
    signals.finalized.connect(_flush)
