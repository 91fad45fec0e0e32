"""The /thong-ke/ chart: daily visits and page views as inline SVG, drawn at build time.

Page views are bars and visits a line over them, on one scale (a visit has at least
one page view, so the line always sits inside the bars' range).
"""
from datetime import timedelta

from cityportal.text import vn_number

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 16, 40
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
    """SVG markup for rows from ``last_days``; its title and description say what it shows."""
    if not rows:
        return ""
    top_value = _nice_ceiling(max(pageviews for *_, pageviews in rows))
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    slot = plot_width / len(rows)

    def y(value):
        return TOP + plot_height - value / top_value * plot_height

    first, last = rows[0][0], rows[-1][0]
    parts = [
        f'<svg class="stats-chart__svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{title_id} {description_id}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{title_id}">Lượt truy cập và lượt xem trang theo ngày</title>',
        f'<desc id="{description_id}">Từ {first:%d/%m/%Y} đến {last:%d/%m/%Y}. '
        f"Cột: lượt xem trang; đường: lượt truy cập. Số liệu chi tiết ở bảng bên dưới.</desc>",
    ]
    for tick in range(5):
        value = top_value * tick // 4
        line_y = y(value)
        parts.append(
            f'<line x1="{LEFT}" y1="{line_y:.1f}" x2="{WIDTH - RIGHT}" y2="{line_y:.1f}" '
            f'stroke="{GRID_COLOUR}" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{line_y + 4:.1f}" text-anchor="end" font-size="12" '
            f'fill="{TEXT_COLOUR}">{vn_number(value)}</text>'
        )
    points = []
    for index, (day, visits, _visitors, pageviews) in enumerate(rows):
        x = LEFT + index * slot
        bar_top = y(pageviews)
        parts.append(
            f'<rect x="{x + slot * 0.15:.1f}" y="{bar_top:.1f}" width="{slot * 0.7:.1f}" '
            f'height="{TOP + plot_height - bar_top:.1f}" fill="{PAGEVIEWS_COLOUR}">'
            f"<title>{day:%d/%m}: {vn_number(pageviews)} lượt xem trang, "
            f"{vn_number(visits)} lượt truy cập</title></rect>"
        )
        points.append(f"{x + slot / 2:.1f},{y(visits):.1f}")
        if index % 5 == 0 or index == len(rows) - 1:
            parts.append(
                f'<text x="{x + slot / 2:.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" '
                f'font-size="12" fill="{TEXT_COLOUR}">{day:%d/%m}</text>'
            )
    for colour, width in (("#fff", 5.5), (VISITS_COLOUR, 2.5)):
        parts.append(
            f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" '
            f'stroke-width="{width}" stroke-linejoin="round"/>'
        )
    parts.append("</svg>")
    return "".join(parts)

