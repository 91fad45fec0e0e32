"""The registry of known documents and the editors' checks, on real files."""
import datetime
from pathlib import Path

from cityportal import PROJECT_ROOT
from cityportal.legal_refs.catalog import Catalog
from cityportal.legal_refs.checks import find_problems
from cityportal.legal_refs.extract import extract
from cityportal.legal_refs.registry import load_registry

ROOT = PROJECT_ROOT

GOOD = """Number: 12/2021/QĐ-UBND
Type: Quyết định
Issuer: Ủy ban nhân dân
Locality: thành phố Sông Lam
Issued: 15/03/2021
Effective: 2021-04-01
Summary: Ban hành quy chế tiếp công dân
Status: Còn hiệu lực
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def messages(problems):
    return [(path.name, line, level, message) for path, line, level, message in problems]


def test_the_seeded_registry_is_clean_and_holds_the_cited_documents():
    registry = load_registry(ROOT / "content" / "van-ban")
    assert registry.problems == []
    decree = registry.find("04/2015/NĐ-CP", 2015, None)
    assert decree.issued == datetime.date(2015, 1, 9)
    assert decree.status == "Hết hiệu lực" and decree.replaced_by == ["59/2023/NĐ-CP"]
    ordinance = registry.find("34/2007/PL-UBTVQH11", 2007, None)
    assert ordinance.expires == datetime.date(2023, 7, 1) and ordinance.replaced_by == ["10/2022/QH15"]
    plan = registry.find("49/KH-UBND", 2021, "thành phố Sông Lam")
    assert plan.issued == datetime.date(2021, 1, 19)


def test_a_good_file_reads_both_date_forms(tmp_path):
    write(tmp_path, "a.txt", GOOD)
    registry = load_registry(tmp_path)
    assert registry.problems == []
    (document,) = registry.documents.values()
    assert document.issued == datetime.date(2021, 3, 15)
    assert document.effective == datetime.date(2021, 4, 1)


def test_missing_fields_and_unknown_lines_are_reported_with_their_line(tmp_path):
    write(tmp_path, "a.txt", "Number: 30/2020/NĐ-CP\nType: Nghị định\nNgày: 05/03/2020\n")
    found = messages(load_registry(tmp_path).problems)
    assert ("a.txt", 3, "error") == found[0][:3] and "Trường: giá trị" in found[0][3]
    missing = {m for _, _, _, m in found[1:]}
    assert any("Issuer" in m for m in missing) and any("Summary" in m for m in missing)
    assert any("Issued" in m for m in missing) and any("Status" in m for m in missing)


def test_impossible_dates(tmp_path):
    text = GOOD.replace("Effective: 2021-04-01", "Effective: 2021-03-01\nExpires: 2020-01-01")
    write(tmp_path, "a.txt", text)
    found = messages(load_registry(tmp_path).problems)
    assert [(line, level) for _, line, level, _ in found] == [(6, "error"), (7, "error"), (9, "warning")]
    assert "trước ngày ban hành" in found[0][3]
    write(tmp_path, "a.txt", GOOD.replace("15/03/2021", "31/02/2021"))
    ((_, line, level, message),) = messages(load_registry(tmp_path).problems)
    assert (line, level) == (5, "error") and "không có thật" in message


def test_year_of_the_number_must_match_the_issue_date(tmp_path):
    write(tmp_path, "a.txt", GOOD.replace("15/03/2021", "15/03/2020").replace("Effective: 2021-04-01\n", ""))
    ((_, line, _, message),) = messages(load_registry(tmp_path).problems)
    assert line == 5 and "2020" in message and "2021" in message


def test_irregular_number_gets_the_canonical_form(tmp_path):
    write(tmp_path, "a.txt", GOOD.replace("12/2021/QĐ-UBND", "12/2021/QD- UBND"))
    ((_, line, _, message),) = messages(load_registry(tmp_path).problems)
    assert line == 1 and "12/2021/QĐ-UBND" in message


def test_local_documents_need_a_locality(tmp_path):
    write(tmp_path, "a.txt", GOOD.replace("Locality: thành phố Sông Lam\n", ""))
    ((_, line, _, message),) = messages(load_registry(tmp_path).problems)
    assert line == 3 and "Locality" in message


def test_duplicate_ids_and_same_number_elsewhere(tmp_path):
    write(tmp_path, "a.txt", GOOD)
    write(tmp_path, "b.txt", GOOD)
    write(tmp_path, "c.txt", GOOD.replace("thành phố Sông Lam", "tỉnh Quảng Nam"))
    registry = load_registry(tmp_path)
    ((name, line, level, message),) = messages(registry.problems)
    assert (name, line, level) == ("b.txt", 1, "error") and "a.txt" in message
    assert len(registry.documents) == 2


def test_one_number_in_two_localities_gives_two_documents(tmp_path):
    write(tmp_path, "song-lam.txt", GOOD.replace("12/2021/QĐ-UBND", "1234/QĐ-UBND"))
    write(tmp_path, "quang-nam.txt", GOOD.replace("12/2021/QĐ-UBND", "1234/QĐ-UBND")
          .replace("thành phố Sông Lam", "tỉnh Quảng Nam").replace("Ban hành", "Phê duyệt"))
    catalog = Catalog(load_registry(tmp_path), home_locality="thành phố Sông Lam")
    (own,) = extract("Quyết định số 1234/QĐ-UBND ngày 15/3/2021 của UBND thành phố")
    (other,) = extract("Quyết định số 1234/QĐ-UBND ngày 15/3/2021 của UBND tỉnh Quảng Nam")
    assert catalog.cite(own, None).document.summary.startswith("Ban hành")
    assert catalog.cite(other, None).document.summary.startswith("Phê duyệt")
    assert catalog.find(own).url != catalog.find(other).url


def test_checks_report_irregular_forms_and_contradicting_dates(tmp_path):
    write(tmp_path / "van-ban", "nd.txt", GOOD.replace("12/2021/QĐ-UBND", "30/2020/NĐ-CP")
          .replace("15/03/2021", "05/03/2020").replace("Effective: 2021-04-01\n", "")
          .replace("Ủy ban nhân dân", "Chính phủ").replace("Locality: thành phố Sông Lam\n", ""))
    write(tmp_path / "articles", "a.md",
          "Title: Bài\n\nTheo Nghị định 30/2020/ND-CP ngày 06/3/2020.\n\n"
          "`Nghị định 30/2020/ND-CP` trong mã thì bỏ qua.\n\nNghị định 30/2020/NĐ-CP ngày 05/3/2020 đúng.\n")
    found = messages(find_problems(tmp_path, "van-ban"))
    assert [(n, line, level) for n, line, level, _ in found] == [("a.md", 3, "warning"), ("a.md", 3, "error")]
    assert "30/2020/NĐ-CP" in found[0][3]
    assert "06/03/2020" in found[1][3] and "05/03/2020" in found[1][3]


def test_the_real_content_has_no_problems():
    assert find_problems(ROOT / "content", "van-ban") == []


def test_check_warns_about_a_space_inside_a_number_but_not_a_line_break(tmp_path):
    from cityportal.legal_refs.checks import find_problems

    article = tmp_path / "articles" / "bai.md"
    article.parent.mkdir(parents=True)
    article.write_text("Title: Bài\n\nTheo Quyết định số 1234/QĐ- UBND và Nghị định số 04/2015/NĐ-\nCP.\n",
                       encoding="utf-8")
    warnings = [(line, message) for _, line, level, message in find_problems(tmp_path, "van-ban") if level == "warning"]
    assert warnings == [(3, 'số ký hiệu "1234/QĐ- UBND" viết không chuẩn; sửa thành "1234/QĐ-UBND"')]
