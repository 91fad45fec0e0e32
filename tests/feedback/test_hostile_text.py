"""Citizen text never becomes markup (issue 10, item 1).

Hostile titles and questions go the whole way: submitted to the real service, answered
and published by the staff tasks, built once, served by the production nginx config with
its CSP, and opened in Chromium. No script may run, no navigation happen, nothing the
citizen typed may become an element or an attribute, and the text must read back as
text: on the page, in <title> and the meta tags, the listing, the feed, the sitemap,
the search results, the staff terminal and the CSV export.
"""
from __future__ import annotations

import csv
import io
import json
import shutil
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ElementTree

import pytest

from cityportal.feedback import staff
from cityportal.feedback.publish import article_slug
from cityportal.feedback.store import Store
from cityportal.markup import plain_text
from tests.browser import launch_chromium, new_page
from tests.feedback.service import LiveService, make_settings
from tests.nginx import NGINX, running_nginx
from tests.sitebuild import CONTENT, build_site

pytestmark = pytest.mark.skipif(not NGINX.exists(), reason="nginx is not installed (apt-get install nginx)")

EVIL = "https://evil.example/pwned"
HOSTILE = [
    f'</title><meta http-equiv="refresh" content="0;url={EVIL}">',
    '<meta http-equiv="refresh" content="0;url=/pwned">',
    "<script>alert('pwned')</script>",
    "\"><script>alert('pwned')</script>",
    "'><img src=x onerror=alert('pwned')>",
    "<img src=/pwned onerror=\"alert('pwned')\">",
    "<svg onload=alert('pwned')>",
    "\" onfocus=\"alert('pwned')\" autofocus=\"",
    "' onmouseover='alert(1)' x='",
    "<iframe src=\"javascript:alert('pwned')\"></iframe>",
    "javascript:alert('pwned')",
    "[bấm vào đây](javascript:alert('pwned'))",
    "<a href=\"javascript:alert('pwned')\">bấm</a>",
    "&lt;script&gt;alert('pwned')&lt;/script&gt;",
    "&#60;script&#62;alert('pwned')&#60;/script&#62;",
    "&quot; onmouseover=&quot;alert('pwned')",
    "&amp;lt;b&amp;gt; đã mã hoá hai lần",
    "<style>body{display:none}</style>",
    "<div style=\"position:fixed;inset:0;background:url(/pwned)\">",
    "background:url(\"javascript:alert('pwned')\"); expression(alert(1))",
    "</textarea><script>alert('pwned')</script>",
    "<!-- --><script>alert('pwned')</script><!-- -->",
    "]]><script>alert('pwned')</script><![CDATA[",
    "{{ SITENAME }} {% raw %} ${7*7} #{7*7}",
    "{filename}/../../data/feedback.key",
    "<base href=\"https://evil.example/\">",
    "<link rel=stylesheet href=/pwned.css>",
    "<form action=/pwned><button>Gửi</button></form>",
    "<object data=\"javascript:alert('pwned')\"></object>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert('pwned')>\">",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('pwned')>",
    "Đèn \u202egnưđ ốs\u202c tín hiệu \u2067đảo\u2069",
    "Mã \u009b31m đỏ \u009b2J xoá màn hình \u0085 dòng mới",
    "\ufeff=HYPERLINK(\"https://evil.example\",\"bấm\")",
    "=cmd|' /C calc'!A0",
    "+1+1 @SUM(1+1) -2+3",
    "**đậm** _nghiêng_ # không phải tiêu đề",
]
ANSWER = "Cảm ơn bạn đã gửi câu hỏi. Chúng tôi đã chuyển tới **phòng chuyên môn**."


@pytest.fixture(scope="module")
def flow(tmp_path_factory):
    """Every hostile string submitted, answered and published; one build, served by nginx."""
    root = tmp_path_factory.mktemp("hostile")
    live = LiveService(make_settings(root)).start()
    codes = []
    try:
        for index, text in enumerate(HOSTILE):
            reply = live.submit({"tieu_de": text, "noi_dung": f"Câu hỏi số {index}: {text}\n\nDòng sau: {text}",
                                 "ho_ten": text[:100]})
            assert reply.status == 201, (text, reply.text)
            codes.append(reply.json["ma"])
    finally:
        live.stop()
    settings = live.settings
    for code in codes:
        staff.run("answer", settings, staff.Options(code=code, text=ANSWER))
    content = root / "content"
    shutil.copytree(CONTENT / "images" / "video", content / "images" / "video")
    staff.run("publish", settings, staff.Options(content_dir=content / "hoi-dap"))
    with Store(settings.database) as store:
        items = [store.get(code) for code in codes]
    output = root / "output"
    built = build_site(output, content=content)
    assert built.returncode == 0, built.stdout + built.stderr
    with running_nginx(output, root / "nginx") as (base_url, _log):
        yield {"settings": settings, "codes": codes, "items": items, "output": output, "base_url": base_url}


def _watch(page, base_url):
    """Record what a page does besides showing text: dialogs, requests and navigations."""
    events = {"dialogs": [], "requests": [], "navigations": []}
    page.on("dialog", lambda dialog: (events["dialogs"].append(dialog.message), dialog.dismiss()))
    page.on("request", lambda request: None if request.url.startswith(base_url + "/")
            and not urllib.parse.urlsplit(request.url).path.startswith("/pwned")
            else events["requests"].append(request.url))
    page.on("framenavigated", lambda frame: events["navigations"].append(frame.url))
    return events


