"""The statistics in real Pelican builds of the real content, and in real Chromium."""
import json

import pytest
from axe_playwright_python.sync_playwright import Axe
from bs4 import BeautifulSoup

from tests.browser import launch_chromium, new_page, serve_directory
from tests.stats.logs import GOOGLEBOT, PHONE, ROOT, log_line
from tests.sitebuild import build_site

PAPI = "nang-cao-chi-so-papi-6-thang-dau-nam-2021/"
COVID = "ho-tro-nguoi-lao-dong-gap-kho-khan-do-covid-19/"
REPORT_TIME = "2026-11-28T20:00:00+07:00"
# The checks of editorial content have their own tests; these builds look only at the
# statistics, so a content problem elsewhere cannot hide a statistics failure.
PLUGINS = ["plugins.markup_safety", "plugins.portal", "plugins.listing_pages", "plugins.access_stats"]


def read(output, relative):
    path = output / relative
    if relative.endswith("/"):
        path = path / "index.html"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def counted_site(tmp_path_factory):
    """A build whose log holds known traffic: PAPI 3 views, Covid-19 2, a bot, a 404."""
    scratch = tmp_path_factory.mktemp("stats-site")
    log = scratch / "access.log"
    log.write_text(
        "".join(
            [
                log_line("2026-11-23T09:00:00+07:00", ip="192.0.2.1", target=f"/{PAPI}"),
                log_line("2026-11-27T09:00:00+07:00", ip="192.0.2.1", target=f"/{COVID}"),
                log_line("2026-11-28T19:10:00+07:00", ip="192.0.2.2", target=f"/{PAPI}?utm_source=zalo"),
                log_line("2026-11-28T19:58:00+07:00", ip="192.0.2.3", target=f"/{PAPI}", agent=PHONE),
                log_line("2026-11-28T19:59:00+07:00", ip="192.0.2.4", target=f"/{COVID}"),
                log_line("2026-11-28T19:59:30+07:00", ip="66.249.66.1", target=f"/{PAPI}", agent=GOOGLEBOT),
                log_line("2026-11-28T19:59:40+07:00", ip="192.0.2.5", target="/khong-co/", status=404),
            ]
        ),
        encoding="utf-8",
    )
    output = scratch / "output"
    result = build_site(
        output,
        extra_settings={
            "PLUGINS": PLUGINS,
            "STATS_LOG": str(log),
            "STATS_DB": str(scratch / "stats.sqlite"),
            "STATS_NOW": REPORT_TIME,
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return output


def test_the_build_lists_its_articles_for_invoke_stats_beside_the_database(counted_site):
    listed = (counted_site.parent / "stats-pages.txt").read_text(encoding="utf-8").split("\n")
    assert f"/{PAPI}" in listed and f"/{COVID}" in listed
    assert "/khong-co/" not in listed and "/theme/js/stats.js" not in listed


def test_the_sidebar_shows_the_four_counters_in_vietnamese_format(counted_site):
    block = read(counted_site, PAPI).select_one("section.sidebar-stats")
    assert block["aria-labelledby"] == "sidebar-stats-title"
    assert block.h2.get_text() == "Thống kê truy cập"
    figures = {row.dt.get_text(): row.dd.get_text() for row in block.select(".sidebar-stats__row")}
    # Visits: 23/11 (Monday), 27/11 and three on 28/11; online: 192.0.2.3 and .4.
    assert figures == {
        "Đang online": "2",
        "Hôm nay": "3",
        "Trong tuần": "5",
        "Tất cả": "8.012.854",
    }
    assert block.find_next("script")["src"] == "../theme/js/stats.js"


def test_every_article_shows_its_views_and_the_most_viewed_list_is_ordered(counted_site):
    papi = read(counted_site, PAPI)
    assert papi.select_one(".article__meta .article-views").get_text() == "· Lượt xem: 3"
    assert read(counted_site, COVID).select_one(".article-views__count").get_text() == "2"
    unseen = read(counted_site, "khai-giang-nam-hoc-2022-2023/")
    assert unseen.select_one(".article-views__count").get_text() == "0"
    items = papi.select(".sidebar-most-viewed__item")
    assert [item.a["href"] for item in items] == [f"../{PAPI}", f"../{COVID}"]
    assert items[0].select_one(".sidebar-most-viewed__views").get_text() == "3 lượt xem"
    assert papi.select_one(".sidebar-most-viewed h2").get_text() == "Tin xem nhiều"


def test_the_statistics_page_has_an_svg_chart_and_a_data_table(counted_site):
    page = read(counted_site, "thong-ke/")
    assert page.h1.get_text() == "Thống kê truy cập"
    svg = page.select_one("figure.stats-chart svg")
    assert svg["role"] == "img" and svg.title.get_text() and svg.desc.get_text()
    assert len(svg.select("rect")) == 30
    assert not page.select("main script")
    rows = page.select(".stats-table tbody tr")
    assert len(rows) == 30
    cells = [cell.get_text() for cell in rows[0].select("th, td")]
    assert cells == ["28/11/2026", "3", "3", "3"]
    assert [cell.get_text() for cell in rows[1].select("th, td")] == ["27/11/2026", "1", "1", "1"]
    assert page.select_one(".stats-table caption").get_text()
    assert [th["scope"] for th in page.select(".stats-table thead th")] == ["col"] * 4


def test_the_build_writes_stats_json_with_the_same_numbers(counted_site):
    report = json.loads((counted_site / "stats.json").read_text(encoding="utf-8"))
    assert list(report) == [
        "generated_at", "online", "today", "week", "total", "views", "daily", "malformed_lines",
        "malformed_reasons",
    ]
    assert (report["online"], report["today"], report["week"], report["total"]) == (2, 3, 5, 8012854)
    assert report["views"] == {f"/{PAPI}": 3, f"/{COVID}": 2}
    assert report["daily"]["2026-11-28"] == {"visits": 3, "visitors": 3, "pageviews": 3}


def test_without_a_database_the_blocks_are_left_out_and_the_build_succeeds(tmp_path):
    output = tmp_path / "output"
    result = build_site(
        output,
        extra_settings={
            "PLUGINS": PLUGINS,
            "STATS_INGEST_ON_BUILD": False,
            "STATS_DB": str(tmp_path / "missing.sqlite"),
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    article = read(output, PAPI)
    assert not article.select(".sidebar-stats, .sidebar-most-viewed, .article-views")
    assert "Chưa có số liệu" in read(output, "thong-ke/").main.get_text()
    assert not (output / "stats.json").exists()
    assert not (tmp_path / "missing.sqlite").exists()


def test_the_refresh_script_is_small_and_updates_counters_from_stats_json(counted_site, tmp_path):
    script = ROOT / "theme" / "static" / "js" / "stats.js"
    assert script.stat().st_size <= 2048
    report = json.loads((counted_site / "stats.json").read_text(encoding="utf-8"))
    report.update(online=41, total=9123456, views={f"/{PAPI}": 1500})
    (counted_site / "stats.json").write_text(json.dumps(report), encoding="utf-8")
    with serve_directory(counted_site) as base_url, launch_chromium() as browser:
        page = new_page(browser)
        outside, failed = [], []
        page.on("request", lambda request: request.url.startswith(base_url) or outside.append(request.url))
        page.on("response", lambda response: "/stats." in response.url and not response.ok and failed.append(response.url))
        page.goto(f"{base_url}/{PAPI}")
        total = page.locator('.sidebar-stats [data-stats-field="total"]')
        page.wait_for_function(
            "document.querySelector('.sidebar-stats [data-stats-field=\"total\"]').textContent === '9.123.456'"
        )
        assert page.locator('.sidebar-stats [data-stats-field="online"]').text_content() == "41"
        assert page.locator(".article-views__count").text_content() == "1.500"
        assert total.text_content() == "9.123.456"
        assert failed == [] and outside == []
        # Missing content images are reported by the content checks, not here.
        script_errors = [e for e in page.console_errors if not e.startswith("Failed to load resource")]
        assert script_errors == []
        without_script = new_page(browser, java_script_enabled=False)
        without_script.goto(f"{base_url}/{PAPI}")
        assert without_script.locator('.sidebar-stats [data-stats-field="total"]').text_content() == "8.012.854"


def test_the_statistics_page_fits_320_pixels_and_has_no_serious_accessibility_issue(counted_site):
    with serve_directory(counted_site) as base_url, launch_chromium() as browser:
        for path in ("thong-ke/", PAPI):
            page = new_page(browser, width=320)
            page.goto(f"{base_url}/{path}")
            assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
            violations = Axe().run(page).response["violations"]
            serious = [v["id"] for v in violations if v["impact"] in ("serious", "critical")]
            assert serious == [], path
