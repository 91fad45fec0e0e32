"""What a citizen meets in the built theme: menu, page titles, home page, footer, site map,
404 and the English page, read from a real Pelican build of the sample content."""
from datetime import datetime
from zoneinfo import ZoneInfo

from tests.sitebuild import build_site

MENU = ["Trang chủ", "Giới thiệu", "Tin tức – Sự kiện", "Văn bản", "Hỏi đáp", "Gửi ý kiến",
        "Dịch vụ công", "Liên hệ"]
PAGES = ["index.html", "nang-cao-chi-so-papi-6-thang-dau-nam-2021/", "chuyen-muc/", "chuyen-muc/kinh-te/",
         "gioi-thieu/", "van-ban/", "thong-ke/", "gop-y/", "hoi-dap/", "tim-kiem/", "so-do-trang/",
         "en/", "404.html"]


def menu_labels(menu_list):
    return [a.find(string=True, recursive=False).strip() for a in menu_list.select(":scope > li > a")]


def test_phone_menu_is_a_details_button_holding_every_link_and_category(read_page):
    for path in PAGES:
        page = read_page(path)
        phone = page.select_one("nav.main-nav details.main-nav__phone")
        assert phone is not None and not phone.has_attr("open"), path
        assert phone.summary.get_text(strip=True) == "Menu", path
        wide = page.select_one(".main-nav__list--wide")
        phone_list = phone.select_one(".main-nav__list--phone")
        assert menu_labels(wide) == menu_labels(phone_list) == MENU, path
        categories = [a.get_text() for a in phone_list.select(".main-nav__submenu a")]
        assert categories == ["Cải cách hành chính", "Chính trị", "Kinh tế", "Văn hóa – Xã hội"], path


def test_the_news_section_is_not_its_own_child_nor_its_own_crumb(read_page):
    page = read_page("chuyen-muc/tin-tuc-su-kien/")
    for submenu in page.select(".main-nav__submenu"):
        assert "Tin tức – Sự kiện" not in submenu.get_text()
    crumbs = [li.get_text(strip=True) for li in page.select(".breadcrumbs__list li")]
    assert crumbs == ["Trang chủ", "Tin tức – Sự kiện"]


def test_menu_marks_the_page_and_its_section(read_page):
    category = read_page("chuyen-muc/kinh-te/").select_one(".main-nav__list--phone")
    assert category.select_one('a[aria-current="page"]').get_text() == "Kinh tế"
    assert category.select_one('a[aria-current="true"]').get_text() == "Tin tức – Sự kiện"
    overview = read_page("chuyen-muc/").select_one(".main-nav__list--wide")
    assert overview.select_one('a[aria-current="page"]').get_text() == "Tin tức – Sự kiện"
    questions = read_page("hoi-dap/").select_one(".main-nav__list--wide")
    assert questions.select_one('a[aria-current="page"]').get_text() == "Hỏi đáp"


def test_public_services_link_goes_to_the_national_portal_and_says_it_leaves(read_page):
    link = read_page("index.html").select_one('.main-nav__list--wide a[href="https://dichvucong.gov.vn"]')
    assert link.get_text(" ", strip=True).startswith("Dịch vụ công (trang ngoài)")
    assert link["rel"] == ["noopener"]


def test_every_page_title_comes_from_the_one_component(read_page):
    for path in PAGES:
        if path == "index.html":
            continue  # the home page's h1 is for screen readers only
        headings = read_page(path).find_all("h1")
        assert len(headings) == 1, path
        classes = headings[0]["class"]
        assert classes == ["page-title"], path


def test_home_lead_story_is_not_repeated_and_cards_have_small_thumbnails(read_page):
    page = read_page("index.html")
    lead = page.select_one(".featured__title a")["href"]
    listed = [a["href"] for a in page.select(".category-block .card__title a")]
    assert lead not in listed
    assert len(listed) == len(set(listed))
    thumbnails = page.select(".category-block .card__image img")
    assert thumbnails
    for image in thumbnails:
        assert image["alt"] == "" and image["loading"] == "lazy"
        assert image["sizes"] == "(min-width: 700px) 160px, 112px"
        assert "-360.jpg 360w" in image["srcset"]
    assert all(link["tabindex"] == "-1" and link["aria-hidden"] == "true"
               for link in page.select(".card__image"))


