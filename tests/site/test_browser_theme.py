"""The theme as a citizen meets it: real Chromium, real keyboard, axe-core."""
import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser import ARTIFACTS, launch_chromium, new_page, serve_directory

PAGES = {
    "trang-chu": "/",
    "bai-viet": "/nang-cao-chi-so-papi-6-thang-dau-nam-2021/",
    "chuyen-muc": "/chuyen-muc/cai-cach-hanh-chinh/",
}


@pytest.fixture(scope="module")
def site(built_site):
    with serve_directory(built_site) as base_url:
        yield base_url


@pytest.fixture(scope="module")
def browser():
    with launch_chromium() as browser:
        yield browser


@pytest.fixture
def open_page(browser):
    return lambda width=1280, **options: new_page(browser, width, **options)


@pytest.mark.parametrize("name", PAGES)
def test_page_renders_without_console_errors_and_is_screenshotted(site, open_page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (375, 1280):
        page = open_page(width)
        response = page.goto(site + PAGES[name])
        assert response.status == 200
        assert page.console_errors == []
        page.screenshot(path=ARTIFACTS / f"{name}-{width}.png", full_page=True)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{name} scrolls sideways at {width}px"
        page.close()


def test_skip_link_moves_focus_to_main_content(site, open_page):
    page = open_page()
    page.goto(site + PAGES["bai-viet"])
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Bỏ qua để đến nội dung chính"
    assert page.evaluate("getComputedStyle(document.activeElement).top") != "-64px"  # visible when focused
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#noi-dung"
    assert page.evaluate("document.activeElement.id") == "noi-dung"


# Every kind of page, at the narrowest width the theme supports.
ACCESSIBILITY_PAGES = [*PAGES.values(), "/the/papi/", "/luu-tru/", "/van-ban/", "/thong-ke/", "/tim-kiem/",
                       "/gioi-thieu/", "/404.html"]


@pytest.mark.parametrize("path", ACCESSIBILITY_PAGES)
def test_no_accessibility_violations_that_matter(site, open_page, path):
    page = open_page(320)
    page.goto(site + path)
    violations = Axe().run(page).response["violations"]
    found = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
             for v in violations if v["impact"] in ("moderate", "serious", "critical")]
    assert found == []


def test_print_button_appears_only_with_javascript(site, open_page):
    page = open_page(java_script_enabled=False)
    page.goto(site + PAGES["bai-viet"])
    assert page.locator('[data-action="print"]').is_hidden()
    assert page.locator("a[download]").is_visible()
    page = open_page()
    page.goto(site + PAGES["bai-viet"])
    assert page.locator('[data-action="print"]').is_visible()
