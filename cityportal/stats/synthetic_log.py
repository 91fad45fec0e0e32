"""Plausible combined-format access logs for the development site and the benchmark.

The traffic looks like a city portal's: residents on phones and desktops (Cốc Cốc
included) reading a few articles in office hours and the evening, each page pulling
its assets, plus crawlers, monitors, redirects, 404s and the odd broken line.
Output is deterministic for a given seed.
"""
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

LOG_OFFSET = timezone(timedelta(hours=7))
ASSETS = (
    "/theme/css/site.css",
    "/theme/js/stats.js",
    "/theme/images/quoc-huy.png",
)
BROWSERS = (
    "Mozilla/5.0 (Linux; Android 13; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "coc_coc_browser/133.0.180 Chrome/127.0.6533.180 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.3 Safari/605.1.15",
    "Mozilla/5.0 (Linux; Android 12; Redmi Note 11) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/123.0.6312.118 Mobile Safari/537.36 Zalo android/12100",
    "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
)
CRAWLERS = (
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (compatible; coccocbot-web/1.0; +http://help.coccoc.com/searchengine)",
    "-",
)
MONITOR = "Uptime-Kuma/1.23.11"
MONITOR_EVERY_MINUTES = 15
MONITOR_ADDRESS = "10.0.0.5"
# Share of visitors arriving in each local hour: quiet at night, busy at work and evening.
HOURLY_WEIGHTS = (1, 1, 1, 1, 1, 2, 4, 7, 10, 10, 9, 8, 6, 7, 9, 9, 8, 6, 6, 8, 8, 6, 4, 2)
DEFAULT_PAGES = (
    "/",
    "/tin-tuc/",
    "/thong-ke/",
    "/van-ban/",
    "/gioi-thieu/",
)


def _hit(moment, client, method, target, status, size, agent, referrer="-"):
    stamp = moment.strftime("%d/%b/%Y:%H:%M:%S %z")
    return (
        moment,
        f'{client} - - [{stamp}] "{method} {target} HTTP/1.1" {status} {size} '
        f'"{referrer}" "{agent}"\n',
    )


def _visitor_hits(rng, day_start, pages, weights):
    client = f"{rng.choice((14, 27, 42, 113, 115, 116, 171, 183))}.{rng.randrange(256)}." \
        f"{rng.randrange(256)}.{rng.randrange(1, 255)}"
    agent = rng.choice(BROWSERS)
    moment = day_start + timedelta(
        hours=rng.choices(range(24), HOURLY_WEIGHTS)[0], seconds=rng.randrange(3600)
    )
    hits = []
    referrer = rng.choice(("-", "https://www.google.com/", "https://zalo.me/"))
    for visit in range(1 if rng.random() < 0.8 else 2):
        if visit:
            moment += timedelta(minutes=rng.randrange(35, 240))
        for _ in range(rng.choice((1, 1, 2, 2, 3, 4, 6))):
            page = rng.choices(pages, weights)[0]
            if moment.date() != day_start.date():
                return hits
            if rng.random() < 0.03:
                hits.append(_hit(moment, client, "GET", page.rstrip("/"), 301, 0, agent, referrer))
                moment += timedelta(seconds=1)
            query = "?utm_source=zalo" if rng.random() < 0.05 else ""
            status = 304 if rng.random() < 0.1 else 200
            hits.append(_hit(moment, client, "GET", page + query, status, rng.randrange(9000, 60000), agent, referrer))
            for asset in ASSETS:
                asset_status = 304 if rng.random() < 0.5 else 200
                hits.append(_hit(moment + timedelta(seconds=1), client, "GET", asset, asset_status, rng.randrange(500, 90000), agent, page))
            if rng.random() < 0.02:
                hits.append(_hit(moment, client, "GET", page + "cu/", 404, 512, agent, page))
            if rng.random() < 0.01:
                hits.append(_hit(moment, client, "POST", "/gop-y/", 200, 120, agent, page))
            referrer = page
            moment += timedelta(seconds=rng.randrange(20, 900))
    return hits


def _robot_hits(rng, day_start, pages, count):
    hits = []
    for _ in range(count):
        moment = day_start + timedelta(seconds=rng.randrange(86400))
        agent = rng.choice(CRAWLERS)
        client = f"66.249.{rng.randrange(64, 96)}.{rng.randrange(1, 255)}"
        hits.append(_hit(moment, client, "GET", rng.choice(pages), 200, 20000, agent))
    for minute in range(0, 1440, MONITOR_EVERY_MINUTES):
        hits.append(_hit(day_start + timedelta(minutes=minute), MONITOR_ADDRESS, "HEAD", "/", 200, 0, MONITOR))
    return hits


def write_log(
    stream,
    start,
    days,
    visitors_per_day,
    pages=DEFAULT_PAGES,
    seed=1,
    broken_every=5000,
    until=None,
    max_lines=None,
):
    """Write ``days`` days of traffic from ``start`` (a date), stopping at ``until`` (an
    aware datetime) or after ``max_lines`` lines if given; returns the number of lines.
    With ``days=None`` it goes on until ``max_lines``."""
    rng = random.Random(seed)
    pages = list(pages)
    rng.shuffle(pages)
    # A few pages draw most readers, as on any news site.
    weights = [1 / rank for rank in range(1, len(pages) + 1)]
    lines = 0
    offset = 0
    while days is None or offset < days:
        day = start + timedelta(days=offset)
        offset += 1
        day_start = datetime(day.year, day.month, day.day, tzinfo=LOG_OFFSET)
        hits = []
        # Readers come and go: some days are busier, and weekends are quieter.
        busy = rng.uniform(0.75, 1.3) * (0.6 if day.weekday() >= 5 else 1.0)
        for _ in range(round(visitors_per_day * busy)):
            hits.extend(_visitor_hits(rng, day_start, pages, weights))
        hits.extend(_robot_hits(rng, day_start, pages, visitors_per_day // 4))
        hits.sort(key=lambda hit: hit[0])
        for moment, line in hits:
            if (until is not None and moment > until) or lines == max_lines:
                return lines
            lines += 1
            if broken_every and lines % broken_every == 0:
                # A response cut short by a full disk: the line stops inside the agent.
                stream.write(line[: line.rindex('"') - 7] + "\n")
            else:
                stream.write(line)
    return lines


def site_pages(content_dir):
    """Home, section pages and the /slug/ of every article under ``content_dir``."""
    pages = list(DEFAULT_PAGES)
    for source in sorted(Path(content_dir).glob("articles/**/*.md")):
        slug = source.stem
        for line in source.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                break
            name, _, value = line.partition(":")
            if name.strip().lower() == "slug":
                slug = value.strip()
        pages.append(f"/{slug}/")
    return pages


SAMPLE_LOG = "data/sample-access.log"
SAMPLE_START = datetime(2026, 10, 29, tzinfo=LOG_OFFSET).date()
# pelicanconf.py reports at this time (STATS_NOW) so the dev site shows live-looking
# counters whatever the date.
SAMPLE_END = datetime(2026, 11, 28, 20, 0, tzinfo=LOG_OFFSET)


# Readers still on the site at SAMPLE_END: their page views fall in the last minutes
# before it, so "Đang online" (the 5 minutes up to the report time) is not 0 on a
# local build.
LIVE_READERS = 7
LIVE_MINUTES = 4


def _live_hits(rng, end, pages, weights, readers=LIVE_READERS):
    """Page views (and their assets) by `readers` visitors, each in the last
    LIVE_MINUTES before `end`."""
    hits = []
    for _ in range(readers):
        client = f"{rng.choice((14, 27, 42, 113, 171))}.{rng.randrange(256)}.{rng.randrange(256)}." \
            f"{rng.randrange(1, 255)}"
        agent = rng.choice(BROWSERS)
        moment = end - timedelta(seconds=rng.randrange(5, LIVE_MINUTES * 60))
        for _ in range(rng.choice((1, 2))):
            if moment > end:
                break
            page = rng.choices(pages, weights)[0]
            hits.append(_hit(moment, client, "GET", page, 200, rng.randrange(9000, 60000), agent))
            for asset in ASSETS:
                if moment + timedelta(seconds=1) <= end:
                    hits.append(_hit(moment + timedelta(seconds=1), client, "GET", asset, 304, 0, agent, page))
            moment += timedelta(seconds=rng.randrange(20, 90))
    return hits


def write_sample(root):
    """Regenerate the development sample log from the articles of the site at ``root``:
    a month of traffic that ends at SAMPLE_END (STATS_NOW) with readers on the site."""
    root = Path(root)
    days = (SAMPLE_END.date() - SAMPLE_START).days + 1
    pages = site_pages(root / "content")
    live_from = SAMPLE_END - timedelta(minutes=LIVE_MINUTES)
    rng = random.Random(2026)
    live = sorted(_live_hits(rng, SAMPLE_END, pages, [1 / rank for rank in range(1, len(pages) + 1)]),
                  key=lambda hit: hit[0])
    with open(root / SAMPLE_LOG, "w", encoding="utf-8", newline="\n") as stream:
        # The month up to the last minutes, then those minutes with the live readers
        # merged in time order, as nginx would have written them.
        count = write_log(
            stream, SAMPLE_START, days, 40, pages, seed=2026,
            broken_every=3000, until=live_from,
        )
        tail = []
        with_tail = _TailStream(tail)
        write_log(with_tail, SAMPLE_END.date(), 1, 40, pages, seed=2026, broken_every=0, until=SAMPLE_END)
        merged = sorted([hit for hit in tail if hit[0] > live_from] + live, key=lambda hit: hit[0])
        for _moment, line in merged:
            stream.write(line)
        count += len(merged)
    return count


class _TailStream:
    """Collects (moment, line) pairs from write_log's lines, for merging."""

    def __init__(self, into):
        self.into = into

    def write(self, line):
        stamp = line.split("[", 1)[1].split("]", 1)[0]
        self.into.append((datetime.strptime(stamp, "%d/%b/%Y:%H:%M:%S %z"), line))
