"""Search without JavaScript: GET /api/tim-kiem/?q=…&chuyen-muc=…&nam=… answers with
the built /tim-kiem/ page, its results filled in on the server.

It reads the same static index files the browser reads (chi-muc/, through engine.py),
so both rank alike and there is one index to build. It runs inside the feedback service
(one route added in cityportal/feedback/app.py), behind nginx's /api/ proxy. Why not a
link to a general search engine: that engine would not know today's articles, would rank
without the tone marks, and would send readers (and their queries) to a third party; the
portal promises that its pages make no third-party requests.
"""
from __future__ import annotations

import re
from pathlib import Path

from markupsafe import escape
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from .engine import Index
from .indexing import INDEX_FOLDER

SERVICE_PATH = "api/tim-kiem/"
PAGE = Path("tim-kiem") / "index.html"
RESULTS = 30
_RESULTS = re.compile(r'(<ol class="search__results" data-search-results>)(</ol>)')
_STATUS = re.compile(r'(<p class="search__status"[^>]*>)(</p>)')
_INPUT = re.compile(r'(<input class="search__input" id="search-query" name="q")')


# site root -> (index stamp, the built search page, its Index with the shards read so far)
_loaded: dict[Path, tuple[int, str, Index]] = {}


def _site(site_root: Path) -> tuple[str, Index]:
    """The search page and the index of a built site, read again only when a build has
    rewritten the index (every build that changes a page does), not on every request."""
    stamp = (site_root / INDEX_FOLDER / "meta.json").stat().st_mtime_ns
    cached = _loaded.get(site_root)
    if cached is None or cached[0] != stamp:
        cached = (stamp, (site_root / PAGE).read_text(encoding="utf-8"), Index(site_root / INDEX_FOLDER))
        _loaded[site_root] = cached
    return cached[1], cached[2]


def render(site_root: Path, query: str, category: str = "", year: str = "") -> str:
    page, index = _site(Path(site_root))
    query = query.strip()[:200]
    if not query:
        return page
    pages = index.search(query, category, year)
    items = []
    for number in pages[:RESULTS]:
        data = index.page(number)
        facts = " · ".join(escape(part) for part in (data["d"], data["c"]) if part)
        text = data["x"]
        items.append(
            f'<li class="search-result"><h2 class="search-result__title"><a href="{escape(data["u"])}">'
            f'{escape(data["t"] or data["u"])}</a></h2>'
            + (f'<p class="search-result__meta">{facts}</p>' if facts else "")
            + f'<p class="search-result__excerpt">{escape(text[:240])}{"…" if len(text) > 240 else ""}</p></li>')
    status = (f"Tìm thấy {len(pages)} kết quả cho “{escape(query)}”."
              + (f" Đây là {RESULTS} kết quả đầu." if len(pages) > RESULTS else "")
              if pages else f"Không tìm thấy kết quả nào cho “{escape(query)}”.")
    page = _RESULTS.sub(lambda m: m.group(1) + "".join(items) + m.group(2), page, count=1)
    page = _STATUS.sub(lambda m: m.group(1) + status + m.group(2), page, count=1)
    return _INPUT.sub(lambda m: f'{m.group(1)} value="{escape(query)}"', page, count=1)


def search_routes(site_root) -> list[Route]:
    site_root = Path(site_root)

    def search(request: Request) -> HTMLResponse:
        params = request.query_params
        html = render(site_root, params.get("q", ""), params.get("chuyen-muc", ""), params.get("nam", ""))
        return HTMLResponse(html, headers={"Cache-Control": "no-store"})

    return [Route("/" + SERVICE_PATH.rstrip("/") + "/", search, methods=["GET"])]
