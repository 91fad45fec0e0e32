"""Canonical ids, document types and issuers of Vietnamese legal documents.

Everything here is a table. The codes come from Nghị định 30/2020/NĐ-CP,
Phụ lục III (administrative documents), the Law on normative documents
(normative documents) and Hướng dẫn 36-HD/VPTW (Party documents).
"""
import re
import unicodedata
from functools import lru_cache

# Nghị định 30/2020/NĐ-CP, Phụ lục III, plus the codes of normative documents.
TYPE_BY_CODE = {
    "NQ": "Nghị quyết",
    "QĐ": "Quyết định",
    "CT": "Chỉ thị",
    "QC": "Quy chế",
    "QyĐ": "Quy định",
    "TC": "Thông cáo",
    "TB": "Thông báo",
    "HD": "Hướng dẫn",
    "CTr": "Chương trình",
    "KH": "Kế hoạch",
    "PA": "Phương án",
    "ĐA": "Đề án",
    "DA": "Dự án",
    "BC": "Báo cáo",
    "BB": "Biên bản",
    "TTr": "Tờ trình",
    "HĐ": "Hợp đồng",
    "CĐ": "Công điện",
    "BGN": "Bản ghi nhớ",
    "BTT": "Bản thỏa thuận",
    "GUQ": "Giấy ủy quyền",
    "GM": "Giấy mời",
    "GGT": "Giấy giới thiệu",
    "GNP": "Giấy nghỉ phép",
    "PG": "Phiếu gửi",
    "PC": "Phiếu chuyển",
    "PB": "Phiếu báo",
    "SY": "Bản sao y",
    "TS": "Bản trích sao",
    "SL": "Bản sao lục",
    "NĐ": "Nghị định",
    "TT": "Thông tư",
    "TTLT": "Thông tư liên tịch",
    "NQLT": "Nghị quyết liên tịch",
    "PL": "Pháp lệnh",
    "L": "Lệnh",
    # Not in Phụ lục III, yet common on official letters: 45/CV-UBND.
    "CV": "Công văn",
    "KL": "Kết luận",
    # Consolidated texts (văn bản hợp nhất): 01/VBHN-VPQH.
    "VBHN": "Văn bản hợp nhất",
}

# Party documents (Hướng dẫn 36-HD/VPTW): the code before the slash.
PARTY_TYPE_BY_CODE = {
    "NQ": "Nghị quyết",
    "QĐ": "Quyết định",
    "QĐi": "Quy định",
    "CT": "Chỉ thị",
    "KL": "Kết luận",
    "QC": "Quy chế",
    "HD": "Hướng dẫn",
    "TB": "Thông báo",
    "TC": "Thông cáo",
    "BC": "Báo cáo",
    "CTr": "Chương trình",
    "KH": "Kế hoạch",
    "TTr": "Tờ trình",
    "ĐA": "Đề án",
    "PA": "Phương án",
    "BB": "Biên bản",
    "CV": "Công văn",
}

# The type words editors write before a number, longest first so that
# "Thông tư liên tịch" wins over "Thông tư".
TYPE_WORDS = (
    "Thông tư liên tịch", "Nghị quyết liên tịch", "Thông báo kết luận", "Văn bản hợp nhất",
    "Nghị định", "Thông tư", "Quyết định", "Nghị quyết", "Chỉ thị", "Pháp lệnh",
    "Bộ luật", "Luật", "Hiến pháp", "Lệnh", "Sắc lệnh", "Thông báo", "Thông cáo",
    "Kế hoạch", "Hướng dẫn", "Công văn", "Công điện", "Chương trình",
    "Kết luận", "Quy định", "Quy chế", "Phương án", "Đề án", "Dự án",
    "Báo cáo", "Biên bản", "Tờ trình", "Hợp đồng", "Giấy mời",
    "Giấy giới thiệu", "Giấy phép", "Văn bản", "Điện",
)

