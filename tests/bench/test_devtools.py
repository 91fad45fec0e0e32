"""The DevTools pipe client that times searches: it opens a page, slows the CPU down and
reads values from it, in real headless Chromium."""
from cityportal.bench.devtools import devtools, wait_for
from tests.browser import require_chromium, serve_directory


def test_a_page_opened_over_the_pipe_runs_its_script_and_answers(tmp_path):
    require_chromium()
    (tmp_path / "index.html").write_text(
        '<!DOCTYPE html><title>t</title><p id="answer"></p>'
        '<script>setTimeout(function () { document.getElementById("answer").textContent = "42"; }, 50);</script>',
        encoding="utf-8")
    with serve_directory(tmp_path) as base, devtools() as browser:
        with browser.page(f"{base}/index.html", cpu_slowdown=4) as evaluate:
            assert wait_for(evaluate, "document.getElementById('answer')?.textContent", timeout=30) == "42"
            assert evaluate("navigator.userAgent").startswith("Mozilla/")
        # A second page gets a fresh context of its own.
        with browser.page(f"{base}/index.html") as evaluate:
            assert wait_for(evaluate, "document.getElementById('answer')?.textContent", timeout=30) == "42"
