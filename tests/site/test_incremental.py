"""Incremental builds equal clean builds: after any sequence of edits (add, change,
delete, retitle, re-tag, move a date, change a registry document, a setting or a
template), the output/ that incremental builds leave is byte for byte the output/ of a
clean build of the same inputs; a statistics update on its own renders no page, and a
new article renders only the pages that show it.

Real Pelican builds of a small site through `build_site`, the whole pipeline (index and
precompression included). Few examples, so the test stays within about two minutes;
the benchmark (`invoke bench`) runs the bigger site.

Every file, the search index and the .gz and .br files included, is compared by name
and bytes.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import time
from pathlib import Path

from hypothesis import HealthCheck, Phase, example, given, settings, strategies as st

from cityportal.bench.equality import differing_files
from cityportal.build import build_site
from tests.sitebuild import CONTENT, ROOT

CATEGORIES = ["Kinh tế", "Chính trị", "Văn hóa – Xã hội"]
TAGS = ["Cải cách hành chính", "Chuyển đổi số", "Đầu tư", "Giáo dục"]
# Registry documents copied into the site: one replaced by another, one amended.
REGISTRY = ["04-2015-nd-cp.txt", "59-2023-nd-cp.txt", "61-2018-nd-cp.txt", "107-2021-nd-cp.txt"]
CITATIONS = ["Nghị định số 04/2015/NĐ-CP ngày 09/01/2015", "Nghị định số 61/2018/NĐ-CP",
             "Quyết định số 1234/QĐ-UBND ngày 02/03/2024", "Kế hoạch số 77/KH-UBND"]
# Distinct Lượt xem for the first articles, so Tin xem nhiều has an order without ties.
VIEWS = {0: 500, 1: 400, 2: 300, 3: 200, 4: 100, 5: 50, 6: 25}
# Three to a listing page, so the eight articles the site starts with already fill block
# pages, and most edits move an article into, out of or between them.
PER_PAGE = 3

ARTICLE = """Title: {title}
Date: 2024-03-{day:02d} {hour:02d}:00
Category: {category}
Tags: {tags}
Author: Phòng Văn hóa và Thông tin
Summary: Tóm tắt của bài {title}.

