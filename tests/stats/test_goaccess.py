"""Daily unique visitors of the sample log, against GoAccess where it is installed."""
import json
import shutil
import subprocess
from datetime import datetime

import pytest

from tests.stats.logs import ROOT
from cityportal.stats import store
from cityportal.stats.ingest import ingest
from cityportal.stats.report import build_report
from cityportal.stats.synthetic_log import MONITOR_ADDRESS, SAMPLE_END

SAMPLE = ROOT / "data" / "sample-access.log"


@pytest.mark.skipif(shutil.which("goaccess") is None, reason="goaccess is not installed")
def test_daily_unique_visitors_match_goaccess_on_the_sample_log(tmp_path):
    # GoAccess counts a visitor for any request; the sample's only visitors without a
    # page view are crawlers, agentless clients and the uptime monitor, so these
    # options leave the same people on both sides.
    subprocess.run(
        ["goaccess", str(SAMPLE), "--log-format=COMBINED", "--no-global-config",
         "--no-progress", "--ignore-crawlers", "--unknowns-as-crawlers",
         "--exclude-ip", MONITOR_ADDRESS, "-o", str(tmp_path / "goaccess.json")],
        check=True, capture_output=True,
    )
    theirs = {
        datetime.strptime(row["data"], "%Y%m%d").date().isoformat(): row["visitors"]["count"]
        for row in json.loads((tmp_path / "goaccess.json").read_text())["visitors"]["data"]
    }
    with store.connect(tmp_path / "stats.sqlite") as connection:
        ingest(connection, SAMPLE, SAMPLE_END)
        report = build_report(connection, SAMPLE_END)
    ours = {day: figures["visitors"] for day, figures in report.daily.items()}
    assert len(ours) == 31
    assert ours == theirs
