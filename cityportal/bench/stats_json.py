"""`invoke bench-stats-json`: the size of the live stats.json for a site of 100,000
articles whose log also holds a flood of made-up paths.

The figures come from the real command (`invoke stats`): a generated log goes through
the ingest and the report into stats.json, with the page list a build would write.
"""
import io
import json
import random
import sqlite3
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

from cityportal.stats.cli import run as run_stats

ARTICLES = 100_000
DAYS = 365
HOSTILE_LINES = 50_000
LIMIT_BYTES = 64 * 1024
LOG_OFFSET = timezone(timedelta(hours=7))
AGENT = ("Mozilla/5.0 (Linux; Android 13; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) "
         "Chrome/124.0.0.0 Mobile Safari/537.36")
WORDS = ("thong-bao ke-hoach trien-khai nghi-dinh quyet-dinh uy-ban nhan-dan phuong xa "
         "le-hoi mua-thu van-hoa giao-duc y-te dat-dai xay-dung chuong-trinh").split()


def article_paths(count, rng):
    """Slugs as long as the portal's real ones (eight to twelve words)."""
    return [f"/{'-'.join(rng.choices(WORDS, k=rng.randrange(8, 13)))}-{n}/" for n in range(count)]


def _line(moment, client, target):
    stamp = moment.strftime("%d/%b/%Y:%H:%M:%S %z")
    return f'{client} - - [{stamp}] "GET {target} HTTP/1.1" 200 5120 "-" "{AGENT}"\n'


def write_log(path, pages, days, hostile, rng):
    """Every article viewed once or twice over ``days`` days, in time order, with
    ``hostile`` requests for `/<random>/` and `/<random>/../` spread among them."""
    start = datetime(2026, 11, 28, tzinfo=LOG_OFFSET) - timedelta(days=days)
    targets = [page for page in pages for _ in range(rng.choice((1, 2)))]
    targets += [f"/{rng.getrandbits(64):016x}/" + ("../" if n % 2 else "") for n in range(hostile)]
    rng.shuffle(targets)
    step = days * 86400 / len(targets)
    with open(path, "w", encoding="utf-8") as stream:
        for number, target in enumerate(targets):
            moment = start + timedelta(seconds=int(number * step))
            client = f"10.{number % 250}.{number // 250 % 250}.{number % 7 + 1}"
            stream.write(_line(moment, client, target))
    return len(targets), start + timedelta(days=days, minutes=-1)


def measure(articles=ARTICLES, days=DAYS, hostile=HOSTILE_LINES, seed=10):
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        pages = article_paths(articles, rng)
        (scratch / "stats-pages.txt").write_text("".join(f"{page}\n" for page in pages), encoding="utf-8")
        lines, now = write_log(scratch / "access.log", pages, days, hostile, rng)
        out = scratch / "stats.json"
        report = run_stats(str(scratch / "access.log"), str(scratch / "stats.sqlite"), now.isoformat(),
                           str(out), str(scratch / "no-settings.py"), stream=io.StringIO())
        with sqlite3.connect(scratch / "stats.sqlite") as connection:
            rows = connection.execute("SELECT count(*) FROM path_views").fetchone()[0]
        every_view = {"views": report.views, "daily": report.daily}
        return {
            "articles": articles,
            "days": days,
            "lines": lines,
            "hostile": hostile,
            "bytes": out.stat().st_size,
            "path_rows": rows,
            "live_views": len(json.loads(out.read_bytes())["views"]),
            "all_views_bytes": len(json.dumps(every_view, ensure_ascii=False, separators=(",", ":"))),
        }


def report(figures):
    return "\n".join([
        f"log: {figures['lines']:,} lines over {figures['days']} days, {figures['articles']:,} articles "
        f"each viewed, {figures['hostile']:,} requests for made-up paths",
        f"stats.json: {figures['bytes']:,} bytes (limit {LIMIT_BYTES:,}); "
        f"{figures['live_views']} pages with live Lượt xem",
        f"path_views rows in the database: {figures['path_rows']:,}",
        f"every article's views and every day in one file, as before (made-up paths left out): "
        f"{figures['all_views_bytes']:,} bytes",
    ])


def main(stream=sys.stdout):
    figures = measure()
    print(report(figures), file=stream)
    return figures
