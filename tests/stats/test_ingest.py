"""Incremental ingest: twice, growth, rotation, gzip, crashes, bad lines and bad files."""
import gzip
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading

import pytest

from tests.stats.logs import log_line
from cityportal.stats import store
from cityportal.stats.logfiles import MAX_LINE_BYTES, LogReadError


def morning(count, ip_prefix="192.0.2", start_minute=0):
    """``count`` page views by distinct visitors, a minute apart from 08:00 local."""
    return [
        log_line(f"2026-11-28T08:{start_minute + n:02d}:00+07:00", ip=f"{ip_prefix}.{n + 1}")
        for n in range(count)
    ]


def totals(stats_run):
    report = stats_run.report()
    return report.daily.get("2026-11-28"), report.malformed_lines


def database_dump(path):
    with sqlite3.connect(path) as connection:
        return list(connection.iterdump())


def test_running_twice_counts_nothing_twice(stats_run):
    stats_run.write(*morning(5))
    stats_run.ingest()
    first = totals(stats_run)
    result = stats_run.ingest()
    assert result.lines == 0
    assert totals(stats_run) == first == ({"visits": 5, "visitors": 5, "pageviews": 5}, 0)


def test_growth_reads_only_the_new_lines_and_keeps_visitors_across_runs(stats_run):
    stats_run.write(*morning(3))
    stats_run.ingest()
    # The same three visitors return within 30 minutes (one visit each) and two are new.
    stats_run.write(*morning(3, start_minute=20), *morning(2, ip_prefix="198.51.100"))
    result = stats_run.ingest()
    assert result.lines == 5
    assert totals(stats_run)[0] == {"visits": 5, "visitors": 5, "pageviews": 8}


def test_an_unfinished_last_line_waits_for_its_newline(stats_run):
    whole, partial = morning(2)
    stats_run.write(whole, partial[:40])
    assert stats_run.ingest().lines == 1
    stats_run.write(partial[40:])
    assert stats_run.ingest().lines == 1
    assert totals(stats_run) == ({"visits": 2, "visitors": 2, "pageviews": 2}, 0)


def test_rotation_by_rename_reads_the_rest_of_the_old_file_and_all_of_the_new(stats_run):
    stats_run.write(*morning(3))
    stats_run.ingest()
    stats_run.write(*morning(2, ip_prefix="198.51.100"))  # written after our last run
    os.rename(stats_run.log, f"{stats_run.log}.1")
    stats_run.write(*morning(4, ip_prefix="203.0.113"))
    result = stats_run.ingest()
    assert result.lines == 6
    assert totals(stats_run)[0]["visitors"] == 9
    assert stats_run.ingest().lines == 0


def test_rotation_into_gzip_with_identical_new_content_loses_and_doubles_nothing(stats_run):
    lines = morning(3)
    stats_run.write(*lines)
    stats_run.ingest()
    stats_run.write(*morning(1, ip_prefix="198.51.100"))
    os.rename(stats_run.log, f"{stats_run.log}.1")
    # A new log that starts exactly like the old one must not be taken for it.
    stats_run.write(*lines)
    stats_run.ingest()
    stats_run.write(*morning(1, ip_prefix="203.0.113"))
    with open(f"{stats_run.log}.1", "rb") as old, gzip.open(f"{stats_run.log}.2.gz", "wb") as packed:
        packed.write(old.read())
    os.remove(f"{stats_run.log}.1")
    os.rename(stats_run.log, f"{stats_run.log}.1")
    stats_run.write(*morning(1, ip_prefix="233.252.0"))
    stats_run.ingest()
    assert stats_run.ingest().lines == 0
    # Pageviews: 3 + 1 + 3 (same visitors, same visit) + 1 + 1.
    assert totals(stats_run)[0] == {"visits": 6, "visitors": 6, "pageviews": 9}


