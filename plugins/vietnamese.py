"""Vietnamese presentation of dates and numbers, shared by the theme, the statistics
and the feedback service (nothing here depends on Pelican)."""
import re
from datetime import datetime

from unidecode import unidecode

WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")


def vn_date(value: datetime, with_time: bool = True) -> str:
    """Thứ Hai, 28/06/2021 08:30"""
    text = f"{WEEKDAYS[value.weekday()]}, {value:%d/%m/%Y}"
    return f"{text} {value:%H:%M}" if with_time else text


def vn_short_date(value: datetime) -> str:
    return f"{value:%d/%m/%Y}"


def vn_number(value) -> str:
    """8012849 -> 8.012.849 (Vietnamese groups thousands with a dot)."""
    return f"{int(value):,}".replace(",", ".")


_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def ascii_slug(text: str, separator: str = "-") -> str:
    """'Kết quả đạt được' -> 'ket-qua-dat-duoc': tone marks dropped, "đ" as "d"."""
    return _NON_ALNUM.sub(separator, unidecode(text).lower()).strip(separator)
