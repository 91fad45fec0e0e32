"""Lượt xem only for the site's pages, and a live stats.json of bounded size (issue 10,
item 11), through `invoke stats` as cron runs it."""
import json
import random
import sqlite3
from datetime import datetime, timedelta

from cityportal.stats import cli
from tests.stats.logs import log_line

NOW = "2026-11-28T20:00:00+07:00"


def run_stats(tmp_path, lines, pages, now=NOW):
    log = tmp_path / "access.log"
    log.write_text("".join(lines), encoding="utf-8")
    # Where the build leaves the page list: beside the database.
    (tmp_path / "stats-pages.txt").write_text("".join(f"{page}\n" for page in pages), encoding="utf-8")
    out = tmp_path / "stats.json"
    code = cli.main(["--log", str(log), "--db", str(tmp_path / "stats.sqlite"), "--now", now,
                     "--out", str(out), "--settings", str(tmp_path / "none.py")])
    assert code == 0
    return out


def test_made_up_paths_grow_neither_the_database_nor_stats_json(tmp_path):
    rng = random.Random(10)
    flood = [
        log_line("2026-11-28T19:00:00+07:00", ip=f"198.51.100.{n % 250 + 1}",
                 target=f"/{rng.getrandbits(64):016x}/../" if n % 2 else f"/{rng.getrandbits(64):016x}/")
        for n in range(3000)
    ]
    article = "/tin-tuc/le-hoi-mua-thu/"
    out = run_stats(tmp_path, [*flood, log_line("2026-11-28T19:30:00+07:00", target=article)],
                    pages=["/", article])
    report = json.loads(out.read_bytes())
    # "/<random>/../" is the home page as nginx serves it; "/<random>/" is no page of ours.
    assert report["views"] == {"/": 1500, article: 1}
    assert report["daily"]["2026-11-28"]["pageviews"] == 3001
    assert out.stat().st_size < 2048
    with sqlite3.connect(tmp_path / "stats.sqlite") as connection:
        assert connection.execute("SELECT count(*) FROM path_views").fetchone() == (2,)


def test_stats_json_carries_only_the_most_viewed_pages_and_the_chart_days(tmp_path):
    start = datetime.fromisoformat("2025-11-01T10:00:00+07:00")
    pages = [f"/bai-viet-so-{n:05d}/" for n in range(300)]
    lines = [
        log_line((start + timedelta(days=n)).isoformat(), ip=f"192.0.2.{n % 200 + 1}",
                 target=pages[n % len(pages)])
        for n in range(393)  # one view a day up to 2026-11-28
    ]
    out = run_stats(tmp_path, lines, pages)
    report = json.loads(out.read_bytes())
    # Pages 0..92 were viewed twice; the live file keeps the first 50 of them by path.
    assert report["views"] == {page: 2 for page in pages[:50]}
    assert list(report["daily"]) == [
        (datetime.fromisoformat(NOW) - timedelta(days=n)).date().isoformat() for n in range(29, -1, -1)
    ]
    assert report["total"] == 393


def test_the_size_benchmark_counts_every_article_and_no_made_up_path():
    from cityportal.bench.stats_json import LIMIT_BYTES, measure

    figures = measure(articles=2000, days=40, hostile=1000)
    assert figures["path_rows"] == 2000
    assert figures["live_views"] == 50
    assert figures["bytes"] < LIMIT_BYTES
