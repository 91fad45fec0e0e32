"""Dates the way the portal writes them, from the service's Unix timestamps."""
from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from plugins.vietnamese import vn_date

TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def vietnamese_date(timestamp: int) -> str:
    """Unix time -> 'Thứ Hai, 28/06/2021' in the city's time zone."""
    return vn_date(datetime.datetime.fromtimestamp(timestamp, TIMEZONE), with_time=False)


def vietnamese_datetime(timestamp: int) -> str:
    """Unix time -> 'Thứ Hai, 28/06/2021 08:30' in the city's time zone."""
    return vn_date(datetime.datetime.fromtimestamp(timestamp, TIMEZONE))
