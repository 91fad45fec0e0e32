"""Find references to legal documents in Vietnamese text.

Pure and fast: no I/O, no Pelican. The pipeline reads like eyecite's:

1. clean     - NFC, so that offsets and ids agree with what the reader sees;
2. tokenize  - one regular expression finds candidate numbers and named laws;
3. build     - each candidate becomes a canonical id, type, issuer and year;
4. resolve   - the surrounding text adds the type word (shared along lists),
               the issue date and the locality of the issuer.

Offsets are character offsets into the cleaned text.
"""
from __future__ import annotations

import bisect
import datetime
import re
from dataclasses import dataclass

from . import ids, laws

_PARTY_CODES = "|".join(sorted(ids.PARTY_TYPE_BY_CODE, key=len, reverse=True))
_OLD_ISSUERS = "|".join(sorted(ids.OLD_STYLE_ISSUERS, key=len, reverse=True))

# One segment of a code: capitals and digits, with the few lower-case letters
# that real codes contain (TTg, TTr, CTr, QĐi, QyĐ) and the ASCII "đ" typo.
# An ampersand joins two halves of one code: NN&PTNT, GD&ĐT, TT&DL.
_SEG = r"[A-ZĐ][A-ZĐ0-9gryiđ]*(?:&[A-ZĐ][A-ZĐ0-9gryiđ]*)*(?![\w&])"
_HYPHEN = r"[ \u00a0]?[-–—‐‑][ \u00a0]?\n?"
_CODE = rf"{_SEG}(?:(?:{_HYPHEN}|/){_SEG})*"
_YEAR = r"(?:19[4-9]\d|20\d\d)"
# Type codes that editors glue to the number: "NĐ15/2020/NĐ-CP", "TT111/2013/TT-BTC".
GLUED_TYPE_CODES = {"NĐ": "Nghị định", "TT": "Thông tư", "QĐ": "Quyết định", "NQ": "Nghị quyết",
                    "CT": "Chỉ thị", "CV": "Công văn", "KH": "Kế hoạch", "TB": "Thông báo"}
_GLUED = "|".join(rf"(?<=(?<![\w]){code}\d)" for code in GLUED_TYPE_CODES)

_NUMBERED = re.compile(
    rf"""
    # A digit comes first so that the engine can skip ahead to the next digit; the
    # look-behind then rules out a digit inside a longer code or number.
    # A type code typed straight before the number ("NĐ15/2020/NĐ-CP") is let through.
    (?P<num>\d(?:(?<![\w./:-]\d)|(?<=[ĐTVHB]\d)(?:{_GLUED}))\d{{0,4}}(?:\.\d{{1,3}}|[a-z](?![\w]))?)
    (?:
        # laws numbered before 2002 and old orders: 35-L/CTN, 44-LCT/HĐNN8
        {_HYPHEN}(?P<ltype>L|LCT)[ \u00a0]?/[ \u00a0]?(?P<lissuer>CTN|HĐNN\d{{0,2}})(?![\w])
      |
        # Party documents: 18-NQ/TW, "35- NQ/TW", "35 CT/TW"
        (?:{_HYPHEN}|[ \u00a0](?=[A-ZĐ][A-ZĐTri]{{0,3}}[ \u00a0]?/))(?P<ptype>{_PARTY_CODES})[ \u00a0]?/[ \u00a0]?(?P<pissuer>[A-ZĐ][A-ZĐƯ]*)(?![\w])
      |
        # number/year/code, also 95/1998-NĐ-CP, 66/2026NĐ-CP and a break after the slash
        [ \u00a0]?/[ \u00a0]?(?P<year>{_YEAR})(?:[ \u00a0]?/\s?|[-–]|)(?P<ycode>{_CODE})
      |
        # number/code: 49/KH-UBND, 3954/UBND-VX, 89/CP
        [ \u00a0]?/[ \u00a0]?(?P<code>{_CODE})
      |
        # old documents: 74-CP
        [-–](?P<old>{_OLD_ISSUERS})(?![\w/])
      |
        # number/year after a type word: Thông tư số 02/2018
        /(?P<bareyear>{_YEAR})(?![\w/-]|\.\d)
    )
    """,
    re.VERBOSE,
)

