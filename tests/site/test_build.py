"""The real content, built by Pelican with the portal theme, checked page by page."""
import shutil
import xml.etree.ElementTree as ET

from tests.sitebuild import ROOT, build_site

PAPI = "nang-cao-chi-so-papi-6-thang-dau-nam-2021/"


def meta(soup, name):
    tag = soup.find("meta", attrs={"name": name}) or soup.find("meta", attrs={"property": name})
    return tag["content"] if tag else None


def test_papi_article_shows_title_date_author_lead_and_body(read_page):
    page = read_page(PAPI)
    assert page.html["lang"] == "vi"
    assert page.h1.get_text(strip=True) == "Nâng cao Chỉ số PAPI 6 tháng đầu năm 2021"
    assert page.select_one(".article__meta time").get_text() == "Thứ Hai, 28/06/2021 08:30"
    assert page.select_one(".article__author").get_text(strip=True) == "Như Thủy"
    assert "Chỉ số PAPI" in page.select_one(".article__lead").get_text()
    body = page.select_one(".article__body").get_text()
    for fact in ("21.651", "21.601", "21.567", "12/12", "23/23", "49/KH-UBND", "04/2015/NĐ-CP",
                 "01/2016/TT-BNV", "34/2007/PL-UBTVQH11"):
        assert fact in body, fact


def test_papi_article_metadata_tags(read_page):
    page = read_page(PAPI)
    assert page.title.get_text().startswith("Nâng cao Chỉ số PAPI")
    assert meta(page, "description").startswith("Sáu tháng đầu năm 2021")
    canonical = page.find("link", rel="canonical")["href"]
    assert canonical == "https://songlam.gov.vn/" + PAPI
    assert meta(page, "og:title")
    assert meta(page, "og:image").startswith("https://songlam.gov.vn/images/variants/papi-hoi-nghi-")
    assert meta(page, "og:image").endswith("-1200.jpg")
    assert meta(page, "og:type") == "article"
    for name in ("DC.title", "DC.creator", "DC.date", "DC.description", "DC.publisher",
                 "DC.identifier", "DC.language"):
        assert meta(page, name), name
    assert meta(page, "DC.creator") == "Như Thủy"
    assert meta(page, "DC.date") == "2021-06-28"


def test_heading_anchors_keep_d_for_dj(read_page):
    ids = [h["id"] for h in read_page(PAPI).select(".article__body h2")]
    assert "dua-phap-luat-va-dan-chu-co-so-den-gan-nguoi-dan" in ids


def test_every_page_has_landmarks_menu_breadcrumbs_and_footer(read_page):
    for path in ("index.html", PAPI, "chuyen-muc/", "luu-tru/", "gioi-thieu/"):
        page = read_page(path)
        assert page.select_one("a.skip-link")["href"] == "#noi-dung", path
        assert page.find("header", class_="portal-header"), path
        assert page.find("main", id="noi-dung"), path
        for menu_list in page.select(".main-nav__list--wide, .main-nav__list--phone"):
            menu = [a.get_text(" ", strip=True) for a in menu_list.select(":scope > li > a")]
            assert menu == ["Trang chủ", "Giới thiệu", "Tin tức – Sự kiện", "Văn bản", "Hỏi đáp",
                            "Gửi ý kiến", "Dịch vụ công (trang ngoài) ↗", "Liên hệ"], path
            assert len(menu_list.select(".main-nav__submenu a")) == 4, path
        footer = page.find("footer").get_text()
        for fact in ("Địa chỉ", "Điện thoại", "ubnd@songlam.gov.vn", "Chịu trách nhiệm nội dung", "©"):
            assert fact in footer, (path, fact)
        if path != "index.html":
            assert page.select_one("nav.breadcrumbs"), path


def test_article_has_related_news_tags_and_tools(read_page):
    page = read_page(PAPI)
    assert page.select(".article__tags a")
    assert page.select_one('[data-action="print"]')
    assert page.find("a", download=True)
    for script in page.find_all("script"):
        assert script.get("src") and "://" not in script["src"], "no inline or third-party script"


def test_home_has_featured_article_and_category_blocks(read_page, built_site):
    page = read_page("index.html")
    assert page.select_one(".featured img")["alt"]
    assert len(page.select(".category-block")) >= 5


