"""`invoke refs PATH`, run as the outside checks run it."""
import json
import subprocess
import sys

from cityportal import PROJECT_ROOT

ROOT = PROJECT_ROOT
INVOKE = [sys.executable, "-m", "invoke"]


def refs(argument: str, stdin: str | None = None) -> list[dict]:
    result = subprocess.run(INVOKE + ["refs", argument], cwd=ROOT, input=stdin, capture_output=True,
                            text=True, encoding="utf-8", timeout=60)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_stdin_gives_the_json_lines_contract():
    text = ("Mở đầu.\nCăn cứ Nghị định số 04/2015/NĐ-CP ngày 09/01/2015 và Luật Đất đai năm 2013.\n"
            "Quyết định số 1234/QĐ-\nUBND ngày 5/3/2021 của UBND tỉnh Quảng Nam.\n")
    records = refs("-", text)
    assert records[0] == {
        "line": 2, "start": 20, "end": 33, "text": "04/2015/NĐ-CP", "kind": "numbered",
        "id": "04/2015/NĐ-CP", "type": "Nghị định", "issuer": "Chính phủ", "year": 2015, "date": "2015-01-09",
        "number": None, "amended": None,
    }
    assert records[1] == {
        "line": 2, "start": 53, "end": 74, "text": "Luật Đất đai năm 2013", "kind": "named",
        "id": "Luật Đất đai 2013", "type": "Luật", "issuer": "Quốc hội", "year": 2013, "date": None,
        "number": "45/2013/QH13", "amended": None,
    }
    broken = records[2]
    assert (broken["line"], broken["start"], broken["text"]) == (3, 14, "1234/QĐ-\nUBND")
    assert broken["end"] - broken["start"] == len(broken["text"])
    assert (broken["id"], broken["issuer"], broken["date"]) == (
        "1234/QĐ-UBND", "Ủy ban nhân dân tỉnh Quảng Nam", "2021-03-05")
    lines = text.split("\n")
    assert lines[1][records[0]["start"]:records[0]["end"]] == records[0]["text"]


def test_a_markdown_file(tmp_path):
    path = tmp_path / "bai.md"
    path.write_text("Title: Thử\n\nThực hiện Chỉ thị 05-CT/TW và Kế hoạch 49/KH-UBND.\n", encoding="utf-8")
    assert [(r["line"], r["id"]) for r in refs(str(path))] == [(3, "05-CT/TW"), (3, "49/KH-UBND")]


def test_a_missing_file_is_a_clear_error(tmp_path):
    result = subprocess.run(INVOKE + ["refs", str(tmp_path / "khong-co.md")], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "khong-co.md" in result.stderr and result.stdout == ""


def test_a_named_law_gets_its_number_and_amendment_years():
    records = refs("-", "Theo bộ luật hình sự năm 2015 (sửa đổi, bổ sung năm 2017) và BLDS 2015.\n")
    assert [(r["id"], r["number"], r["amended"], r["text"]) for r in records] == [
        ("Bộ luật Hình sự 2015", "100/2015/QH13", [2017], "bộ luật hình sự năm 2015 (sửa đổi, bổ sung năm 2017)"),
        ("Bộ luật Dân sự 2015", "91/2015/QH13", None, "BLDS 2015"),
    ]
