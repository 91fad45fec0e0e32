"""STATS_* settings with their defaults, read from a Pelican settings file or a dict.

Reading the file with runpy keeps this usable from cron without importing Pelican.
"""
import os
import runpy
from pathlib import Path

from .localdays import DEFAULT_TIMEZONE

DEFAULTS = {
    "STATS_LOG": None,
    "STATS_DB": "data/stats.sqlite",
    "STATS_OUTPUT": "output/stats.json",
    "STATS_TOTAL_OFFSET": 0,
    "STATS_VIEW_OFFSETS_FILE": None,
    # The build writes the site's page list here and `invoke stats` reads it; None puts
    # it beside STATS_DB (data/stats.sqlite -> data/stats-pages.txt).
    "STATS_PAGES_FILE": None,
    "STATS_INGEST_ON_BUILD": False,
    "STATS_NOW": None,
    "STATS_MOST_VIEWED_COUNT": 5,
    "STATS_CHART_DAYS": 30,
    # Pages whose Lượt xem stats.json carries (the most viewed); the build renders the rest.
    "STATS_LIVE_VIEWS_COUNT": 50,
    "STATS_SAVE_AS": "thong-ke/index.html",
    "TIMEZONE": DEFAULT_TIMEZONE,
}


def stats_settings(values):
    """The STATS_* values of ``values`` over the defaults."""
    return {name: values.get(name, default) for name, default in DEFAULTS.items()}


def read_settings_file(path):
    """Run a pelicanconf-style Python file and return its STATS_* settings."""
    path = Path(path).resolve()
    previous = os.getcwd()
    try:
        os.chdir(path.parent)
        values = runpy.run_path(str(path))
    finally:
        os.chdir(previous)
    return stats_settings(values)


def pages_file(settings, database):
    """Where the page list lives for these settings and this database."""
    from .pagelist import default_pages_file

    return settings["STATS_PAGES_FILE"] or default_pages_file(database)