# Elements and attributes a published page may hold; the citizen's text adds none.
FOREIGN = """() => {
  const problems = [];
  for (const element of document.querySelectorAll('*')) {
    const name = element.localName;
    if (['iframe', 'object', 'embed', 'form', 'base', 'style', 'svg', 'math', 'noscript', 'textarea', 'img'].includes(name)
        && !(name === 'img' && element.closest('.sidebar-video, .portal-header'))
        && !(name === 'form' && (element.closest('.portal-header') || element.matches('form.search')))) problems.push(name);
    if (name === 'script' && !/\\/theme\\/js\\/[a-z]+\\.js$/.test(element.getAttribute('src') || '')) problems.push('script');
    if (name === 'meta' && element.hasAttribute('http-equiv')) problems.push('meta http-equiv');
    if (name === 'link' && !['stylesheet', 'icon', 'alternate', 'canonical'].includes(element.rel)
        && !(element.rel === 'preload' && /\\/chi-muc\\/meta\\.json$/.test(element.getAttribute('href')))) problems.push('link ' + element.rel);
    for (const attribute of element.attributes) {
      if (attribute.name.startsWith('on')) problems.push(name + ' ' + attribute.name);
      if (['href', 'src', 'action', 'formaction', 'data', 'poster'].includes(attribute.name)
          && /^\\s*javascript:/i.test(attribute.value)) problems.push(name + ' ' + attribute.name + '=javascript:');
    }
  }
  return problems;
}"""


def test_every_page_shows_the_text_and_runs_nothing(flow):
    base_url = flow["base_url"]
    with launch_chromium() as browser:
        page = new_page(browser)
        events = _watch(page, base_url)
        for text, item in zip(HOSTILE, flow["items"]):
            expected = plain_text(text)
            url = f"{base_url}/{article_slug(item)}/"
            events["navigations"].clear()
            page.goto(url, wait_until="load")
            page.wait_for_timeout(150)  # a meta refresh of 0 s would have fired by now
            assert page.url == url, (text, page.url)
            assert events["navigations"] == [url], (text, events["navigations"])
            assert page.evaluate(FOREIGN) == [], text
            assert page.locator("h1.page-title").text_content() == expected, text
            assert page.title() == f"{expected} – Cổng thông tin điện tử Thành phố Sông Lam", text
            for selector in ('meta[property="og:title"]', 'meta[name="DC.title"]'):
                assert page.locator(selector).get_attribute("content") == expected, (selector, text)
            question = " ".join(page.locator(".qa-question__body").inner_text().split())
            assert f"Dòng sau: {plain_text(text)}" in question, text
            assert page.locator(".article__author").text_content() != ""
        page.goto(f"{base_url}/hoi-dap/", wait_until="load")
        page.wait_for_timeout(150)
        assert page.evaluate(FOREIGN) == []
        listed = set(page.locator(".qa__link").all_text_contents())
        assert listed == {plain_text(text) for text in HOSTILE}
        assert page.url == f"{base_url}/hoi-dap/"
        assert events["dialogs"] == [] and events["requests"] == []


def test_search_results_show_the_titles_as_text(flow):
    base_url = flow["base_url"]
    with launch_chromium() as browser:
        page = new_page(browser)
        events = _watch(page, base_url)
        page.goto(f"{base_url}/tim-kiem/?q=pwned", wait_until="load")
        results = page.locator(".search__results li")
        results.first.wait_for(timeout=15000)
        titles = page.locator(".search__results li a").all_text_contents()
        assert titles and set(titles) <= {plain_text(text) for text in HOSTILE}
        assert page.evaluate(FOREIGN) == []
        assert events["dialogs"] == [] and events["requests"] == []
        assert page.url.startswith(f"{base_url}/tim-kiem/")


def test_feed_sitemap_and_stats_carry_only_text(flow):
    output, base_url = flow["output"], flow["base_url"]
    atom = "{http://www.w3.org/2005/Atom}"
    with urllib.request.urlopen(f"{base_url}/feeds/all.atom.xml") as reply:
        feed = ElementTree.fromstring(reply.read())
    titles = {entry.find(f"{atom}title").text for entry in feed.iter(f"{atom}entry")}
    assert titles and titles <= {plain_text(text) for text in HOSTILE}
    for entry in feed.iter(f"{atom}entry"):
        assert "<script" not in (entry.find(f"{atom}content").text or "").lower()
    with urllib.request.urlopen(f"{base_url}/sitemap.xml") as reply:
        sitemap = ElementTree.fromstring(reply.read())
    locations = [node.text for node in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert all(location.isascii() and "<" not in location and '"' not in location for location in locations)
    stats = output / "stats.json"
    if stats.exists():
        json.loads(stats.read_text(encoding="utf-8"))
        assert "<" not in stats.read_text(encoding="utf-8")


def test_staff_terminal_and_export_keep_the_text_inert(flow):
    settings = flow["settings"]
    for code in flow["codes"]:
        shown = staff.run("show", settings, staff.Options(code=code))
        assert not any(ch in shown for ch in "\x1b\x9b\x85\u202e\u2067\ufeff"), shown
    listing = staff.run("list", settings, staff.Options())
    assert not any(ch in listing for ch in "\x1b\x9b\x85\u202e\u2067\ufeff")
    rows = list(csv.DictReader(io.StringIO(staff.run("export", settings, staff.Options()))))
    assert len(rows) == len(HOSTILE)
    for row in rows:
        for column in ("tieu_de", "noi_dung", "ho_ten", "tra_loi"):
            cell = row[column]
            if cell.lstrip(" \t\n\ufeff\u200e").startswith(("=", "+", "-", "@")):
                raise AssertionError(f"{column}: {cell!r} would run as a formula")
