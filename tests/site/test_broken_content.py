"""No article may disappear silently: broken content stops the build and names the fix."""
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.sitebuild import ROOT, build_site, write_article

GOOD_HEADER = """Title: Bài kiểm tra
Date: 2024-03-05 09:00
Category: Kinh tế
Author: Phòng Văn hóa và Thông tin
Summary: Tóm tắt.
"""



@pytest.mark.parametrize(
    "name, text, expected",
    [
        ("khong-tieu-de.md", GOOD_HEADER.replace("Title: Bài kiểm tra\n", "") + "\nNội dung.\n",
         'khong-tieu-de.md:1: lỗi: thiếu trường bắt buộc "Title"'),
        ("sai-ngay.md", GOOD_HEADER.replace("2024-03-05 09:00", "30/02/2024 giờ hành chính") + "\nNội dung.\n",
         'sai-ngay.md:2: lỗi: Date "30/02/2024 giờ hành chính" không đọc được'),
        ("trung-duong-dan.md", GOOD_HEADER + "Slug: nang-cao-chi-so-papi-6-thang-dau-nam-2021\n\nNội dung.\n",
         'trung-duong-dan.md:6: lỗi: đường dẫn "nang-cao-chi-so-papi-6-thang-dau-nam-2021" bị trùng'),
        ("sai-chuyen-muc.md", GOOD_HEADER.replace("Kinh tế", "Thể thao") + "\nNội dung.\n",
         'sai-chuyen-muc.md:3: lỗi: chuyên mục "Thể thao" không có'),
    ],
)
def test_build_fails_naming_file_line_and_field(content, tmp_path, name, text, expected):
    write_article(content, name, text)
    result = build_site(tmp_path / "out", content=content)
    assert result.returncode != 0
    assert expected in result.stdout + result.stderr


def test_invalid_utf8_article_fails_the_build(content, tmp_path):
    path = content / "articles" / "2024" / "latin1.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"Title: B\xe0i c\xfb\nDate: 2024-03-05\n\nN\xf4i dung.\n")
    result = build_site(tmp_path / "out", content=content)
    assert result.returncode != 0
    assert "latin1.md:1: lỗi: tệp không phải UTF-8" in result.stdout + result.stderr


def invoke(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=cwd, capture_output=True, text=True)