def test_copytruncate_rotation_is_followed(stats_run):
    stats_run.write(*morning(3))
    stats_run.ingest()
    stats_run.write(*morning(1, ip_prefix="198.51.100"))
    with open(stats_run.log, "rb") as live, open(f"{stats_run.log}.1", "wb") as copy:
        copy.write(live.read())
    stats_run.write(*morning(2, ip_prefix="203.0.113"), mode="w")
    stats_run.ingest()
    assert totals(stats_run)[0]["visitors"] == 6


def test_a_gzipped_log_is_read_directly(stats_run, tmp_path):
    packed = tmp_path / "access.log.3.gz"
    with gzip.open(packed, "wt", encoding="utf-8") as stream:
        stream.writelines(morning(4))
    stats_run.ingest(log=packed)
    stats_run.ingest(log=packed)
    assert totals(stats_run) == ({"visits": 4, "visitors": 4, "pageviews": 4}, 0)


def test_bad_lines_are_skipped_and_counted_never_partly_used(stats_run):
    good = morning(2)
    with open(stats_run.log, "wb") as stream:
        stream.write(good[0].encode())
        stream.write(good[1].encode()[:-30] + b"\n")  # truncated inside the agent
        stream.write(b"\x00\x1f\x8b\xff\xfe\x00 binary junk\n")
        stream.write(b"A" * (MAX_LINE_BYTES * 3) + b"\n")  # over-long, split across reads
        stream.write(log_line("2026-11-28T09:00:00+07:00", target="/" + "a" * MAX_LINE_BYTES + "/").encode())
        stream.write("not a log line at all, ti\u1ebfng Vi\u1ec7t\n".encode())
        stream.write(log_line("2026-11-28T09:30:00+07:00", ip="192.0.2.9").encode())
    result = stats_run.ingest()
    assert (result.lines, result.malformed, result.page_views) == (7, 5, 2)
    assert totals(stats_run) == ({"visits": 2, "visitors": 2, "pageviews": 2}, 5)
    assert stats_run.report().views == {"/tin-tuc/": 2}


def test_an_over_long_line_still_being_written_is_left_for_the_next_run(stats_run):
    with open(stats_run.log, "wb") as stream:
        stream.write(morning(1)[0].encode() + b"B" * (MAX_LINE_BYTES * 2))
    assert stats_run.ingest().malformed == 0
    with open(stats_run.log, "ab") as stream:
        stream.write(b"B\n" + morning(1, ip_prefix="198.51.100")[0].encode())
    result = stats_run.ingest()
    assert (result.malformed, result.page_views) == (1, 1)


@pytest.mark.parametrize("problem", ["missing", "unreadable", "directory"])
def test_a_missing_or_unreadable_log_fails_clearly_and_changes_nothing(stats_run, problem):
    stats_run.write(*morning(2))
    stats_run.ingest()
    before = database_dump(stats_run.db)
    target = stats_run.log.parent / "other.log"
    if problem == "unreadable":
        target.write_text(morning(1)[0])
        target.chmod(0)
        if os.access(target, os.R_OK):
            pytest.skip("running as a user who can read any file")
    elif problem == "directory":
        target.mkdir()
    with pytest.raises(LogReadError, match="other.log"):
        stats_run.ingest(log=target)
    assert database_dump(stats_run.db) == before


def test_an_exception_before_commit_leaves_the_database_as_it_was(stats_run, monkeypatch):
    stats_run.write(*morning(3))
    stats_run.ingest()
    stats_run.write(*morning(2, ip_prefix="198.51.100"))
    before = database_dump(stats_run.db)

    def disk_full(*args):
        raise OSError("disk full")

    monkeypatch.setattr(store, "set_counter", disk_full)
    with pytest.raises(OSError):
        stats_run.ingest()
    assert database_dump(stats_run.db) == before
    monkeypatch.undo()
    stats_run.ingest()
    assert totals(stats_run)[0] == {"visits": 5, "visitors": 5, "pageviews": 5}


