"""Vietnamese text for the whole project: dates, numbers and ASCII folding for slugs,
heading anchors and file names (nothing here depends on Pelican)."""
import re
from datetime import datetime
from zoneinfo import ZoneInfo

from unidecode import unidecode

WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")
CITY_TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def vn_date(value: datetime, with_time: bool = True) -> str:
    """Thứ Hai, 28/06/2021 08:30"""
    text = f"{WEEKDAYS[value.weekday()]}, {value:%d/%m/%Y}"
    return f"{text} {value:%H:%M}" if with_time else text


def vn_short_date(value: datetime) -> str:
    return f"{value:%d/%m/%Y}"


def vn_number(value) -> str:
    """8012849 -> 8.012.849 (Vietnamese groups thousands with a dot)."""
    return f"{int(value):,}".replace(",", ".")


def vietnamese_date(timestamp: int) -> str:
    """Unix time -> 'Thứ Hai, 28/06/2021' in the city's time zone."""
    return vn_date(datetime.fromtimestamp(timestamp, CITY_TIMEZONE), with_time=False)


def vietnamese_datetime(timestamp: int) -> str:
    """Unix time -> 'Thứ Hai, 28/06/2021 08:30' in the city's time zone."""
    return vn_date(datetime.fromtimestamp(timestamp, CITY_TIMEZONE))


_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def ascii_slug(text: str, separator: str = "-") -> str:
    """'Kết quả đạt được' -> 'ket-qua-dat-duoc': tone marks dropped, "đ" as "d"."""
    return _NON_ALNUM.sub(separator, unidecode(text).lower()).strip(separator)


def heading_anchor(text: str, separator: str) -> str:
    """Markdown's own slugify drops "đ" entirely ("Kết quả đạt được" -> "ket-qua-at-uoc")."""
    return ascii_slug(text, separator)
