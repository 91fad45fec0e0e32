"""The legal documents in a real Pelican build of the real content."""
import json

PAPI = "nang-cao-chi-so-papi-6-thang-dau-nam-2021/"
PAPI_DOCUMENTS = ["49/KH-UBND", "34/2007/PL-UBTVQH11", "04/2015/NĐ-CP", "01/2016/TT-BNV"]


def test_the_papi_article_links_its_four_documents(read_page):
    page = read_page(PAPI)
    links = page.select(".article__body a.legal-ref")
    assert [a.get_text() for a in links] == PAPI_DOCUMENTS
    assert links[2]["href"] == "../van-ban/04-2015-nd-cp/"
    assert links[2]["title"].startswith("Nghị định 04/2015/NĐ-CP: Về thực hiện dân chủ")


def test_the_papi_article_lists_its_four_documents(read_page):
    section = read_page(PAPI).select_one("section.legal-refs")
    assert section.h2.get_text() == "Văn bản được nhắc đến"
    items = section.select(".legal-refs__item")
    assert [i.select_one(".legal-refs__link").get_text() for i in items] == [
        "Kế hoạch 49/KH-UBND", "Pháp lệnh 34/2007/PL-UBTVQH11", "Nghị định 04/2015/NĐ-CP", "Thông tư 01/2016/TT-BNV"]
    decree = " ".join(items[2].get_text().split())
    assert "09/01/2015" in decree and "Chính phủ" in decree and "Hết hiệu lực" in decree
    assert "cơ quan hành chính nhà nước" in decree
    assert "Ủy ban nhân dân thành phố Sông Lam" in items[0].get_text()
    # The guiding circular went with the decree it guided.
    assert items[3].select_one(".legal-status").get_text() == "Hết hiệu lực"


def test_a_law_cited_by_its_name_is_linked(read_page):
    page = read_page("cu-tri-thanh-pho-song-lam-di-bau-cu/")
    assert [a.get_text() for a in page.select("a.legal-ref")] == [
        "Luật Bầu cử đại biểu Quốc hội và đại biểu Hội đồng nhân dân năm 2015"]


def test_the_index_is_newest_first_and_complete(read_page, built_site):
    page = read_page("van-ban/")
    titles = [li.h2.get_text() for li in page.select(".legal-docs__item")]
    data = json.loads((built_site / "van-ban" / "index.json").read_text(encoding="utf-8"))["documents"]
    assert titles == [f"{d['type']} {d['number']}" if d["number"][0].isdigit() else d["number"] for d in data]
    dates = [t["datetime"] for t in page.select(".legal-docs__item time")]
    assert dates == sorted(dates, reverse=True)
    assert "Nghị định 04/2015/NĐ-CP" in titles and "Luật 45/2013/QH13" in titles


def test_filters_are_plain_pages(read_page):
    facets = read_page("van-ban/").select(".legal-docs__facet")
    assert [f.summary.get_text() for f in facets] == ["Loại văn bản", "Cơ quan ban hành", "Năm ban hành"]
    decrees = read_page("van-ban/loai/nghi-dinh/")
    titles = [li.h2.get_text() for li in decrees.select(".legal-docs__item")]
    assert titles and all(t.startswith("Nghị định ") for t in titles)
    assert decrees.select_one('.legal-docs__facet [aria-current="page"]').get_text() == "Nghị định"
    year = read_page("van-ban/nam/2015/")
    assert "Nghị định 04/2015/NĐ-CP" in [li.h2.get_text() for li in year.select(".legal-docs__item")]
    issuer = read_page("van-ban/co-quan/bo-noi-vu/")
    assert [li.h2.get_text() for li in issuer.select(".legal-docs__item")] == ["Thông tư 01/2016/TT-BNV"]


def test_a_registered_document_page(read_page):
    page = read_page("van-ban/04-2015-nd-cp/")
    facts = dict(zip([dt.get_text() for dt in page.select("dt")], [dd.get_text(" ", strip=True) for dd in page.select("dd")]))
    assert facts["Ngày ban hành"] == "09/01/2015" and facts["Ngày hết hiệu lực"] == "01/07/2023"
    assert facts["Tình trạng"] == "Hết hiệu lực"
    assert page.select_one('dd a[href$="van-ban/59-2023-nd-cp/"]').get_text() == "Nghị định 59/2023/NĐ-CP"
    related = page.select(".legal-doc__articles a")
    assert [a["href"] for a in related] == ["../../" + PAPI]


def test_every_cited_document_is_in_the_registry_with_its_status_and_a_sample_pdf(built_site):
    data = json.loads((built_site / "van-ban" / "index.json").read_text(encoding="utf-8"))["documents"]
    assert len(data) >= 39
    assert [d["number"] for d in data if not d["in_registry"]] == []
    assert [d["number"] for d in data if d["status"] not in ("Còn hiệu lực", "Hết hiệu lực")] == []
    for document in data:
        assert document["summary"], document["number"]
        pdf = built_site / document["pdf"].removeprefix("https://songlam.gov.vn/")
        assert pdf.read_bytes().startswith(b"%PDF-"), document["number"]


def test_the_2013_land_law_is_expired_and_replaced_by_the_2024_law(read_page):
    page = read_page("van-ban/45-2013-qh13/")
    facts = dict(zip([dt.get_text() for dt in page.select("dt")], [dd.get_text(" ", strip=True) for dd in page.select("dd")]))
    assert facts["Tình trạng"] == "Hết hiệu lực" and facts["Ngày hết hiệu lực"] == "01/08/2024"
    assert page.select_one('dd a[href$="van-ban/31-2024-qh15/"]') is not None
    assert read_page("van-ban/31-2024-qh15/").select_one(".legal-status").get_text() == "Còn hiệu lực"
    assert page.select_one('.legal-doc__links a[href$=".pdf"]').get_text() == "Tải văn bản (PDF)"


def test_index_json_is_open_data(built_site):
    data = json.loads((built_site / "van-ban" / "index.json").read_text(encoding="utf-8"))["documents"]
    decree = next(d for d in data if d["number"] == "04/2015/NĐ-CP")
    assert decree["issued"] == "2015-01-09" and decree["expires"] == "2023-07-01"
    assert decree["replaced_by"] == ["59/2023/NĐ-CP"] and decree["in_registry"] is True
    assert decree["url"] == "https://songlam.gov.vn/van-ban/04-2015-nd-cp/"
    assert decree["cited_by"] == ["https://songlam.gov.vn/" + PAPI]


def test_sidebar_lists_the_newest_documents(read_page):
    block = read_page("").select_one("section.sidebar-legal-documents")
    assert block.h2.get_text() == "Văn bản mới"
    assert block.select_one("li a").get_text() == "Nghị định 102/2024/NĐ-CP"


def test_the_registry_is_not_published_as_content(built_site):
    assert not list((built_site / "van-ban").rglob("*.txt"))
    assert not (built_site / "49-kh-ubnd-2021-thanh-pho-song-lam").exists()
