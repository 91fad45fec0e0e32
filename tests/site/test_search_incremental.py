"""The search index updated in place (cityportal/search/index_state.py) holds the very
bytes a full pass writes over the same pages, whatever the change; and the changes that
keep the other pages' numbers are made in place."""
import random
import shutil
from pathlib import Path

import pytest

from cityportal.search.indexing import INDEX_FOLDER, build_index

WORDS = ("thành phố tổ chức hội nghị đối thoại với người dân về cải cách hành chính chuyển đổi số "
         "an toàn giao thông mưa lũ phường Bến Thủy xã Nghi Ân khỏe họa văn bản nghị định").split()
CATEGORIES = ("Tin tức – Sự kiện", "Kinh tế", "Văn hóa – Xã hội")


def page_html(title: str, when: str, category: str, body: str, appeared: str = "") -> str:
    """A built page as the theme marks it for the index: body, title, date, category."""
    since = f'<span hidden data-pagefind-meta="appeared:{appeared}"></span>' if appeared else ""
    return ("<!DOCTYPE html><html lang=\"vi\"><body><main><article data-pagefind-body>"
            f"<h1>{title}</h1>"
            f'<span hidden data-pagefind-filter="category:{category}" data-pagefind-meta="category:{category}"></span>'
            f'<span hidden data-pagefind-filter="year:{when[6:10]}" data-pagefind-meta="date:{when}"></span>{since}'
            f'<div data-search="body"><p>{body}</p></div></article></main></body></html>')


def text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


class Site:
    def __init__(self, root: Path, rng: random.Random):
        self.root, self.rng = root, rng
        (root / "tim-kiem").mkdir(parents=True)
        (root / "tim-kiem" / "index.html").write_text("<!DOCTYPE html><p>không có trong chỉ mục</p>", encoding="utf-8")

    def write(self, slug: str, when: str, body: str | None = None, **extra) -> None:
        path = self.root / slug / "index.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        title = f"Tin {slug.replace('-', ' ')}"
        path.write_text(page_html(title, when, self.rng.choice(CATEGORIES), body or text(self.rng, 60), **extra),
                        encoding="utf-8")

    def remove(self, slug: str) -> None:
        shutil.rmtree(self.root / slug)


def index_files(site: Path) -> dict[str, bytes]:
    return {str(path.relative_to(site)): path.read_bytes() for path in sorted((site / INDEX_FOLDER).rglob("*"))
            if path.is_file()}


def full_index(site: Path, scratch: Path) -> dict[str, bytes]:
    """The index a full pass writes over the same pages, in a copy without any cache."""
    copy = scratch / "copy"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns(INDEX_FOLDER))
    build_index(copy)
    return index_files(copy)


@pytest.fixture
def site(tmp_path):
    site = Site(tmp_path / "site", random.Random(7))
    for number in range(40):
        site.write(f"bai-{number:02d}", f"{number % 28 + 1:02d}/0{number % 9 + 1}/2023 08:{number:02d}")
    return site


def update(site: Site, tmp_path: Path) -> dict:
    counts = build_index(site.root, tmp_path / "stamp", tmp_path / "pages.sqlite")
    assert index_files(site.root) == full_index(site.root, tmp_path)
    return counts


def test_edits_and_new_pages_are_made_in_place_with_the_bytes_of_a_full_pass(site, tmp_path):
    assert "updated" not in update(site, tmp_path)  # the first index: the full pass
    site.write("bai-05", "06/06/2023 08:05", body="một đoạn mới về đối thoại và mưa lũ ở phường Bến Thủy")
    assert update(site, tmp_path)["updated"] == 1
    site.write("bai-moi", "01/01/2024 07:00")
    assert update(site, tmp_path)["updated"] == 1
    # A page dated in the future stays the newest; a page added before it moves it up.
    site.write("lich-cong-tac", "01/01/2099 08:00")
    update(site, tmp_path)
    site.write("bai-moi-hai", "02/01/2024 07:00")
    assert update(site, tmp_path)["updated"] == 2
    # A document page that appeared with today's citation joins after the older pages,
    # whatever the date of the document itself.
    site.write("van-ban-12-2015", "03/04/2015", appeared="202401030900")
    assert update(site, tmp_path)["updated"] == 2
    # Two edits at once, one page's keys all replaced, and a page outside the index.
    site.write("bai-01", "02/02/2023 08:01", body="khỏe họa")
    site.write("bai-02", "03/03/2023 08:02", body=text(site.rng, 200))
    (site.root / "tim-kiem" / "index.html").write_text("<!DOCTYPE html><p>đổi</p>", encoding="utf-8")
    assert update(site, tmp_path)["updated"] == 2


@pytest.mark.parametrize("change", ["remove", "move in time", "older than many", "leave the index"])
def test_changes_that_move_other_pages_take_the_full_pass(site, tmp_path, monkeypatch, change):
    monkeypatch.setattr("cityportal.search.index_state.MOVED_PAGES_LIMIT", 5)
    update(site, tmp_path)
    if change == "remove":
        site.remove("bai-07")
    elif change == "move in time":
        site.write("bai-07", "01/12/2023 09:00")
    elif change == "older than many":  # more pages to renumber than the limit
        site.write("bai-cu", "01/01/2020 09:00")
    else:
        (site.root / "bai-07" / "index.html").write_text("<!DOCTYPE html><p>rút bài</p>", encoding="utf-8")
    assert "updated" not in update(site, tmp_path)
    # And the next change is in place again.
    site.write("bai-moi", "01/01/2025 07:00")
    assert update(site, tmp_path)["updated"] == 1


def test_an_index_folder_changed_by_hand_is_written_afresh(site, tmp_path):
    update(site, tmp_path)
    shutil.rmtree(site.root / INDEX_FOLDER / "d")
    site.write("bai-moi", "01/01/2025 07:00")
    assert "updated" not in update(site, tmp_path)
