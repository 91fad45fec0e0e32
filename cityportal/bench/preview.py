"""`invoke bench-preview`: how long an editor waits, in a warm `invoke preview` of a large
site, from saving an article to the new page being served (saves.py). The preview runs
as `invoke preview` runs it: warm, watching the file, rebuilding only the page.
"""
from __future__ import annotations

import tempfile
import threading
import time
from pathlib import Path

from cityportal.bench.saves import (TARGET_SECONDS, middle_article, save_with_marker, seconds_until_served,
                                    spread, write_site_content)
from cityportal.ops.preview import PreviewSession, serve
from cityportal.ops.warm import warm_up


def report(root: Path, articles: int, saves: int) -> str:
    with tempfile.TemporaryDirectory() as folder:
        content = write_site_content(root, Path(folder) / "content", articles)
        article = middle_article(content)
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
                marker, saved = save_with_marker(article, number)
                times.append(seconds_until_served(base + first.url_path, marker, saved,
                                                  failed=lambda: errors, timeout=30))
                time.sleep(0.3)
        finally:
            stop.set()
            server.shutdown()
            server.server_close()
    return "\n".join([
        f"preview of a site of {articles} articles ({first.articles} built for the page)",
        f"first preview (cold, templates compiled, small site rendered): {cold:.2f} s",
        f"save -> new page served, warm, {saves} saves: {spread(times, TARGET_SECONDS)}",
    ])
