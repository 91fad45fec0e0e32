"""Raw access-log lines -> page views, on bytes, with no I/O.

``LineReader.page_views`` is the only code that turns a line into a page view; the
ingest calls it once per batch of lines, and the tests call it too. One call per batch,
not per line, keeps the Python call overhead out of the inner loop.

A line is either skipped and counted under one reason of ``REASONS``, or accepted.
An accepted line moves the log clock (the newest time accepted so far), which closes
the days the log has left; only accepted GET 200/304 requests for HTML pages from
people (not bots) come out as page views.
"""
import re
from datetime import date

from .classify import PAGE_VIEW_STATUSES, page_path

# Why a line was skipped. Every skipped line is counted under exactly one of them.
REASONS = (
    "format",  # not a whole combined-format line (cut off, binary, extra text)
    "date",  # a date that does not exist, such as 31/Feb
    "range",  # before 1970 or after 9998 (UTC)
    "future",  # more than FUTURE_TOLERANCE_SECONDS ahead of the report time
    "late",  # older than the oldest day still open
    "too_long",  # longer than logfiles.MAX_LINE_BYTES
)
FUTURE_TOLERANCE_SECONDS = 5 * 60
# A day stays open this long after its midnight in log time, for lines written late.
LATE_LINE_GRACE_SECONDS = 15 * 60
MIN_EPOCH = 0  # 1970-01-01T00:00:00Z
MAX_EPOCH = (date(9999, 1, 1).toordinal() - date(1970, 1, 1).toordinal()) * 86400

# A quoted field may hold backslash escapes (nginx writes \" and \xHH) but never a raw
# control byte: binary garbage and cut-off lines then fail to match as a whole.
_QUOTED = rb'"([^"\\\x00-\x1f\x7f]*(?:\\[^\x00-\x1f\x7f][^"\\\x00-\x1f\x7f]*)*)"'
# Groups: client, minute ("28/Nov/2026:20:15"), second, offset, request, status, agent.
LINE = re.compile(
    rb"([0-9A-Za-z.:_-]+) \S+ \S+ "
    rb"\[(\d\d/[A-Z][a-z][a-z]/\d{4}:(?:[01]\d|2[0-3]):[0-5]\d):([0-5]\d|60) "
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
_PAGE_STATUSES = frozenset(str(status).encode() for status in PAGE_VIEW_STATUSES)
_MAX_CACHED = 100_000


def minute_epoch(minute):
    """Epoch seconds of a log minute such as b"17/May/2015:10:05" read as UTC, or None
    if the date does not exist (31/Feb, an unknown month, year 0)."""
    month = _MONTHS.get(minute[3:6])
    if month is None:
        return None
    try:
        ordinal = date(int(minute[7:11]), month, int(minute[:2])).toordinal()
    except ValueError:
        return None
    return (ordinal - _EPOCH_ORDINAL) * 86400 + int(minute[12:14]) * 3600 + int(minute[15:17]) * 60


def offset_seconds(offset):
    """b"+0700" -> 25200 (the pattern has already checked the digits)."""
    seconds = int(offset[1:3]) * 3600 + int(offset[3:5]) * 60
    return -seconds if offset[:1] == b"-" else seconds


class LineReader:
    """Checks lines in log order and hands out the page views among them.

    ``clock`` is the newest accepted time of earlier runs (None on the first), ``now``
    the report time in epoch seconds, ``local_days`` a LocalDays and ``bots`` a
    BotFilter. After reading, ``clock`` and ``oldest_open`` (a day number) are what
    the next run starts from, and ``rejected`` counts the skipped lines per reason.
    """

    def __init__(self, local_days, bots, now, clock=None):
        self.local_days = local_days
        self.bots = bots
        self.future_limit = min(now + FUTURE_TOLERANCE_SECONDS, MAX_EPOCH - 1)
        self.clock = MIN_EPOCH - 1 if clock is None else clock
        self.rejected = dict.fromkeys(REASONS, 0)
        self._minutes = {}
        self._offsets = {}
        self.oldest_open = None
        self.open_start = MIN_EPOCH
        self.next_close = MIN_EPOCH
        if clock is not None:
            self._close_days()

    def _close_days(self):
        """Move the oldest open day to the one ``clock`` still leaves open."""
        local_days = self.local_days
        self.oldest_open = local_days.day_number(self.clock - LATE_LINE_GRACE_SECONDS)
        self.open_start = local_days.day_start(self.oldest_open)
        self.next_close = local_days.day_start(self.oldest_open + 1) + LATE_LINE_GRACE_SECONDS

    def page_views(self, lines):
        """The page views among ``lines`` (raw bytes, no newline), as a list of
        (epoch, client, agent, path) in log order."""
        fullmatch = LINE.fullmatch
        minutes, offsets, rejected = self._minutes, self._offsets, self.rejected
        bots = self.bots
        clock, open_start, next_close = self.clock, self.open_start, self.next_close
        future_limit = self.future_limit
        views = []
        # Neighbouring lines mostly share their minute and offset: compare before hashing.
        last_minute = last_offset = None
        minute_start = 0
        for raw in lines:
            match = fullmatch(raw)
            if match is None:
                rejected["format"] += 1
                continue
            client, minute, second, offset, request, status, agent = match.groups()
            if minute != last_minute or offset != last_offset:
                base = minutes.get(minute)
                if base is None:
                    base = minute_epoch(minute)
                    if base is None:
                        rejected["date"] += 1
                        continue
                    if len(minutes) >= _MAX_CACHED:
                        minutes.clear()
                    minutes[minute] = base
                shift = offsets.get(offset)
                if shift is None:
                    shift = offsets[offset] = offset_seconds(offset)
                minute_start = base - shift
                last_minute, last_offset = minute, offset
            epoch = minute_start + int(second)
            if epoch > clock:
                if epoch > future_limit:
                    rejected["range" if epoch >= MAX_EPOCH else "future"] += 1
                    continue
                clock = epoch
                if clock >= next_close:
                    self.clock = clock
                    self._close_days()
                    open_start, next_close = self.open_start, self.next_close
            elif epoch < open_start:
                rejected["range" if epoch < MIN_EPOCH else "late"] += 1
                continue
            if status not in _PAGE_STATUSES or request[:4] != b"GET ":
                continue
            path = page_path(request[4:].split(b" ", 1)[0])
            if path is None or bots(agent):
                continue
            views.append((epoch, client, agent, path))
        self.clock = clock
        return views
