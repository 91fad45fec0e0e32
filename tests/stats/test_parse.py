import pytest

from tests.stats.logs import BROWSER, log_line
from cityportal.stats.parse import parse_line

CORPUS = "/work/shared/corpus/apache_logs"


def test_a_combined_line_gives_every_field_and_honours_its_offset():
    record = parse_line(
        b'203.0.113.7 - - [28/Nov/2026:20:15:00 +0700] "GET /tin-tuc/?trang=2 HTTP/1.1" '
        b'200 5120 "-" "Mozilla/5.0"'
    )
    assert record.client == b"203.0.113.7"
    assert record.epoch == 1795871700  # 2026-11-28T13:15:00Z
    assert (record.method, record.target, record.status) == (b"GET", b"/tin-tuc/?trang=2", 200)
    assert record.user_agent == b"Mozilla/5.0"


def test_the_same_instant_in_two_offsets_gives_the_same_epoch():
    utc = parse_line(log_line("2026-11-28T13:15:00+00:00").rstrip("\n").encode())
    vietnam = parse_line(log_line("2026-11-28T20:15:00+07:00").rstrip("\n").encode())
    west = parse_line(log_line("2026-11-28T08:45:00-04:30").rstrip("\n").encode())
    assert utc.epoch == vietnam.epoch == west.epoch


@pytest.mark.parametrize(
    "line",
    [
        b"",
        b"garbage",
        b'203.0.113.7 - - [28/Nov/2026:20:15:00 +0700] "GET / HTTP/1.1" 200 5120 "-" "Mozilla/5.0',
        b'203.0.113.7 - - [28/Nov/2026:20:15:00 +0700] "GET / HTTP/1.1" 200 5120 "-"',
        b'203.0.113.7 - - [28/Nov/2026:20:15:00] "GET / HTTP/1.1" 200 5120 "-" "Mozilla/5.0"',
        b'203.0.113.7 - - [31/Feb/2026:20:15:00 +0700] "GET / HTTP/1.1" 200 5120 "-" "M"',
        b'203.0.113.7 - - [28/Foo/2026:20:15:00 +0700] "GET / HTTP/1.1" 200 5120 "-" "M"',
        b'203.0.113.7 - - [28/Nov/2026:24:15:00 +0700] "GET / HTTP/1.1" 200 5120 "-" "M"',
        b'203.0.113.7 - - [28/Nov/2026:20:15:00 +0790] "GET / HTTP/1.1" 200 5120 "-" "M"',
        b'203.0.113.7 - - [28/Nov/2026:20:15:00 +0700] "GET / HTTP/1.1" 2000 5120 "-" "M"',
        b'203.0.113.7 - - [28/Nov/2026:20:15:00 +0700] "GET / HTTP/1.1" 200 5120 "-" "M" extra',
        b'203.0.113.7 - - [28/Nov/2026:20:15:00 +0700] "GET /\x00\x01 HTTP/1.1" 200 5 "-" "M"',
        b"\x1f\x8b\x08\x00\xff\xfe binary \x00\x00",
        "203.0.113.7 - - [28/Nov/2026:20:15:00 +0700] \"GET / HTTP/1.1\" 200 5 \"-\" \"M\"\x07".encode(),
    ],
)
def test_malformed_truncated_and_binary_lines_are_rejected_whole(line):
    assert parse_line(line) is None


def test_escaped_quotes_ipv6_crlf_and_dash_size_are_accepted():
    record = parse_line(
        b'2001:db8::1 - - [28/Nov/2026:20:15:00 +0700] "GET /a.html HTTP/1.1" 304 - '
        b'"-" "Agent \\"quoted\\" 1.0"\r'
    )
    assert record.client == b"2001:db8::1"
    assert record.status == 304
    assert record.user_agent == b'Agent \\"quoted\\" 1.0'


def test_only_the_cut_off_agent_of_the_public_corpus_is_rejected():
    with open(CORPUS, "rb") as stream:
        rejected = [
            number
            for number, line in enumerate(stream.read().split(b"\n")[:-1], start=1)
            if parse_line(line) is None
        ]
    assert rejected == [8899]
