"""Editors' feedback for `invoke check`: problems with references and the registry,
each as a `Problem`."""
from __future__ import annotations

import re
from pathlib import Path

from cityportal.problems import ERROR, WARNING, Problem

from . import laws
from .extract import LineIndex, Reference, clean, extract
from .catalog import Catalog
from .registry import Registry, load_registry

_CODE = re.compile(r"^(```|~~~).*?^\1[^\n]*$|`[^`\n]*`", re.M | re.S)



def find_problems(content_dir: Path, registry_dir: str, home_locality: str | None = None) -> list[Problem]:
    """Problems of the registry in `content_dir`/`registry_dir` and of the references in
    every article. With `home_locality`, a citation of the city's own document that the
    registry lacks is a warning: its page would be a stub with no status."""
    registry = load_registry(content_dir / registry_dir)
    catalog = Catalog(registry, home_locality) if home_locality else None
    problems: list[Problem] = list(registry.problems)
    registry_root = (content_dir / registry_dir).resolve()
    for path in sorted(content_dir.rglob("*.md")):
        if registry_root in path.resolve().parents:
            continue
        try:
            text = clean(path.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError):
            continue  # the portal's own checks report unreadable files
        problems += _article_problems(path, text, registry, catalog, registry_dir)
    return problems


def _without_code(text: str) -> str:
    """Code is no prose: blank it out, keeping every offset and line break."""
    return _CODE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def _article_problems(path: Path, text: str, registry: Registry, catalog: Catalog | None = None,
                      registry_dir: str = "van-ban") -> list[Problem]:
    problems: list[Problem] = []
    lines = LineIndex(text)
    warned_home: set[str] = set()
    for reference in extract(_without_code(text)):
        line, _ = lines.locate(reference.start)
        home = _home_stub(reference, catalog)
        if home and reference.id not in warned_home:
            warned_home.add(reference.id)
            problems.append(Problem(path, line, WARNING,
                             f"{reference.type or 'văn bản'} {reference.id} của {home} chưa có trong sổ văn bản "
                             f"(content/{registry_dir}/): trang của nó sẽ chỉ ghi \"Chưa có trong cơ sở dữ liệu "
                             f"của cổng\"; thêm một tệp .txt cho văn bản này (xem docs/legal_refs.md)"))
        if reference.irregular:
            written = " ".join(reference.text.split())
            problems.append(Problem(path, line, WARNING,
                             f"số ký hiệu \"{written}\" viết không chuẩn; sửa thành \"{reference.id}\""))
        conflict = _date_conflict(reference, registry)
        if conflict:
            problems.append(Problem(path, line, ERROR, conflict))
        year_problem = _law_year_problem(reference)
        if year_problem:
            problems.append(Problem(path, line, WARNING, year_problem))
    return problems


def _home_stub(reference: Reference, catalog: Catalog | None) -> str | None:
    """The home locality, when `reference` is the city's own document and not registered."""
    if catalog is None or reference.kind != "numbered" or catalog.locality_of(reference) != catalog.home_locality:
        return None
    entry = catalog.find(reference)
    return catalog.home_locality if entry is None or not entry.known else None


def law_year_problem(name: str, year: int) -> str | None:
    """A law named with a year in which the table of laws has no law of that name."""
    versions = laws.versions(name)
    if not versions or any(law.year == year for law in versions):
        return None
    known = ", ".join(str(law.year) for law in versions)
    message = f"{versions[0].name} năm {year} không có trong bảng luật (có năm {known}); kiểm tra lại năm"
    effective = [law for law in versions if law.effective and law.effective.year == year]
    if effective:
        law = effective[-1]
        message += (f": {law.name} năm {law.year} có hiệu lực từ {law.effective:%d/%m/%Y}, "
                    f"năm ghi sau tên luật là năm thông qua")
    return message


def _law_year_problem(reference: Reference) -> str | None:
    if reference.kind != "named" or reference.year is None:
        return None
    return law_year_problem(reference.id.rsplit(" ", 1)[0], reference.year)


def _date_conflict(reference: Reference, registry: Registry) -> str | None:
    """A cited date that no registered document with this number was issued on."""
    if reference.kind != "numbered" or reference.date is None:
        return None
    candidates = [d for d in registry.with_number(reference.id) if d.issued]
    if reference.locality and " " in reference.locality:
        candidates = [d for d in candidates if d.locality == reference.locality]
    if not re.match(r"[\d.]+/\d{4}/", reference.id):
        # Without a year in the number, only a document of the cited year can disagree.
        candidates = [d for d in candidates if d.issued.year == reference.date.year]
    if not candidates or any(d.issued == reference.date for d in candidates):
        return None
    document = candidates[0]
    return (f"{reference.id} ghi ngày {reference.date:%d/%m/%Y} nhưng sổ văn bản "
            f"({document.path.name}) ghi ngày ban hành {document.issued:%d/%m/%Y}; sửa cho khớp")
