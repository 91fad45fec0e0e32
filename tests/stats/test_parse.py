"""Raw lines -> page views through LineReader, the code the ingest runs on every batch."""
from datetime import datetime

import pytest

from cityportal.stats.classify import BotFilter
from cityportal.stats.localdays import LocalDays
from cityportal.stats.parse import LineReader
from tests.stats.logs import ROOT, StatsRun, log_line

NOW = int(datetime.fromisoformat("2026-11-28T21:00:00+07:00").timestamp())
TRAPS = ROOT / "tests" / "data" / "stats_access_traps.log"


@pytest.fixture(scope="module")
def bots():
    return BotFilter()


def read(bots, *lines, now=NOW):
    """The page views and the skipped lines (by reason) of ``lines`` read in order."""
    reader = LineReader(LocalDays(), bots, now)
    views = reader.page_views([line.rstrip(b"\n") for line in lines])
    return views, {reason: count for reason, count in reader.rejected.items() if count}


def test_a_combined_line_gives_its_time_client_agent_and_page(bots):
    views, rejected = read(
        bots,
        b'203.0.113.7 - - [28/Nov/2026:20:15:00 +0700] "GET /tin-tuc/?trang=2 HTTP/1.1" '
        b'200 5120 "-" "Mozilla/5.0"',
    )
    # 2026-11-28T13:15:00Z
    assert views == [(1795871700, b"203.0.113.7", b"Mozilla/5.0", b"/tin-tuc/")]
    assert rejected == {}


def test_the_same_instant_in_two_offsets_gives_the_same_epoch(bots):
    views, _ = read(
        bots,
        log_line("2026-11-28T13:15:00+00:00").encode(),
        log_line("2026-11-28T20:15:00+07:00").encode(),
        log_line("2026-11-28T08:45:00-04:30").encode(),
    )
    assert len({epoch for epoch, *_ in views}) == 1 and len(views) == 3


@pytest.mark.parametrize(
    "line, reason",
    [
        (b"", "format"),
        (b"garbage", "format"),
        (b'203.0.113.7 - - [28/Nov/2026:20:15:00 +0700] "GET / HTTP/1.1" 200 5120 "-" "Mozilla/5.0', "format"),
        (b'203.0.113.7 - - [28/Nov/2026:20:15:00 +0700] "GET / HTTP/1.1" 200 5120 "-"', "format"),
        (b'203.0.113.7 - - [28/Nov/2026:20:15:00] "GET / HTTP/1.1" 200 5120 "-" "Mozilla/5.0"', "format"),
        (b'203.0.113.7 - - [31/Feb/2026:20:15:00 +0700] "GET / HTTP/1.1" 200 5120 "-" "M"', "date"),
        (b'203.0.113.7 - - [28/Foo/2026:20:15:00 +0700] "GET / HTTP/1.1" 200 5120 "-" "M"', "date"),
        (b'203.0.113.7 - - [28/Nov/0000:20:15:00 +0700] "GET / HTTP/1.1" 200 5120 "-" "M"', "date"),
        (b'203.0.113.7 - - [28/Nov/2026:24:15:00 +0700] "GET / HTTP/1.1" 200 5120 "-" "M"', "format"),
        (b'203.0.113.7 - - [28/Nov/2026:20:15:00 +0790] "GET / HTTP/1.1" 200 5120 "-" "M"', "format"),
        (b'203.0.113.7 - - [28/Nov/2026:20:15:00 +0700] "GET / HTTP/1.1" 2000 5120 "-" "M"', "format"),
        (b'203.0.113.7 - - [28/Nov/2026:20:15:00 +0700] "GET / HTTP/1.1" 200 5120 "-" "M" extra', "format"),
        (b'203.0.113.7 - - [28/Nov/2026:20:15:00 +0700] "GET /\x00\x01 HTTP/1.1" 200 5 "-" "M"', "format"),
        (b"\x1f\x8b\x08\x00\xff\xfe binary \x00\x00", "format"),
        ('203.0.113.7 - - [28/Nov/2026:20:15:00 +0700] "GET / HTTP/1.1" 200 5 "-" "M"\x07'.encode(), "format"),
        (b'203.0.113.7 - - [31/Dec/9999:23:59:59 -2359] "GET / HTTP/1.1" 200 5 "-" "M"', "range"),
        (b'203.0.113.7 - - [01/Jan/0001:00:00:00 +2359] "GET / HTTP/1.1" 200 5 "-" "M"', "range"),
        (b'203.0.113.7 - - [29/Nov/2026:20:15:00 +0700] "GET / HTTP/1.1" 200 5 "-" "M"', "future"),
    ],
)
def test_bad_lines_are_rejected_whole_under_their_reason(bots, line, reason):
    assert read(bots, line) == ([], {reason: 1})


def test_escaped_quotes_ipv6_crlf_and_dash_size_are_accepted(bots):
    views, rejected = read(
        bots,
        b'2001:db8::1 - - [28/Nov/2026:20:15:00 +0700] "GET /a.html HTTP/1.1" 304 - '
        b'"-" "Agent \\"quoted\\" 1.0"\r',
    )
    assert [(client, agent, path) for _, client, agent, path in views] == [
        (b"2001:db8::1", b'Agent \\"quoted\\" 1.0', b"/a.html")
    ]
    assert rejected == {}


def test_only_the_cut_off_agent_of_the_traps_log_is_rejected(bots):
    lines = TRAPS.read_bytes().split(b"\n")[:-1]
    rejected = [number for number, line in enumerate(lines, start=1) if read(bots, line)[1]]
    assert rejected == [16]


def test_the_traps_log_counts_exactly_its_readers(tmp_path):
    run = StatsRun(tmp_path, pages={"/tin-tuc/", "/tin-tuc/le-hoi-mua-thu/", "/gioi-thieu/", "/tim-kiem/"})
    result = run.ingest("2026-11-28T01:00:00+07:00", log=TRAPS)
    assert (result.lines, result.page_views, result.rejected) == (20, 8, {"format": 1})
    report = run.report("2026-11-28T01:00:00+07:00")
    # The server writes UTC: 17:00 UTC is local midnight, so one reader has a visit on
    # each day, and a second visit after a 40-minute gap.
    assert report.daily == {
        "2026-11-27": {"visits": 1, "visitors": 1, "pageviews": 2},
        "2026-11-28": {"visits": 6, "visitors": 5, "pageviews": 6},
    }
    # HEAD, POST, OPTIONS, 206, 301, 404, 416, 500, assets, crawlers and "-" agents are
    # no page views; "/x/../tin-tuc/" is the page nginx serves for it.
    assert report.views == {
        "/gioi-thieu/": 1, "/tim-kiem/": 1, "/tin-tuc/": 5, "/tin-tuc/le-hoi-mua-thu/": 1,
    }
