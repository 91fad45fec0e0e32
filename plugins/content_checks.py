"""Stop the build when an article would be dropped or published broken.

Pelican alone logs a warning and skips an article with no title or a bad date; a portal
must not lose an editor's article quietly, so the build fails with `file:line` instead.
"""
from pathlib import Path

from pelican import signals

from cityportal.editorial import find_problems
from cityportal.problems import ERROR, ContentError, Problem


def _refuse_broken_content(pelican):
    content_dir = Path(pelican.settings["PATH"])
    errors = [p for p in find_problems(content_dir, pelican.settings) if p.level == ERROR]
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


def register():
    signals.initialized.connect(_refuse_broken_content)
    signals.all_generators_finalized.connect(_refuse_dropped_sources)
