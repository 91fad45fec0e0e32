"""The numbers shown on the site, computed from the database at a report time, and the
stats.json file the refresh script reads.

stats.json is downloaded by every reader each minute, so its size is bounded whatever
the log holds: the counters, the Lượt xem of the most viewed pages only (the build
renders every article's own figure into its page) and the days of the chart.
"""
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from . import store
from .localdays import LocalDays, day_from_iso, day_iso, monday_of
from .visits import active_between, decode_runs

ONLINE_WINDOW = timedelta(minutes=5)
LIVE_VIEWS_COUNT = 50
LIVE_DAYS = 30


@dataclass(frozen=True)
class Report:
    generated_at: str
    online: int
    today: int
    week: int
    total: int
    views: dict
    daily: dict
    malformed_lines: int
    malformed_reasons: dict

    def as_json(self, live_views=LIVE_VIEWS_COUNT, live_days=LIVE_DAYS):
        """The live file: the ``live_views`` most viewed pages (most first, then by path)
        and the ``live_days`` days up to the report date."""
        top = sorted(self.views.items(), key=lambda item: (-item[1], item[0]))[:live_views]
        first_day = day_iso(day_from_iso(self.generated_at[:10]) - live_days + 1)
        return {
            "generated_at": self.generated_at,
            "online": self.online,
            "today": self.today,
            "week": self.week,
            "total": self.total,
            "views": dict(top),
            "daily": {
                day: figures
                for day, figures in self.daily.items()
                if first_day <= day <= self.generated_at[:10]
            },
            "malformed_lines": self.malformed_lines,
            "malformed_reasons": self.malformed_reasons,
        }


def build_report(connection, now, total_offset=0, view_offsets=None, local_days=None, pages=None):
    """Đang online, Hôm nay, Trong tuần, Tất cả, Lượt xem and the daily series at ``now``.

    With ``pages`` (a set of request paths), Lượt xem is given for those pages only.
    """
    local_days = local_days or LocalDays()
    today = local_days.day_of(now)
    monday = monday_of(today)
    daily = {}
    today_visits = week_visits = all_visits = 0
    for day, visits, visitors, pageviews in store.daily_rows(connection):
        daily[day] = {"visits": visits, "visitors": visitors, "pageviews": pageviews}
        number = day_from_iso(day)
        all_visits += visits
        if number == today:
            today_visits = visits
        if monday <= number <= today:
            week_visits += visits
    last = int(now.timestamp())
    first = last - int(ONLINE_WINDOW.total_seconds())
    online = sum(
        1
        for runs in store.current_visitor_runs(connection)
        if active_between(decode_runs(runs), first, last)
    )
    views = store.all_path_views(connection)
    for path, extra in (view_offsets or {}).items():
        views[path] = views.get(path, 0) + extra
    if pages is not None:
        views = {path: count for path, count in views.items() if path in pages}
    return Report(
        generated_at=local_days.local(now).isoformat(timespec="seconds"),
        online=online,
        today=today_visits,
        week=week_visits,
        total=all_visits + total_offset,
        views=dict(sorted(views.items())),
        daily=daily,
        malformed_lines=store.counter(connection, "malformed_lines"),
        malformed_reasons=store.rejected_counts(connection),
    )


def write_report(report, out_path, live_views=LIVE_VIEWS_COUNT, live_days=LIVE_DAYS):
    """Replace ``out_path`` atomically: readers see the old file or the new one, whole."""
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(
        report.as_json(live_views, live_days), ensure_ascii=False, separators=(",", ":")
    )
    handle, temporary = tempfile.mkstemp(prefix=".stats-", suffix=".tmp", dir=out_path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, out_path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
