"""Pelican glue for the access statistics: numbers from the database into the templates,
the /thong-ke/ page and stats.json. The counting itself lives in the other modules."""
import logging
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlparse

from pelican import signals
from pelican.generators import Generator

from cityportal.output_ledger import LEDGER
from cityportal.stats import store
from cityportal.stats.ingest import ingest
from cityportal.stats.localdays import LocalDays
from cityportal.stats.logfiles import LogReadError
from cityportal.stats.offsets import ViewOffsetsError, read_view_offsets
from cityportal.stats.pagelist import write_pages
from cityportal.stats.report import build_report, write_report
from cityportal.stats.settings import pages_file, stats_settings
from cityportal.stats.sitedata import attach_views, most_viewed, page_path, template_context

logger = logging.getLogger(__name__)


def _report(settings, pages):
    """Ingest the development log if asked to, then the report at STATS_NOW (or now).

    ``pages`` are the request paths of the site's articles: the only paths whose
    Lượt xem are counted and reported.
    """
    local_days = LocalDays(settings["TIMEZONE"])
    now = (
        local_days.parse_moment(settings["STATS_NOW"])
        if settings["STATS_NOW"]
        else datetime.now(timezone.utc)
    )
    database = Path(settings["STATS_DB"])
    if settings["STATS_INGEST_ON_BUILD"] and settings["STATS_LOG"]:
        try:
            with store.connect(database) as connection:
                ingest(connection, settings["STATS_LOG"], now, local_days, pages=pages)
        except LogReadError as error:
            logger.warning("%s; the site shows the statistics already in %s", error, database)
    if not database.exists():
        logger.warning(
            "%s: no statistics database yet; run `invoke stats` to create it. "
            "The counters are left out of this build.", database
        )
        return None, None
    offsets, problem = {}, None
    if settings["STATS_VIEW_OFFSETS_FILE"]:
        try:
            offsets = read_view_offsets(settings["STATS_VIEW_OFFSETS_FILE"])
        except ViewOffsetsError as error:
            problem = str(error)
    if problem:
        # Logged outside the handler so the message stands alone; with --fatal errors
        # the build stops on it.
        logger.error("%s", problem)
    with store.connect(database) as connection:
        report = build_report(
            connection, now, settings["STATS_TOTAL_OFFSET"], offsets, local_days, pages
        )
    return report, local_days.local(now).date()


def _fill_context(generators):
    context = generators[0].context
    settings = stats_settings(generators[0].settings)
    articles = list(context.get("articles", []))
    for article in list(articles):
        articles.extend(getattr(article, "translations", []))
    site_path = urlparse(context.get("SITEURL", "")).path
    pages = {page_path(article.url, site_path) for article in articles}
    # Written first, so `invoke stats` counts the views of a new article from the
    # moment it is published.
    write_pages(pages_file(settings, settings["STATS_DB"]), pages)
    report, report_date = _report(settings, pages)
    context["stats_report"] = report
    context["stats_live_views"] = settings["STATS_LIVE_VIEWS_COUNT"]
    context["stats_live_days"] = settings["STATS_CHART_DAYS"]
    if report is None:
        return
    attach_views(articles, report.views, site_path)
    context["most_viewed"] = most_viewed(
        context.get("articles", []), settings["STATS_MOST_VIEWED_COUNT"]
    )
    context.update(template_context(report, report_date, settings["STATS_CHART_DAYS"]))


class StatsPageGenerator(Generator):
    """Writes /thong-ke/ and the stats.json the refresh script reads first."""

    def generate_output(self, writer):
        writer.write_file(
            stats_settings(self.settings)["STATS_SAVE_AS"], self.get_template("stats"), self.context, relative_urls=self.settings["RELATIVE_URLS"]
        )
        report = self.context.get("stats_report")
        if report is not None:
            write_report(
                report,
                Path(self.output_path) / "stats.json",
                self.context["stats_live_views"],
                self.context["stats_live_days"],
            )
            LEDGER.record(Path(self.output_path) / "stats.json")


def _stats_page_generator(pelican):
    return StatsPageGenerator


def register():
    signals.all_generators_finalized.connect(_fill_context)
    signals.get_generators.connect(_stats_page_generator)