_DATE = (
    r"(?:(?P<d>\d{1,2})[ \u00a0]?(?P<sep>[/.-])[ \u00a0]?(?P<m>\d{1,2})[ \u00a0]?(?P=sep)[ \u00a0]?(?P<y>\d{4})"
    r"|(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})\s+năm\s+(?P<y2>\d{4}))(?!\d)"
)
# The issuer may sit between number and date ("của UBND tỉnh ngày ..."), but a
# subject ("về ...") means the date is no longer the document's.
_DATE_AFTER = re.compile(
    r"[ \u00a0]*\n?[ \u00a0]*[,(]?\s*(?P<by>(?:của|do)\s+(?:(?!về\s)[^\d,;.()\n]){1,50}?\s+)?"
    r"(?:được\s+)?(?:ký\s+)?(?:ban\s+hành\s+)?(?:vào\s+)?(?:ngày\s*|(?<=\()\s*)" + _DATE
)
_DATE_LATER = re.compile(r"(?<![\w])ngày\s*" + _DATE)
_LATER_DATE_BLOCKERS = re.compile(r"hiệu lực|(?:từ|đến|hết|tới|trước|sau)\s+$|[;\n]|\.\s")
_DATE_LATER_WINDOW = 220

# "Luật Đất đai năm 2013", "Bộ luật Dân sự 2015", "Luật Tổ chức Chính phủ ngày 19 tháng 6 năm 2015"
# A name may be written in capitals or lower case ("luật đất đai năm 2013") and
# wrapped onto the next line; the number of laws an amending law amends is a word
# of its name ("của 37 luật có liên quan đến quy hoạch").
_NAME_WORD = r"(?!(?:năm|Năm|NĂM|ngày)(?!\w))(?:[^\W\d_]+|\d{1,3}(?=[ \u00a0]+luật))"
_GAP = r"(?:[ \u00a0]*\n[ \u00a0]*|[ \u00a0]+)"
_NAMED = re.compile(
    rf"""
    (?P<kind>B(?<!\wB)ộ\s+[Ll]uật|b(?<!\wb)ộ\s+luật|B(?<!\wB)Ộ\s+LUẬT|L(?<!\wL)uật|l(?<!\wl)uật|L(?<!\wL)UẬT
        |H(?<!\wH)iến\s+pháp|P(?<!\wP)háp\s+lệnh)
    (?P<name>(?:{_GAP}{_NAME_WORD}(?:,?{_GAP}{_NAME_WORD}){{0,60}}?)?)
    {_GAP}(?:(?:năm|Năm|NĂM){_GAP}(?P<year>{_YEAR})|(?P<year_only>{_YEAR})|ngày\s*{_DATE})
    (?![\w/])
    """,
    re.VERBOSE,
)
_NAMED_WORDS = ("uật", "UẬT", "Hiến", "Pháp")
# Codes cited by their abbreviation next to a year: "BLHS năm 2015", "BLDS 2015".
_ABBREVIATED = re.compile(
    rf"(?<![\w])(?P<abbr>{'|'.join(sorted(laws.CODE_ABBREVIATIONS, key=len, reverse=True))})"
    rf"[ \u00a0]+(?:năm[ \u00a0]+)?(?P<year>{_YEAR})(?![\w/])"
)
# "Luật X năm 2013 (sửa đổi, bổ sung năm 2017)": one law, with its amendment years.
_AMENDED = re.compile(
    rf"[ \u00a0]*(?:(?P<open>\()|,)?[ \u00a0]*(?:được[ \u00a0]+)?sửa[ \u00a0]+đổi(?:,?[ \u00a0]+bổ[ \u00a0]+sung)?"
    rf"(?:[ \u00a0]+(?:các[ \u00a0]+)?năm)?[ \u00a0]+(?P<years>{_YEAR}(?:[ \u00a0]*(?:,|và)[ \u00a0]*{_YEAR})*)"
    rf"(?![\w/])(?(open)[ \u00a0]*\))"
)
# Words right before "Luật" that make it part of another name: a school, a firm.
_NOT_LAW_BEFORE = {"học", "khoa", "ngành", "ty", "phòng", "viện", "chí", "nhân", "sĩ", "hãng", "đoàn"}
_OTHER_LAW_IN_NAME = re.compile(r"(?<!\w)(?<!pháp )(?:[Ll]uật|[Bb]ộ luật|[Pp]háp lệnh)(?!\w)")
_CONSTITUTION_NAME = "nước cộng hòa xã hội chủ nghĩa việt nam"
# Words that end a law's name: the sentence has moved on to say something about it.
_NOT_IN_NAME = {
    "từ", "được", "đã", "sẽ", "là", "tại", "theo", "này", "đó", "kể", "hiệu", "ngày",
    "năm", "thì", "nên", "vào", "hết", "trước", "sau", "đến", "khi", "qua", "ký",
}

