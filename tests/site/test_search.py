"""Search and images as a reader gets them: real Chromium, real nginx (with its CSP), the
real content built with the portal's theme and plugins."""
from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from cityportal.search.engine import Index
from cityportal.search.indexing import INDEX_FOLDER
from tests.browser import CHROMIUM_ARGS, launch_chromium
from tests.nginx import NGINX, running_nginx
from tests.sitebuild import PHOTO_ARTICLE

pytestmark = pytest.mark.skipif(not NGINX.exists(), reason="nginx is not installed (apt-get install nginx)")

PHONE = {"viewport": {"width": 375, "height": 812}, "device_scale_factor": 2, "is_mobile": True}
assert CHROMIUM_ARGS  # the shared launcher applies them


_SITES = {}
_EVAL = {}


def _site_root(base):
    return _SITES[base]


@pytest.fixture(scope="module")
def site(scale_site, tmp_path_factory):
    """The real content and, on its own nginx, the evaluation's site (real content plus
    tests/data/search_eval/articles)."""
    from tests.searcheval import build_eval_site
    evaluation = build_eval_site(tmp_path_factory.mktemp("eval-site"), pagefind=False)
    with running_nginx(scale_site, tmp_path_factory.mktemp("nginx-search")) as (base, _log), \
            running_nginx(evaluation, tmp_path_factory.mktemp("nginx-eval")) as (eval_base, _log2):
        _SITES[base] = scale_site
        _EVAL["base"], _EVAL["root"] = eval_base, evaluation
        yield base


@pytest.fixture(scope="module")
def browser():
    with launch_chromium() as chromium:
        yield chromium


class Visit:
    """One page in a fresh context, with every request and console error recorded."""

    def __init__(self, browser, **context_options):
        self.context = browser.new_context(**context_options)
        self.page = self.context.new_page()
        self.requests, self.errors, self.image_bytes = [], [], {}
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("response", self._count_image)

    def _count_image(self, response):
        if response.request.resource_type == "image":
            self.image_bytes[response.url] = int(response.headers.get("content-length") or len(response.body()))

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser):
    opened = []

    def open_visit(**options):
        opened.append(Visit(browser, **options))
        return opened[-1]

    yield open_visit
    for item in opened:
        item.close()


def _search(visit, site, query, **params):
    reader = visit()
    extra = "".join(f"&{key}={value}" for key, value in params.items())
    reader.page.goto(f"{site}/tim-kiem/?q={query}{extra}")
    reader.page.wait_for_selector("html[data-search-ready]", state="attached", timeout=10000)
    # A locator expectation, not wait_for_function: the site's CSP forbids string eval.
    expect(reader.page.locator("[data-search-status]")).to_have_text(re.compile("^(Tìm thấy|Không)"))
    links = reader.page.eval_on_selector_all(".search-result__title a", "els => els.map(e => e.pathname)")
    return reader, links


@pytest.mark.parametrize("query", ["nang cao chi so papi", "nghi dinh 04", "Nghị định 04",
                                   "04/2015", "49/KH-UBND", "dan chu co so"])
def test_vietnamese_queries_find_the_papi_article(visit, site, query):
    reader, links = _search(visit, site, query)
    assert f"/{PHOTO_ARTICLE}/" in links, (query, links)
    assert reader.errors == []
    # Only our own server was asked for anything.
    assert {urlparse(url).netloc for url in reader.requests} == {urlparse(site).netloc}


@pytest.mark.parametrize("query, number", [("04/2015", "04/2015/NĐ-CP"), ("49/KH-UBND", "49/KH-UBND")])
def test_legal_documents_are_found_by_their_number(visit, site, query, number):
    reader, links = _search(visit, site, query)
    documents = reader.page.locator(".search-result", has=reader.page.locator("a[href^='/van-ban/']"))
    assert documents.count() >= 1, links
    assert number in documents.first.locator(".search-result__title").inner_text()
    assert "Văn bản" in documents.first.locator(".search-result__meta").inner_text()


def test_result_shows_title_date_category_and_marked_excerpt(visit, site):
    reader, links = _search(visit, site, "nghi dinh 04")
    papi = reader.page.locator(".search-result", has=reader.page.locator(f"a[href='/{PHOTO_ARTICLE}/']"))
    assert papi.locator(".search-result__title a").inner_text().startswith("Nâng cao Chỉ số PAPI")
    assert papi.locator(".search-result__date").inner_text() == "Thứ Hai, 28/06/2021 08:30"
    assert papi.locator(".search-result__category").inner_text() == "Cải cách hành chính"
    marked = papi.locator(".search-result__excerpt mark").all_inner_texts()
    assert any(word.startswith("định") for word in marked), marked
    # The excerpt is the article's text: not its title, date or view counter.
    excerpt = papi.locator(".search-result__excerpt").inner_text()
    assert "Lượt xem" not in excerpt and "Nâng cao Chỉ số PAPI" not in excerpt
    assert reader.page.locator("[data-search-status]").inner_text().startswith("Tìm thấy")


