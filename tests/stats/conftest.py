"""Fixtures of the statistics tests."""
import pytest

from tests.stats.logs import StatsRun


@pytest.fixture
def stats_run(tmp_path):
    return StatsRun(tmp_path)
