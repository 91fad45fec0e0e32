"""Lines from the future, late lines and impossible years: skipped, counted under their
reason, and without effect on anything else (issue 10, items 8 and 9)."""
import json

import pytest

from cityportal.stats import cli
from tests.stats.logs import log_line


def day(report, iso="2026-11-28"):
    return report.daily.get(iso, {"visits": 0, "visitors": 0, "pageviews": 0})


def test_a_line_from_2099_neither_restarts_a_continuing_visit_nor_hides_it_from_online(stats_run):
    stats_run.write(
        log_line("2026-11-28T10:00:00+07:00"),
        log_line("2099-01-01T00:00:00+07:00", ip="192.0.2.99"),
        log_line("2026-11-28T10:10:00+07:00"),
    )
    stats_run.ingest("2026-11-28T10:12:00+07:00")
    stats_run.write(log_line("2026-11-28T10:20:00+07:00"))
    stats_run.ingest("2026-11-28T10:21:00+07:00")
    stats_run.write(log_line("2026-11-28T10:25:00+07:00"))
    stats_run.ingest("2026-11-28T10:26:00+07:00")
    report = stats_run.report("2026-11-28T10:26:00+07:00")
    assert day(report) == {"visits": 1, "visitors": 1, "pageviews": 4}
    assert report.online == 1
    assert (report.malformed_lines, report.malformed_reasons) == (1, {"future": 1})
    assert list(report.daily) == ["2026-11-28"]


@pytest.mark.parametrize("ahead, counted", [("10:04:59", True), ("10:05:00", True), ("10:05:01", False)])
def test_more_than_five_minutes_ahead_of_now_is_the_future(stats_run, ahead, counted):
    report = stats_run.run(
        log_line(f"2026-11-28T{ahead}+07:00"), now="2026-11-28T10:00:00+07:00"
    )
    assert day(report)["pageviews"] == int(counted)
    assert report.malformed_reasons == ({} if counted else {"future": 1})


def test_a_future_line_is_counted_once_and_later_lines_are_read_normally(stats_run):
    stats_run.write(log_line("2026-11-28T12:00:00+07:00"), log_line("2026-11-28T09:00:00+07:00"))
    stats_run.ingest("2026-11-28T09:30:00+07:00")
    # The skipped line is not read again when its time has come.
    stats_run.ingest("2026-11-28T13:00:00+07:00")
    report = stats_run.report("2026-11-28T13:00:00+07:00")
    assert day(report) == {"visits": 1, "visitors": 1, "pageviews": 1}
    assert report.malformed_reasons == {"future": 1}


def test_a_line_just_after_midnight_then_a_late_one_before_it_count_one_visit(stats_run):
    stats_run.write(
        log_line("2026-11-27T23:50:00+07:00"),
        log_line("2026-11-28T00:01:00+07:00", ip="192.0.2.50"),
    )
    stats_run.ingest("2026-11-28T00:02:00+07:00")
    # Written late (several workers, a buffered log): it continues the 23:50 visit.
    stats_run.write(log_line("2026-11-27T23:55:00+07:00"))
    stats_run.ingest("2026-11-28T00:03:00+07:00")
    report = stats_run.report("2026-11-28T00:03:00+07:00")
    assert day(report, "2026-11-27") == {"visits": 1, "visitors": 1, "pageviews": 2}
    assert report.malformed_lines == 0


def test_a_buffered_log_that_grows_after_midnight_does_not_count_a_visit_twice(stats_run):
    stats_run.write(log_line("2026-11-27T23:50:00+07:00"))
    # cron runs just after midnight, before the server has flushed its last lines.
    stats_run.ingest("2026-11-28T00:02:00+07:00")
    stats_run.write(log_line("2026-11-27T23:58:00+07:00"), log_line("2026-11-28T00:04:00+07:00"))
    stats_run.ingest("2026-11-28T00:07:00+07:00")
    report = stats_run.report("2026-11-28T00:07:00+07:00")
    assert day(report, "2026-11-27") == {"visits": 1, "visitors": 1, "pageviews": 2}
    assert day(report) == {"visits": 1, "visitors": 1, "pageviews": 1}


