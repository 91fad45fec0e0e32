"""Each definition of the README, checked through a real ingest into SQLite and a report."""
import pytest

from tests.stats.logs import BROWSER, GOOGLEBOT, PHONE, log_line


def day(report, iso="2026-11-28"):
    return report.daily.get(iso, {"visits": 0, "visitors": 0, "pageviews": 0})


@pytest.mark.parametrize("gap, visits", [("10:29:00", 1), ("10:30:00", 1), ("10:31:00", 2)])
def test_a_gap_longer_than_30_minutes_starts_a_new_visit(stats_run, gap, visits):
    report = stats_run.run(
        log_line("2026-11-28T10:00:00+07:00"), log_line(f"2026-11-28T{gap}+07:00")
    )
    assert day(report) == {"visits": visits, "visitors": 1, "pageviews": 2}


def test_a_visit_never_spans_local_midnight_and_belongs_to_the_day_it_starts(stats_run):
    report = stats_run.run(
        log_line("2026-11-27T23:50:00+07:00"),
        log_line("2026-11-27T23:59:00+07:00"),
        log_line("2026-11-28T00:05:00+07:00"),
    )
    assert day(report, "2026-11-27") == {"visits": 1, "visitors": 1, "pageviews": 2}
    assert day(report) == {"visits": 1, "visitors": 1, "pageviews": 1}


def test_each_line_keeps_its_own_utc_offset_and_days_are_local(stats_run):
    report = stats_run.run(
        # 16:59 UTC is 23:59 local on the 27th; 17:00 UTC is already the 28th.
        log_line("2026-11-27T16:59:00+00:00", ip="198.51.100.2"),
        log_line("2026-11-27T12:00:00-05:00", ip="198.51.100.3"),
        # 23:30 UTC on the 27th is 06:30 on the 28th in Hanoi.
        log_line("2026-11-27T23:30:00+00:00", ip="198.51.100.1"),
        # The same visitor ten minutes later, written by a server on +07:00: one visit.
        log_line("2026-11-28T06:40:00+07:00", ip="198.51.100.1"),
    )
    assert day(report, "2026-11-27") == {"visits": 1, "visitors": 1, "pageviews": 1}
    assert day(report) == {"visits": 2, "visitors": 2, "pageviews": 3}


@pytest.mark.parametrize(
    "method, status, counted",
    [
        ("GET", 200, True),
        ("GET", 304, True),
        ("HEAD", 200, False),
        ("POST", 200, False),
        ("GET", 404, False),
        ("GET", 301, False),
        ("GET", 206, False),
        ("GET", 500, False),
    ],
)
def test_only_get_with_200_or_304_is_a_page_view(stats_run, method, status, counted):
    report = stats_run.run(log_line("2026-11-28T10:00:00+07:00", method=method, status=status))
    assert day(report)["pageviews"] == int(counted)
    assert report.views == ({"/tin-tuc/": 1} if counted else {})


@pytest.mark.parametrize(
    "target, path",
    [
        ("/", "/"),
        ("/tin-tuc/", "/tin-tuc/"),
        ("/tin-tuc/?trang=2&utm_source=zalo", "/tin-tuc/"),
        ("/gioi-thieu.html?x=1", "/gioi-thieu.html"),
        ("/tin-tuc/#binh-luan", "/tin-tuc/"),
        ("/tin-tuc", None),
        ("/theme/css/site.css?v=3", None),
        ("/search?q=/", None),
        ("/page.htm", None),
        ("http://example.com/", None),
        ("*", None),
    ],
)
def test_html_pages_are_paths_ending_in_slash_or_html_without_query(stats_run, target, path):
    report = stats_run.run(log_line("2026-11-28T10:00:00+07:00", target=target))
    assert report.views == ({path: 1} if path else {})


