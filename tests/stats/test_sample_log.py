"""The development sample log ends at STATS_NOW with readers on the site, so a local
build shows a live portal ("Đang online" above 0), and it is what the task writes."""
import shutil
from datetime import datetime

from cityportal.stats.ingest import ingest
from cityportal.stats.report import build_report
from cityportal.stats import store
from cityportal.stats.synthetic_log import SAMPLE_END, SAMPLE_LOG, write_sample
from tests.sitebuild import ROOT


def test_the_sample_log_ends_at_stats_now_with_readers_online(tmp_path):
    from tasks import _settings

    assert datetime.fromisoformat(_settings()["STATS_NOW"]) == SAMPLE_END
    with store.connect(tmp_path / "stats.sqlite") as connection:
        ingest(connection, ROOT / SAMPLE_LOG, SAMPLE_END)
        report = build_report(connection, SAMPLE_END)
    assert 3 <= report.online <= 20


def test_the_committed_sample_is_what_the_task_writes(tmp_path):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    (tmp_path / "data").mkdir()
    write_sample(tmp_path)
    assert (tmp_path / SAMPLE_LOG).read_bytes() == (ROOT / SAMPLE_LOG).read_bytes()
