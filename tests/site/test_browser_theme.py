"""The theme as a citizen meets it: real Chromium, real keyboard, axe-core."""
import pytest
from axe_playwright_python.sync_playwright import Axe

from cityportal.ops.screenshots import SCREENS, WIDTHS, serve_site
from tests.browser import ARTIFACTS, QuietHandler, launch_chromium, new_page, serve_directory

PAGES = {
    "trang-chu": "/",
    "bai-viet": "/nang-cao-chi-so-papi-6-thang-dau-nam-2021/",
    "chuyen-muc": "/chuyen-muc/cai-cach-hanh-chinh/",
    "tieng-anh": "/en/",
}


@pytest.fixture(scope="module")
def site(built_site):
    with serve_directory(built_site) as base_url:
        yield base_url


@pytest.fixture(scope="module")
def site_with_404(built_site):
    """The built site as the dev server serves it: 404.html for a missing address."""
    with serve_site(built_site) as base_url:
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
                       "/gioi-thieu/", "/so-do-trang/", "/hoi-dap/", "/gop-y/", "/404.html"]


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


@pytest.mark.parametrize("path", sorted({path for _name, path, _javascript in SCREENS}))
@pytest.mark.parametrize("width", WIDTHS)
def test_no_accessibility_violations_of_any_impact(site_with_404, open_page, path, width):
    """Every page `invoke screenshots` shows (axe needs the page's JavaScript; the no-JS
    /gop-y/ is the same HTML)."""
    page = open_page(width)
    page.goto(site_with_404 + path)
    if width == 375:
        page.locator(".main-nav__button").click()  # the open phone menu is checked too
    violations = Axe().run(page).response["violations"]
    assert [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations] == []


def test_phone_menu_opens_with_the_keyboard_without_javascript(site, open_page):
    page = open_page(375, java_script_enabled=False)
    page.goto(site + PAGES["chuyen-muc"])
    assert page.locator(".main-nav__list--wide").is_hidden()
    menu = page.get_by_role("navigation", name="Menu chính")
    assert menu.get_by_role("link", name="Kinh tế", exact=True).is_hidden()
    button = page.locator(".main-nav__button")
    assert button.is_visible() and button.bounding_box()["height"] >= 44
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('main-nav__button')"):
            break
    else:
        raise AssertionError("the menu button cannot be reached with Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.querySelector('.main-nav__phone').open")
    for name in ("Trang chủ", "Tin tức – Sự kiện", "Kinh tế", "Văn hóa – Xã hội", "Hỏi đáp", "Gửi ý kiến",
                 "Liên hệ"):
        assert menu.get_by_role("link", name=name, exact=True).is_visible(), name
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Trang chủ"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "menu-mo-375.png")


def test_wide_menu_shows_one_row_and_the_categories_on_focus(site, open_page):
    page = open_page(1280)
    page.goto(site + PAGES["trang-chu"])
    assert page.locator(".main-nav__button").is_hidden()
    tops = page.eval_on_selector_all(".main-nav__list--wide > li", "items => items.map(i => i.offsetTop)")
    assert len(tops) == 8 and len(set(tops)) == 1, "the menu wraps"
    page.locator(".main-nav__list--wide").get_by_role("link", name="Tin tức – Sự kiện").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Cải cách hành chính"
    assert page.locator(".main-nav__list--wide .main-nav__submenu").is_visible()


@pytest.mark.parametrize("width", [320, 375])
def test_phone_search_box_reaches_the_right_edge(site, open_page, width):
    page = open_page(width)
    page.goto(site + PAGES["trang-chu"])
    box = page.locator(".portal-header__search").bounding_box()
    assert box["x"] + box["width"] == width - 16  # the page's own 1rem padding
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [320, 375, 1280])
def test_stats_chart_text_is_at_least_12_px(site, open_page, width):
    page = open_page(width)
    page.goto(site + "/thong-ke/")
    sizes = page.eval_on_selector_all(".stats-chart__svg", """charts => charts
        .filter(svg => svg.getBoundingClientRect().width > 0)
        .map(svg => [...svg.querySelectorAll('text')].map(text =>
            Number(text.getAttribute('font-size')) * svg.getBoundingClientRect().width / svg.viewBox.baseVal.width))""")
    assert len(sizes) == 1, "exactly one drawing of the chart is shown"
    assert min(sizes[0]) >= 12, min(sizes[0])


def test_home_sections_leave_no_half_row_empty(site, open_page):
    page = open_page(1280)
    page.goto(site + PAGES["trang-chu"])
    rows = page.eval_on_selector_all(".category-block__list", """lists => lists.map(list => {
        const items = [...list.children].map(li => li.getBoundingClientRect());
        const width = list.getBoundingClientRect().width;
        const rows = {};
        for (const item of items) rows[Math.round(item.top)] = (rows[Math.round(item.top)] || 0) + item.width;
        return Object.values(rows).map(used => used / width);
    })""")
    for section in rows:
        assert all(used > 0.9 for used in section), section


def test_404_at_a_nested_address_keeps_its_style(built_site, open_page):
    class NotFoundHandler(QuietHandler):
        def send_error(self, code, message=None, explain=None):
            if code != 404:
                return super().send_error(code, message, explain)
            body = (built_site / "404.html").read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    with serve_directory(built_site, handler=NotFoundHandler) as base_url:
        page = open_page(375)
        response = page.goto(base_url + "/khong/co/trang/nay/")
        assert response.status == 404
        background = page.evaluate("getComputedStyle(document.querySelector('.portal-header')).backgroundColor")
        assert background == "rgb(183, 28, 28)"
        assert page.locator(".portal-header__emblem").evaluate("image => image.naturalWidth") > 0
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / "404-long-375.png")
