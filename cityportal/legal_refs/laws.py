"""The table of laws and codes (laws.tsv): names laws cited without a number.

A name is matched case-insensitively and regardless of word order, punctuation,
"và" and the common abbreviations (GTGT, BHXH), so "luật hôn nhân gia đình" finds
"Luật Hôn nhân và gia đình". The table is read once, from beside this module.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import ids

TABLE = Path(__file__).parent / "laws.tsv"

# Abbreviations written inside law names, and the codes cited by abbreviation.
_WORD_ABBREVIATIONS = {
    "gtgt": "giá trị gia tăng", "tndn": "thu nhập doanh nghiệp", "tncn": "thu nhập cá nhân",
    "ttđb": "tiêu thụ đặc biệt", "bhxh": "bảo hiểm xã hội", "bhyt": "bảo hiểm y tế",
    "xlvphc": "xử lý vi phạm hành chính", "vbqppl": "văn bản quy phạm pháp luật",
    "nsnn": "ngân sách nhà nước", "pccc": "phòng cháy và chữa cháy", "kdbđs": "kinh doanh bất động sản",
    "blhs": "bộ luật hình sự", "blds": "bộ luật dân sự", "blttds": "bộ luật tố tụng dân sự",
    "bltths": "bộ luật tố tụng hình sự", "bllđ": "bộ luật lao động", "blhh": "bộ luật hàng hải việt nam",
}
CODE_ABBREVIATIONS = {
    "BLHS": "Bộ luật Hình sự", "BLDS": "Bộ luật Dân sự", "BLTTHS": "Bộ luật Tố tụng hình sự",
    "BLTTDS": "Bộ luật Tố tụng dân sự", "BLLĐ": "Bộ luật Lao động", "BLHH": "Bộ luật Hàng hải Việt Nam",
}
_IGNORED_WORDS = {"và", "việt", "nam"}
_PUNCTUATION = re.compile(r"[,.;:()\-–&]")


@dataclass(frozen=True)
class Law:
    name: str  # "Luật Đất đai"
    number: str | None
    year: int
    effective: datetime.date | None
    replaced_by: str | None


def name_key(name: str) -> tuple[str, ...]:
    """The words of a law's name, folded so that spelling and order slips agree."""
    text = _PUNCTUATION.sub(" ", ids.nfc(name).casefold().replace("uỷ", "ủy"))
    words = []
    for word in text.split():
        words.extend(_WORD_ABBREVIATIONS.get(word, word).split())
    return tuple(sorted(w for w in words if w not in _IGNORED_WORDS))


def _field(value: str) -> str | None:
    value = value.strip()
    return value or None


@lru_cache(maxsize=1)
def table() -> dict[tuple[str, ...], list[Law]]:
    """Laws by the key of their name, oldest first."""
    laws: dict[tuple[str, ...], list[Law]] = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, number, year, effective, replaced_by = (line.split("\t") + [""] * 5)[:5]
        law = Law(
            name=ids.nfc(name.strip()), number=_field(number), year=int(year),
            effective=datetime.date.fromisoformat(effective.strip()) if _field(effective) else None,
            replaced_by=_field(replaced_by),
        )
        laws.setdefault(name_key(law.name), []).append(law)
    for versions in laws.values():
        versions.sort(key=lambda law: law.year)
    return laws


def versions(name: str) -> list[Law]:
    """Every law of the table with this name ("bộ luật dân sự" included), oldest first."""
    return table().get(name_key(name), [])


def find(name: str, year: int | None, date: datetime.date | None = None) -> Law | None:
    """The law of this name adopted in `year`; when two were adopted that year, the
    date written with the citation decides, else none is chosen."""
    found = [law for law in versions(name) if law.year == year]
    if len(found) > 1 and date is not None:
        # The effective date follows adoption: the newest law adopted on or before it.
        found = [law for law in found if law.number] or found
        earlier = [law for law in found if law.effective is None or law.effective > date]
        found = earlier[:1] if earlier else found[-1:]
    return found[0] if len(found) == 1 else None
