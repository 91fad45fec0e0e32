"""Fixtures of the feedback tests."""
from __future__ import annotations

import pytest

from tests.feedback.service import LiveService, make_settings


@pytest.fixture
def service(tmp_path):
    live = LiveService(make_settings(tmp_path)).start()
    yield live
    live.stop()


@pytest.fixture
def start_service(tmp_path):
    """Start a service with particular settings: start_service(rate_limit_per_hour=2)."""
    started = []

    def start(**changes) -> LiveService:
        live = LiveService(make_settings(tmp_path, **changes)).start()
        started.append(live)
        return live

    yield start
    for live in started:
        live.stop()
