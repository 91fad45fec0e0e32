"""`invoke screenshots`: the pages a citizen meets, at a phone's and a desktop's width,
in real Chromium, into test-artifacts/screenshots/ (not committed) to be looked at.

The same list drives the accessibility test (tests/site/test_browser_theme.py), so
every page that is looked at is also checked by axe.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path

from cityportal.ops.devserver import PreviewHandler

WIDTHS = (375, 1280)
# (file name, address, JavaScript on)
SCREENS = (
    ("trang-chu", "/", True),
    ("tin-moi-cu-nhat", "/trang/1/", True),  # a listing's oldest block page
    ("bai-viet", "/nang-cao-chi-so-papi-6-thang-dau-nam-2021/", True),
    ("chuyen-muc", "/chuyen-muc/cai-cach-hanh-chinh/", True),
    ("van-ban", "/van-ban/", True),
    ("van-ban-mot", "/van-ban/45-2013-qh13/", True),
    ("thong-ke", "/thong-ke/", True),
    ("gop-y", "/gop-y/", True),
    ("gop-y-khong-js", "/gop-y/", False),
    ("hoi-dap", "/hoi-dap/", True),
    ("video", "/video/", True),
    ("tieng-anh", "/en/", True),
    ("404", "/khong/co/trang-nay/", True),
)
CHROMIUM = "/usr/bin/chromium"
# Without these, Chromium keeps trying to reach Google's services on a closed network.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


class _Quiet(PreviewHandler):
    def log_message(self, format, *args):
        pass


@contextmanager
def serve_site(site: Path, handler=None):
    """The built site on a free loopback port (by default with its 404 page for missing
    paths, as nginx serves it); yields its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler or _Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def take(site: Path, out: Path) -> list[Path]:
    """Full-page screenshots of every screen at every width; returns the files."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with serve_site(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for name, path, javascript in SCREENS:
                for width in WIDTHS:
                    context = browser.new_context(java_script_enabled=javascript,
                                                  viewport={"width": width, "height": 900})
                    page = context.new_page()
                    page.goto(base + path, wait_until="load")
                    target = out / f"{name}-{width}.png"
                    page.screenshot(path=target, full_page=True)
                    written.append(target)
                    context.close()
        finally:
            browser.close()
    return written
