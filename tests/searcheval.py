"""The search evaluation: tests/data/search_eval.tsv through the real search page in
Chromium (behind the project's nginx), beside plain Pagefind on the same site.

`invoke eval-search` prints the figures; tests/site/test_search.py runs a part of it.
The site is the sample content/ plus the test articles in tests/data/search_eval/.
"""
from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from cityportal import PROJECT_ROOT
from cityportal.build import build_site
from cityportal.search.indexing import build_pagefind_index

DATA = PROJECT_ROOT / "tests" / "data"
CASES = DATA / "search_eval.tsv"
ARTICLES = DATA / "search_eval" / "articles"
BASELINE = DATA / "search_eval" / "pagefind"
TOP = 10


@dataclass
class Case:
    query: str
    answers: list[str]
    kind: str


@dataclass
class Scores:
    name: str
    ranks: list[int | None] = field(default_factory=list)  # rank of the first right answer
    misses: list[tuple[Case, list[str]]] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)

    def add(self, case: Case, found: list[str], seconds: float) -> None:
        rank = next((i + 1 for i, path in enumerate(found) if path in case.answers), None)
        self.ranks.append(rank)
        self.seconds.append(seconds)
        if rank != 1:
            self.misses.append((case, found[:3]))

    @property
    def top1(self) -> float:
        return sum(rank == 1 for rank in self.ranks) / len(self.ranks)

    @property
    def mrr(self) -> float:
        return sum(1 / rank for rank in self.ranks if rank) / len(self.ranks)


def load_cases(path: Path = CASES) -> list[Case]:
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        query, answers, kind = line.split("\t")
        cases.append(Case(query, answers.split(), kind))
    return cases


def build_eval_site(work: Path, pagefind: bool = True) -> Path:
    """The sample content and the evaluation's articles, built by build_site; with
    `pagefind`, also plain Pagefind's index and a page that lists its results."""
    content = work / "content"
    shutil.rmtree(content, ignore_errors=True)
    shutil.copytree(PROJECT_ROOT / "content", content)
    shutil.copytree(ARTICLES, content / "articles" / "eval")
    output = work / "output"
    result = build_site(output, content=content, extra_settings={"CACHE_PATH": str(work / "cache")})
    if not result.ok:
        raise RuntimeError(result.stdout + result.stderr)
    if pagefind:
        build_pagefind_index(output)
        shutil.copytree(BASELINE, output / "tim-kiem-pagefind", dirs_exist_ok=True)
    return output


def ours(page, base: str, query: str) -> list[str]:
    """The portal's search page, as a reader uses it: /tim-kiem/?q=…"""
    from playwright.sync_api import expect

    page.goto(f"{base}/tim-kiem/?q={quote(query)}")
    expect(page.locator("html[data-search-ready]")).to_have_count(1, timeout=15000)
    expect(page.locator("[data-search-status]")).to_have_text(
        __import__("re").compile("^(Tìm thấy|Không)"), timeout=15000)
    return page.eval_on_selector_all(".search-result__title a", "els => els.map(e => e.pathname)")


def plain_pagefind(page, base: str, query: str) -> list[str]:
    """Pagefind's own ranking over the same pages (tests/data/search_eval/pagefind/)."""
    from playwright.sync_api import expect

    page.goto(f"{base}/tim-kiem-pagefind/?q={quote(query)}")
    expect(page.locator("html[data-done]")).to_have_count(1, timeout=15000)
    return page.eval_on_selector_all("ol a", "els => els.map(e => e.pathname)")


def run(browser, base: str, cases: list[Case], engines) -> list[Scores]:
    results = []
    for name, search in engines:
        scores = Scores(name)
        context = browser.new_context()
        page = context.new_page()
        for case in cases:
            started = time.perf_counter()
            found = search(page, base, case.query)
            scores.add(case, found[:TOP], time.perf_counter() - started)
        context.close()
        results.append(scores)
    return results


def report(results: list[Scores], show_misses: bool = True) -> str:
    lines = [f"{'':28} {'top-1':>7} {'MRR':>7}   (target: top-1 >= 0.95, MRR >= 0.97)"]
    for scores in results:
        lines.append(f"{scores.name:28} {scores.top1:7.3f} {scores.mrr:7.3f}   "
                     f"{len(scores.ranks)} queries")
    if show_misses:
        for scores in results:
            if scores.misses:
                lines.append(f"\nNot first with {scores.name}:")
                for case, found in scores.misses:
                    lines.append(f"  {case.query!r} ({case.kind}): {found}")
    return "\n".join(lines)


def main(work: Path, show_misses: bool = True) -> str:
    from tests.browser import launch_chromium
    from tests.nginx import running_nginx

    cases = load_cases()
    site = build_eval_site(work)
    with running_nginx(site, work / "nginx", allow_wasm=True) as (base, _log), launch_chromium() as browser:
        results = run(browser, base, cases, [("portal search (chi-muc)", ours),
                                             ("plain Pagefind", plain_pagefind)])
    return report(results, show_misses)
