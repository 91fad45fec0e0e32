"""Lượt xem carried over from the old portal: the CSV file and its errors."""
import pytest

from tests.stats.logs import log_line
from cityportal.stats.offsets import ViewOffsetsError, read_view_offsets
from tests.sitebuild import build_site


def write(tmp_path, text):
    path = tmp_path / "luot-xem-cu.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_offsets_are_read_per_path(tmp_path):
    path = write(tmp_path, "path,views\n/tin-tuc/,1200\n\n/gioi-thieu/, 35\n")
    assert read_view_offsets(path) == {"/tin-tuc/": 1200, "/gioi-thieu/": 35}


@pytest.mark.parametrize(
    "text, where",
    [
        ("duong_dan,luot\n/a/,1\n", ":1:"),
        ("path,views\n/a/,1\n/b/,nhiều\n", ":3:"),
        ("path,views\na/,1\n", ":2:"),
        ("path,views\n/a/,1,2\n", ":2:"),
        ("path,views\n/a/,1\n/a/,2\n", ":3:"),
    ],
)
def test_a_bad_row_names_the_file_and_line(tmp_path, text, where):
    with pytest.raises(ViewOffsetsError, match=f"luot-xem-cu.csv{where}"):
        read_view_offsets(write(tmp_path, text))


def test_a_bad_offsets_file_stops_the_build_with_its_line(tmp_path):
    (tmp_path / "access.log").write_text(log_line("2026-11-28T10:00:00+07:00"), encoding="utf-8")
    result = build_site(
        tmp_path / "output",
        extra_settings={
            "PLUGINS": ["plugins.markup_safety", "plugins.portal", "plugins.access_stats"],
            "STATS_LOG": str(tmp_path / "access.log"),
            "STATS_DB": str(tmp_path / "stats.sqlite"),
            "STATS_VIEW_OFFSETS_FILE": str(write(tmp_path, "path,views\n/a/,x\n")),
        },
    )
    assert result.returncode != 0
    assert "luot-xem-cu.csv:2" in result.stdout + result.stderr
    assert "ViewOffsetsError" not in result.stdout + result.stderr
