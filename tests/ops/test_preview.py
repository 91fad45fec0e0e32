"""`invoke preview`: one article's page from a small build, as the full build renders it."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from cityportal.ops.preview import PreviewError, build_preview, choose_articles
from tests.sitebuild import PHOTO_ARTICLE, ROOT

CONTENT = ROOT / "content"
SETTINGS = ROOT / "pelicanconf.py"
ARTICLE = CONTENT / "articles" / "2021" / f"{PHOTO_ARTICLE}.md"


def test_preview_renders_the_article_with_its_related_news_and_picture(tmp_path):
    preview = build_preview(ARTICLE, CONTENT, SETTINGS, tmp_path)
    assert preview.url_path == f"/{PHOTO_ARTICLE}/"
    page = BeautifulSoup((preview.output / PHOTO_ARTICLE / "index.html").read_text(encoding="utf-8"),
                         "html.parser")
    assert page.h1.get_text(strip=True) == "Nâng cao Chỉ số PAPI 6 tháng đầu năm 2021"
    related = [a.get_text(strip=True) for a in page.select(".related__list a")]
    chosen = choose_articles(ARTICLE, [ROOT / "content" / "articles"], related_count=5)
    assert 0 < len(related) == len(chosen) - 1
    assert page.select_one(".article__figure picture source[type='image/webp']") is not None
    # Only what this page needs was built.
    assert preview.articles == len(chosen)
    assert len(list(preview.output.glob("*/index.html"))) < 20


def test_preview_of_something_that_is_not_an_article_says_so(tmp_path):
    with pytest.raises(PreviewError, match="không có tệp này"):
        build_preview(CONTENT / "articles" / "khong-co.md", CONTENT, SETTINGS, tmp_path)
    with pytest.raises(PreviewError, match="phải nằm trong"):
        build_preview(SETTINGS, CONTENT, SETTINGS, tmp_path)
