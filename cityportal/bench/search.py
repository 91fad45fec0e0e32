"""`invoke bench-search`: the search index step at N synthetic articles (time and peak
memory, through measure.py), plain Pagefind on the same site, and answers in Chromium
with a 4x CPU slowdown (time per query, median of several cold runs; index bytes
downloaded per query)."""
from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from cityportal import PROJECT_ROOT
from cityportal.bench.corpus import write_corpus
from cityportal.bench.measure import measure
from cityportal.build import pelican_command
from cityportal.precompress import compress_tree
from cityportal.search.indexing import INDEX_FOLDER

QUERIES = ("an toàn giao thông", "an toan giao thong", "thành phố", "Như Thủy", "04/2015/NĐ-CP",
           "chuyển đổi số", "phường Bến Thủy", "\"dân chủ cơ sở\"", "nghi dinh 61", "cải cách hành chính")
# As the build runs it: a fresh page cache, so every page is parsed once.
INDEX_STEP = ("import sys; from cityportal.search.indexing import build_index; "
              "print(build_index(sys.argv[1], None, sys.argv[2]))")


ANSWER_MS = "document.querySelector('[data-search-ms]')?.getAttribute('data-search-ms') ?? ''"


def _answer_times(base: str, runs: int) -> dict[str, list[int]]:
    """Per query, the answer ms of each run: a fresh context (cold cache) opens the
    search page at ?q=, with a 4x CPU slowdown and no DevTools domain listening in the
    page (cityportal/bench/devtools.py)."""
    from cityportal.bench.devtools import devtools, wait_for

    times = {query: [] for query in QUERIES}
    with devtools() as browser:
        for _ in range(runs):
            for query in QUERIES:
                with browser.page(f"{base}/tim-kiem/?{urlencode({'q': query})}", cpu_slowdown=4) as evaluate:
                    times[query].append(int(wait_for(evaluate, ANSWER_MS)))
    return times


def _transfers(base: str) -> dict[str, tuple[dict, int]]:
    """Per query, the KB of meta.json, of the index files and of the result files one
    search downloads (as transferred), and the results shown. Playwright records the
    requests, so this run is not timed."""
    from tests.browser import launch_chromium

    rows = {}
    with launch_chromium() as browser:
        for query in QUERIES:
            context = browser.new_context()
            page = context.new_page()
            sizes = []

            def count(request, sizes=sizes):
                if f"/{INDEX_FOLDER}/" in request.url:
                    kind = "meta" if request.url.endswith("/meta.json") else \
                        "result" if "/d/" in request.url else "index"
                    sizes.append((kind, max(0, request.sizes()["responseBodySize"])))

            page.on("requestfinished", count)
            page.goto(f"{base}/tim-kiem/?{urlencode({'q': query})}")
            page.wait_for_selector("[data-search-ms]", state="attached")
            page.wait_for_load_state("networkidle")  # every request counted
            kb = {kind: sum(size for name, size in sizes if name == kind) / 1024
                  for kind in ("meta", "index", "result")}
            rows[query] = (kb, page.locator(".search-result").count())
            context.close()
    return rows


def _browser_figures(site: Path, work: Path, runs: int) -> list[tuple]:
    """Per query: answer ms of each run, then the KB downloaded by kind and the results
    shown."""
    from tests.nginx import running_nginx

    with running_nginx(site, work / "nginx") as (base, _log):
        times = _answer_times(base, runs)
        rows = _transfers(base)
    return [(query, times[query], *rows[query]) for query in QUERIES]


def _site(work: Path, articles: int) -> Path:
    """The synthetic site in work/output, built unless a kept one of `articles` articles
    is there. A kept site gets the theme's current scripts, so search.js can change
    between runs without a new build."""
    site = work / "output"
    stamp = work / "articles.txt"
    if stamp.exists() and stamp.read_text(encoding="utf-8") == str(articles):
        shutil.copytree(PROJECT_ROOT / "theme" / "static" / "js", site / "theme" / "js", dirs_exist_ok=True)
        print(f"{articles} articles; reusing the site built in {work}")
        return site
    stamp.unlink(missing_ok=True)
    shutil.rmtree(work / "content", ignore_errors=True)
    write_corpus(work / "content", articles)
    started = time.perf_counter()
    measure(pelican_command(site, content=work / "content",
                            extra_settings={"CACHE_PATH": str(work / "cache")}) + ["-q"])
    print(f"{articles} articles; Pelican build {time.perf_counter() - started:.0f} s (not measured below)")
    stamp.write_text(str(articles), encoding="utf-8")
    return site


def main(articles: int, pagefind: bool = True, browser: bool = True, keep: str = "",
         runs: int = 3) -> None:
    with tempfile.TemporaryDirectory(prefix="portal-bench-search-") as scratch:
        work = Path(keep or scratch)
        work.mkdir(parents=True, exist_ok=True)
        site = _site(work, articles)
        (work / "index-pages.sqlite").unlink(missing_ok=True)
        ours = measure([sys.executable, "-c", INDEX_STEP, str(site), str(work / "index-pages.sqlite")])
        print(f"index step (chi-muc):  {ours.seconds:6.1f} s  peak {ours.peak_mb:7.0f} MB   "
              f"(target < 1024 MB)  {ours.output.strip()}", flush=True)
        # As a build does after the index step: nginx then sends the index's .gz files.
        compress_tree(site / INDEX_FOLDER, brotli_quality=None)
        if pagefind:
            plain = measure([sys.executable, "-m", "pagefind", "--site", str(site), "--quiet"])
            print(f"plain Pagefind:        {plain.seconds:6.1f} s  peak {plain.peak_mb:7.0f} MB", flush=True)
        if browser:
            rows = _browser_figures(site, work, runs)
            print(f"Chromium, 4x CPU slowdown (Emulation.setCPUThrottlingRate), nginx with gzip; "
                  f"{runs} cold runs per query, timed with no DevTools domain enabled; "
                  f"meta.json {rows[0][2]['meta']:.1f} KB once per visit:")
            print(f"  {'query':24} {'answer ms':>10} {'(min-max)':>11} {'index KB':>9} {'result KB':>9} "
                  f"{'shown':>6}   (targets < 300 ms, index < 300 KB; KB as transferred)")
            for query, ms, kb, shown in rows:
                print(f"  {query:24} {statistics.median(ms):10.0f} {f'({min(ms)}-{max(ms)})':>11} "
                      f"{kb['index']:9.1f} {kb['result']:9.1f} {shown:6}", flush=True)
