"""What an editor reads when content is wrong: every `file:line: lỗi:` line, one summary
line, a non-zero exit, and never a Python traceback (build, preview, dev server)."""
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup

from cityportal.editorial import canonical_category, date_problem
from cityportal.ops.devserver import rebuild_quietly
from cityportal.ops.preview import PreviewError, build_preview
from tests.sitebuild import ROOT, build_site, write_article

HEADER = """Title: Bài kiểm tra
Date: 2024-03-05 09:00
Category: Kinh tế
Author: Phòng Văn hóa và Thông tin
Summary: Tóm tắt.
"""
# Four mistakes in one file: a misspelt field, a date that does not exist, a category
# typed loosely and a link to a page that is not there.
BROKEN = """Titel: Bài kiểm tra
Date: 2024-02-31 08:00
Category: kinh te
Author: Phòng Văn hóa và Thông tin
Summary: Tóm tắt.

Xem [giới thiệu](/gioi-thieuu/).
"""



def invoke(*args):
    return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=ROOT, capture_output=True, text=True)


def test_build_prints_the_lines_then_one_summary_and_no_traceback(content, tmp_path):
    write_article(content, "hong.md", BROKEN)
    result = invoke("build", "--content", str(content), "--output", str(tmp_path / "out"))
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "Traceback" not in output and "CRITICAL" not in output, output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert sum("hong.md:" in line and ": lỗi: " in line for line in lines) == 4, lines
    assert lines[-1] == "Bản dựng dừng lại: 4 lỗi trong nội dung (danh sách ở trên).", lines


def test_date_that_does_not_exist_is_named_so():
    assert date_problem("2024-02-31 08:00") == "là ngày không có thật: tháng 2 năm 2024 chỉ có 29 ngày"
    assert date_problem("2023-02-29") == "là ngày không có thật: tháng 2 năm 2023 chỉ có 28 ngày"
    assert "tháng 13" in date_problem("2024-13-01 08:00")
    assert "giờ 25:00" in date_problem("2024-03-01 25:00")
    assert date_problem("2024-02-29 08:00") is None
    assert "viết theo dạng 2021-06-28 08:30" in date_problem("30/02/2024 giờ hành chính")


def test_check_names_every_mistake_and_suggests_the_close_value(content):
    write_article(content, "hong.md", BROKEN)
    result = invoke("check", "--content", str(content))
    assert result.returncode != 0
    out = result.stdout
    assert 'hong.md:1: lỗi: thiếu trường bắt buộc "Title"; dòng này viết "titel", có phải "Title"?' in out
    assert 'hong.md:2: lỗi: Date "2024-02-31 08:00" là ngày không có thật' in out
    assert 'hong.md:3: lỗi: chuyên mục "kinh te" không có trong danh sách; có phải "Kinh tế"?' in out
    assert 'hong.md:7: lỗi: liên kết nội bộ hỏng: không có trang "/gioi-thieuu/"; có phải "/gioi-thieu/"?' in out
    assert "viết theo dạng" not in out


def test_a_category_typed_with_a_hyphen_is_the_same_category(content, tmp_path):
    categories = ["Tin tức – Sự kiện", "Văn hóa – Xã hội"]
    assert canonical_category("Tin tức - Sự kiện", categories) == "Tin tức – Sự kiện"
    assert canonical_category("Văn hóa—Xã hội", categories) == "Văn hóa – Xã hội"
    assert canonical_category("Thể thao", categories) is None

    write_article(content, "gach-noi.md", HEADER.replace("Kinh tế", "Tin tức - Sự kiện") + "\nNội dung.\n")
    checked = invoke("check", "--content", str(content))
    assert checked.returncode == 0, checked.stdout
    assert 'gach-noi.md:3: cảnh báo: chuyên mục "Tin tức - Sự kiện" được hiểu là "Tin tức – Sự kiện"' in checked.stdout
    result = build_site(tmp_path / "out", content=content)
    assert result.ok, result.stderr
    page = BeautifulSoup((tmp_path / "out/bai-kiem-tra/index.html").read_text(encoding="utf-8"), "html.parser")
    assert "Tin tức - Sự kiện" not in page.get_text()
    listing = (tmp_path / "out/chuyen-muc/tin-tuc-su-kien/index.html").read_text(encoding="utf-8")
    assert "bai-kiem-tra/" in listing
    assert not (tmp_path / "out/chuyen-muc/tin-tuc-su-kien-2").exists()


def test_preview_lists_every_error_under_the_editors_own_file(content, tmp_path):
    article = write_article(content, "hong.md", BROKEN)
    with pytest.raises(PreviewError) as raised:
        build_preview(article, content, ROOT / "pelicanconf.py", tmp_path / "preview")
    lines = str(raised.value).splitlines()
    assert len(lines) == 5, lines
    assert all(line.startswith(f"{article}:") and ": lỗi: " in line for line in lines[:4]), lines
    assert lines[-1] == "Bản xem trước dừng lại: 4 lỗi trong nội dung (danh sách ở trên)."
    assert "cache/preview" not in str(raised.value) and "preview/content" not in str(raised.value)


def test_the_dev_server_survives_a_half_written_file_without_a_traceback(content, tmp_path, capfd):
    from invoke import Context

    import tasks

    write_article(content, "dang-viet.md", "Title: Bài đang viết\nDate: 2024-03-0")
    assert rebuild_quietly(lambda: tasks.build(Context(), output=str(tmp_path / "out"),
                                               content=str(content))) is False
    captured = capfd.readouterr()
    output = captured.out + captured.err
    assert "Traceback" not in output, output
    assert "dang-viet.md:1: lỗi: thiếu trường bắt buộc" in output
    assert "trang cũ vẫn được phục vụ" in output
