"""`invoke bench-serve`: in `invoke serve` of a large site, the seconds from saving an
article's body to its new page being served (saves.py), and to the end of the background
rebuild that follows.

The dev server runs as `invoke serve` runs it (devserver.DevSite and DevServer), only
quiet, on the synthetic site with the settings `invoke bench` uses (production settings:
the content cache on). It waits for each background rebuild before the next save, so
every save meets an idle server. With `keep`, the site, its output and its caches stay
in that folder, and a later run with the same article count starts from them.
"""
from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from cityportal.bench.measure import process_peak_mb
from cityportal.bench.runner import write_settings
from cityportal.bench.saves import (TARGET_SECONDS, middle_article, save_with_marker, seconds_until_served,
                                    spread, write_site_content)
from cityportal.metadata import read_header
from cityportal.ops.devserver import DevServer, DevSite
from cityportal.ops.resident import SiteSources

# The first build of a cold 10,000-article site takes minutes on two cores.
BUILD_TIMEOUT = 3600


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} cores"


def report(root: Path, articles: int, saves: int, keep: str | None = None) -> None:
    """Print each figure as soon as it is known: a run at 10,000 articles takes a while."""
    with tempfile.TemporaryDirectory(prefix="portal-bench-serve-") as scratch:
        workdir = (Path(keep) if keep else Path(scratch)) / f"n{articles}"
        content = workdir / "content"
        if not (content / "articles").is_dir():
            write_site_content(root, content, articles)
        _, settings = write_settings(workdir)
        sources = SiteSources(settings, content, workdir / "output-portal",
                              {"CACHE_PATH": str(workdir / "cache-portal")})
        print(f"invoke serve, a site of {articles} articles (production settings, as invoke bench)\n"
              f"at the start: {_load()}", flush=True)
        site = DevSite(sources, quiet=True)
        first = site.build()
        if not first.ok:
            raise SystemExit("bench-serve: the first build failed (see above)")
        server = DevServer(site, 0)
        server.start()
        article = middle_article(content)
        original = article.read_text(encoding="utf-8")
        url = f"{server.url}/{read_header(article).get('slug')}/"
        try:
            if not site.resident_ready(BUILD_TIMEOUT):
                raise SystemExit("bench-serve: the resident site did not load (see its log in the cache)")
            load = [step for step in site.steps if step.kind == "load"][-1]
            print(f"first build {first.ended - first.started:.1f} s; resident site loaded in "
                  f"{load.ended - load.started:.1f} s, {process_peak_mb(site.resident.process.pid):.0f} MB",
                  flush=True)
            served, rebuilt = [], []
            for number in range(saves):
                marker, saved = save_with_marker(article, number)
                served.append(seconds_until_served(url, marker, saved))
                build = site.settled_after(saved, BUILD_TIMEOUT)
                if build is None or not build.ok:
                    raise SystemExit("bench-serve: the background rebuild failed or did not end")
                rebuilt.append(build.ended - saved)
                quick = [step for step in site.steps if step.kind == "quick" and step.started >= saved]
                how = (f"rendered by the resident site in {quick[0].ended - quick[0].started:.2f} s"
                       if quick else "not by the resident site")
                parts = ", ".join(f"{name} {value:.1f} s" for name, value in build.seconds.items())
                print(f"save {number + 1}: page served after {served[-1]:.2f} s ({how}); "
                      f"background rebuild finished after {rebuilt[-1]:.1f} s ({parts})", flush=True)
                time.sleep(0.5)
        finally:
            server.stop()
            article.write_text(original, encoding="utf-8")
    print(f"save -> new page served, {saves} saves: {spread(served, TARGET_SECONDS)}\n"
          f"save -> background rebuild finished: {spread(rebuilt)}\n"
          f"at the end: {_load()}", flush=True)
