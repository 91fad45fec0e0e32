"""fast_build on real Pelican builds of synthetic content: same output as without it,
nothing rendered again when nothing changed, the right page again after an edit; and
the benchmark task as a smoke run (its figures are never judged here)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cityportal.bench.corpus import edit_one_article, write_corpus
from cityportal.bench.equality import differing_files
from cityportal.bench.runner import write_settings
from pelicanconf import PLUGINS
from tests.sitebuild import ROOT

ARTICLES = 160
PLUGINS_WITHOUT_FAST_BUILD = json.dumps([name for name in PLUGINS if name != "plugins.fast_build"])


def pelican(settings: Path, output: Path, cache: Path, *extra: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "pelican", "-s", str(settings), "-o", str(output), "-v",
         "--fatal", "errors", "-e", f'CACHE_PATH="{cache}"', "FAST_BUILD_WORKERS=2", *extra],
        cwd=settings.parent, capture_output=True, text=True, timeout=120,
        env={**os.environ, "COLUMNS": "400"},  # one log record per line
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return " ".join(result.stdout.split())


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("fast-build")
    write_corpus(work / "content", ARTICLES)
    write_settings(work)
    return work


def _pages(root: Path) -> dict[str, int]:
    """mtime of every rendered page (Pelican copies static files on every build anyway)."""
    return {str(p.relative_to(root)): p.stat().st_mtime_ns for p in root.rglob("*.html")}


def test_parallel_skipping_build_writes_exactly_what_pelican_writes(corpus):
    settings = corpus / "portal_settings.py"
    log = pelican(settings, corpus / "fast", corpus / "cache-fast")
    assert "rendered by 2 processes" in log
    pelican(settings, corpus / "plain", corpus / "cache-plain", f"PLUGINS={PLUGINS_WITHOUT_FAST_BUILD}")
    assert differing_files(corpus / "fast", corpus / "plain") == []
    assert len(list((corpus / "fast").rglob("index.html"))) > ARTICLES


def test_rebuild_renders_nothing_then_only_rewrites_what_an_edit_changed(corpus, tmp_path):
    settings = corpus / "portal_settings.py"
    output, cache = tmp_path / "output", tmp_path / "cache"
    pelican(settings, output, cache)
    before = _pages(output)

    log = pelican(settings, output, cache)
    assert "0 page groups rendered" in log and "0 of" in log  # nothing read or rendered
    assert _pages(output) == before

    edited = edit_one_article(corpus / "content")
    log = pelican(settings, output, cache)
    assert "1 of" in log  # only the edited file is converted again
    after = _pages(output)
    changed = {path for path in after if after[path] != before.get(path)}
    slug = edited.stem
    assert f"{slug}/index.html" in changed
    # Pages that do not show the edited text keep their bytes and their mtime.
    assert len(changed) < len(before) / 2
    page = (output / slug / "index.html").read_text(encoding="utf-8")
    assert "Bài viết được cập nhật thêm thông tin." in page


def test_bench_task_prints_the_side_by_side_table(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "invoke", "bench", "--articles", "30,60", "--keep", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    out = result.stdout
    for label in ("N = 30 articles", "N = 60 articles", "Pelican step, cold", "nothing changed",
                  "one article edited", "one new article", "peak MB", "Linearity", "search index",
                  "precompression", "upload list"):
        assert label in out, (label, out)