_TYPE_WORD = "|".join(w.replace(" ", r"\s+") for w in ids.TYPE_WORDS)
_TYPE_BEFORE = re.compile(
    rf"(?<![\w])(?P<word>{_TYPE_WORD})(?:\s+(?:của|do)\s+[^:;\n\d]{{1,60}}?\s*:?|\s*:)?"
    rf"(?:\s+(?:số|số hiệu|số ký hiệu)\s*:?)?\s*$",
    re.IGNORECASE,
)
# "Luật Đất đai số 31/2024/QH15": the name sits between the type word and "số".
_LAW_NAME_BEFORE = re.compile(
    r"(?<![\w])(?P<word>Bộ\s+luật|Luật|Pháp\s+lệnh)(?:,?\s+[^\W\d_]+){1,14}(?:\s+số)?\s*:?\s*$"
)
_LIST_GLUE = re.compile(r"^[\s,;:]*(?:(?:và|hoặc|cùng)\s+)?(?:các\s+)?(?:số\s*)?$")
# A form's number ("Mẫu số 01/TK-TNCN") names a template, not a document.
# Numbers of things that are no document: forms, judgments, dossiers, annexes.
_NOT_DOCUMENT_WORDS = ("mẫu", "biểu", "bản án", "phụ lục", "tờ khai", "hồ sơ", "mã", "biển")
_LOOKBACK = 120
_NUMBER_WORDS = ("số ký hiệu", "số hiệu", "số")
# Type words by their last word, so that the text before a number is looked up
# rather than searched: this runs for every candidate and dominates the cost.
_CANONICAL_TYPE_WORDS = {word.lower(): word for word in ids.TYPE_WORDS}
_TYPE_WORDS_BY_LAST: dict[str, list[str]] = {}
for _word in ids.TYPE_WORDS:
    _TYPE_WORDS_BY_LAST.setdefault(_word.split()[-1].lower(), []).append(_word)
_TITLE_GAP = re.compile(r"[\s(\-–:]*$")

_LOCAL_ISSUER_AFTER = re.compile(
    r"^[\s,]*(?:\(|của\s+|do\s+)(?:Chủ\s+tịch\s+)?(?P<body>UBND|HĐND|Ủy\s+ban\s+nhân\s+dân|Uỷ\s+ban\s+nhân\s+dân|Hội\s+đồng\s+nhân\s+dân)"
    # "UBND Thành phố" and "UBND thành phố" alike: a capital level word is still the level.
    r"(?:\s+(?P<level>(?i:thành\s+phố|tỉnh|thị\s+xã|huyện|quận|thị\s+trấn|xã|phường)|TP\.?))?"
    r"(?P<place>(?:[ \u00a0]+[A-ZĐÂĂÊÔƠƯÁÀẢÃẠ][^\s,;.()/]*(?![/\w]))*)"
)


@dataclass(frozen=True)
class Reference:
    start: int
    end: int
    text: str
    kind: str  # "numbered" | "named"
    id: str
    type: str | None
    issuer: str | None
    year: int | None
    date: datetime.date | None
    irregular: bool = False
    # "thành phố Đà Nẵng" when the text names where a local body sits; the level
    # alone ("tỉnh") when it names no place.
    locality: str | None = None
    # A named law: its number when the table of laws knows it, and the years of the
    # amendments written with it ("(sửa đổi, bổ sung năm 2017)").
    number: str | None = None
    amended: tuple[int, ...] = ()


# Some editors type the Icelandic Ð (U+00D0) for the Vietnamese Đ (U+0110).


