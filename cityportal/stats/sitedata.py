"""What the templates show, from a Report: counters, views per article, most viewed,
and the 30-day series. Works on any objects with ``url``/``date`` (Pelican articles)."""
from dataclasses import dataclass

from .chart import daily_chart_svg, last_days


@dataclass(frozen=True)
class SiteStats:
    online: int
    today: int
    week: int
    total: int
    generated_at: str


def page_path(url, site_path=""):
    """The request path of a page URL such as "slug/" under a site served at ``site_path``."""
    return f"{site_path.rstrip('/')}/{url}"


def attach_views(articles, views, site_path=""):
    """Give each article ``views`` (its Lượt xem) and ``stats_path`` (its key in stats.json)."""
    for article in articles:
        article.stats_path = page_path(article.url, site_path)
        article.views = views.get(article.stats_path, 0)


def most_viewed(articles, count):
    """The ``count`` most viewed articles that have been viewed, newest first on a tie."""
    viewed = [article for article in articles if article.views > 0]
    viewed.sort(key=lambda article: article.date, reverse=True)
    viewed.sort(key=lambda article: article.views, reverse=True)
    return viewed[:count]


def template_context(report, report_date, chart_days):
    """The values every template can use."""
    rows = last_days(report.daily, report_date, chart_days)
    return {
        "stats": SiteStats(
            report.online, report.today, report.week, report.total, report.generated_at
        ),
        "stats_daily": rows,
        "stats_chart_svg": daily_chart_svg(rows),
    }
