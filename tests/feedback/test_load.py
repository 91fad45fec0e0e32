"""Load and kill -9 against the real service process. Counts only: speed
figures come from `invoke bench-feedback`, never from a test."""
from cityportal.ops import feedback_service as devserver
from cityportal.bench import feedback as loadtest
from cityportal.ops.local_ports import free_port


def test_every_201_is_a_row_and_no_5xx(tmp_path):
    result = loadtest.run_load(seconds=3, clients=2, max_per_client=150, workdir=tmp_path)
    assert result.accepted > 0
    assert loadtest.check(result) == []
    assert result.rows == result.accepted
    assert result.server_errors == 0 and result.restarts == 0


def test_kill_mid_load_loses_nothing_acknowledged(tmp_path):
    result = loadtest.run_load(seconds=4, clients=2, max_per_client=100_000, kill_at=1.5,
                               workdir=tmp_path)
    assert result.restarts == 1
    assert result.missing == []
    assert result.server_errors == 0
    assert result.rows >= result.accepted > 0
    assert loadtest.check(result) == []


def test_preview_start_runs_the_service_once(tmp_path):
    port = free_port()
    service = devserver.start(database=tmp_path / "feedback.sqlite", port=port)
    try:
        assert service is not None and (tmp_path / "feedback.sqlite").exists()
        assert devserver.start(database=tmp_path / "other.sqlite", port=port) is None
    finally:
        service.stop()