def _server_ranking(site_root, query, category="", year=""):
    """The first ten addresses engine.py (the search without JavaScript) ranks."""
    index = Index(site_root / INDEX_FOLDER)
    return [index.page(number)["u"] for number in index.search(query, category, year)[:10]]


def test_category_and_year_filters_narrow_the_results(visit, site):
    _, everything = _search(visit, site, "thanh pho")
    _, same_category = _search(visit, site, "thanh pho", **{"chuyen-muc": "Cải cách hành chính"})
    _, other_year = _search(visit, site, "papi", nam="2023")
    assert f"/{PHOTO_ARTICLE}/" in same_category
    assert 0 < len(same_category) < len(everything)
    assert f"/{PHOTO_ARTICLE}/" not in other_year
    root = _site_root(site)
    assert everything == _server_ranking(root, "thanh pho")
    assert same_category == _server_ranking(root, "thanh pho", category="Cải cách hành chính")
    assert other_year == _server_ranking(root, "papi", year="2023")


def test_more_results_continue_in_the_same_order(visit, site):
    """The first page picks its ten in one pass, "more" sorts them all: both in engine.py's order."""
    index = Index(_site_root(site) / INDEX_FOLDER)
    expected = [index.page(number)["u"] for number in index.search("thanh pho")[:20]]
    assert len(expected) > 10
    reader, _ = _search(visit, site, "thanh pho")
    reader.page.locator("[data-search-more]").click()
    expect(reader.page.locator(".search-result")).to_have_count(len(expected))
    links = reader.page.eval_on_selector_all(".search-result__title a", "els => els.map(e => e.pathname)")
    assert links == expected


def test_without_javascript_the_form_is_there_and_the_service_answers(visit, site, tmp_path):
    reader = visit(java_script_enabled=False)
    reader.page.goto(f"{site}/tim-kiem/")
    form = reader.page.locator("form.search")
    assert form.is_visible()
    assert form.get_attribute("action").endswith("/api/tim-kiem/")
    hrefs = reader.page.eval_on_selector_all(".search-browse a", "els => els.map(e => e.pathname)")
    assert "/van-ban/" in hrefs
    # The service answers from the same index files (no nginx proxy here: call it directly).
    from cityportal.search.service import render
    page = render(_site_root(site), "nghi dinh 04")
    assert f'href="/{PHOTO_ARTICLE}/"' in page and "Tìm thấy" in page
    assert 'value="nghi dinh 04"' in page


def test_the_form_does_not_shift_the_page(visit, site):
    reader = visit()
    reader.page.goto(f"{site}/tim-kiem/")
    before = reader.page.locator(".search-browse").bounding_box()
    reader.page.wait_for_selector("html[data-search-ready]", state="attached")
    assert reader.page.locator(".search-browse").bounding_box() == before


def test_evaluation_set_quick_part(visit, site):
    """A regression run of tests/data/search_eval.tsv over its own site (invoke eval-search
    runs all of it beside Pagefind): the issue's three queries and one of each kind. The
    page (search.js) and the search without JavaScript (engine.py) rank alike."""
    from tests.searcheval import load_cases, ours
    picked, kinds = [], set()
    for case in load_cases():
        if case.kind == "issue table" or case.kind not in kinds:
            picked.append(case)
            kinds.add(case.kind)
    reader = visit()
    failures, differ = [], []
    for case in picked:
        found = ours(reader.page, _EVAL["base"], case.query)
        if not found or found[0] not in case.answers:
            failures.append((case.query, found[:3]))
        expected = _server_ranking(_EVAL["root"], case.query)
        if found != expected:
            differ.append((case.query, found, expected))
    assert failures == []
    assert differ == []


def test_phone_loads_at_most_150_kb_of_image_for_the_5_mb_photo(visit, site, big_photo):
    assert big_photo.stat().st_size >= 5_000_000
    reader = visit(**PHONE)
    reader.page.goto(f"{site}/{PHOTO_ARTICLE}/", wait_until="networkidle")
    chosen = reader.page.eval_on_selector(".article__figure img", "img => img.currentSrc")
    assert chosen.endswith("-720.webp"), chosen
    total = sum(reader.image_bytes.values())
    assert total <= 150 * 1024, reader.image_bytes
    # Width and height are in the markup, so the page does not jump when the photo arrives.
    box = reader.page.eval_on_selector(".article__figure img",
                                       "img => [img.getAttribute('width'), img.getAttribute('height')]")
    assert box == ["4000", "3000"]


def test_only_the_indexed_element_is_read():
    """What follows the data-pagefind-body element (sidebar, footer) is never indexed,
    and an element of the same name nested inside it does not end it early."""
    from cityportal.search.compact import read_page

    page = read_page('<html><body><main><article data-pagefind-body><h1>Tiêu đề</h1>'
                     '<div data-search="body"><article><p>trong bài</p></article><p>vẫn trong bài</p></div>'
                     '</article><aside><h1>Tin xem nhiều</h1><div data-search="body">thanh bên</div></aside>'
                     '</main></body></html>')
    assert page["fields"]["title"] == "Tiêu đề"
    assert "trong bài" in page["fields"]["body"] and "vẫn trong bài" in page["fields"]["body"]
    assert "thanh bên" not in page["fields"]["body"]