def clean(text: str) -> str:
    """Normalise to NFC with the look-alike Đ fixed; every offset refers to the
    cleaned text."""
    text = ids.nfc(text)
    return text.replace("\u00d0", "\u0110") if "\u00d0" in text else text


def extract(text: str) -> list[Reference]:
    """Return the references in `text` in order of appearance."""
    text = clean(text)
    candidates = _tokenize(text)
    return _resolve(text, [c for c in candidates if c is not None])


# --- tokenize and build -------------------------------------------------------


@dataclass
class _Candidate:
    start: int
    end: int
    kind: str
    id: str
    code_type: str | None
    issuer: str | None
    issuer_is_local: bool
    year: int | None
    date: datetime.date | None
    irregular: bool
    needs_type_word: bool = False
    needs_number_word: bool = False
    locality: str | None = None
    default_type: str | None = None
    old_law: bool = False
    number: str | None = None
    amended: tuple[int, ...] = ()


def _tokenize(text: str) -> list[_Candidate]:
    found = [_build_numbered(m) for m in _NUMBERED.finditer(text)]
    found = [c for c in found if c is not None]
    taken = [(c.start, c.end) for c in found]
    # Most text names no law at all; str.find is far cheaper than the pattern.
    position = 0 if any(word in text for word in _NAMED_WORDS) else len(text)
    while match := _NAMED.search(text, position):
        named = _build_named(match, text)
        if named is None:
            # A longer phrase that is no law name may still hide one: "Luật này sửa
            # đổi Luật Đất đai năm 2013".
            position = match.start() + 1
            continue
        if not any(s < named.end and named.start < e for s, e in taken):
            found.append(named)
            taken.append((named.start, named.end))
        position = named.end
    if "BL" in text:
        for match in _ABBREVIATED.finditer(text):
            named = _build_abbreviated(match, text)
            if not any(s < named.end and named.start < e for s, e in taken):
                found.append(named)
    found.sort(key=lambda c: c.start)
    return found


def _segments(code: str) -> list[str]:
    return [ids.fold_code(s) for s in re.split(r"\s*[-–—‐‑]\s*|/", code) if s]


_INNER_SPACE = re.compile(r"[^\S\n]")


def _build_numbered(match: re.Match) -> _Candidate | None:
    num = match["num"]
    written = re.sub(r"\s+", "", match.group(0))
    year = None
    code_type = issuer = None
    default_type = None
    needs_type_word = needs_number_word = False
    old_law = False
    if match["ltype"]:
        canonical = f"{num}-{match['ltype']}/{match['lissuer']}"
        issuer = ids.issuer_name([match["lissuer"]])
        old_law = match["ltype"] == "L" and match["lissuer"] == "CTN"
        code_type = None if old_law else "Lệnh"
    elif match["ptype"]:
        ptype = ids.fold_code(match["ptype"])
        issuer_code = ids.fold_code(match["pissuer"])
        canonical = f"{num}-{ptype}/{issuer_code}"
        code_type = ids.PARTY_TYPE_BY_CODE.get(ptype)
        issuer = ids.issuer_name([issuer_code])
    elif match["old"]:
        canonical = written
        issuer = ids.issuer_name([match["old"]])
    elif match["bareyear"]:
        year = int(match["bareyear"])
        canonical = f"{num}/{year}"
        needs_type_word = True
    else:
        segments = _segments(match["ycode"] or match["code"])
        if match["year"]:
            year = int(match["year"])
        if (year is None and len(segments) == 2 and segments[0] in ids.PARTY_TYPE_BY_CODE
                and segments[1] in ids.PARTY_ISSUER_CODES):
            # A Party number typed with slash and hyphen swapped: 22/CT-TW is 22-CT/TW.
            canonical = f"{num}-{segments[0]}/{segments[1]}"
            code_type = ids.PARTY_TYPE_BY_CODE[segments[0]]
            issuer = ids.issuer_name(segments[1:])
        else:
            parsed = _parse_code(segments, has_year=year is not None)
            if parsed is None:
                return None
            code_type, issuer, default_type, needs_number_word = parsed
            head = f"{num}/{year}" if year else num
            canonical = f"{head}/{'-'.join(segments)}"
    issuer_is_local = bool(issuer) and issuer.startswith(("Ủy ban nhân dân", "Hội đồng nhân dân"))
    return _Candidate(
        start=match.start(), end=match.end(), kind="numbered", id=canonical,
        code_type=code_type, issuer=issuer, issuer_is_local=issuer_is_local, year=year,
        # A space inside the number ("1234/QĐ- UBND") is a typing slip; a line break is only wrapping.
        date=None, irregular=written != canonical or _INNER_SPACE.search(match.group(0)) is not None,
        needs_type_word=needs_type_word,
        needs_number_word=needs_number_word,
        default_type=default_type,
        old_law=old_law,
    )