def test_header_has_a_solid_backing_and_a_language_link(read_page, built_site):
    css = next((built_site / "theme" / "css").glob("portal.*.css")).read_text(encoding="utf-8")
    header_rule = css.split(".portal-header{", 1)[1].split("}", 1)[0]
    assert "gradient" not in header_rule and "background:var(--primary)" in header_rule
    link = read_page("index.html").select_one(".portal-header__lang")
    assert (link["href"], link["hreflang"], link["lang"]) == ("./en/", "en", "en")


def test_footer_year_is_the_build_year_and_site_map_is_an_html_page(read_page):
    year = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).year
    page = read_page("gioi-thieu/")
    assert page.select_one(".portal-footer__copyright").get_text().startswith(f"© {year} ")
    link = page.find("a", string="Sơ đồ trang")
    assert link["href"] == "../so-do-trang/"
    site_map = read_page("so-do-trang/")
    hrefs = {a["href"] for a in site_map.select("main a")}
    for target in ("../gioi-thieu/", "../chuyen-muc/kinh-te/", "../van-ban/", "../hoi-dap/", "../gop-y/",
                   "../thong-ke/", "../luu-tru/", "../en/", "https://dichvucong.gov.vn", "../sitemap.xml"):
        assert target in hrefs, target


def test_404_links_from_the_site_root_in_a_local_build(read_page):
    page = read_page("404.html")
    assert page.find("link", rel="stylesheet")["href"].startswith("/theme/css/portal.")
    for tag, attribute in (("a", "href"), ("img", "src"), ("script", "src")):
        for element in page.find_all(tag, **{attribute: True}):
            value = element[attribute]
            assert value.startswith(("/", "#", "http", "mailto:", "tel:")), value


def test_article_tools_have_no_label_on_a_plain_div(read_page):
    tools = read_page("nang-cao-chi-so-papi-6-thang-dau-nam-2021/").select_one(".article__tools")
    assert tools.name == "div" and not tools.has_attr("aria-label")


def test_english_page_is_english_and_linked_both_ways_with_hreflang(read_page):
    english = read_page("en/")
    assert english.html["lang"] == "en"
    assert english.find("meta", attrs={"name": "DC.language"})["content"] == "en"
    text = english.select_one("main").get_text(" ")
    for fact in ("Functions", "Organisation", "Leaders", "Contacts", "Chairman", "Trần Minh Đức",
                 "+84 238 3 844 555", "ubnd@songlam.gov.vn", "Decree No. 42/2022/NĐ-CP"):
        assert fact in text, fact
    for chrome in ("header.portal-header", "nav.main-nav", "footer.portal-footer"):
        assert english.select_one(chrome)["lang"] == "vi", chrome
    vietnamese = read_page("gioi-thieu/")
    assert vietnamese.html["lang"] == "vi"
    for page in (english, vietnamese):
        alternates = {link["hreflang"]: link["href"] for link in page.find_all("link", rel="alternate", hreflang=True)}
        assert alternates["en"] == "https://songlam.gov.vn/en/"
        assert alternates["vi"] == "https://songlam.gov.vn/gioi-thieu/"
    assert english.select_one(".portal-header__lang")["hreflang"] == "vi"


def test_production_build_keeps_absolute_links_in_the_404_page(tmp_path):
    result = build_site(tmp_path, settings_file="publishconf.py",
                        extra_settings={"STATS_DB": str(tmp_path / "none.sqlite")})
    assert result.returncode == 0, result.stdout + result.stderr
    html = (tmp_path / "404.html").read_text(encoding="utf-8")
    assert 'href="https://songlam.gov.vn/theme/css/portal.' in html
