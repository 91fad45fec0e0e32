"""The /thong-ke/ chart: daily visits and page views as inline SVG, drawn at build time.

Page views are bars and visits a line over them, on one scale (a visit has at least
one page view, so the line always sits inside the bars' range).
"""
from dataclasses import dataclass
from datetime import timedelta

from markupsafe import Markup

from cityportal.text import vn_number


@dataclass(frozen=True)
class Layout:
    """One drawing of the chart. The SVG scales to its box, so the text's size on screen is
    font_size x (box width / width): each layout is shown only where that stays >= 12 px."""

    name: str
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    font_size: int
    y_ticks: int  # grid lines above zero
    label_every: int  # a date under every n-th bar, counted back from the last day


# From 700 px: the main column is at least 536 px wide (a 900 px window, beside the
# sidebar), where 16-unit text is 11.9 px; 17 px in a 1280 px window.
WIDE = Layout("wide", 720, 300, 64, 12, 16, 40, 16, 4, 5)
# Phones (the CSS shows it below 700 px): 343 px wide on a 375 px phone, so 15-unit text
# is 14.3 px there and 12 px at 320 px; fewer grid lines and dates, a week apart.
NARROW = Layout("narrow", 360, 260, 52, 8, 16, 36, 15, 2, 7)
# 3.4:1 against white; the visits line gets a white halo to stand out on the bars.
PAGEVIEWS_COLOUR = "#6a8cc0"
VISITS_COLOUR = "#b71c1c"
GRID_COLOUR = "#d0d0d0"
TEXT_COLOUR = "#1a1a1a"


def last_days(daily, end, count):
    """[(date, visits, visitors, pageviews)] for the ``count`` days up to ``end``, gaps as 0."""
    rows = []
    for offset in range(count - 1, -1, -1):
        day = end - timedelta(days=offset)
        figures = daily.get(day.isoformat(), {})
        rows.append(
            (day, figures.get("visits", 0), figures.get("visitors", 0), figures.get("pageviews", 0))
        )
    return rows


def _nice_ceiling(value):
    """The smallest 1, 2 or 5 x 10^n at or above ``value`` (at least 5)."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= max(value, 5):
                return step * factor
        step *= 10


def daily_chart_svg(rows, title_id="bieu-do-tieu-de", description_id="bieu-do-mo-ta"):
    """SVG markup for rows from ``last_days``, drawn for wide screens and again for phones;
    the stylesheet shows one. Each says in its title and description what it shows.
    Marked safe for templates: drawn here from dates and numbers only."""
    if not rows:
        return Markup("")
    return Markup("".join(
        _chart_svg(rows, layout, f"{title_id}-{layout.name}", f"{description_id}-{layout.name}")
        for layout in (WIDE, NARROW)
    ))


def _chart_svg(rows, layout, title_id, description_id):
    top_value = _nice_ceiling(max(pageviews for *_, pageviews in rows))
    width, height, left, top = layout.width, layout.height, layout.left, layout.top
    plot_width = width - left - layout.right
    plot_height = height - top - layout.bottom
    slot = plot_width / len(rows)
    font = f'font-size="{layout.font_size}" fill="{TEXT_COLOUR}"'

    def y(value):
        return top + plot_height - value / top_value * plot_height

    first, last = rows[0][0], rows[-1][0]
    parts = [
        f'<svg class="stats-chart__svg stats-chart__svg--{layout.name}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{title_id} {description_id}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{title_id}">Lượt truy cập và lượt xem trang theo ngày</title>',
        f'<desc id="{description_id}">Từ {first:%d/%m/%Y} đến {last:%d/%m/%Y}. '
        f"Cột: lượt xem trang; đường: lượt truy cập. Số liệu chi tiết ở bảng bên dưới.</desc>",
    ]
    for tick in range(layout.y_ticks + 1):
        value = top_value * tick // layout.y_ticks
        line_y = y(value)
        parts.append(
            f'<line x1="{left}" y1="{line_y:.1f}" x2="{width - layout.right}" y2="{line_y:.1f}" '
            f'stroke="{GRID_COLOUR}" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{line_y + layout.font_size / 3:.1f}" text-anchor="end" {font}>'
            f"{vn_number(value)}</text>"
        )
    points = []
    for index, (day, visits, _visitors, pageviews) in enumerate(rows):
        x = left + index * slot
        bar_top = y(pageviews)
        parts.append(
            f'<rect x="{x + slot * 0.15:.1f}" y="{bar_top:.1f}" width="{slot * 0.7:.1f}" '
            f'height="{top + plot_height - bar_top:.1f}" fill="{PAGEVIEWS_COLOUR}">'
            f"<title>{day:%d/%m}: {vn_number(pageviews)} lượt xem trang, "
            f"{vn_number(visits)} lượt truy cập</title></rect>"
        )
        points.append(f"{x + slot / 2:.1f},{y(visits):.1f}")
        if (len(rows) - 1 - index) % layout.label_every == 0:
            # The last date ends at the plot's right edge, so it is never cut off.
            anchor, label_x = ("end", x + slot) if index == len(rows) - 1 else ("middle", x + slot / 2)
            parts.append(
                f'<text x="{label_x:.1f}" y="{height - layout.bottom + layout.font_size + 6}" '
                f'text-anchor="{anchor}" {font}>{day:%d/%m}</text>'
            )
    for colour, stroke in (("#fff", 5.5), (VISITS_COLOUR, 2.5)):
        parts.append(
            f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" '
            f'stroke-width="{stroke}" stroke-linejoin="round"/>'
        )
    parts.append("</svg>")
    return "".join(parts)