# A plural or generic word before a list does not say the type.
GENERIC_TYPE_WORDS = {"Văn bản": None, "Điện": "Công điện", "Thông báo kết luận": "Thông báo"}

ISSUER_BY_CODE = {
    "CP": "Chính phủ",
    "TTg": "Thủ tướng Chính phủ",
    "CTN": "Chủ tịch nước",
    "QH": "Quốc hội",
    "UBTVQH": "Ủy ban Thường vụ Quốc hội",
    "HĐBT": "Hội đồng Bộ trưởng",
    "HĐNN": "Hội đồng Nhà nước",
    "VPCP": "Văn phòng Chính phủ",
    "VPQH": "Văn phòng Quốc hội",
    "BNV": "Bộ Nội vụ",
    "BTC": "Bộ Tài chính",
    "TC": "Bộ Tài chính",
    "BYT": "Bộ Y tế",
    "BCA": "Bộ Công an",
    "BQP": "Bộ Quốc phòng",
    "BNG": "Bộ Ngoại giao",
    "BTP": "Bộ Tư pháp",
    "BGDĐT": "Bộ Giáo dục và Đào tạo",
    "BKHĐT": "Bộ Kế hoạch và Đầu tư",
    "BCT": "Bộ Công Thương",
    "BNNPTNT": "Bộ Nông nghiệp và Phát triển nông thôn",
    # Official letters of the ministry carry the short code: 2092/BNN-KN, TTLT-BNN-BNV.
    "BNN": "Bộ Nông nghiệp và Phát triển nông thôn",
    "BNNMT": "Bộ Nông nghiệp và Môi trường",
    "BTNMT": "Bộ Tài nguyên và Môi trường",
    "BXD": "Bộ Xây dựng",
    "BGTVT": "Bộ Giao thông vận tải",
    "BTTTT": "Bộ Thông tin và Truyền thông",
    "BVHTTDL": "Bộ Văn hóa, Thể thao và Du lịch",
    "BLĐTBXH": "Bộ Lao động - Thương binh và Xã hội",
    "BKHCN": "Bộ Khoa học và Công nghệ",
    "BDTTG": "Bộ Dân tộc và Tôn giáo",
    "NHNN": "Ngân hàng Nhà nước Việt Nam",
    "TTCP": "Thanh tra Chính phủ",
    "UBDT": "Ủy ban Dân tộc",
    "KTNN": "Kiểm toán Nhà nước",
    "TANDTC": "Tòa án nhân dân tối cao",
    "VKSTC": "Viện kiểm sát nhân dân tối cao",
    "HĐTP": "Hội đồng Thẩm phán Tòa án nhân dân tối cao",
    "VKSNDTC": "Viện kiểm sát nhân dân tối cao",
    "ĐCTUBTWMTTQVN": "Đoàn Chủ tịch Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam",
    "MTTQ": "Mặt trận Tổ quốc",
    "BHXH": "Bảo hiểm xã hội",
    "KBNN": "Kho bạc Nhà nước",
    "TCT": "Tổng cục Thuế",
    "TCHQ": "Tổng cục Hải quan",
    # Letters of a tax department: 4521/CT-TTHT (also the code of a Chỉ thị, which
    # always names its issuer after the hyphen: 05/CT-UBND).
    "CT": "Cục Thuế",
    "BCĐ": "Ban Chỉ đạo",
    "TLĐ": "Tổng Liên đoàn Lao động Việt Nam",
    "UBND": "Ủy ban nhân dân",
    "HĐND": "Hội đồng nhân dân",
    "VP": "Văn phòng",
    "VPUB": "Văn phòng Ủy ban nhân dân",
    "VPUBND": "Văn phòng Ủy ban nhân dân",
    "STC": "Sở Tài chính",
    "SNV": "Sở Nội vụ",
    "SYT": "Sở Y tế",
    "STP": "Sở Tư pháp",
    "SGDĐT": "Sở Giáo dục và Đào tạo",
    "SKHĐT": "Sở Kế hoạch và Đầu tư",
    "SCT": "Sở Công Thương",
    "SXD": "Sở Xây dựng",
    "SGTVT": "Sở Giao thông vận tải",
    "STNMT": "Sở Tài nguyên và Môi trường",
    "SNNPTNT": "Sở Nông nghiệp và Phát triển nông thôn",
    "SNN": "Sở Nông nghiệp và Phát triển nông thôn",
    "STTTT": "Sở Thông tin và Truyền thông",
    "SVHTTDL": "Sở Văn hóa, Thể thao và Du lịch",
    "SLĐTBXH": "Sở Lao động - Thương binh và Xã hội",
    "SKHCN": "Sở Khoa học và Công nghệ",
    "PNV": "Phòng Nội vụ",
    "PGDĐT": "Phòng Giáo dục và Đào tạo",
    # Party bodies, written after the slash of a Party document.
    "TW": "Ban Chấp hành Trung ương",
    "TU": "Tỉnh ủy, Thành ủy",
    "HU": "Huyện ủy",
    "QU": "Quận ủy",
    "ĐU": "Đảng ủy",
    "ĐUK": "Đảng ủy khối",
    "BCSĐ": "Ban cán sự đảng",
    "ĐĐ": "Đảng đoàn",
    "VPTW": "Văn phòng Trung ương Đảng",
    "BTGTW": "Ban Tuyên giáo Trung ương",
    "BTCTW": "Ban Tổ chức Trung ương",
    "BDVTW": "Ban Dân vận Trung ương",
    "UBKTTW": "Ủy ban Kiểm tra Trung ương",
    "BNCTW": "Ban Nội chính Trung ương",
    "BTGTU": "Ban Tuyên giáo Tỉnh ủy",
    "BTGHU": "Ban Tuyên giáo Huyện ủy",
    "BTCTU": "Ban Tổ chức Tỉnh ủy",
    "BDVTU": "Ban Dân vận Tỉnh ủy",
    "UBKTTU": "Ủy ban Kiểm tra Tỉnh ủy",
}

