"""`invoke stats`: ingest the new lines of an access log and write stats.json."""
import argparse
import sqlite3
import sys
from datetime import datetime, timezone
from pathlib import Path

from . import store
from .ingest import ingest
from .localdays import LocalDays
from .logfiles import LogReadError, check_readable
from .offsets import ViewOffsetsError, read_view_offsets
from .pagelist import read_pages
from .report import build_report, write_report
from .settings import DEFAULTS, pages_file, read_settings_file, stats_settings


class UsageError(Exception):
    pass


def _settings(settings_file):
    if settings_file and Path(settings_file).is_file():
        base = Path(settings_file).resolve().parent
        values = read_settings_file(settings_file)
    else:
        base = Path.cwd()
        values = stats_settings({})
    for name in ("STATS_LOG", "STATS_DB", "STATS_OUTPUT", "STATS_VIEW_OFFSETS_FILE", "STATS_PAGES_FILE"):
        if values[name]:
            values[name] = str(base / values[name])
    return values


def run(log=None, db=None, now=None, out=None, settings_file="publishconf.py", stream=sys.stdout):
    """Ingest and report; returns the Report. Raises the module's errors for bad input."""
    settings = _settings(settings_file)
    log = log or settings["STATS_LOG"]
    if not log:
        raise UsageError("no access log given: pass --log PATH or set STATS_LOG")
    check_readable(log)
    local_days = LocalDays(settings["TIMEZONE"])
    moment = local_days.parse_moment(now) if now else datetime.now(timezone.utc)
    view_offsets = (
        read_view_offsets(settings["STATS_VIEW_OFFSETS_FILE"])
        if settings["STATS_VIEW_OFFSETS_FILE"]
        else {}
    )
    database = db or settings["STATS_DB"] or DEFAULTS["STATS_DB"]
    page_list = pages_file(settings, database)
    pages = read_pages(page_list)
    with store.connect(database) as connection:
        result = ingest(connection, log, moment, local_days, pages=pages)
        report = build_report(
            connection, moment, settings["STATS_TOTAL_OFFSET"], view_offsets, local_days, pages
        )
    out = out or settings["STATS_OUTPUT"] or DEFAULTS["STATS_OUTPUT"]
    write_report(report, out, settings["STATS_LIVE_VIEWS_COUNT"], settings["STATS_CHART_DAYS"])
    for path, start, end in result.files:
        print(f"read {path} from byte {start} to {end}", file=stream)
    reasons = ", ".join(f"{reason} {count}" for reason, count in result.rejected.items())
    print(
        f"{result.lines} new lines, {result.page_views} page views, "
        f"{result.malformed} malformed{f' ({reasons})' if reasons else ''}; wrote {out}",
        file=stream,
    )
    if result.unlisted_views:
        where = "not in" if pages is not None else "not counted per page: no page list yet at"
        print(f"{result.unlisted_views} page views of paths {where} {page_list} "
              "(in the daily figures only)", file=stream)
    return report


def main(argv=None):
    parser = argparse.ArgumentParser(prog="stats", description=__doc__)
    parser.add_argument("--log", help="access log to read (default: STATS_LOG)")
    parser.add_argument("--db", help="statistics database (default: data/stats.sqlite)")
    parser.add_argument("--now", help="report time, ISO-8601 (default: now)")
    parser.add_argument("--out", help="report file (default: output/stats.json)")
    parser.add_argument("--settings", default="publishconf.py", help="settings file")
    arguments = parser.parse_args(argv)
    try:
        run(arguments.log, arguments.db, arguments.now, arguments.out, arguments.settings)
    except (
        UsageError,
        LogReadError,
        store.StatsDatabaseError,
        ViewOffsetsError,
        ValueError,
        OSError,
        sqlite3.Error,
    ) as error:
        print(f"stats: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
