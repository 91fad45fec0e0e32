"""Numbers and dates the way the portal writes them for its readers."""
from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")


def vietnamese_number(value: int) -> str:
    """8012849 -> '8.012.849'."""
    return f"{value:,}".replace(",", ".")


def vietnamese_date(timestamp: int) -> str:
    """Unix time -> 'Thứ Hai, 28/06/2021' in the city's time zone."""
    moment = datetime.datetime.fromtimestamp(timestamp, TIMEZONE)
    return f"{WEEKDAYS[moment.weekday()]}, {moment:%d/%m/%Y}"


def vietnamese_datetime(timestamp: int) -> str:
    moment = datetime.datetime.fromtimestamp(timestamp, TIMEZONE)
    return f"{vietnamese_date(timestamp)} {moment:%H:%M}"