# Party bodies: "22/CT-TW" is a Party directive typed with slash and hyphen swapped.
PARTY_ISSUER_CODES = frozenset({
    "TW", "TU", "HU", "QU", "ĐU", "ĐUK", "BCSĐ", "ĐĐ", "VPTW", "BTGTW", "BTCTW", "BDVTW",
    "UBKTTW", "BNCTW", "BTGTU", "BTGHU", "BTCTU", "BDVTU", "UBKTTU",
})

# Party committees named after a Party document ("của Tỉnh ủy Quảng Bình"), with the
# level of the locality they lead.
PARTY_COMMITTEES = {"Tỉnh ủy": "tỉnh", "Thành ủy": "thành phố", "Huyện ủy": "huyện",
                    "Quận ủy": "quận", "Thị ủy": "thị xã"}
PARTY_COMMITTEE_CODES = ("TU", "HU", "QU")

# Laws numbered before 2002 carry the number of the President's promulgation order
# ("Bộ luật Lao động số 35-L/CTN"); the type the text gives decides the issuer.
OLD_LAW_ISSUERS = {"Luật": "Quốc hội", "Bộ luật": "Quốc hội", "Pháp lệnh": "Ủy ban Thường vụ Quốc hội"}

# Issuers whose code carries the number of the legislature (QH15, UBTVQH11).
NUMBERED_ISSUERS = ("UBTVQH", "QH")

# Documents issued before 1990 or so were written "74-CP" or "89/CP": the
# issuer alone, without a type code.
OLD_STYLE_ISSUERS = {"CP", "TTg", "HĐBT", "HĐNN", "HĐCP", "SL", "LCT"}

