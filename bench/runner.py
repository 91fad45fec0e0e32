"""Time and measure stock Pelican and the portal's build on the same synthetic content."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from .corpus import edit_one_article, write_corpus

ROOT = Path(__file__).resolve().parents[1]

# URL settings copied from the portal's configuration so both builds write the same paths.
URL_SETTINGS = ("ARTICLE_URL", "ARTICLE_SAVE_AS", "PAGE_URL", "PAGE_SAVE_AS", "CATEGORY_URL",
                "CATEGORY_SAVE_AS", "TAG_URL", "TAG_SAVE_AS", "TIMEZONE", "DEFAULT_LANG",
                "SLUGIFY_SOURCE", "ARTICLE_PATHS", "PAGE_PATHS", "STATIC_PATHS")


@dataclass
class Run:
    seconds: float
    peak_mb: float


@dataclass
class SiteResult:
    cold: Run
    warm: Run
    edited: Run
    extra_steps: dict[str, float] = field(default_factory=dict)

    @property
    def peak_mb(self) -> float:
        return max(self.cold.peak_mb, self.warm.peak_mb, self.edited.peak_mb)


@dataclass
class BenchResult:
    articles: int
    stock: SiteResult
    portal: SiteResult


def measure(command: list[str], cwd: Path, env: dict | None = None) -> Run:
    """Wall time and peak resident memory of one child process (and only that child)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}):\n"
                           f"{output.decode('utf-8', 'replace')[-4000:]}")
    return Run(seconds=elapsed, peak_mb=usage.ru_maxrss / 1024)


def _portal_settings_module():
    sys.path.insert(0, str(ROOT))
    try:
        import pelicanconf  # the portal's own settings
    finally:
        sys.path.remove(str(ROOT))
    return pelicanconf


def write_settings(workdir: Path) -> tuple[Path, Path]:
    """Settings files for stock Pelican and for the portal, both reading workdir/content."""
    portal = _portal_settings_module()
    shared = {name: getattr(portal, name) for name in URL_SETTINGS if hasattr(portal, name)}
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
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from publishconf import *  # noqa: F401,F403\n"
        f"PATH = {str(workdir / 'content')!r}\n"
        f"OUTPUT_PATH = {str(workdir / 'output-portal')!r}\n"
        f"CACHE_PATH = {str(workdir / 'cache-portal')!r}\n"
        f"THEME = {str(ROOT / 'theme')!r}\n"
        f"PLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]\n"
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
    """The steps `invoke build` runs after Pelican, timed one by one."""
    steps = {}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(output), "--silent"],
                   check=True)
    steps["search index (pagefind)"] = time.perf_counter() - started
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c",
                    "import sys; sys.path.insert(0, sys.argv[1]);"
                    "from plugins.precompress import compress_tree, manifest_for;"
                    "compress_tree(sys.argv[2], manifest_for(sys.argv[2], sys.argv[3]))",
                    str(ROOT), str(output), str(cache)], check=True)
    steps["precompress (.gz, .br)"] = time.perf_counter() - started
    return steps


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

    edit_one_article(workdir / "content")
    stock_edited = measure(_pelican(stock_settings), workdir)
    portal_edited = measure(_pelican(portal_settings), workdir)
    return BenchResult(
        articles=articles,
        stock=SiteResult(stock_cold, stock_warm, stock_edited),
        portal=SiteResult(portal_cold, portal_warm, portal_edited, extra),
    )
