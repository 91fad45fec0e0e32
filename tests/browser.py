"""Real headless Chromium (Debian's /usr/bin/chromium) driven by Playwright, for the tests."""
import shutil
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler
from pathlib import Path

import pytest

from cityportal.ops.screenshots import CHROMIUM, CHROMIUM_ARGS, serve_site

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def require_chromium():
    if not shutil.which(CHROMIUM):
        pytest.skip("Debian's chromium is not installed; .ci/run installs it")


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def serve_directory(directory: Path, handler=QuietHandler):
    """Serve a built site on a free loopback port; yields its base URL."""
    return serve_site(directory, handler)


@contextmanager
def launch_chromium():
    from playwright.sync_api import sync_playwright

    require_chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser, width: int = 1280, height: int = 900, java_script_enabled: bool = True):
    """A page in its own context, with its console errors collected on `page.console_errors`."""
    context = browser.new_context(java_script_enabled=java_script_enabled,
                                  viewport={"width": width, "height": height})
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    return page
