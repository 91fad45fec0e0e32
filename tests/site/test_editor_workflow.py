"""An editor's day: `invoke new`, fill in the fields, `invoke check`, `invoke build`."""
import shutil
import subprocess
import sys

from tests.sitebuild import ROOT

# A city's own checkout: its settings, theme and content; the code is the installed package.
PROJECT_PARTS = ("tasks.py", "pelicanconf.py", "publishconf.py", "theme", "content")


def test_new_article_round_trip(tmp_path):
    for part in PROJECT_PARTS:
        source = ROOT / part
        (shutil.copytree if source.is_dir() else shutil.copy)(source, tmp_path / part)

    def invoke(*args):
        return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=tmp_path,
                              capture_output=True, text=True)

    created = invoke("new", "Đường Điện Biên mở rộng thêm 2 làn xe", "--category", "Kinh tế",
                     "--date", "2024-05-06T07:45")
    assert created.returncode == 0, created.stderr
    path = tmp_path / created.stdout.strip()
    assert path == tmp_path / "content/articles/2024/duong-dien-bien-mo-rong-them-2-lan-xe.md"
    text = path.read_text(encoding="utf-8")
    for field in ("Title:", "Date: 2024-05-06 07:45", "Modified:", "Category: Kinh tế", "Tags:",
                  "Author:", "Summary:", "Image:", "ImageAlt:", "Slug: duong-dien-bien-mo-rong-them-2-lan-xe"):
        assert field in text

    unfinished = invoke("check")
    assert unfinished.returncode != 0
    assert "duong-dien-bien-mo-rong-them-2-lan-xe.md:6: lỗi: trường \"Author\" đang để trống" in unfinished.stdout

    text = (text.replace("Author: \n", "Author: Minh Anh\n")
                .replace("Summary: \n", "Summary: Tuyến đường được mở rộng.\n")
                .replace("Image: images/2024/duong-dien-bien-mo-rong-them-2-lan-xe.jpg\n", "")
                .replace("ImageAlt: \n", ""))
    path.write_text(text, encoding="utf-8")
    assert invoke("check").returncode == 0
    built = invoke("build")
    assert built.returncode == 0, built.stdout + built.stderr
    assert (tmp_path / "output/duong-dien-bien-mo-rong-them-2-lan-xe/index.html").exists()


def test_new_refuses_unknown_category(tmp_path):
    result = subprocess.run([sys.executable, "-m", "invoke", "new", "Tin thể thao", "--category", "Thể thao"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode != 0
    assert "Chuyên mục \"Thể thao\" không có" in result.stderr + result.stdout
