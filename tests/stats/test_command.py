"""`invoke stats` as cron and the outside checks run it."""
import json
import os
import subprocess
import sys
from pathlib import Path

from tests.stats.logs import ROOT, log_line

INVOKE = str(Path(sys.executable).with_name("invoke"))


def invoke_stats(*arguments, env=None):
    return subprocess.run(
        [INVOKE, "stats", *arguments], cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, **(env or {})},
    )


def test_the_command_ingests_and_writes_the_report_in_the_documented_shape(tmp_path):
    log = tmp_path / "access.log"
    log.write_text(
        log_line("2026-11-28T10:00:00+07:00")
        + log_line("2026-11-28T10:04:00+07:00", target="/gioi-thieu/?a=b")
        + "broken line\n",
        encoding="utf-8",
    )
    # The page list a build writes beside the database.
    (tmp_path / "s-pages.txt").write_text("/gioi-thieu/\n/tin-tuc/\n", encoding="utf-8")
    out = tmp_path / "site" / "stats.json"
    arguments = ["--log", str(log), "--db", str(tmp_path / "s.sqlite"),
                 "--now", "2026-11-28T10:05:00+07:00", "--out", str(out)]
    first = invoke_stats(*arguments)
    assert first.returncode == 0, first.stderr
    second = invoke_stats(*arguments)
    assert "0 new lines" in second.stdout
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report == {
        "generated_at": "2026-11-28T10:05:00+07:00",
        "online": 1,
        "today": 1,
        "week": 1,
        "total": 1,
        "views": {"/gioi-thieu/": 1, "/tin-tuc/": 1},
        "daily": {"2026-11-28": {"visits": 1, "visitors": 1, "pageviews": 2}},
        "malformed_lines": 1,
        "malformed_reasons": {"format": 1},
    }
    assert [path.name for path in out.parent.iterdir()] == ["stats.json"]


def test_a_missing_log_is_a_clear_error_and_creates_no_database(tmp_path):
    result = invoke_stats("--log", str(tmp_path / "nowhere.log"), "--db", str(tmp_path / "s.sqlite"),
                          "--out", str(tmp_path / "stats.json"))
    assert result.returncode == 1
    assert f"{tmp_path / 'nowhere.log'}: the access log does not exist" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_log_path_may_come_from_the_environment(tmp_path):
    log = tmp_path / "access.log"
    log.write_text(log_line("2026-11-28T10:00:00+07:00"), encoding="utf-8")
    result = invoke_stats(
        "--now", "2026-11-28T10:05:00+07:00",
        env={"STATS_LOG": str(log), "STATS_DB": str(tmp_path / "s.sqlite"),
             "STATS_OUTPUT": str(tmp_path / "stats.json")},
    )
    assert result.returncode == 0, result.stderr
    assert json.loads((tmp_path / "stats.json").read_text())["today"] == 1


def test_without_a_page_list_views_go_to_the_daily_figures_and_the_command_says_so(tmp_path):
    log = tmp_path / "access.log"
    log.write_text(log_line("2026-11-28T10:00:00+07:00"), encoding="utf-8")
    result = invoke_stats("--log", str(log), "--db", str(tmp_path / "s.sqlite"),
                          "--now", "2026-11-28T10:05:00+07:00", "--out", str(tmp_path / "stats.json"))
    assert result.returncode == 0, result.stderr
    assert (f"1 page views of paths not counted per page: no page list yet at {tmp_path / 's-pages.txt'}"
            in result.stdout)
    report = json.loads((tmp_path / "stats.json").read_text())
    assert (report["today"], report["views"]) == (1, {})