def test_listing_pages_hold_fixed_blocks_counted_from_the_oldest(tmp_path):
    """Two to a page: the first page holds the newest two or three, then trang/N down to
    trang/1, the two oldest; every page is named by its dates and links its neighbours."""
    from bs4 import BeautifulSoup

    pages = {"index": 2, "category": 2, "tag": 2, "archives": 2}
    tmp_path = tmp_path.resolve()
    result = build_site(tmp_path, extra_settings={"PAGINATED_TEMPLATES": pages})
    assert result.returncode == 0, result.stderr
    overview = BeautifulSoup((tmp_path / "chuyen-muc" / "index.html").read_text(), "html.parser")
    news = overview.select_one("#khoi-tin-tuc-su-kien .category-block__count").get_text()
    for listing, count in (("chuyen-muc/tin-tuc-su-kien/", int(news.strip("( bài)"))),
                           ("luu-tru/", sum(len(list((ROOT / "content" / folder).rglob("*.md")))
                                            for folder in ("articles", "hoi-dap")))):
        address, walked, dates = listing, [], []
        while address:
            page = BeautifulSoup((tmp_path / address / "index.html").read_text(), "html.parser")
            times = [t["datetime"] for t in page.select(".article-list time, .archive__list time")]
            walked.append((address, len(times)))
            dates += times
            current = page.select_one(".pagination__current").get_text()
            assert current.startswith(("Tin từ ", "Tin ngày ")), (address, current)
            if address != listing:
                assert current.lower() in page.title.get_text(), address
                assert page.select_one(".listing__dates").get_text() == current
                newer = page.select_one(".pagination a[rel=prev]")["href"]
                assert (tmp_path / address / newer / "index.html").resolve() == previous, address
            older = page.select_one(".pagination a[rel=next]")
            previous = (tmp_path / address / "index.html").resolve()
            address = older and str((tmp_path / address / older["href"]).resolve().relative_to(tmp_path)) + "/"
        blocks = count // 2
        assert walked == [(listing, count - 2 * (blocks - 1))] + [
            (f"{listing}trang/{block}/", 2) for block in range(blocks - 1, 0, -1)], listing
        assert dates == sorted(dates, reverse=True), listing
        oldest = tmp_path / listing / "trang" / "1"
        page = BeautifulSoup((oldest / "index.html").read_text(), "html.parser")
        links = {a.get_text(" ", strip=True): (oldest / a["href"]).resolve() for a in page.select(".pagination a")}
        assert links.get("« Mới nhất", tmp_path / listing) == tmp_path / listing, links
        assert "Cũ nhất »" not in links and "Cũ hơn ›" not in links, links


def test_feeds_and_sitemap(built_site):
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(built_site / "feeds" / "all.atom.xml").getroot()
    assert feed.findall(f"{atom}entry")
    assert (built_site / "feeds" / "cai-cach-hanh-chinh.atom.xml").exists()
    sitemap = ET.parse(built_site / "sitemap.xml").getroot()
    urls = [loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert "https://songlam.gov.vn/" + PAPI in urls
    assert "Sitemap:" in (built_site / "robots.txt").read_text()


def test_every_image_has_alt_text(built_site):
    from bs4 import BeautifulSoup

    for html in built_site.rglob("*.html"):
        page = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        for image in page.find_all("img"):
            assert image.has_attr("alt"), f"{html}: {image}"


def test_stylesheet_is_one_fingerprinted_file_under_budget(built_site, read_page):
    href = read_page(PAPI).find("link", rel="stylesheet")["href"]
    css = built_site / href.replace("../", "")
    assert css.name.startswith("portal.") and css.stat().st_size <= 30 * 1024


def test_article_page_weight_under_50_kb_gzipped(built_site, read_page):
    import gzip

    page = read_page(PAPI)
    files = [built_site / PAPI / "index.html"]
    files += [built_site / link["href"].replace("../", "") for link in page.find_all("link", rel="stylesheet")]
    files += [built_site / script["src"].replace("../", "") for script in page.find_all("script", src=True)]
    total = sum(len(gzip.compress(path.read_bytes())) for path in files)
    assert total <= 50 * 1024, total


def test_a_missing_partial_breaks_the_build(tmp_path):
    """A renamed or deleted partial must stop the build, not leave a block out quietly;
    optional blocks are switched off by their data (an empty PORTAL_VIDEOS, no stats)."""
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    (theme / "templates" / "partials" / "sidebar_video.html").unlink()
    result = build_site(tmp_path / "out", extra_settings={"THEME": str(theme)})
    assert not result.ok
    assert "sidebar_video.html" in result.stdout + result.stderr