def _parse_code(segments: list[str], has_year: bool):
    """(type from the code, issuer, type to assume, needs "số" or a type word before)
    or None when it is no document code."""
    first, rest = segments[0], segments[1:]
    if first in ids.TYPE_BY_CODE and rest and ids.issuer_name(rest):
        return ids.TYPE_BY_CODE[first], ids.issuer_name(rest), None, False
    if first in ids.TYPE_BY_CODE and rest and first not in ids.ISSUER_BY_CODE:
        # The issuer is a body we have no table entry for (a district office).
        return ids.TYPE_BY_CODE[first], None, None, False
    if ids.issuer_code(first):
        if rest:
            # Official letters carry the issuer and the drafting unit: 3954/UBND-VX.
            return None, ids.issuer_name([first]), None if has_year else "Công văn", False
        if has_year or first in ids.OLD_STYLE_ISSUERS or first.startswith(ids.NUMBERED_ISSUERS):
            return None, ids.issuer_name([first]), None, False
        return None
    if rest and all(len(s) >= 2 for s in segments):
        # Letters of bodies missing from the tables (567/CAT-PV01) look like
        # codes of anything else, so the text must say it is a document number.
        return None, ids.issuer_name(rest), None if has_year else "Công văn", True
    return None


_KINDS = {"bộ luật": "Bộ luật", "luật": "Luật", "hiến pháp": "Hiến pháp", "pháp lệnh": "Pháp lệnh"}


def _build_named(match: re.Match, text: str) -> _Candidate | None:
    kind = _KINDS[" ".join(match["kind"].split()).casefold()]
    name = " ".join((match["name"] or "").split())
    if kind == "Luật" and name.startswith("Luật sửa đổi"):
        name = name[len("Luật "):]  # "Luật Luật sửa đổi, …": the word typed twice
    words = name.replace(",", " ").split()
    amending = name.startswith("sửa đổi")
    before = text[max(0, match.start() - 12):match.start()].split()
    if before and before[-1].casefold() in _NOT_LAW_BEFORE:
        return None  # "Đại học Luật Hà Nội", "Công ty Luật TNHH …"
    if kind == "Hiến pháp":
        # There is one constitution at a time: its long name adds nothing to the id.
        if name and name.casefold() != _CONSTITUTION_NAME:
            return None
        name = ""
    elif not words:
        return None
    elif not amending and _OTHER_LAW_IN_NAME.search(name) and words[:2] != ["Luật", "sư"]:
        return None  # "Luật Đất đai và Luật Nhà ở năm 2014": only the last has the year
    label = f"{kind} {name}".strip()
    versions = laws.versions(label)
    # A name the table knows is whole; any other ends where the sentence moves on.
    checked = name.replace("liên quan đến", "") if amending else name
    if not versions and (any(w in _NOT_IN_NAME for w in checked.replace(",", " ").split())
                         or re.search(r" (?:ban hành|có hiệu|có giá trị|hiệu lực|áp dụng)", name)):
        return None
    date = _date_from(match)
    year = int(match["year"] or match["year_only"] or (date.year if date else 0)) or None
    if year is None:
        return None
    law = None
    if versions:
        if (amending or date) and all(v.year != year for v in versions):
            # "Luật sửa đổi … của BLHS năm 2015": the year is the code's; "… của Luật
            # Thực hiện dân chủ ở cơ sở ngày 14/08/2023": the date is another document's.
            return None
        label = versions[0].name
        law = laws.find(label, year, date)
    elif not (words and (words[0][0].isupper() or amending)) or name.isupper():
        return None  # a name in lower case or capitals must be one the table knows
    elif amending and " của " in name and laws.find(name.rsplit(" của ", 1)[1], year):
        return None  # the year belongs to the amended law, which is cited on its own
    amended, end = _amendment_after(text, match.end())
    return _Candidate(
        start=match.start(), end=end, kind="named", id=f"{label} {year}",
        code_type=kind, issuer=ids.NAMED_LAW_ISSUER.get(kind, "Quốc hội"),
        issuer_is_local=False, year=year, date=date, irregular=False,
        number=law.number if law else None, amended=amended,
    )


