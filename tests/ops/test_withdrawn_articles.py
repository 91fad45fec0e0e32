"""A withdrawn article leaves the site: its page, its tag page, the document stub it
created and its search entry are gone from output/ and, after publishing, from the server."""
from __future__ import annotations

import shutil
import urllib.error
import urllib.request

import pytest
from invoke import Config, Context

from cityportal.ops.publishing import publish_atomically
from tests.nginx import NGINX, running_nginx
from tests.sitebuild import build_site, copy_content

SLUG = "bai-se-rut-khoi-cong"
TAG_SLUG = "the-chi-bai-nay-co"
STUB = "van-ban/9876-qd-ubnd-2024-thanh-pho-song-lam/"
ARTICLE = f"""Title: Bài sẽ rút khỏi cổng
Date: 2024-03-05 09:00
Category: Kinh tế
Tags: Thẻ chỉ bài này có
Author: Phòng Văn hóa và Thông tin
Summary: Một bài đăng nhầm, sẽ được rút lại.
Slug: {SLUG}

Theo Quyết định số 9876/QĐ-UBND ngày 01/02/2024 của UBND thành phố, chữ khóa xuongrongdo.
"""


def search_fragments(output):
    return "".join(path.read_text(encoding="utf-8") for path in (output / "chi-muc" / "d").glob("*.json"))


def produced_files(output):
    """Every file, leaving out the search index's numbered files (one page fewer shifts them)."""
    return {str(path.relative_to(output)) for path in output.rglob("*")
            if path.is_file() and "chi-muc" not in path.parts}


@pytest.fixture
def sites(tmp_path):
    """The same output/ built with the article and again after it was deleted."""
    content = copy_content(tmp_path / "content")
    article = content / "articles" / "2024" / f"{SLUG}.md"
    article.parent.mkdir(parents=True, exist_ok=True)
    article.write_text(ARTICLE, encoding="utf-8")
    output = tmp_path / "output"
    # A page even for a document cited once, so that the page it made must go too.
    extra = {"CACHE_PATH": str(tmp_path / "cache"), "LEGAL_REFS_STUB_PAGE_MIN_CITATIONS": 1}
    assert build_site(output, content=content, extra_settings=extra).ok
    assert (output / SLUG / "index.html").exists()
    assert (output / "the" / TAG_SLUG / "index.html").exists()
    assert (output / STUB / "index.html").exists()
    assert "xuongrongdo" in search_fragments(output)
    with_article = tmp_path / "with-article"
    shutil.copytree(output, with_article, symlinks=True)
    article.unlink()
    result = build_site(output, content=content, extra_settings=extra)
    assert result.ok, result.stdout + result.stderr
    return tmp_path, content, output, with_article


def test_a_rebuild_removes_what_the_deleted_article_produced(sites):
    tmp_path, content, output, _ = sites
    for gone in (f"{SLUG}/index.html", f"{SLUG}/index.html.gz", f"the/{TAG_SLUG}/index.html",
                 f"{STUB}index.html"):
        assert not (output / gone).exists(), gone
    assert "xuongrongdo" not in search_fragments(output)
    fresh = tmp_path / "fresh"
    assert build_site(fresh, content=content, extra_settings={
        "CACHE_PATH": str(tmp_path / "cache2"), "LEGAL_REFS_STUB_PAGE_MIN_CITATIONS": 1}).ok
    assert produced_files(output) == produced_files(fresh)


@pytest.mark.skipif(not NGINX.exists() or not shutil.which("rsync"), reason="needs nginx and rsync")
def test_after_publishing_the_server_answers_404(sites):
    tmp_path, _, output, with_article = sites
    server = tmp_path / "www"
    quiet = Context(Config(overrides={"run": {"in_stream": False, "hide": True}}))
    with running_nginx(server / "current", tmp_path / "nginx") as (base, _):
        names = iter(["r1", "r2"])
        for site in (with_article, output):
            publish_atomically(quiet, site, "", str(server), release=next(names))
            try:
                with urllib.request.urlopen(f"{base}/{SLUG}/", timeout=5) as response:
                    status = response.status
            except urllib.error.HTTPError as error:
                status = error.code
            if site is with_article:
                assert status == 200
        assert status == 404
    assert "xuongrongdo" not in search_fragments(server / "current")
