"""`invoke bench-search`: the search index step at N synthetic articles (time and peak
memory, through measure.py), plain Pagefind on the same site, and answers in Chromium
with a 4x CPU slowdown (time per query, index bytes downloaded per query)."""
from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from cityportal import PROJECT_ROOT
from cityportal.bench.corpus import write_corpus
from cityportal.bench.measure import measure
from cityportal.build import pelican_command
from cityportal.search.indexing import INDEX_FOLDER

QUERIES = ("an toàn giao thông", "an toan giao thong", "thành phố", "Như Thủy", "04/2015/NĐ-CP",
           "chuyển đổi số", "phường Bến Thủy", "\"dân chủ cơ sở\"", "nghi dinh 61", "cải cách hành chính")
INDEX_STEP = ("import sys; from cityportal.search.indexing import build_index; "
              "print(build_index(sys.argv[1]))")


def _browser_figures(site: Path, work: Path) -> list[tuple]:
    from tests.browser import launch_chromium
    from tests.nginx import running_nginx

    rows = []
    with running_nginx(site, work / "nginx") as (base, _log), launch_chromium() as browser:
        for query in QUERIES:
            context = browser.new_context()  # a cold HTTP cache for each query
            page = context.new_page()
            context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": 4})
            sizes = []

            def count(request, sizes=sizes):
                if f"/{INDEX_FOLDER}/" in request.url and "meta.json" not in request.url:
                    sizes.append(("/d/" in request.url, max(0, request.sizes()["responseBodySize"])))

            page.on("requestfinished", count)
            page.goto(f"{base}/tim-kiem/?q={quote(query)}")
            page.wait_for_selector("[data-search-ms]", state="attached", timeout=60000)
            ms = int(page.get_attribute("[data-search-status]", "data-search-ms"))
            index_bytes = sum(size for fragment, size in sizes if not fragment)
            fragment_bytes = sum(size for fragment, size in sizes if fragment)
            rows.append((query, ms, index_bytes, fragment_bytes, page.locator(".search-result").count()))
            context.close()
    return rows


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


def main(articles: int, pagefind: bool = True, browser: bool = True, keep: str = "") -> None:
    with tempfile.TemporaryDirectory(prefix="portal-bench-search-") as scratch:
        work = Path(keep or scratch)
        work.mkdir(parents=True, exist_ok=True)
        site = _site(work, articles)
        ours = measure([sys.executable, "-c", INDEX_STEP, str(site)])
        print(f"index step (chi-muc):  {ours.seconds:6.1f} s  peak {ours.peak_mb:7.0f} MB   "
              f"(target < 1024 MB)  {ours.output.strip()}", flush=True)
        if pagefind:
            plain = measure([sys.executable, "-m", "pagefind", "--site", str(site), "--quiet"])
            print(f"plain Pagefind:        {plain.seconds:6.1f} s  peak {plain.peak_mb:7.0f} MB", flush=True)
        if browser:
            print("Chromium, 4x CPU slowdown (Emulation.setCPUThrottlingRate), nginx with gzip:")
            print(f"  {'query':24} {'answer ms':>10} {'index KB':>9} {'result KB':>9} {'shown':>6}"
                  "   (targets < 300 ms, index < 300 KB; KB as transferred)")
            for query, ms, index_bytes, fragment_bytes, count in _browser_figures(site, work):
                print(f"  {query:24} {ms:10} {index_bytes / 1024:9.1f} {fragment_bytes / 1024:9.1f} {count:6}",
                      flush=True)
