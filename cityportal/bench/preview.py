"""`invoke bench-preview`: how long an editor waits, in a warm `invoke preview` of a large
site, from saving an article to the new page being served.

Each save appends a sentence with a fresh marker to the article; the clock stops when
the preview server answers the article's address with that marker in it. The preview
runs as `invoke preview` runs it: warm, watching the file, rebuilding only the page.
"""
from __future__ import annotations

import statistics
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from cityportal.bench.corpus import write_corpus
from cityportal.ops.preview import PreviewSession, serve
from cityportal.ops.warm import warm_up

TARGET_SECONDS = 1.0


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.read().decode("utf-8")
    except OSError:
        return ""


def report(root: Path, articles: int, saves: int) -> str:
    with tempfile.TemporaryDirectory() as folder:
        content = write_corpus(Path(folder) / "content", articles)
        for shared in ("van-ban", "extra", "images/video"):
            source = root / "content" / shared
            if source.is_dir():
                import shutil

                shutil.copytree(source, content / shared)
        article = sorted((content / "articles").rglob("*.md"))[articles // 2]
        started = time.perf_counter()
        session = PreviewSession(article, content, root / "pelicanconf.py", Path(folder) / "preview")
        warm_up(session.site_settings)
        first = session.build()
        cold = time.perf_counter() - started
        server = serve(first.output, 0, session)
        base = f"http://127.0.0.1:{server.server_address[1]}"
        threading.Thread(target=server.serve_forever, daemon=True).start()
        stop = threading.Event()
        errors = []
        threading.Thread(target=session.watch, args=(lambda _r: None, errors.append, stop), daemon=True).start()
        time.sleep(0.5)  # the watcher is listening
        times = []
        try:
            for number in range(saves):
                marker = f"Thong-tin-cap-nhat-{number}-{time.time_ns()}"
                text = article.read_text(encoding="utf-8")
                saved = time.perf_counter()
                article.write_text(text + f"\nThông tin cập nhật: {marker}.\n", encoding="utf-8")
                while marker not in _fetch(base + first.url_path):
                    if time.perf_counter() - saved > 30 or errors:
                        raise RuntimeError(f"bản xem trước không cập nhật: {errors}")
                    time.sleep(0.01)
                times.append(time.perf_counter() - saved)
                time.sleep(0.3)
        finally:
            stop.set()
            server.shutdown()
            server.server_close()
    return "\n".join([
        f"preview of a site of {articles} articles ({first.articles} built for the page)",
        f"first preview (cold, templates compiled, small site rendered): {cold:.2f} s",
        f"save -> new page served, warm, {saves} saves: median {statistics.median(times):.2f} s, "
        f"best {min(times):.2f} s, worst {max(times):.2f} s (target <= {TARGET_SECONDS:.0f} s)",
    ])
