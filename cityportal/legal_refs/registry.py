"""The registry of known documents: one editable text file per document.

A file in content/van-ban/ holds one "Field: value" per line, in the style of
Pelican's Markdown metadata; docs/legal_refs.md lists the fields. Reading never
stops at the first problem: every problem comes back with its file and line.
"""
from __future__ import annotations

import dataclasses
import datetime
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from cityportal.text import ascii_slug
from cityportal.problems import ERROR, WARNING, Problem

from . import ids
from .extract import extract

REGISTRY_SUFFIX = ".txt"

FIELDS = {
    "Number": "số ký hiệu, viết chuẩn (04/2015/NĐ-CP)",
    "Type": "loại văn bản (Nghị định)",
    "Issuer": "cơ quan ban hành (Chính phủ)",
    "Locality": "địa bàn của cơ quan địa phương (thành phố Sông Lam)",
    "Signer": "người ký",
    "Issued": "ngày ban hành (2015-01-09 hoặc 09/01/2015)",
    "Effective": "ngày có hiệu lực",
    "Expires": "ngày hết hiệu lực",
    "Summary": "trích yếu",
    "Field": "lĩnh vực",
    "Status": "Còn hiệu lực, Hết hiệu lực hoặc Chưa xác định",
    "ReplacedBy": "số ký hiệu văn bản thay thế, cách nhau bởi dấu phẩy",
    "AmendedBy": "số ký hiệu văn bản sửa đổi, bổ sung, cách nhau bởi dấu phẩy",
    "Pdf": "tệp PDF đính kèm, đường dẫn trong content/",
    "Source": "địa chỉ nguồn chính thức (https://...)",
}
REQUIRED = ("Number", "Type", "Issuer", "Issued", "Summary", "Status")
_DATE_FIELDS = ("Issued", "Effective", "Expires")
_LIST_FIELDS = ("ReplacedBy", "AmendedBy")



@dataclass
class Document:
    number: str
    type: str | None = None
    issuer: str | None = None
    locality: str | None = None
    signer: str | None = None
    issued: datetime.date | None = None
    effective: datetime.date | None = None
    expires: datetime.date | None = None
    summary: str | None = None
    field: str | None = None
    status: str = ids.STATUS_UNKNOWN
    replaced_by: list[str] = dataclasses.field(default_factory=list)
    amended_by: list[str] = dataclasses.field(default_factory=list)
    pdf: str | None = None
    source: str | None = None
    path: Path | None = None  # None for documents known only from citations
    lines: dict[str, int] = dataclasses.field(default_factory=dict)

    @property
    def year(self) -> int | None:
        in_number = re.match(r"[\d.]+/(\d{4})/", self.number)
        if in_number:
            return int(in_number.group(1))
        return self.issued.year if self.issued else None

    @property
    def key(self) -> "DocumentKey":
        return DocumentKey(self.number, self.year, self.locality)


@dataclass(frozen=True)
class DocumentKey:
    """What tells documents apart: many localities issue a "1234/QĐ-UBND" each year,
    so the number alone is not enough for local bodies."""

    number: str
    year: int | None
    locality: str | None

    def _qualifiers(self) -> list[str]:
        extra = [str(self.year)] if self.year and str(self.year) not in self.number else []
        return extra + ([self.locality] if self.locality else [])

    @property
    def slug(self) -> str:
        return ascii_slug(" ".join([self.number, *self._qualifiers()]))

    def __str__(self) -> str:
        extra = self._qualifiers()
        return f"{self.number} ({', '.join(extra)})" if extra else self.number


def parse_date(value: str) -> datetime.date:
    """ISO (2015-01-09) or the Vietnamese order (09/01/2015)."""
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", value)
    if match:
        return datetime.date(int(match[3]), int(match[2]), int(match[1]))
    return datetime.date.fromisoformat(value)


def canonical_number(value: str) -> str | None:
    """The canonical id when `value` is exactly one document number."""
    found = extract(value)
    if len(found) == 1 and found[0].kind == "numbered" and found[0].text == value.strip():
        return found[0].id
    return None


