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


def test_a_warm_preview_rebuilds_on_save_and_the_open_page_reloads_itself(tmp_path):
    import threading

    from cityportal.ops.preview import PreviewSession, serve
    from cityportal.ops.warm import warm_up
    from tests.browser import launch_chromium, new_page
    from tests.sitebuild import copy_content

    content = copy_content(tmp_path / "content")
    article = content / "articles" / "2021" / f"{PHOTO_ARTICLE}.md"
    session = PreviewSession(article, content, SETTINGS, tmp_path / "preview")
    warm_up(session.site_settings)
    first = session.build()
    server = serve(first.output, 0, session)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    stop = threading.Event()
    built, failed = [], []
    threading.Thread(target=session.watch, args=(built.append, failed.append, stop), daemon=True).start()
    try:
        with launch_chromium() as browser:
            page = new_page(browser, 375)
            page.goto(f"http://127.0.0.1:{server.server_address[1]}{first.url_path}")
            assert page.locator("script[src$='tai-lai.js']").count() == 1
            page.wait_for_timeout(600)  # the page has read the preview's version
            article.write_text(article.read_text(encoding="utf-8") + "\nĐoạn mới vừa viết thêm.\n", encoding="utf-8")
            page.wait_for_selector("text=Đoạn mới vừa viết thêm.", timeout=20000)
            assert built and not failed and page.console_errors == []
            # Only the article's page was rendered again; a broken save keeps the old page.
            article.write_text(article.read_text(encoding="utf-8").replace("Title:", "Titel:"), encoding="utf-8")
            for _ in range(200):
                if failed:
                    break
                page.wait_for_timeout(50)
            assert failed and "có phải \"Title\"?" in str(failed[0]) and "Traceback" not in str(failed[0])
            assert page.locator("text=Đoạn mới vừa viết thêm.").count() == 1
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
    # The published page carries no reload script: only the preview server adds it.
    assert "tai-lai.js" not in (first.output / PHOTO_ARTICLE / "index.html").read_text(encoding="utf-8")