def test_a_process_killed_in_the_middle_of_writing_loses_and_doubles_nothing(stats_run):
    stats_run.write(*morning(40))
    killer = textwrap.dedent(
        f"""
        import os, signal, sys
        from datetime import datetime
        from cityportal.stats import store
        from cityportal.stats.ingest import ingest
        real = store.add_path_views
        def die_after_writing(connection, views):
            real(connection, views)
            os.kill(os.getpid(), signal.SIGKILL)
        store.add_path_views = die_after_writing
        with store.connect({str(stats_run.db)!r}) as connection:
            ingest(connection, {str(stats_run.log)!r},
                   datetime.fromisoformat("2026-11-28T23:00:00+07:00"))
        """
    )
    process = subprocess.run([sys.executable, "-c", killer], capture_output=True)
    assert process.returncode == -signal.SIGKILL
    assert stats_run.report().daily == {}
    stats_run.ingest()
    assert totals(stats_run)[0] == {"visits": 40, "visitors": 40, "pageviews": 40}
    assert stats_run.report().views == {"/tin-tuc/": 40}


def test_no_raw_address_or_agent_is_stored_and_closed_days_lose_their_hashes(stats_run):
    stats_run.write(
        log_line("2026-11-27T10:00:00+07:00", ip="192.0.2.77"),
        log_line("2026-11-28T10:00:00+07:00", ip="192.0.2.77"),
    )
    stats_run.ingest("2026-11-28T23:00:00+07:00")
    raw = stats_run.db.read_bytes()
    assert b"192.0.2.77" not in raw and b"Chrome/124" not in raw
    with sqlite3.connect(stats_run.db) as connection:
        kept = connection.execute("SELECT DISTINCT day FROM visitors").fetchall()
        salts = connection.execute("SELECT day FROM day_salts").fetchall()
    assert kept == salts == [("2026-11-28",)]
    # The 28th stays open for late lines until the log is 15 minutes into the 29th.
    stats_run.write(log_line("2026-11-29T00:14:59+07:00", target="/theme/css/site.css"))
    stats_run.ingest("2026-11-29T00:16:00+07:00")
    with sqlite3.connect(stats_run.db) as connection:
        assert connection.execute("SELECT day FROM day_salts").fetchall() == [("2026-11-28",)]
    # Any line, not only a page view, moves the log on (an uptime check, a stylesheet).
    stats_run.write(log_line("2026-11-29T00:15:00+07:00", target="/theme/css/site.css"))
    stats_run.ingest("2026-11-29T00:16:00+07:00")
    with sqlite3.connect(stats_run.db) as connection:
        assert connection.execute("SELECT count(*) FROM day_salts").fetchone() == (0,)
        assert connection.execute("SELECT count(*) FROM visitors").fetchone() == (0,)


def test_a_run_that_waits_for_another_sees_its_positions(stats_run, monkeypatch):
    stats_run.write(*morning(3))
    first_is_writing, first_may_commit = threading.Event(), threading.Event()
    real_add_counter = store.add_counter

    def pause_first_run(connection, name, amount):
        if threading.current_thread().name == "first" and not first_may_commit.is_set():
            first_is_writing.set()
            first_may_commit.wait(timeout=60)
        real_add_counter(connection, name, amount)

    monkeypatch.setattr(store, "add_counter", pause_first_run)
    results = {}

    def run(name):
        results[name] = stats_run.ingest()

    first = threading.Thread(target=run, args=("first",), name="first")
    first.start()
    assert first_is_writing.wait(timeout=60)
    second = threading.Thread(target=run, args=("second",), name="second")
    second.start()
    second.join(timeout=0.5)  # not a timing assertion: the lock holds it whatever the wait
    assert second.is_alive()
    first_may_commit.set()
    first.join()
    second.join()
    assert (results["first"].lines, results["second"].lines) == (3, 0)
    assert totals(stats_run)[0] == {"visits": 3, "visitors": 3, "pageviews": 3}
