"""Time and measure stock Pelican and the portal's build on the same synthetic content."""
from __future__ import annotations

import json
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from cityportal import PROJECT_ROOT
from cityportal.bench.corpus import add_one_article, edit_one_article, write_corpus
from cityportal.bench.hugo import hugo_available, hugo_command, write_hugo_site
from cityportal.bench.measure import Measurement, measure
from cityportal.build import DEVELOPMENT_SETTINGS

# URL settings copied from the portal's configuration so both builds write the same paths.
URL_SETTINGS = ("ARTICLE_URL", "ARTICLE_SAVE_AS", "PAGE_URL", "PAGE_SAVE_AS", "CATEGORY_URL",
                "CATEGORY_SAVE_AS", "TAG_URL", "TAG_SAVE_AS", "TIMEZONE", "DEFAULT_LANG",
                "SLUGIFY_SOURCE", "ARTICLE_PATHS", "PAGE_PATHS", "STATIC_PATHS")


@dataclass
class StockResult:
    """The anchors: stock Pelican's own runs, and Hugo's cold build of the same articles
    (None where Debian's hugo is not installed)."""
    cold: Measurement
    warm: Measurement
    edited: Measurement
    hugo: Measurement | None = None


@dataclass
class ChainRun:
    """One portal build in a fresh process, the whole chain (cityportal/bench/chain.py)."""
    measurement: Measurement   # wall time and peak memory of the process
    steps: dict[str, float]    # seconds per step inside it
    unchanged: bool            # ended at the input check
    rendered: int              # outputs fast_build rendered (0 when Pelican did not run)
    to_upload: int
    to_delete: int


# The portal's runs, in the order the benchmark makes them.
CASES = ("cold", "nothing changed", "one article edited", "one new article")


@dataclass
class BenchResult:
    articles: int
    stock: StockResult
    portal: dict[str, ChainRun]

    @property
    def pelican_cold(self) -> float:
        return self.portal["cold"].steps.get("pelican", 0.0)


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


def _chain(settings: Path, workdir: Path) -> ChainRun:
    output, cache = workdir / "output-portal", workdir / "cache-portal"
    measurement = measure([sys.executable, "-m", "cityportal.bench.chain",
                           str(settings), str(output), str(cache)], workdir)
    figures = json.loads(measurement.output.strip().splitlines()[-1])
    return ChainRun(measurement, figures["seconds"], figures["unchanged"],
                    0 if figures["unchanged"] else rendered_count(cache),
                    figures["to upload"], figures["to delete"])


def run_bench(articles: int, workdir: Path) -> BenchResult:
    workdir = Path(workdir)
    _forget(workdir / "content")
    write_corpus(workdir / "content", articles)
    stock_settings, portal_settings = write_settings(workdir)
    stock_out, stock_cache = workdir / "output-stock", workdir / "cache-stock"
    portal_out, portal_cache = workdir / "output-portal", workdir / "cache-portal"
    _forget(stock_out, stock_cache, portal_out, portal_cache)

    stock_cold = measure(_pelican(stock_settings), workdir)
    stock_warm = measure(_pelican(stock_settings), workdir)
    hugo = None
    if hugo_available():
        site = write_hugo_site(workdir / "content", workdir / "hugo-site")
        _forget(workdir / "output-hugo")
        hugo = measure(hugo_command(site, workdir / "output-hugo"), workdir)
    portal = {"cold": _chain(portal_settings, workdir),
              "nothing changed": _chain(portal_settings, workdir)}
    edit_one_article(workdir / "content")
    stock_edited = measure(_pelican(stock_settings), workdir)
    portal["one article edited"] = _chain(portal_settings, workdir)
    add_one_article(workdir / "content")
    portal["one new article"] = _chain(portal_settings, workdir)
    return BenchResult(articles, StockResult(stock_cold, stock_warm, stock_edited, hugo), portal)


def rendered_count(cache: Path) -> int:
    """How many outputs the last portal build rendered (-1: no report)."""
    reports = list(Path(cache).glob("fast_build-*.last.json"))
    if not reports:
        return -1
    return len(json.loads(reports[0].read_text(encoding="utf-8"))["rendered"])
