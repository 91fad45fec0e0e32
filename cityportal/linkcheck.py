"""Every link of a built site, checked against the files the build wrote.

`invoke check --site output/` reads each HTML page and looks up every `href`, `src`,
`srcset`, `poster` and `data` address that stays inside the site (relative, starting
with "/", or under the site's own public address): pages, pictures, videos, captions,
scripts and stylesheets alike. A missing one is a `file:line: lỗi:` of the page that
links it, so a video that would answer 404 fails CI.
"""
from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from cityportal.problems import ERROR, Problem

URL_ATTRIBUTES = ("href", "src", "poster", "data")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str, str]] = []  # (line, tag, address)

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        for name, value in attrs:
            if value is None:
                continue
            if name in URL_ATTRIBUTES:
                self.found.append((line, tag, value))
            elif name in ("srcset", "imagesrcset"):
                for candidate in value.split(","):
                    address = candidate.strip().split(" ")[0]
                    if address:
                        self.found.append((line, tag, address))

    handle_startendtag = handle_starttag


def links_of(html: str) -> list[tuple[int, str, str]]:
    parser = _Links()
    parser.feed(html)
    parser.close()
    return parser.found


def _inside(address: str, page_url: str, own_prefixes: tuple[str, ...]) -> str | None:
    """The site path `address` leads to, or None when it leaves the site."""
    address = address.strip()
    for prefix in own_prefixes:
        if prefix and address.startswith(prefix):
            address = "/" + address[len(prefix):].lstrip("/")
            break
    parts = urlsplit(address)
    if parts.scheme or parts.netloc or not parts.path:
        return None  # another site, mailto:, tel:, data:, or a fragment of this page
    path = unquote(parts.path)
    if not path.startswith("/"):
        path = posixpath.join(posixpath.dirname(page_url), path)
    normalised = posixpath.normpath(path)
    return normalised + ("/" if path.endswith("/") and normalised != "/" else "")


def _exists(site: Path, path: str) -> bool:
    target = site / path.lstrip("/")
    if path.endswith("/"):
        return (target / "index.html").is_file()
    return target.is_file() or (target / "index.html").is_file()


def find_problems(site: Path, own_urls: tuple[str, ...] = ()) -> list[Problem]:
    """Every address inside the site that no file of `site` answers, with the page and
    line that link it. `own_urls`: the site's absolute addresses (PORTAL_PUBLIC_URL,
    SITEURL), whose links are the site's own too."""
    site = Path(site)
    prefixes = tuple(url.rstrip("/") + "/" for url in own_urls if url and "://" in url)
    problems = []
    for page in sorted(site.rglob("*.html")):
        page_url = "/" + page.relative_to(site).as_posix()
        try:
            html = page.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            problems.append(Problem(page, 1, ERROR, f"không đọc được trang đã dựng: {error}"))
            continue
        seen = set()
        for line, tag, address in links_of(html):
            path = _inside(address, page_url, prefixes)
            if path is None or (line, address) in seen:
                continue
            seen.add((line, address))
            if not _exists(site, path):
                kind = "tệp media" if tag in ("video", "audio", "source", "track") else "liên kết"
                problems.append(Problem(page, line, ERROR,
                                        f'{kind} hỏng: <{tag}> dẫn tới "{address}", trang web sẽ trả lỗi 404 '
                                        f"(không có {path} trong bản dựng)"))
    return problems
