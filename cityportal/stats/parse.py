"""Combined log format lines -> fields, on bytes, with no I/O.

The ingest loop calls ``LINE.fullmatch`` itself because a Python function call per
line would cost a noticeable share of the time budget; ``parse_line`` wraps the same
pattern for callers that prefer a record.
"""
import re
from datetime import date
from typing import NamedTuple

# A quoted field may hold backslash escapes (nginx writes \" and \xHH) but never a raw
# control byte: binary garbage and cut-off lines then fail to match as a whole.
_QUOTED = rb'"([^"\\\x00-\x1f\x7f]*(?:\\[^\x00-\x1f\x7f][^"\\\x00-\x1f\x7f]*)*)"'
LINE = re.compile(
    rb"([0-9A-Za-z.:_-]+) \S+ \S+ "
    rb"\[(\d\d/[A-Z][a-z][a-z]/\d{4}):([01]\d|2[0-3]):([0-5]\d):([0-5]\d|60) "
    rb"([+-](?:[01]\d|2[0-3])[0-5]\d)\] "
    + _QUOTED
    + rb" (\d{3}) (?:\d+|-) "
    + _QUOTED.replace(b"(", b"(?:", 1)
    + b" "
    + _QUOTED
    + rb"\r?"
)

_MONTHS = {
    name.encode(): number
    for number, name in enumerate(
        "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), start=1
    )
}
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


class LogLine(NamedTuple):
    client: bytes
    epoch: int
    method: bytes
    target: bytes
    status: int
    user_agent: bytes


def day_start_epoch(day_month_year):
    """Epoch seconds of 00:00 UTC of a log date such as b"17/May/2015", or None."""
    month = _MONTHS.get(day_month_year[3:6])
    if month is None:
        return None
    try:
        ordinal = date(int(day_month_year[7:11]), month, int(day_month_year[:2])).toordinal()
    except ValueError:
        return None
    return (ordinal - _EPOCH_ORDINAL) * 86400


def offset_seconds(offset):
    """b"+0700" -> 25200 (the pattern has already checked the digits)."""
    seconds = int(offset[1:3]) * 3600 + int(offset[3:5]) * 60
    return -seconds if offset[:1] == b"-" else seconds


def timestamp_epoch(day_month_year, hour, minute, second, offset):
    """Epoch seconds of a log timestamp honouring its own UTC offset, or None if the date
    does not exist (31/Feb)."""
    midnight = day_start_epoch(day_month_year)
    if midnight is None:
        return None
    return (
        midnight + int(hour) * 3600 + int(minute) * 60 + int(second) - offset_seconds(offset)
    )


def split_request(request):
    """b"GET /a/?q=1 HTTP/1.1" -> (b"GET", b"/a/?q=1"); (b"", b"") when there is no target."""
    parts = request.split(b" ")
    if len(parts) < 2:
        return b"", b""
    return parts[0], parts[1]


def parse_line(raw):
    """One line (without its newline) -> LogLine, or None when it is not a valid combined line."""
    match = LINE.fullmatch(raw)
    if match is None:
        return None
    client, dmy, hour, minute, second, offset, request, status, agent = match.groups()
    epoch = timestamp_epoch(dmy, hour, minute, second, offset)
    if epoch is None:
        return None
    method, target = split_request(request)
    return LogLine(client, epoch, method, target, int(status), agent)
