"""Fixtures of the statistics tests."""
from datetime import datetime
from pathlib import Path
import pytest
from cityportal.stats import store
from cityportal.stats.ingest import ingest
from cityportal.stats.report import build_report

from tests.stats.logs import StatsRun


@pytest.fixture
def stats_run(tmp_path):
    return StatsRun(tmp_path)
