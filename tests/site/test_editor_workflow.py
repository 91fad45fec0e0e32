"""An editor's day: `invoke new`, write the body, `invoke check`, `invoke publish`."""
import os
import shutil
import subprocess
import sys

from cityportal.editorial import BODY_PLACEHOLDER
from tests.sitebuild import ROOT

# A city's own checkout: its settings, theme and content; the code is the installed package.
PROJECT_PARTS = ("tasks.py", "pelicanconf.py", "publishconf.py", "theme", "content")


def test_an_editors_session_from_new_to_publish(tmp_path):
    """`invoke new`, write the body, `check`, then `publish` (which builds) to a
    local folder: every step answers in Vietnamese and none prints a traceback."""
    for part in PROJECT_PARTS:
        source = ROOT / part
        (shutil.copytree if source.is_dir() else shutil.copy)(source, tmp_path / part)
    server = tmp_path / "www"
    environment = {**os.environ, "PORTAL_PUBLISH_PATH": str(server), "PORTAL_PUBLISH_HOST": ""}
    outputs = []

    def invoke(*args):
        result = subprocess.run([sys.executable, "-m", "invoke", *args], cwd=tmp_path,
                                capture_output=True, text=True, env=environment)
        outputs.append(result.stdout + result.stderr)
        return result

    created = invoke("new", "Đường Điện Biên mở rộng thêm 2 làn xe", "--category", "Kinh tế",
                     "--date", "2024-05-06T07:45")
    assert created.returncode == 0, created.stderr
    path = tmp_path / created.stdout.strip()
    assert path == tmp_path / "content/articles/2024/duong-dien-bien-mo-rong-them-2-lan-xe.md"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("Title: Đường Điện Biên mở rộng thêm 2 làn xe\nDate: 2024-05-06 07:45\n"
                           "Category: Kinh tế\nAuthor: Ban Biên tập Cổng thông tin\n\n")
    # Optional fields are not left empty in the file; the terminal says what they mean.
    for optional in ("Image:", "ImageAlt:", "Summary:", "Tags:", "Slug:"):
        assert optional not in text
        assert optional in created.stderr

    unfinished = invoke("check")
    assert unfinished.returncode != 0
    assert "duong-dien-bien-mo-rong-them-2-lan-xe.md:6: lỗi: bài chưa có nội dung" in unfinished.stdout

    path.write_text(text.replace(BODY_PLACEHOLDER, "Tuyến đường được mở rộng thêm hai làn xe."), encoding="utf-8")
    checked = invoke("check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "cảnh báo: chưa có sapo" in checked.stdout

    published = invoke("publish")
    assert published.returncode == 0, published.stdout + published.stderr
    assert (server / "current/duong-dien-bien-mo-rong-them-2-lan-xe/index.html").is_file()
    assert "Đã xuất bản bản" in published.stdout
    for output in outputs:
        assert "Traceback" not in output, output


def test_new_refuses_unknown_category(tmp_path):
    result = subprocess.run([sys.executable, "-m", "invoke", "new", "Tin thể thao", "--category", "Thể thao"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode != 0
    assert "Chuyên mục \"Thể thao\" không có" in result.stderr + result.stdout
