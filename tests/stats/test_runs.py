"""Several runs give exactly the counters of one run (issue 10, item 10)."""
import gzip

from tests.stats.logs import PHONE, StatsRun, log_line

TODAY = "2026-12-05T09:00:00+07:00"


def a_day_of_readers(day):
    """Twelve readers coming back every 20 minutes from 08:00 to 16:00 local."""
    lines = []
    for minute in range(8 * 60, 16 * 60, 20):
        for reader in range(12):
            moment = f"{day}T{minute // 60:02d}:{minute % 60:02d}:{reader:02d}+07:00"
            lines.append(log_line(moment, ip=f"192.0.2.{reader + 1}", agent=PHONE))
    return lines


def test_importing_rotated_files_oldest_first_keeps_a_day_that_continues_in_the_next(tmp_path):
    lines = a_day_of_readers("2026-11-27") + a_day_of_readers("2026-11-28")
    older, newer = lines[: len(lines) // 3], lines[len(lines) // 3:]
    (tmp_path / "cut").mkdir()
    (tmp_path / "whole").mkdir()
    cut, whole = StatsRun(tmp_path / "cut"), StatsRun(tmp_path / "whole")
    with gzip.open(tmp_path / "cut" / "access.log.2.gz", "wt", encoding="utf-8") as stream:
        stream.writelines(older)
    (tmp_path / "cut" / "access.log.1").write_text("".join(newer), encoding="utf-8")
    cut.ingest(TODAY, log=tmp_path / "cut" / "access.log.2.gz")
    cut.ingest(TODAY, log=tmp_path / "cut" / "access.log.1")
    whole.write(*lines)
    whole.ingest(TODAY)
    expected = {"visits": 12, "visitors": 12, "pageviews": 12 * 24}
    assert whole.report(TODAY).daily == {"2026-11-27": expected, "2026-11-28": expected}
    assert cut.report(TODAY).daily == whole.report(TODAY).daily


# --- The property: any cutting of any log into runs ----------------------------------

import os
import sqlite3
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cityportal.stats import store
from cityportal.stats.classify import BotFilter
from cityportal.stats.ingest import ingest
from cityportal.stats.report import build_report
from tests.stats.logs import BROWSER, GOOGLEBOT

PAGES = frozenset(("/", "/tin-tuc/", "/gioi-thieu/"))
# 22:30 local: the generated traffic crosses midnight into the 28th.
START = datetime.fromisoformat("2026-11-27T22:30:00+07:00")
READERS = [(f"192.0.2.{n}", BROWSER if n % 2 else PHONE) for n in range(1, 6)]
BOTS = BotFilter()

# What a line is: a page view of a reader, a stylesheet, a crawler, a 404 or a line
# that is no log line at all.
KINDS = ["view", "view", "view", "asset", "crawler", "missing", "broken"]


@st.composite
def logs(draw):
    """Lines in the order a server writes them: the clock moves on by 0 to 40 minutes
    (so visits continue or end, also across midnight), and a line may carry a time up
    to 4 minutes older than the one before it (several workers, a buffered log), or
    very rarely one from two days ago."""
    moment = START
    lines, times = [], []
    for _ in range(draw(st.integers(1, 40))):
        moment += timedelta(seconds=draw(st.integers(0, 40 * 60)))
        stamp = moment - timedelta(seconds=draw(st.sampled_from([0, 0, 0, 30, 239])))
        if draw(st.integers(0, 30)) == 0:
            stamp = moment - timedelta(days=2)
        ip, agent = draw(st.sampled_from(READERS))
        kind = draw(st.sampled_from(KINDS))
        when = stamp.isoformat()
        if kind == "view":
            text = log_line(when, ip=ip, agent=agent, target=draw(st.sampled_from(
                ["/", "/tin-tuc/", "/gioi-thieu/?utm_source=zalo", "/x/../tin-tuc/", "/khong-liet-ke/"])))
        elif kind == "asset":
            text = log_line(when, ip=ip, agent=agent, target="/theme/css/site.css")
        elif kind == "crawler":
            text = log_line(when, ip="66.249.66.1", agent=GOOGLEBOT)
        elif kind == "missing":
            text = log_line(when, ip=ip, agent=agent, target="/khong-co/", status=404)
        else:
            text = log_line(when, ip=ip, agent=agent)[:-25] + "\n"
        lines.append(text.encode())
        times.append(stamp)
    return lines, times


@st.composite
def cuttings(draw):
    """A log, where it is cut into runs (any byte, mid-line included), whether the log
    is rotated (and the previous one gzipped) before each later run, and how long
    after its newest line each run's --now is."""
    lines, times = draw(logs())
    size = sum(map(len, lines))
    cuts = sorted(draw(st.sets(st.integers(1, size), max_size=6)) | {size})
    rotate = [draw(st.booleans()) for _ in cuts]
    later = [timedelta(seconds=draw(st.sampled_from([0, 1, 59, 3600, 2 * 86400]))) for _ in cuts]
    return lines, times, cuts, rotate, later


def _rotate(log):
    """logrotate with delaycompress: .N.gz -> .N+1.gz, .1 -> .2.gz, the log -> .1."""
    numbers = sorted((int(path.name.split(".")[2]) for path in log.parent.glob(f"{log.name}.*.gz")),
                     reverse=True)
    for number in numbers:
        os.rename(f"{log}.{number}.gz", f"{log}.{number + 1}.gz")
    first = Path(f"{log}.1")
    if first.exists():
        with open(first, "rb") as plain, gzip.open(f"{log}.2.gz", "wb") as packed:
            packed.write(plain.read())
        first.unlink()
    os.rename(log, first)
    log.touch()


def _ingest(db, log, now):
    with store.connect(db) as connection:
        ingest(connection, log, now, bots=BOTS, pages=PAGES)


def _counters(db, now):
    with store.connect(db) as connection:
        report = build_report(connection, now, pages=PAGES)
    with sqlite3.connect(db) as connection:
        tables = {
            table: sorted(connection.execute(f"SELECT * FROM {table}"))
            for table in ("daily", "path_views", "counters")
        }
        runs = sorted(connection.execute("SELECT day, runs FROM visitors"))
    return report, tables, runs


@settings(max_examples=60, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(cuttings())
def test_any_cutting_into_runs_counts_exactly_what_one_run_counts(case):
    lines, times, cuts, rotate, later = case
    whole = b"".join(lines)
    ends = [sum(map(len, lines[: n + 1])) for n in range(len(lines))]
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        (scratch / "cut").mkdir()
        (scratch / "one").mkdir()
        log, db = scratch / "cut" / "access.log", scratch / "cut" / "stats.sqlite"
        log.touch()
        written, nows = 0, []
        for number, (cut, rotate_now, extra) in enumerate(zip(cuts, rotate, later)):
            if number and rotate_now and written in ends:
                _rotate(log)  # only between whole lines, as a server writes them
            with open(log, "ab") as stream:
                stream.write(whole[written:cut])
            written = cut
            complete = [time for time, end in zip(times, ends) if end <= cut]
            now = (max(complete) if complete else START) + extra
            nows.append(now)
            _ingest(db, log, now)
        report_time = max(nows)
        one_log, one_db = scratch / "one" / "access.log", scratch / "one" / "stats.sqlite"
        one_log.write_bytes(whole)
        _ingest(one_db, one_log, report_time)
        assert _counters(db, report_time) == _counters(one_db, report_time)