def _amendment_after(text: str, end: int) -> tuple[tuple[int, ...], int]:
    """The years of "(sửa đổi, bổ sung năm 2017)" right after a law's name, and where the
    reference then ends."""
    if after := _AMENDED.match(text, end):
        return tuple(int(y) for y in re.findall(r"\d{4}", after["years"])), after.end()
    return (), end


def _build_abbreviated(match: re.Match, text: str) -> _Candidate:
    label = laws.CODE_ABBREVIATIONS[match["abbr"]]
    year = int(match["year"])
    law = laws.find(label, year)
    amended, end = _amendment_after(text, match.end())
    return _Candidate(
        start=match.start(), end=end, kind="named", id=f"{label} {year}", code_type="Bộ luật",
        issuer="Quốc hội", issuer_is_local=False, year=year, date=None, irregular=False,
        number=law.number if law else None, amended=amended,
    )


def _date_from(match: re.Match) -> datetime.date | None:
    if match["d"]:
        d, m, y = match["d"], match["m"], match["y"]
    elif match["d2"]:
        d, m, y = match["d2"], match["m2"], match["y2"]
    else:
        return None
    try:
        return datetime.date(int(y), int(m), int(d))
    except ValueError:
        return None


# --- resolve --------------------------------------------------------------------


def _resolve(text: str, candidates: list[_Candidate]) -> list[Reference]:
    references = []
    attached = _attached_dates(text, candidates)
    previous: _Candidate | None = None
    previous_end = 0
    previous_word = None
    for cand in candidates:
        if cand.kind == "named":
            if previous is not None and previous.kind == "numbered" and _TITLE_GAP.match(text, previous_end, cand.start):
                # "Luật số 10/2022/QH15 Luật Thực hiện dân chủ ở cơ sở": the name is the
                # title of the numbered law just cited, not a second reference.
                continue
            references.append(_finish(text, cand, cand.code_type, cand.date))
            previous, previous_end, previous_word = cand, cand.end, None
            continue
        before = text[max(0, cand.start - _LOOKBACK):cand.start]
        word, number_word, not_a_document = _context_before(before, law_name=cand.code_type is None)
        if not_a_document:
            continue
        shared_word = None
        if word is None and previous is not None and previous.kind == "numbered":
            if _LIST_GLUE.match(text[previous_end:cand.start]):
                shared_word = previous_word
        if word is None and shared_word is None and (
                cand.needs_type_word or cand.needs_number_word and not number_word):
            continue
        date, date_end = _issue_date(text, cand, attached)
        # The word the editor wrote wins: "Công văn 1234/CT-TTHT" is a tax office letter,
        # though CT is also the code of a Chỉ thị. A word shared along a list does not:
        # in "Nghị định 04/2015/NĐ-CP và 01/2016/TT-BNV" the second is a Thông tư.
        if word in ids.NAMED_LAW_TYPES and cand.code_type and not number_word:
            # "Luật Đất đai 31/2024/QH15" gives the type by the law's name; a code
            # that names its own type ("… Luật Đất đai, Nghị định 43/2014/NĐ-CP") wins.
            word = None
        doc_type = _type_from_word(word) or cand.code_type or _type_from_word(shared_word) or cand.default_type
        word = word or shared_word
        if cand.old_law:
            doc_type = doc_type or "Luật"
            cand.issuer = ids.OLD_LAW_ISSUERS.get(doc_type, cand.issuer)
        if cand.needs_type_word and doc_type == "Nghị định":
            # Only the Government issues decrees, so the code is certain.
            cand.id = f"{cand.id}/NĐ-CP"
            cand.issuer = ids.ISSUER_BY_CODE["CP"]
        if cand.issuer_is_local:
            cand.locality = _locality_after(text[date_end:date_end + 80], cand.issuer)
            if cand.locality:
                cand.issuer = f"{cand.issuer} {cand.locality}"
        elif cand.id.endswith(ids.PARTY_COMMITTEE_CODES) and "-" in cand.id.split("/")[0]:
            _party_committee_after(text[date_end:date_end + 80], cand)
        references.append(_finish(text, cand, doc_type, date))
        previous, previous_end, previous_word = cand, date_end, word
    return references


