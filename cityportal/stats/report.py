"""The numbers shown on the site, computed from the database at a report time, and the
stats.json file the refresh script reads."""
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from . import store
from .localdays import LocalDays, day_from_iso, monday_of
from .visits import active_between, decode_runs

ONLINE_WINDOW = timedelta(minutes=5)


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

    def as_json(self):
        return {
            "generated_at": self.generated_at,
            "online": self.online,
            "today": self.today,
            "week": self.week,
            "total": self.total,
            "views": self.views,
            "daily": self.daily,
            "malformed_lines": self.malformed_lines,
        }


def build_report(connection, now, total_offset=0, view_offsets=None, local_days=None):
    """Đang online, Hôm nay, Trong tuần, Tất cả, Lượt xem and the daily series at ``now``."""
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
    return Report(
        generated_at=local_days.local(now).isoformat(timespec="seconds"),
        online=online,
        today=today_visits,
        week=week_visits,
        total=all_visits + total_offset,
        views=dict(sorted(views.items())),
        daily=daily,
        malformed_lines=store.counter(connection, "malformed_lines"),
    )


def write_report(report, out_path):
    """Replace ``out_path`` atomically: readers see the old file or the new one, whole."""
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(report.as_json(), ensure_ascii=False, separators=(",", ":"))
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