def test_check_passes_on_the_real_content():
    result = invoke("check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_reports_missing_alt_and_broken_links(content):
    write_article(content, "thieu-alt.md", GOOD_HEADER + "Image: images/2021/papi-hoi-nghi.jpg\n\n"
                  "Xem [bài cũ]({filename}/articles/khong-co.md) và [trang](/khong-co-trang/).\n")
    from cityportal.editorial import find_problems
    from tasks import _settings

    messages = [p.format(content.parent) for p in find_problems(content, _settings())]
    assert any("thieu-alt.md:6: lỗi: ảnh đại diện thiếu mô tả" in m for m in messages), messages
    assert any("thieu-alt.md:8: lỗi: liên kết nội bộ hỏng" in m and "khong-co.md" in m for m in messages)
    assert any("thieu-alt.md:8: lỗi: liên kết nội bộ hỏng" in m and "/khong-co-trang/" in m for m in messages)


def test_article_in_another_format_is_not_skipped_silently(content, tmp_path):
    write_article(content, "bai-viet.rst", "Bài viết\n========\n")
    result = build_site(tmp_path / "out", content=content)
    assert result.returncode != 0
    assert "bai-viet.rst:1: lỗi: chỉ tệp Markdown (.md) được xuất bản" in result.stderr


def test_check_includes_legal_reference_problems(content):
    write_article(content, "sai-ngay-van-ban.md", GOOD_HEADER +
                  "\nThực hiện Kế hoạch số 49/KH-UBND ngày 20/01/2021 và Nghị định 95/1998-NĐ-CP.\n")
    result = invoke("check", "--content", str(content))
    assert result.returncode != 0
    assert "sai-ngay-van-ban.md:7: lỗi:" in result.stdout
    assert "sai-ngay-van-ban.md:7: cảnh báo:" in result.stdout and "95/1998/NĐ-CP" in result.stdout


def test_check_reports_a_corrupt_image_with_the_article_line(content):
    image = content / "images" / "2021" / "papi-hoi-nghi.jpg"
    image.write_bytes(image.read_bytes()[:2000])
    result = invoke("check", "--content", str(content))
    assert result.returncode != 0
    assert "nang-cao-chi-so-papi-6-thang-dau-nam-2021.md:8: lỗi: ảnh 'images/2021/papi-hoi-nghi.jpg' bị hỏng" in result.stdout


@pytest.fixture
def outside_secret(tmp_path) -> Path:
    """A file beside content/, like data/feedback.sqlite in a real checkout."""
    secret = tmp_path / "feedback.sqlite"
    secret.write_bytes(b"SQLite format 3\x00 ho ten, email cua cong dan")
    return secret


def test_a_symlink_out_of_content_stops_the_build_and_the_check(content, tmp_path, outside_secret):
    link = content / "images" / "2024" / "x.jpg"
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(outside_secret)
    result = build_site(tmp_path / "out", content=content)
    assert not result.ok
    assert "images/2024/x.jpg:1: lỗi: liên kết tượng trưng trỏ ra ngoài content/" in result.stderr
    published = [path for path in (tmp_path / "out").rglob("*") if path.is_file()]
    assert all(b"cua cong dan" not in path.read_bytes() for path in published)
    checked = invoke("check", "--content", str(content))
    assert checked.returncode != 0
    assert "images/2024/x.jpg:1: lỗi: liên kết tượng trưng" in checked.stdout


def test_a_path_with_dots_out_of_content_stops_the_build_and_the_check(content, tmp_path, outside_secret):
    (tmp_path / "ngoai.jpg").write_bytes((content / "images" / "2021" / "papi-hoi-nghi.jpg").read_bytes())
    write_article(content, "anh-ngoai.md", GOOD_HEADER + "Image: images/../../ngoai.jpg\nImageAlt: Ảnh\n\n"
                  "Nội dung, kèm [tệp]({static}/../feedback.sqlite).\n")
    result = build_site(tmp_path / "out", content=content)
    assert not result.ok
    assert 'anh-ngoai.md:6: lỗi: đường dẫn "images/../../ngoai.jpg" ra ngoài thư mục content/' in result.stderr
    assert 'anh-ngoai.md:9: lỗi: đường dẫn "/../feedback.sqlite" ra ngoài thư mục content/' in result.stderr
    checked = invoke("check", "--content", str(content))
    assert checked.returncode != 0
    assert "anh-ngoai.md:6: lỗi: đường dẫn" in checked.stdout


def _settle(content: Path) -> None:
    """Every source file as if saved a minute ago: recent files are never kept."""
    settled = time.time() - 60
    for path in content.rglob("*.md"):
        os.utime(path, (settled, settled))


def test_kept_findings_always_equal_a_fresh_check(content, tmp_path):
    from cityportal.editorial import find_problems
    from tasks import _settings

    settings, cache = _settings(), tmp_path / "checks.json"

    def both():
        fresh = find_problems(content, settings)
        assert find_problems(content, settings, cache) == fresh
        return [p.format(content.parent) for p in fresh]

    plain = write_article(content, "khong-sapo.md", GOOD_HEADER.replace("Summary: Tóm tắt.\n", "") + "\nNội dung.\n")
    linking = write_article(content, "lien-ket.md", GOOD_HEADER.replace("Bài kiểm tra", "Liên kết")
                            + "\nXem [mục mới](/muc-moi/).\n")
    _settle(content)
    both()
    messages = both()  # the second check takes the kept findings
    kept = json.loads(cache.read_text(encoding="utf-8"))["files"]
    assert str(plain) in kept and str(linking) not in kept  # its link depends on other files
    assert any("khong-sapo.md:1: cảnh báo: chưa có sapo" in m for m in messages), messages
    assert any("lien-ket.md:7: lỗi: liên kết nội bộ hỏng" in m for m in messages), messages

    # A new article makes the link whole, and repeats the kept article's slug.
    write_article(content, "muc-moi.md", GOOD_HEADER.replace("Bài kiểm tra", "Mục mới") + "\nNội dung.\n")
    write_article(content, "trung.md", GOOD_HEADER + "\nNội dung.\n")
    _settle(content)
    messages = both()
    assert not any("lien-ket.md" in m for m in messages), messages
    assert any("khong-sapo.md:1: lỗi: đường dẫn \"bai-kiem-tra\" bị trùng" in m for m in messages), messages

    # An edit to the kept file is seen, though it keeps its size.
    plain.write_text(plain.read_text(encoding="utf-8").replace("2024-03-05", "2024-02-31"), encoding="utf-8")
    _settle(content)
    assert any("khong-sapo.md:2: lỗi: Date" in m for m in both())
