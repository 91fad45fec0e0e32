""""UBND Thành phố" with no name after it is this portal's city (LEGAL_REFS_HOME_LOCALITY)."""
import subprocess
import sys

import pytest

from cityportal.legal_refs.catalog import Catalog
from cityportal.legal_refs.extract import extract
from cityportal.legal_refs.registry import Registry
from tests.sitebuild import ROOT, build_site, copy_content

HOME = "thành phố Sông Lam"


@pytest.mark.parametrize("issuer", ["UBND Thành phố", "UBND thành phố", "Ủy ban nhân dân thành phố",
                                    "Ủy ban nhân dân Thành phố"])
def test_an_unnamed_city_committee_is_the_home_city(issuer):
    [reference] = extract(f"Quyết định số 1234/QĐ-UBND ngày 05/03/2024 của {issuer} về việc lập quy hoạch.")
    assert reference.issuer == "Ủy ban nhân dân thành phố"
    assert reference.locality == "thành phố"
    catalog = Catalog(Registry({}, []), home_locality=HOME)
    entry = catalog.cite(reference, None)
    assert entry.document.locality == HOME
    assert entry.issuer == "Ủy ban nhân dân thành phố Sông Lam"
    assert entry.url == "van-ban/1234-qd-ubnd-2024-thanh-pho-song-lam/"


def test_a_named_city_keeps_its_name():
    [reference] = extract("Quyết định số 12/QĐ-UBND ngày 05/03/2024 của UBND Thành phố Hồ Chí Minh.")
    assert reference.issuer == "Ủy ban nhân dân thành phố Hồ Chí Minh"
    assert Catalog(Registry({}, []), home_locality=HOME).locality_of(reference) == "thành phố Hồ Chí Minh"


def test_the_page_is_the_home_citys_and_check_asks_for_a_registry_entry(tmp_path):
    content = copy_content(tmp_path / "content")
    article = content / "articles" / "2024" / "quy-hoach.md"
    article.write_text("Title: Lập quy hoạch phân khu\nDate: 2024-03-10 08:00\nCategory: Kinh tế\n"
                       "Author: Phòng Quản lý đô thị\n\nThực hiện Quyết định số 1234/QĐ-UBND ngày 05/03/2024 "
                       "của UBND Thành phố về việc lập quy hoạch, và Nghị quyết số 999/NQ-CP ngày 02/01/2026 "
                       "của Chính phủ.\n", encoding="utf-8")
    # A second article citing it: a document known only from citations has its page once
    # two articles cite it (LEGAL_REFS_STUB_PAGE_MIN_CITATIONS).
    article.with_name("quy-hoach-2.md").write_text(
        "Title: Công bố quy hoạch phân khu\nDate: 2024-04-10 08:00\nCategory: Kinh tế\n"
        "Author: Phòng Quản lý đô thị\n\nTheo Quyết định số 1234/QĐ-UBND ngày 05/03/2024 của UBND "
        "Thành phố, bản đồ quy hoạch được niêm yết tại phường.\n", encoding="utf-8")
    result = build_site(tmp_path / "out", content=content)
    assert result.ok, result.stderr
    assert (tmp_path / "out/van-ban/1234-qd-ubnd-2024-thanh-pho-song-lam/index.html").is_file()
    assert not (tmp_path / "out/van-ban/1234-qd-ubnd-2024-thanh").exists()
    page = (tmp_path / "out/van-ban/1234-qd-ubnd-2024-thanh-pho-song-lam/index.html").read_text(encoding="utf-8")
    assert "Ủy ban nhân dân thành phố Sông Lam" in page and "Ủy ban nhân dân Thành<" not in page

    # Known only from this citation: the page says so plainly and links the national search.
    from bs4 import BeautifulSoup

    stub = BeautifulSoup(page, "html.parser")
    notice = stub.select_one(".legal-doc__notice")
    assert notice.strong.get_text() == "Chưa có trong cơ sở dữ liệu của cổng."
    assert notice.a["href"].startswith("https://vbpl.vn/") and "1234%2FQ%C4%90-UBND" in notice.a["href"]
    assert stub.select_one(".legal-status").get_text() == "Chưa có trong cơ sở dữ liệu của cổng"
    assert "Chưa xác định" not in page
    # The newest citation is still no new document: "Văn bản mới" lists the registry only.
    home = BeautifulSoup((tmp_path / "out/index.html").read_text(encoding="utf-8"), "html.parser")
    recent = [a.get_text() for a in home.select("section.sidebar-legal-documents li a")]
    assert recent and not any("999/NQ-CP" in text or "1234/QĐ-UBND" in text for text in recent), recent

    checked = subprocess.run([sys.executable, "-m", "invoke", "check", "--content", str(content)],
                             cwd=ROOT, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout
    assert ("quy-hoach.md:6: cảnh báo: Quyết định 1234/QĐ-UBND của thành phố Sông Lam chưa có trong sổ văn bản"
            in checked.stdout), checked.stdout
