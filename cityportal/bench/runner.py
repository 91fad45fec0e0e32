"""Time and measure stock Pelican and the portal's build on the same synthetic content."""
from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from cityportal import PROJECT_ROOT
from cityportal.bench.corpus import add_one_article, edit_one_article, write_corpus
from cityportal.bench.measure import Measurement, measure
from cityportal.build import DEVELOPMENT_SETTINGS, finish_output

# URL settings copied from the portal's configuration so both builds write the same paths.
URL_SETTINGS = ("ARTICLE_URL", "ARTICLE_SAVE_AS", "PAGE_URL", "PAGE_SAVE_AS", "CATEGORY_URL",
                "CATEGORY_SAVE_AS", "TAG_URL", "TAG_SAVE_AS", "TIMEZONE", "DEFAULT_LANG",
                "SLUGIFY_SOURCE", "ARTICLE_PATHS", "PAGE_PATHS", "STATIC_PATHS")


@dataclass
class SiteResult:
    cold: Measurement
    warm: Measurement
    edited: Measurement
    extra_steps: dict[str, float] = field(default_factory=dict)
    added: Measurement | None = None
    # Outputs rendered by each rebuild (fast_build's report), by rebuild.
    rendered: dict[str, int] = field(default_factory=dict)

    @property
    def peak_mb(self) -> float:
        return max(self.cold.peak_mb, self.warm.peak_mb, self.edited.peak_mb)


@dataclass
class BenchResult:
    articles: int
    stock: SiteResult
    portal: SiteResult


def _portal_settings() -> dict:
    from pelican.settings import read_settings

    return read_settings(str(DEVELOPMENT_SETTINGS))


def write_settings(workdir: Path) -> tuple[Path, Path]:
    """Settings files for stock Pelican and for the portal, both reading workdir/content."""
    portal = _portal_settings()
    shared = {name: portal[name] for name in URL_SETTINGS if name in portal}
    stock_lines = ['"""Stock Pelican 4.12: default theme, no plugins, the portal\'s URLs."""']
    stock_lines += [f"{name} = {value!r}" for name, value in shared.items()]
    stock_lines += [f"PATH = {str(workdir / 'content')!r}",
                    f"OUTPUT_PATH = {str(workdir / 'output-stock')!r}",
                    f"CACHE_PATH = {str(workdir / 'cache-stock')!r}"]
    stock = workdir / "stock_settings.py"
    stock.write_text("\n".join(stock_lines) + "\n", encoding="utf-8")

    portal_file = workdir / "portal_settings.py"
    portal_file.write_text(
        '"""The portal\'s production settings, pointed at the benchmark content."""\n'
        "import runpy\n"
        f"globals().update(runpy.run_path({str(PROJECT_ROOT / 'publishconf.py')!r}))\n"
        f"PATH = {str(workdir / 'content')!r}\n"
        f"OUTPUT_PATH = {str(workdir / 'output-portal')!r}\n"
        f"CACHE_PATH = {str(workdir / 'cache-portal')!r}\n"
        "SITEURL = 'https://songlam.gov.vn'\n"
        "# The statistics at a fixed moment: 'nothing changed' must include the counters.\n"
        "STATS_NOW = '2026-11-28T20:00:00+07:00'\n"
        "STATS_INGEST_ON_BUILD = False\n"
        f"STATS_OUTPUT = {str(workdir / 'output-portal' / 'stats.json')!r}\n",
        encoding="utf-8",
    )
    return stock, portal_file


def _pelican(settings: Path) -> list[str]:
    return [sys.executable, "-m", "pelican", "-s", str(settings), "-q"]


def _forget(*paths: Path) -> None:
    for path in paths:
        shutil.rmtree(path, ignore_errors=True)


def _post_build_steps(output: Path, cache: Path) -> dict[str, float]:
    """The steps `build_site` runs after Pelican, timed one by one."""
    seconds = {}
    finish_output(output, cache, seconds)
    return seconds


def run_bench(articles: int, workdir: Path, with_post_steps: bool = True) -> BenchResult:
    workdir = Path(workdir)
    _forget(workdir / "content")
    write_corpus(workdir / "content", articles)
    stock_settings, portal_settings = write_settings(workdir)
    stock_out, stock_cache = workdir / "output-stock", workdir / "cache-stock"
    portal_out, portal_cache = workdir / "output-portal", workdir / "cache-portal"
    _forget(stock_out, stock_cache, portal_out, portal_cache)

    stock_cold = measure(_pelican(stock_settings), workdir)
    stock_warm = measure(_pelican(stock_settings), workdir)
    portal_cold = measure(_pelican(portal_settings), workdir)
    extra = _post_build_steps(portal_out, portal_cache) if with_post_steps else {}
    portal_warm = measure(_pelican(portal_settings), workdir)
    rendered = {"warm": _rendered(portal_cache)}

    edit_one_article(workdir / "content")
    stock_edited = measure(_pelican(stock_settings), workdir)
    portal_edited = measure(_pelican(portal_settings), workdir)
    rendered["edited"] = _rendered(portal_cache)
    add_one_article(workdir / "content")
    portal_added = measure(_pelican(portal_settings), workdir)
    rendered["added"] = _rendered(portal_cache)
    return BenchResult(
        articles=articles,
        stock=SiteResult(stock_cold, stock_warm, stock_edited),
        portal=SiteResult(portal_cold, portal_warm, portal_edited, extra, portal_added, rendered),
    )


def _rendered(cache: Path) -> int:
    """How many outputs the last portal build rendered (-1: no report)."""
    import json

    reports = list(Path(cache).glob("fast_build-*.last.json"))
    if not reports:
        return -1
    return len(json.loads(reports[0].read_text(encoding="utf-8"))["rendered"])