def _attached_dates(text: str, candidates: list[_Candidate]) -> list[tuple[int, int]]:
    """Spans of the dates written right after a reference: they belong to it."""
    spans = []
    for cand in candidates:
        after = _DATE_AFTER.match(text, cand.end)
        if after:
            spans.append((after.start(), after.end()))
    return spans


def _ends_with_word(low: str, word: str) -> bool:
    return low.endswith(word) and (len(low) == len(word) or not low[-len(word) - 1].isalnum())


def _context_before(before: str, law_name: bool = True) -> tuple[str | None, bool, bool]:
    """(type word, whether "số" precedes the number, whether it numbers no document)."""
    tail = " ".join(before[-40:].split())
    low = tail.lower()
    number_word = False
    if low.endswith(":"):
        low = low[:-1].rstrip()
    for word in _NUMBER_WORDS:
        if _ends_with_word(low, word):
            low, number_word = low[: -len(word)].rstrip(), True
            break
    if any(_ends_with_word(low, word) for word in _NOT_DOCUMENT_WORDS):
        return None, number_word, True
    colon = low.endswith(":")
    if colon:
        low = low[:-1].rstrip()
    last = low.rsplit(" ", 1)[-1]
    for word in _TYPE_WORDS_BY_LAST.get(last, ()):
        if _ends_with_word(low, word.lower()):
            return word, number_word, False
    if last.upper() in GLUED_TYPE_CODES and tail.rstrip(" :").upper().endswith(last.upper()) \
            and _abbreviation_written(tail, last):
        # "NĐ15/2020/NĐ-CP", "NĐ số 23/2024/NĐ-CP", "CV số 2345/UBND-NC"
        return GLUED_TYPE_CODES[last.upper()], number_word, False
    if colon or (number_word and (" của " in low or "luật" in low or "lệnh" in low)):
        # Rarer shapes: "Các Chỉ thị của Thủ tướng Chính phủ: số ...", "Nghị quyết
        # của Quốc hội số ..." and "Luật Đất đai số ...", worth a regular expression.
        return _type_word_before(before), number_word, False
    if law_name and ("luật" in low or "lệnh" in low):
        # "Luật Đất đai 31/2024/QH15": a law's name, without "số", before a number
        # whose code names no type.
        match = _LAW_NAME_BEFORE.search(before)
        if match:
            return _CANONICAL_TYPE_WORDS[" ".join(match["word"].split()).lower()], number_word, False
    return None, number_word, False


def _abbreviation_written(tail: str, last: str) -> bool:
    """Whether the last word before the number is a type code in capitals ("NĐ")."""
    words = re.sub(r"\b(?:số|số hiệu|số ký hiệu)\s*:?\s*$", "", tail).split()
    return bool(words) and words[-1].rstrip(":") == last.upper()


def _type_word_before(before: str) -> str | None:
    match = _TYPE_BEFORE.search(before) or _LAW_NAME_BEFORE.search(before)
    if match is None:
        return None
    return _CANONICAL_TYPE_WORDS[" ".join(match["word"].split()).lower()]


def _type_from_word(word: str | None) -> str | None:
    """The document type a type word names; None for generic words like "Văn bản"."""
    return None if word is None else ids.GENERIC_TYPE_WORDS.get(word, word)


