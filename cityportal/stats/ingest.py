"""Reading new access-log lines into the statistics database: parse -> classify -> store.

The loop is written for speed (it must reach 200,000 lines a second): it works on
bytes, caches every answer that repeats (dates, offsets, bot tests, visitor hashes)
and does the expensive steps only for page views.

Several runs give exactly the counters of one run over the same lines: everything a
later line depends on (the log clock, the open days' salts and visitor runs, the read
positions) is saved in the same transaction as the counts, and nothing depends on the
report time except the refusal of lines from the future.
"""
import hashlib
import secrets
from dataclasses import dataclass, field

from . import store
from .classify import BotFilter, site_path
from .localdays import LocalDays, day_iso
from .logfiles import line_batches, plan_reads
from .parse import LineReader
from .visits import add_view, decode_runs, encode_runs


@dataclass
class IngestResult:
    lines: int = 0
    page_views: int = 0
    malformed: int = 0
    # Skipped lines per reason (parse.REASONS), only the reasons that occurred.
    rejected: dict = field(default_factory=dict)
    # Page views of paths that are not in the site's page list: in the daily figures,
    # not in any page's Lượt xem.
    unlisted_views: int = 0
    files: list = field(default_factory=list)


class _DayState:
    """One local day's visitors while an ingest runs."""

    __slots__ = ("salt", "visitors", "hashes", "counts")

    def __init__(self, salt, visitors):
        self.salt = salt
        self.visitors = visitors  # visitor hash -> runs
        self.hashes = {}  # (client, agent) -> visitor hash; memory only, never stored
        self.counts = [0, 0, 0]  # visits, visitors, page views added by this ingest


class _Aggregator:
    def __init__(self, connection, reader, pages):
        self.connection = connection
        self.reader = reader
        self.local_days = reader.local_days
        self.pages = pages
        self.days = {}
        self.finished_counts = {}
        self.paths = {}
        self.result = IngestResult()

    def _day(self, number):
        state = self.days.get(number)
        if state is None:
            iso = day_iso(number)
            salt = store.day_salt(self.connection, iso)
            if salt is None:
                state = _DayState(secrets.token_bytes(32), {})
            else:
                rows = store.day_visitors(self.connection, iso)
                state = _DayState(salt, {visitor: decode_runs(runs) for visitor, runs in rows})
            self.days[number] = state
        return state

    def _finish_closed_days(self):
        """Drop the visitor state of days the log has closed, so memory stays flat."""
        oldest = self.reader.oldest_open
        if oldest is None:
            return
        for old in [number for number in self.days if number < oldest]:
            self._keep_counts(old, self.days.pop(old))

    def _keep_counts(self, number, state):
        totals = self.finished_counts.setdefault(number, [0, 0, 0])
        for index, value in enumerate(state.counts):
            totals[index] += value

    def read(self, lines):
        """Count a batch of raw lines; returns nothing, updates the aggregates."""
        day_number = self.local_days.day_number
        paths = self.paths
        current_number = None
        state = None
        views = self.reader.page_views(lines)
        for epoch, client, agent, path in views:
            number = day_number(epoch)
            if number != current_number:
                state = self._day(number)
                current_number = number
            key = (client, agent)
            visitor = state.hashes.get(key)
            if visitor is None:
                visitor = hashlib.blake2b(
                    client + b"\0" + agent, key=state.salt, digest_size=16
                ).digest()
                state.hashes[key] = visitor
            runs = state.visitors.get(visitor)
            counts = state.counts
            if runs is None:
                runs = state.visitors[visitor] = []
                counts[1] += 1
            counts[0] += add_view(runs, epoch)
            counts[2] += 1
            paths[path] = paths.get(path, 0) + 1
        self._finish_closed_days()
        self.result.lines += len(lines)
        self.result.page_views += len(views)

    def skip_overlong(self, count):
        self.result.lines += count
        self.reader.rejected["too_long"] += count

    def _page_views_by_page(self):
        """This run's views of the listed pages, keyed by their normalised path."""
        views = {}
        unlisted = 0
        pages = self.pages or ()
        for raw, count in self.paths.items():
            path = site_path(raw)
            if path in pages:
                views[path] = views.get(path, 0) + count
            else:
                unlisted += count
        return views, unlisted

    def save(self):
        """Write this ingest's totals, the open days' visitor hashes and the log clock."""
        connection = self.connection
        reader = self.reader
        for number, state in self.days.items():
            self._keep_counts(number, state)
            store.replace_day_visitors(
                connection,
                day_iso(number),
                state.salt,
                ((visitor, encode_runs(runs)) for visitor, runs in state.visitors.items()),
            )
        if reader.oldest_open is not None:
            # Salts and hashes of closed days go; no later line can use them.
            store.forget_days_outside(
                connection,
                day_iso(reader.oldest_open),
                day_iso(self.local_days.day_number(reader.clock)),
            )
        store.add_daily(
            connection,
            {day_iso(number): counts for number, counts in self.finished_counts.items()},
        )
        views, self.result.unlisted_views = self._page_views_by_page()
        store.add_path_views(connection, views)
        rejected = {reason: count for reason, count in reader.rejected.items() if count}
        self.result.rejected = rejected
        self.result.malformed = sum(rejected.values())
        store.add_counter(connection, "malformed_lines", self.result.malformed)
        for reason, count in rejected.items():
            store.add_counter(connection, store.REJECTED_PREFIX + reason, count)
        store.add_counter(connection, "unlisted_page_views", self.result.unlisted_views)
        store.add_counter(connection, "lines", self.result.lines)
        if reader.oldest_open is not None:
            store.set_counter(connection, "log_clock", reader.clock)


def ingest(connection, log_path, now, local_days=None, bots=None, pages=None):
    """Read the lines of ``log_path`` (and its rotated files) not read before.

    ``now`` is the report time (aware datetime): lines more than five minutes after it
    are skipped. ``pages`` is the set of request paths whose views are counted per page
    (the site's articles); views of other paths count only in the daily figures.

    Everything happens in one transaction: if anything fails, or the process dies, the
    database is as it was. Raises LogReadError before changing anything when the log
    cannot be opened.
    """
    local_days = local_days or LocalDays()
    with store.transaction(connection):
        # Planned under the write lock: a run that waited for another one must see the
        # positions that run committed.
        plan = plan_reads(
            log_path, store.known_sources(connection), not store.has_read(connection, log_path)
        )
        reader = LineReader(
            local_days,
            bots or BotFilter(),
            int(now.timestamp()),
            store.counter(connection, "log_clock", None),
        )
        aggregator = _Aggregator(connection, reader, pages)
        for planned in plan:
            offset = planned.start
            for lines, consumed, overlong in line_batches(planned):
                aggregator.read(lines)
                aggregator.skip_overlong(overlong)
                offset += consumed
            store.save_source(connection, log_path, planned, offset)
            aggregator.result.files.append((str(planned.path), planned.start, offset))
        aggregator.save()
    return aggregator.result