def test_a_line_older_than_the_oldest_open_day_is_late_and_changes_nothing(stats_run):
    stats_run.write(
        log_line("2026-11-27T23:50:00+07:00"),
        log_line("2026-11-28T00:20:00+07:00", ip="192.0.2.50"),
    )
    stats_run.ingest("2026-11-28T00:21:00+07:00")
    before = stats_run.report("2026-11-28T00:30:00+07:00")
    # The log has moved 20 minutes into the 28th: the 27th is closed and its visitors
    # forgotten, so this line can no longer be placed; counting it would count it twice.
    stats_run.write(
        log_line("2026-11-27T23:55:00+07:00"),
        log_line("2026-11-26T10:00:00+07:00", ip="192.0.2.51", target="/theme/css/site.css"),
    )
    result = stats_run.ingest("2026-11-28T00:30:00+07:00")
    after = stats_run.report("2026-11-28T00:30:00+07:00")
    assert (result.lines, result.page_views, result.rejected) == (2, 0, {"late": 2})
    assert after.daily == before.daily and after.views == before.views
    assert after.online == before.online
    assert (after.malformed_lines, after.malformed_reasons) == (2, {"late": 2})


OUT_OF_RANGE = [
    "31/Dec/9999:23:59:59 -2359",
    "31/Dec/9999:23:59:59 +0000",
    "01/Jan/0001:00:00:00 +2359",
    "01/Jan/1969:12:00:00 +0700",
]


@pytest.mark.parametrize("stamp", OUT_OF_RANGE)
def test_an_out_of_range_timestamp_is_skipped_and_counted_and_never_stops_a_run(tmp_path, stamp, capsys):
    log = tmp_path / "access.log"
    good = log_line("2026-11-28T10:00:00+07:00")
    bad = good.replace("28/Nov/2026:10:00:00 +0700", stamp)
    assert bad != good
    log.write_text(good + bad + good, encoding="utf-8")
    arguments = ["--log", str(log), "--db", str(tmp_path / "s.sqlite"), "--out", str(tmp_path / "stats.json"),
                 "--settings", str(tmp_path / "none.py")]
    for now in ("2026-11-28T10:05:00+07:00", "2026-11-28T10:06:00+07:00"):
        assert cli.main([*arguments, "--now", now]) == 0, capsys.readouterr().err
        with open(log, "a", encoding="utf-8") as stream:
            stream.write(bad)
    report = json.loads((tmp_path / "stats.json").read_text(encoding="utf-8"))
    assert report["daily"] == {"2026-11-28": {"visits": 1, "visitors": 1, "pageviews": 2}}
    assert report["malformed_lines"] == 2
    assert report["malformed_reasons"] == {"range": 2}


def test_hashes_left_for_a_future_day_by_an_older_version_are_deleted(stats_run):
    import sqlite3

    stats_run.write(log_line("2026-11-28T10:00:00+07:00"))
    stats_run.ingest("2026-11-28T10:01:00+07:00")
    with sqlite3.connect(stats_run.db) as connection:
        connection.execute("INSERT INTO day_salts VALUES ('2099-01-01', x'00')")
        connection.execute("INSERT INTO visitors VALUES ('2099-01-01', x'01', '1,1')")
    stats_run.write(log_line("2026-11-28T10:02:00+07:00"))
    stats_run.ingest("2026-11-28T10:03:00+07:00")
    with sqlite3.connect(stats_run.db) as connection:
        assert connection.execute("SELECT DISTINCT day FROM visitors").fetchall() == [("2026-11-28",)]
        assert connection.execute("SELECT day FROM day_salts").fetchall() == [("2026-11-28",)]
