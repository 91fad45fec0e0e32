"""Stop the build when an article would be dropped or published broken.

Pelican alone logs a warning and skips an article with no title or a bad date; a portal
must not lose an editor's article quietly, so the build fails with `file:line` instead.
"""
from pathlib import Path

from pelican import signals

from cityportal.editorial import canonical_category, find_problems
from cityportal.precompress import folder_key
from cityportal.problems import ERROR, ContentError, Problem


def _refuse_broken_content(pelican):
    if pelican.settings.get("PORTAL_CONTENT_CHECKED"):  # invoke preview checked the editor's file
        return
    content_dir = Path(pelican.settings["PATH"])
    cache_file = Path(pelican.settings["CACHE_PATH"]) / f"editorial-checks-{folder_key(content_dir)}.json"
    errors = [p for p in find_problems(content_dir, pelican.settings, cache_file) if p.level == ERROR]
    if errors:
        raise ContentError(errors, Path.cwd())


def _refuse_dropped_sources(generators):
    """Anything Pelican failed to read for another reason still stops the build."""
    for generator in generators:
        context = generator.context
        break
    else:
        return
    failed = [path for path, content in context.get("generated_content", {}).items() if content is None]
    if failed:
        content_dir = Path(context["PATH"])
        problems = [Problem(content_dir / path, 1, ERROR, "Pelican không đọc được tệp này; xem thông báo phía trên")
                    for path in failed]
        raise ContentError(problems, Path.cwd())


def _normalise_category(generator, metadata):
    """"Tin tức - Sự kiện" typed with a hyphen is the category "Tin tức – Sự kiện"."""
    category = metadata.get("category")
    if category is None:
        return
    meant = canonical_category(str(category), generator.settings["PORTAL_CATEGORIES"])
    if meant and meant != str(category):
        metadata["category"] = type(category)(meant, generator.settings)


def register():
    signals.article_generator_context.connect(_normalise_category)
    signals.initialized.connect(_refuse_broken_content)
    signals.all_generators_finalized.connect(_refuse_dropped_sources)