# Spellings typed without the Vietnamese letter đ, folded back to the code.
ASCII_SPELLINGS = {
    "ND": "NĐ", "QD": "QĐ", "QDi": "QĐi", "BGDDT": "BGDĐT", "BKHDT": "BKHĐT",
    "BLDTBXH": "BLĐTBXH", "HDND": "HĐND", "HDBT": "HĐBT", "DCTUBTWMTTQVN": "ĐCTUBTWMTTQVN",
    "TƯ": "TW", "SGDDT": "SGDĐT", "SKHDT": "SKHĐT", "SLDTBXH": "SLĐTBXH",
}

# Localities written after an issuer ("của UBND tỉnh Quảng Nam").
LOCAL_BODIES = {
    "UBND": "Ủy ban nhân dân",
    "Ủy ban nhân dân": "Ủy ban nhân dân",
    "Uỷ ban nhân dân": "Ủy ban nhân dân",
    "HĐND": "Hội đồng nhân dân",
    "Hội đồng nhân dân": "Hội đồng nhân dân",
}

NAMED_LAW_TYPES = ("Bộ luật", "Luật", "Hiến pháp", "Pháp lệnh")
NAMED_LAW_ISSUER = {"Pháp lệnh": "Ủy ban Thường vụ Quốc hội"}


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold_code(segment: str) -> str:
    """Return the table spelling of one code segment (ND -> NĐ)."""
    return ASCII_SPELLINGS.get(segment, segment)


_LEGISLATURE = re.compile(r"^(UBTVQH|QH)\d{0,2}$")
# Numbered steering committees (BCĐ389, BCĐ35) and tax departments of a province
# (CTHN, CTQNA): the body's code with a suffix.
_SUFFIXED = re.compile(r"^(BCĐ)\d{1,4}$|^(CT)[A-ZĐ]{2,5}$")


@lru_cache(maxsize=4096)
def issuer_code(segment: str) -> str | None:
    """Return the key into ISSUER_BY_CODE for a segment, or None. An ampersand in a
    code (BNN&PTNT, SGD&ĐT) is how some offices write the same code."""
    segment = fold_code(segment.replace("&", ""))
    if segment in ISSUER_BY_CODE:
        return segment
    match = _LEGISLATURE.match(segment) or _SUFFIXED.match(segment)
    if match:
        return next(group for group in match.groups() if group)
    return None


def issuer_name(segments) -> str | None:
    """Name the issuers found among code segments, joined for joint documents.
    A code split by a hyphen (SVH-TT&DL) is tried joined first."""
    return _issuer_name(tuple(segments))


@lru_cache(maxsize=4096)
def _issuer_name(segments: tuple[str, ...]) -> str | None:
    names = []
    position = 0
    while position < len(segments):
        code, width = None, 1
        if position + 1 < len(segments) and "&" in segments[position + 1]:
            code = issuer_code(segments[position] + segments[position + 1])
            width = 2 if code else 1
        code = code or issuer_code(segments[position])
        if code and ISSUER_BY_CODE[code] not in names:
            names.append(ISSUER_BY_CODE[code])
        position += width
    return ", ".join(names) if names else None


# Bodies whose numbers repeat from one locality to the next ("1234/QĐ-UBND").
LOCAL_ISSUER_PREFIXES = (
    "Ủy ban nhân dân", "Hội đồng nhân dân", "Sở ", "Phòng ", "Văn phòng", "Tỉnh ủy",
    "Huyện ủy", "Quận ủy", "Đảng ủy",
)

STATUS_IN_FORCE = "Còn hiệu lực"
STATUS_EXPIRED = "Hết hiệu lực"
STATUS_UNKNOWN = "Chưa xác định"
STATUSES = (STATUS_IN_FORCE, STATUS_EXPIRED, STATUS_UNKNOWN)


def is_local_issuer(issuer: str | None) -> bool:
    return bool(issuer) and issuer.startswith(LOCAL_ISSUER_PREFIXES)