@pytest.mark.parametrize("agent", [GOOGLEBOT, "", "-", "  ", "curl/8.5.0", "python-requests/2.32"])
def test_bots_and_missing_agents_make_no_page_views(stats_run, agent):
    report = stats_run.run(log_line("2026-11-28T10:00:00+07:00", agent=agent))
    assert day(report)["pageviews"] == 0


def test_a_visitor_is_an_address_and_agent_pair_within_one_day(stats_run):
    report = stats_run.run(
        log_line("2026-11-28T10:00:00+07:00", ip="192.0.2.1", agent=BROWSER),
        log_line("2026-11-28T10:01:00+07:00", ip="192.0.2.1", agent=PHONE),
        log_line("2026-11-28T10:02:00+07:00", ip="192.0.2.2", agent=BROWSER),
        log_line("2026-11-28T10:03:00+07:00", ip="192.0.2.1", agent=BROWSER),
    )
    assert day(report) == {"visits": 3, "visitors": 3, "pageviews": 4}


def test_lines_out_of_order_still_give_exact_visits(stats_run):
    report = stats_run.run(
        log_line("2026-11-28T10:00:00+07:00"),
        log_line("2026-11-28T11:00:00+07:00"),
        # Written late, it bridges the two runs above into one visit.
        log_line("2026-11-28T10:30:00+07:00"),
        log_line("2026-11-28T09:00:00+07:00"),
    )
    assert day(report) == {"visits": 2, "visitors": 1, "pageviews": 4}


def test_online_counts_distinct_visitors_in_the_five_minutes_up_to_the_report(stats_run):
    stats_run.write(
        log_line("2026-11-28T20:54:59+07:00", ip="192.0.2.1"),
        log_line("2026-11-28T20:55:00+07:00", ip="192.0.2.2"),
        log_line("2026-11-28T20:58:00+07:00", ip="192.0.2.2"),
        log_line("2026-11-28T21:00:00+07:00", ip="192.0.2.3"),
        log_line("2026-11-28T21:00:00+07:00", ip="192.0.2.4", agent=GOOGLEBOT),
    )
    stats_run.ingest("2026-11-28T21:00:00+07:00")
    assert stats_run.report("2026-11-28T21:00:00+07:00").online == 2
    assert stats_run.report("2026-11-28T21:06:00+07:00").online == 0


def test_today_week_and_total_follow_local_days_and_monday(stats_run):
    # 2026-11-23 is a Monday; 2026-11-22 the Sunday before.
    stats_run.write(
        # The first visit of the week in UTC terms is still Sunday locally.
        log_line("2026-11-22T16:30:00+00:00", ip="192.0.2.5"),
        log_line("2026-11-22T23:59:59+07:00", ip="192.0.2.1"),
        log_line("2026-11-23T00:00:00+07:00", ip="192.0.2.2"),
        log_line("2026-11-26T12:00:00+07:00", ip="192.0.2.3"),
        log_line("2026-11-28T08:00:00+07:00", ip="192.0.2.4"),
        log_line("2026-11-28T09:00:00+07:00", ip="192.0.2.4"),
    )
    stats_run.ingest("2026-11-28T10:00:00+07:00")
    report = stats_run.report("2026-11-28T10:00:00+07:00", total_offset=8012849)
    assert (report.today, report.week, report.total) == (2, 4, 8012849 + 6)
    assert report.generated_at == "2026-11-28T10:00:00+07:00"
    assert stats_run.report("2026-11-30T00:00:00+07:00").week == 0


def test_views_add_the_offsets_carried_over_from_the_old_portal(stats_run):
    stats_run.write(
        log_line("2026-11-28T10:00:00+07:00", target="/tin-tuc/"),
        log_line("2026-11-28T10:01:00+07:00", target="/tin-tuc/?a=1"),
    )
    stats_run.ingest()
    report = stats_run.report(view_offsets={"/tin-tuc/": 100, "/cu/": 7})
    assert report.views == {"/cu/": 7, "/tin-tuc/": 102}