Nội dung bài {title}, lần sửa {revision}. Theo {citation} của UBND thành phố.
"""


class Site:
    """A small site and its inputs: content, a copy of the theme, settings, statistics."""

    def __init__(self, root: Path):
        self.root = root
        self.content = root / "content"
        (self.content / "articles").mkdir(parents=True)
        (self.content / "pages").mkdir()
        (self.content / "pages" / "gioi-thieu.md").write_text(
            "Title: Giới thiệu\nSlug: gioi-thieu\n\nTrang giới thiệu.\n", encoding="utf-8")
        (self.content / "van-ban").mkdir()
        for name in REGISTRY:
            shutil.copy(CONTENT / "van-ban" / name, self.content / "van-ban" / name)
        self.theme = root / "theme"
        shutil.copytree(ROOT / "theme", self.theme, ignore=shutil.ignore_patterns("portal.*.css"))
        self.stats_log = root / "access.log"
        self.stats_log.write_text("", encoding="utf-8")
        self.offsets = root / "views.csv"
        self.articles: dict[int, dict] = {}
        self.next_number = 0
        self.setting = 5
        for _ in range(8):
            self.add(category=self.next_number % 3, tags=(self.next_number % 4,), day=1 + self.next_number)
        self.write_offsets()

    # -- inputs --------------------------------------------------------------------
    def path(self, number: int) -> Path:
        return self.content / "articles" / f"bai-{number}.md"

    def write(self, number: int) -> None:
        a = self.articles[number]
        self.path(number).write_text(ARTICLE.format(
            title=a["title"], day=a["day"], hour=a["hour"], category=CATEGORIES[a["category"]],
            tags=", ".join(TAGS[t] for t in a["tags"]), revision=a["revision"],
            citation=CITATIONS[a["citation"]]), encoding="utf-8")

    def add(self, category=0, tags=(0,), day=1, citation=0):
        number = self.next_number
        self.next_number += 1
        self.articles[number] = {"title": f"Bài viết số {number}", "day": day, "hour": 8,
                                 "category": category, "tags": tuple(tags), "revision": 0,
                                 "citation": citation}
        self.write(number)

    def write_offsets(self):
        """Lượt xem carried over from the old portal: the statistics this site starts with."""
        rows = ["path,views"] + [f"/bai-viet-so-{n}/,{v}" for n, v in VIEWS.items()]
        self.offsets.write_text("\n".join(rows) + "\n", encoding="utf-8")

    def extra_settings(self, output_root: Path) -> dict:
        return {"CACHE_PATH": str(output_root / "cache"), "THEME": str(self.theme),
                "PORTAL_RELATED_COUNT": self.setting, "FAST_BUILD_WORKERS": 2,
                "PAGINATED_TEMPLATES": dict.fromkeys(("index", "category", "tag", "archives"), PER_PAGE),
                "STATS_LOG": str(self.stats_log), "STATS_DB": str(self.root / "stats.sqlite"),
                "STATS_VIEW_OFFSETS_FILE": str(self.offsets), "STATS_INGEST_ON_BUILD": True}

    def build(self, output_root: Path):
        result = build_site(output_root / "output", ROOT / "pelicanconf.py", self.content,
                            extra_settings=self.extra_settings(output_root))
        assert result.ok, (result.stdout or "")[-3000:] + (result.stderr or "")[-3000:]
        return result

    # -- edits ---------------------------------------------------------------------
    def apply(self, edit) -> None:
        kind, choice, value = edit
        numbers = sorted(self.articles)
        number = numbers[choice % len(numbers)]
        article = self.articles[number]
        if kind == "add":
            self.add(category=value % 3, tags=(value % 4, (value // 4) % 4), day=1 + value % 20,
                     citation=value % len(CITATIONS))
            return
        if kind == "delete":
            if len(self.articles) > 2:
                self.path(number).unlink()
                del self.articles[number]
            return
        if kind == "change":
            article["revision"] += 1
            article["citation"] = value % len(CITATIONS)
        elif kind == "retitle":
            article["title"] = f"Bài viết số {number} sửa {value}"
        elif kind == "retag":
            article["tags"] = tuple(sorted({value % 4, (value // 3) % 4}))
        elif kind == "move date":
            article["day"], article["hour"] = 1 + value % 25, 6 + value % 12
        elif kind == "category":
            article["category"] = value % 3
        elif kind == "registry":
            registry = self.content / "van-ban" / REGISTRY[value % len(REGISTRY)]
            text = registry.read_text(encoding="utf-8")
            registry.write_text(re.sub(r"^Summary: .*$", f"Summary: Tóm tắt đã sửa {value}", text,
                                       count=1, flags=re.M), encoding="utf-8")
            return
        elif kind == "setting":
            self.setting = 2 + value % 4
            return
        elif kind == "template":
            footer = self.theme / "templates" / "partials" / "footer.html"
            footer.write_text(footer.read_text(encoding="utf-8").replace(
                "</footer>", f"<!-- {value} --></footer>", 1), encoding="utf-8")
            return
        self.write(number)


def rendered(output_root: Path) -> list[str]:
    """The outputs the last build rendered (fast_build's report beside its manifest)."""
    [report] = (output_root / "cache").glob("fast_build-*.last.json")
    return json.loads(report.read_text(encoding="utf-8"))["rendered"]


def snapshot(output: Path) -> dict[str, bytes]:
    return {str(path.relative_to(output)): path.read_bytes()
            for path in sorted(output.rglob("*"))
            if path.is_file()}


def differences(left: dict, right: dict) -> list[str]:
    names = sorted(set(left) ^ set(right))
    names += [name for name in sorted(set(left) & set(right)) if left[name] != right[name]]
    return names


EDITS = st.tuples(
    st.sampled_from(["add", "change", "delete", "retitle", "retag", "move date", "category",
                     "registry", "setting", "template"]),
    st.integers(0, 50), st.integers(0, 50))


ALL_KINDS = [("add", 0, 7), ("change", 1, 2), ("retitle", 0, 3), ("retag", 2, 5),
             ("move date", 3, 20), ("category", 4, 1), ("registry", 0, 1), ("setting", 0, 1),
             ("template", 0, 9), ("delete", 1, 0)]


@example(edits=ALL_KINDS)
# The ninth article forms a new block of the home and archive listings, the tenth and
# eleventh fill it; deleting the oldest article shifts every block page after it.
@example(edits=[("add", 0, 8), ("add", 0, 11), ("add", 0, 14)])
@example(edits=[("delete", 0, 0), ("add", 0, 8)])
@settings(max_examples=1, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(edits=st.lists(EDITS, min_size=2, max_size=3))
def test_incremental_output_equals_a_clean_build(tmp_path_factory, edits):
    root = tmp_path_factory.mktemp("incremental")
    site = Site(root / "site")
    incremental = root / "incremental"
    site.build(incremental)
    for step, edit in enumerate(edits):
        site.apply(edit)
        site.build(incremental)
        clean = root / f"clean-{step}"
        site.build(clean)
        found = differing_files(incremental / "output", clean / "output")
        assert found == [], f"after {edits[:step + 1]}: {found[:20]}"
        assert "Tin xem nhiều" in (clean / "output" / "index.html").read_text(encoding="utf-8")
        shutil.rmtree(clean)


def test_a_statistics_update_alone_renders_no_page(tmp_path):
    site = Site(tmp_path / "site")
    site.build(tmp_path)
    assert rendered(tmp_path)
    before = snapshot(tmp_path / "output")
    # New figures: other Lượt xem (Tin xem nhiều changes order) and more visits.
    site.offsets.write_text("path,views\n/bai-viet-so-7/,9000\n/bai-viet-so-6/,8000\n",
                            encoding="utf-8")
    site.build(tmp_path)
    assert rendered(tmp_path) == []
    after = snapshot(tmp_path / "output")
    changed = differences(before, after)
    assert set(changed) <= {"stats.json", "stats.json.gz", "stats.json.br"}, changed


def _age(*roots: Path) -> None:
    """Give every file under `roots` a time an hour back, as if edited long before the
    build, so that sizes and times alone tell what changed (cityportal/build_inputs.py)."""
    an_hour_ago = time.time() - 3600
    for root in roots:
        for path in [root, *root.rglob("*")]:
            os.utime(path, (an_hour_ago, an_hour_ago))


def test_a_build_with_nothing_changed_runs_nothing(tmp_path):
    site = Site(tmp_path / "site")
    site.build(tmp_path)
    _age(site.root)
    assert not site.build(tmp_path).unchanged  # the inputs' times changed: built again
    before = {path: path.stat().st_mtime_ns for path in (tmp_path / "output").rglob("*")}

    assert site.build(tmp_path).unchanged
    assert {path: path.stat().st_mtime_ns for path in (tmp_path / "output").rglob("*")} == before

    (tmp_path / "output" / "index.html").unlink()  # an output removed by hand
    assert not site.build(tmp_path).unchanged
    assert (tmp_path / "output" / "index.html").exists()

    site.apply(("retitle", 0, 4))  # an edit seconds before the build
    assert not site.build(tmp_path).unchanged
    assert "Bài viết số 0 sửa 4" in (tmp_path / "output" / "index.html").read_text(encoding="utf-8")
    assert site.build(tmp_path).unchanged

    # Edited again within the same tick of the clock: same size, same time, other bytes.
    edited = site.path(0)
    mtime_ns = edited.stat().st_mtime_ns
    edited.write_text(edited.read_text(encoding="utf-8").replace("sửa 4", "sửa 5"), encoding="utf-8")
    os.utime(edited, ns=(mtime_ns, mtime_ns))
    assert not site.build(tmp_path).unchanged
    assert "Bài viết số 0 sửa 5" in (tmp_path / "output" / "index.html").read_text(encoding="utf-8")

    _age(site.root)
    site.build(tmp_path)
    site.setting += 1  # a setting given on the command line
    assert not site.build(tmp_path).unchanged


def test_a_new_article_renders_its_page_the_first_page_of_its_listings_and_the_site_lists(tmp_path):
    site = Site(tmp_path / "site")
    site.setting = 2  # Tin cùng chuyên mục: two, so Kinh tế's four articles are not all in one block
    site.add(category=1, tags=(2,), day=9)
    site.add(category=2, tags=(3,), day=10)
    site.build(tmp_path)
    before = snapshot(tmp_path / "output")
    # The eleventh article: no listing it is in reaches a new block of three.
    site.add(category=0, tags=(1,), day=11)
    site.build(tmp_path)
    assert sorted(rendered(tmp_path)) == sorted([
        "bai-viet-so-10/index.html",  # the article
        "index.html", "luu-tru/index.html", "chuyen-muc/kinh-te/index.html",  # first pages
        "the/chuyen-doi-so/index.html",  # its tag
        "chuyen-muc/index.html", "the/index.html",  # the lists of categories and tags (counts)
        "sitemap.xml", "so-do-trang/index.html", "tim-kiem/index.html",  # site lists and counts
        "van-ban/04-2015-nd-cp/index.html",  # the document it cites lists it
    ])
    after = snapshot(tmp_path / "output")
    assert not [name for name in differences(before, after) if "/trang/" in name]


def test_a_page_linking_an_article_follows_that_article_only(tmp_path):
    site = Site(tmp_path / "site")
    (site.content / "pages" / "gioi-thieu.md").write_text(
        "Title: Giới thiệu\nSlug: gioi-thieu\n\nXem [bài số 1]({filename}../articles/bai-1.md).\n",
        encoding="utf-8")
    site.build(tmp_path)
    site.add(category=1, tags=(2,), day=20)
    site.build(tmp_path)
    assert "gioi-thieu/index.html" not in rendered(tmp_path)
    site.apply(("retitle", 1, 4))  # a new title, so a new address
    site.build(tmp_path)
    assert "gioi-thieu/index.html" in rendered(tmp_path)
    page = (tmp_path / "output" / "gioi-thieu" / "index.html").read_text(encoding="utf-8")
    assert 'href="../bai-viet-so-1-sua-4/"' in page


def test_a_page_replaced_after_the_build_is_rendered_again(tmp_path):
    """`invoke serve` writes a saved article's page before its background build; the
    next build must render that page again rather than trust what it recorded."""
    site = Site(tmp_path / "site")
    site.build(tmp_path)
    page = tmp_path / "output" / "bai-viet-so-1" / "index.html"
    built = page.read_bytes()
    replacement = page.with_name("thay-the.html")
    replacement.write_bytes(built.replace("lần sửa 0".encode(), "lần sửa 9".encode()))
    os.replace(replacement, page)
    site.apply(("change", 0, 0))  # another article's body, so that the build runs at all
    site.build(tmp_path)
    assert "bai-viet-so-1/index.html" in rendered(tmp_path)
    assert page.read_bytes() == built