def read_document(path: Path) -> tuple[Document | None, list[Problem]]:
    problems: list[Problem] = []
    values: dict[str, str] = {}
    lines: dict[str, int] = {}
    for number, raw in enumerate(ids.nfc(path.read_text(encoding="utf-8-sig")).splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, colon, value = line.partition(":")
        name, value = name.strip(), value.strip()
        if not colon or name not in FIELDS:
            problems.append(Problem(path, number, ERROR,
                             f"dòng không hợp lệ \"{line[:40]}\"; viết \"Trường: giá trị\" với Trường là một trong: "
                             + ", ".join(FIELDS)))
            continue
        if name in values:
            problems.append(Problem(path, number, ERROR, f"trường {name} lặp lại (đã có ở dòng {lines[name]}); giữ một dòng"))
            continue
        if value:
            values[name], lines[name] = value, number
    for name in REQUIRED:
        if name not in values:
            problems.append(Problem(path, 1, ERROR, f"thiếu trường bắt buộc {name} ({FIELDS[name]})"))
    if "Number" not in values:
        return None, problems
    document = Document(number=values["Number"], path=path, lines=lines)
    _fill(document, values, lines, problems)
    _check_dates(document, problems)
    return document, problems


def _fill(document: Document, values: dict, lines: dict, problems: list[Problem]) -> None:
    path = document.path
    canonical = canonical_number(document.number)
    if canonical is None:
        problems.append(Problem(path, lines["Number"], ERROR,
                         f"\"{document.number}\" không phải số ký hiệu văn bản; viết như 04/2015/NĐ-CP hoặc 49/KH-UBND"))
    elif canonical != document.number:
        problems.append(Problem(path, lines["Number"], ERROR, f"viết số ký hiệu theo dạng chuẩn: {canonical}"))
        document.number = canonical
    for name in ("Type", "Issuer", "Locality", "Signer", "Summary", "Field", "Pdf", "Source"):
        setattr(document, name.lower(), values.get(name))
    for name in _DATE_FIELDS:
        if name in values:
            try:
                setattr(document, name.lower(), parse_date(values[name]))
            except ValueError:
                problems.append(Problem(path, lines[name], ERROR,
                                 f"ngày {values[name]} không có thật hoặc sai dạng; viết 2015-01-09 hoặc 09/01/2015"))
    if "Status" in values:
        if values["Status"] in ids.STATUSES:
            document.status = values["Status"]
        else:
            problems.append(Problem(path, lines["Status"], ERROR,
                             f"trạng thái \"{values['Status']}\" không hợp lệ; chọn {', '.join(ids.STATUSES)}"))
    for name in _LIST_FIELDS:
        targets = []
        for item in filter(None, (v.strip() for v in values.get(name, "").split(","))):
            canonical_item = canonical_number(item)
            if canonical_item is None:
                problems.append(Problem(path, lines[name], ERROR, f"\"{item}\" không phải số ký hiệu văn bản"))
            else:
                targets.append(canonical_item)
        setattr(document, "replaced_by" if name == "ReplacedBy" else "amended_by", targets)
    if ids.is_local_issuer(document.issuer) and not document.locality:
        problems.append(Problem(path, lines.get("Issuer", 1), ERROR,
                         "cơ quan địa phương cần trường Locality (ví dụ: thành phố Sông Lam) để phân biệt "
                         "với văn bản cùng số của địa phương khác"))
    if document.source and not re.match(r"https?://", document.source):
        problems.append(Problem(path, lines["Source"], ERROR, "Source phải là địa chỉ bắt đầu bằng https://"))


def _check_dates(document: Document, problems: list[Problem]) -> None:
    path, lines = document.path, document.lines
    issued, effective, expires = document.issued, document.effective, document.expires
    if issued and effective and effective < issued:
        problems.append(Problem(path, lines["Effective"], ERROR,
                         f"ngày có hiệu lực {effective:%d/%m/%Y} trước ngày ban hành {issued:%d/%m/%Y}"))
    start = effective or issued
    if start and expires and expires <= start:
        problems.append(Problem(path, lines["Expires"], ERROR,
                         f"ngày hết hiệu lực {expires:%d/%m/%Y} không sau ngày {start:%d/%m/%Y}"))
    in_number = re.match(r"[\d.]+/(\d{4})/", document.number)
    if issued and in_number and int(in_number.group(1)) != issued.year:
        problems.append(Problem(path, lines["Issued"], ERROR,
                         f"năm ban hành {issued.year} khác năm trong số ký hiệu {in_number.group(1)}"))
    if expires and document.status == ids.STATUS_IN_FORCE:
        problems.append(Problem(path, lines["Status"], WARNING,
                         f"có ngày hết hiệu lực {expires:%d/%m/%Y} nhưng trạng thái là {ids.STATUS_IN_FORCE}"))


@dataclass
class Registry:
    documents: dict[DocumentKey, Document]
    problems: list[Problem]

    @cached_property
    def _by_number(self) -> dict[str, list[Document]]:
        found: dict[str, list[Document]] = {}
        for document in self.documents.values():
            found.setdefault(document.key.number, []).append(document)
        return found

    def with_number(self, number: str) -> list[Document]:
        """Every registered document with this number, whatever its year and locality."""
        return self._by_number.get(number, [])

    def find(self, number: str, year: int | None, locality: str | None) -> Document | None:
        exact = self.documents.get(DocumentKey(number, year, locality))
        if exact or year is not None:
            return exact
        # Without a year, the number and locality must point at one document only.
        same = [d for d in self.with_number(number) if d.key.locality == locality]
        return same[0] if len(same) == 1 else None


def load_registry(folder: Path) -> Registry:
    documents: dict[DocumentKey, Document] = {}
    problems: list[Problem] = []
    if not folder.is_dir():
        return Registry(documents, problems)
    for path in sorted(folder.rglob(f"*{REGISTRY_SUFFIX}")):
        document, found = read_document(path)
        problems += found
        if document is None:
            continue
        earlier = documents.get(document.key)
        if earlier is not None:
            problems.append(Problem(path, document.lines["Number"], ERROR,
                             f"trùng văn bản {document.key} với {earlier.path.name}; gộp hai tệp làm một"))
            continue
        documents[document.key] = document
    return Registry(documents, problems)