def _issue_date(text: str, cand: _Candidate, attached: list[tuple[int, int]]):
    """The date the text gives for this document, and where the reference ends."""
    after = _DATE_AFTER.match(text, cand.end)
    if after:
        date = _date_from(after)
        by = after["by"] or ""
        # A date written right after the number is its date even when the year
        # disagrees (a typo the checks report); past an issuer phrase it must agree.
        if date and "hiệu lực" not in by and (not by or cand.year is None or date.year == cand.year):
            return date, after.end()
    if cand.year is None:
        return None, cand.end
    # "Luật số 10/2022/QH15 <the law's title> ngày 10/11/2022": the
    # title sits between number and date, and may cite other documents with their
    # own dates; only a date in the same clause whose year agrees is trusted.
    window_end = cand.end + _DATE_LATER_WINDOW
    for later in _DATE_LATER.finditer(text, cand.end, window_end):
        if _LATER_DATE_BLOCKERS.search(text, cand.end, later.start()):
            break
        if any(s <= later.start() < e for s, e in attached):
            continue
        date = _date_from(later)
        if date and date.year == cand.year:
            return date, cand.end
    return None, cand.end


_PARTY_COMMITTEE_AFTER = re.compile(
    r"^[\s,]*(?:\(|của\s+|do\s+)(?:(?:Ban\s+(?:Thường\s+vụ|thường\s+vụ|Chấp\s+hành\s+Đảng\s+bộ))\s+)?"
    r"(?P<body>Tỉnh\s+[uủ][ỷy]|Thành\s+[uủ][ỷy]|Huyện\s+[uủ][ỷy]|Quận\s+[uủ][ỷy]|Thị\s+[uủ][ỷy])"
    r"(?P<place>(?:[ \u00a0]+[A-ZĐÂĂÊÔƠƯÁÀẢÃẠ][^\s,;.()/]*(?![/\w]))*)"
)


def _party_committee_after(after: str, cand: _Candidate) -> None:
    """"… -KH/TU của Tỉnh ủy Quảng Bình": the committee that signed a Party document."""
    match = _PARTY_COMMITTEE_AFTER.match(after)
    if match is None:
        return
    body = " ".join(match["body"].split())
    body = body[:-2] + "ủy"
    if body not in ids.PARTY_COMMITTEES:
        return
    place = " ".join(match["place"].split())
    cand.issuer = f"{body} {place}".strip()
    level = ids.PARTY_COMMITTEES[body]
    cand.locality = f"{level} {place}" if place else level


def _locality_after(after: str, issuer: str) -> str | None:
    """The locality of a local body named right after its document, if any."""
    match = _LOCAL_ISSUER_AFTER.match(after)
    if match is None:
        return None
    body = ids.LOCAL_BODIES.get(re.sub(r"\s+", " ", match["body"]), issuer)
    if not issuer.startswith(body):
        return None
    level = re.sub(r"\s+", " ", match["level"] or "")
    level = "thành phố" if level.startswith("TP") else level.lower()
    place = re.sub(r"\s+", " ", match["place"]).strip()
    return " ".join(part for part in (level, place) if part) or None


def _finish(text: str, cand: _Candidate, doc_type: str | None, date) -> Reference:
    year = cand.year or (date.year if date else None)
    return Reference(
        start=cand.start, end=cand.end, text=text[cand.start:cand.end], kind=cand.kind,
        id=cand.id, type=doc_type, issuer=cand.issuer, year=year, date=date,
        irregular=cand.irregular, locality=cand.locality, number=cand.number, amended=cand.amended,
    )


# --- line coordinates -------------------------------------------------------------


class LineIndex:
    """Turns offsets in a text into (1-based line, offset within that line)."""

    def __init__(self, text: str):
        self._starts = [0] + [m.end() for m in re.finditer(r"\n", text)]

    def locate(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1]


def as_record(reference: Reference, lines: LineIndex) -> dict:
    """The JSON-lines record of `invoke refs`; a reference that runs over a line
    break keeps the line where it starts and ends past that line's end."""
    line, start = lines.locate(reference.start)
    return {
        "line": line,
        "start": start,
        "end": start + (reference.end - reference.start),
        "text": reference.text,
        "kind": reference.kind,
        "id": reference.id,
        "type": reference.type,
        "issuer": reference.issuer,
        "year": reference.year,
        "date": reference.date.isoformat() if reference.date else None,
        "number": reference.number,
        "amended": list(reference.amended) or None,
    }
