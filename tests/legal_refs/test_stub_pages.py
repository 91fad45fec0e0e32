"""Documents known only from citations: a page of their own once two articles cite them,
a link to the national database's search before that, and never in the /van-ban/
listings, which hold what the city publishes (its registry). docs/legal_refs.md."""
import json

from bs4 import BeautifulSoup

from tests.sitebuild import build_site, copy_content, write_article

ARTICLE = ("Title: {title}\nDate: 2024-05-{day:02d} 08:00\nCategory: Kinh tế\nAuthor: Phòng Kinh tế\n\n"
           "{body}\n")
TWICE = "Quyết định số 777/QĐ-UBND ngày 02/05/2024 của UBND tỉnh Hà Tĩnh"
ONCE = "Công văn số 4321/UBND-KT ngày 03/05/2024 của UBND tỉnh Hà Tĩnh"


def test_a_document_cited_once_has_no_page_and_one_cited_twice_has_one(tmp_path):
    content = copy_content(tmp_path / "content")
    write_article(content, "tinh-1.md", ARTICLE.format(
        title="Phối hợp với tỉnh bạn", day=6, body=f"Thực hiện {TWICE}, hai bên ký kết hợp tác. Theo {ONCE}."))
    write_article(content, "tinh-2.md", ARTICLE.format(
        title="Sơ kết hợp tác với tỉnh bạn", day=20, body=f"Sau một tháng thực hiện {TWICE}, kết quả bước đầu khả quan."))
    result = build_site(tmp_path / "out", content=content)
    assert result.ok, result.stderr
    out = tmp_path / "out"

    twice_page = out / "van-ban" / "777-qd-ubnd-2024-tinh-ha-tinh" / "index.html"
    assert twice_page.is_file()
    related = BeautifulSoup(twice_page.read_text(encoding="utf-8"), "html.parser").get_text()
    assert "Phối hợp với tỉnh bạn" in related and "Sơ kết hợp tác với tỉnh bạn" in related
    assert not list((out / "van-ban").glob("4321-ubnd-kt*"))

    article = BeautifulSoup((out / "phoi-hop-voi-tinh-ban" / "index.html").read_text(encoding="utf-8"),
                            "html.parser")
    links = {a.get_text(): a["href"] for a in article.select(".legal-refs__link")}
    assert links["Quyết định 777/QĐ-UBND"].endswith("van-ban/777-qd-ubnd-2024-tinh-ha-tinh/")
    assert links["Công văn 4321/UBND-KT"].startswith("https://vbpl.vn/")
    inline = [a["href"] for a in article.select(".article__body a") if "4321" in a.get_text()]
    assert inline and all(href.startswith("https://vbpl.vn/") for href in inline)

    listed = (out / "van-ban" / "index.html").read_text(encoding="utf-8")
    assert "777/QĐ-UBND" not in listed and "4321/UBND-KT" not in listed
    assert not any("ha-tinh" in path.name for path in (out / "van-ban" / "co-quan").iterdir())

    records = {d["number"]: d for d in json.loads((out / "van-ban" / "index.json").read_text(encoding="utf-8"))["documents"]}
    assert records["4321/UBND-KT"]["url"] is None
    assert records["4321/UBND-KT"]["search_url"].startswith("https://vbpl.vn/")
    assert len(records["4321/UBND-KT"]["cited_by"]) == 1
    assert records["777/QĐ-UBND"]["url"].endswith("/van-ban/777-qd-ubnd-2024-tinh-ha-tinh/")
