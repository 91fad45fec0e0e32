"""`invoke serve`: a saved article body is on its page at once (the resident site), the
background build settles the rest, and output/ ends byte for byte as a clean build of
the same content writes it.

Real Pelican builds of the small site of tests/site/test_incremental.py, a real resident
process, real saves seen by the real watcher, and pages read over HTTP from the dev
server. The waits have generous limits; nothing here judges how long a step took
(`invoke bench-serve` does).
"""
from __future__ import annotations

import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from watchfiles import Change

from cityportal.bench.equality import differing_files
from cityportal.ops.devserver import DevServer, DevSite, quick_candidates
from cityportal.ops.resident import SiteSources
from tests.site.test_incremental import Site
from tests.sitebuild import ROOT

WAIT = 300  # seconds before a wait gives up: a limit for a stuck server, not a target


class Running:
    """A small site served by `invoke serve`'s own classes."""

    def __init__(self, root: Path):
        self.site = Site(root / "site")
        self.served = root / "serve"
        self.dev = DevSite(SiteSources(ROOT / "pelicanconf.py", self.site.content, self.served / "output",
                                       self.site.extra_settings(self.served)))
        assert self.dev.build().ok
        self.server = DevServer(self.dev, 0)
        self.server.start()
        assert self.dev.resident_ready(WAIT)

    def page(self, path: str) -> str:
        """The page at `path`, or "" while there is none."""
        try:
            with urllib.request.urlopen(self.server.url + path, timeout=10) as answer:
                return answer.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            assert error.code == 404, error
            return ""

    def wait_for_text(self, path: str, text: str) -> str:
        started = time.monotonic()
        while text not in (page := self.page(path)):
            assert time.monotonic() - started < WAIT, f"{path} never showed {text!r}"
            time.sleep(0.05)
        return page

    def clean_build(self, root: Path) -> Path:
        self.site.build(root)
        return root / "output"


@pytest.fixture
def running(tmp_path):
    running = Running(tmp_path)
    yield running
    running.server.stop()


def test_a_saved_body_is_on_its_page_at_once_and_the_site_settles_to_a_clean_build(running, tmp_path, capfd):
    site, dev = running.site, running.dev
    article = site.path(1)
    saved = time.perf_counter()
    article.write_text(article.read_text(encoding="utf-8").replace(
        "lần sửa 0.", "lần sửa 0. Đoạn mới theo Nghị định số 59/2023/NĐ-CP và Kế hoạch số 12/KH-UBND năm 2024."),
        encoding="utf-8")
    running.wait_for_text("/bai-viet-so-1/", "Đoạn mới theo")
    quick = dev.step_after("quick", saved, WAIT)
    assert quick is not None and quick.pages == ("bai-viet-so-1/",)
    page = (running.served / "output" / "bai-viet-so-1" / "index.html").read_bytes()
    assert dev.settled_after(saved, WAIT).ok

    clean = running.clean_build(tmp_path / "clean")
    # The page written at once is the one the full build writes...
    assert page == (clean / "bai-viet-so-1" / "index.html").read_bytes()
    # ...and once the background build is done, nothing differs anywhere.
    assert differing_files(running.served / "output", clean) == []

    # A body the build would refuse: its errors, by line, and the page stays as it was.
    broken = article.read_text(encoding="utf-8") + "\nXem [trang cũ](/trang-khong-co/).\n"
    saved = time.perf_counter()
    article.write_text(broken, encoding="utf-8")
    assert dev.step_after("refused", saved, WAIT) is not None
    # A file that is not UTF-8, a misspelt field: the full build says so.
    saved = time.perf_counter()
    site.path(2).write_bytes(site.path(2).read_bytes().replace("lần".encode(), "l\xe2n".encode("latin-1")))
    site.path(3).write_text(site.path(3).read_text(encoding="utf-8").replace("Title:", "Titel:"), encoding="utf-8")
    assert not dev.settled_after(saved, WAIT).ok
    shown = capfd.readouterr()
    output = shown.out + shown.err
    assert "bai-1.md:" in output and "lỗi: liên kết nội bộ hỏng" in output
    assert "bai-2.md:1: lỗi: tệp không phải UTF-8" in output
    assert 'bai-3.md:1: lỗi: thiếu trường bắt buộc "Title"; dòng này viết "titel"' in output
    assert "trang cũ vẫn được phục vụ" in output and "Traceback" not in output
    assert "Đoạn mới theo" in running.page("/bai-viet-so-1/")


def test_a_header_change_takes_the_full_build_and_saves_during_it_are_not_lost(running, tmp_path):
    site, dev = running.site, running.dev
    saved = time.perf_counter()
    site.apply(("retitle", 0, 4))  # a new title, so a new address too
    running.wait_for_text("/bai-viet-so-0-sua-4/", "Bài viết số 0 sửa 4")
    assert dev.settled_after(saved, WAIT).ok
    assert dev.step_after("quick", saved, 0) is None  # no page from the resident site
    assert dev.step_after("load", saved, WAIT).ok  # which then holds the new header

    # A body save starts a build; two more saves arrive while it runs.
    first = time.perf_counter()
    site.apply(("change", 1, 0))
    assert dev.building(WAIT)
    during = time.perf_counter()
    site.apply(("retitle", 2, 7))
    site.apply(("change", 3, 0))
    assert dev.settled_after(during, WAIT).ok
    builds = [step for step in dev.steps if step.kind == "build" and step.started >= first]
    assert len(builds) == 2  # the one under way, then one more for both saves
    assert all(later.started >= earlier.ended for earlier, later in zip(builds, builds[1:]))
    assert "Bài viết số 2 sửa 7" in running.page("/bai-viet-so-2-sua-7/")
    assert "lần sửa 1" in running.page("/bai-viet-so-3/")

    clean = running.clean_build(tmp_path / "clean")
    assert differing_files(running.served / "output", clean) == []


def test_only_article_files_whose_header_may_be_unchanged_are_for_the_resident_site(tmp_path):
    articles = tmp_path / "articles"
    article = articles / "2024" / "bai.md"
    article.parent.mkdir(parents=True)
    article.write_text("Title: Bài\n\nNội dung.\n", encoding="utf-8")
    image = tmp_path / "images" / "anh.jpg"
    image.parent.mkdir()
    image.write_bytes(b"jpeg")
    scratch = article.with_name("4913")  # vim checks it may write here, then removes the file
    assert quick_candidates({(Change.modified, str(article))}, [articles]) == [article]
    assert quick_candidates({(Change.modified, str(article)), (Change.added, str(scratch)),
                             (Change.deleted, str(scratch))}, [articles]) == [article]
    assert quick_candidates({(Change.added, str(scratch)), (Change.deleted, str(scratch))}, [articles]) == []
    assert quick_candidates({(Change.modified, str(article)), (Change.modified, str(image))}, [articles]) is None
    assert quick_candidates({(Change.deleted, str(articles / "2024" / "cu.md"))}, [articles]) is None
    assert quick_candidates({(Change.modified, str(image))}, [tmp_path / "images"]) is None
