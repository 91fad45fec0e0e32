"""Sample PDF files for the sample registry: one page per document, made by the project.

The sample city's registry needs a file behind "Tải văn bản (PDF)", but the portal must
not pass off its own page as an official text. Each PDF says at the top that it is a
sample, shows the registry's facts and points to vbpl.vn for the official text.
`invoke legal-sample-pdfs` writes them into content/files/van-ban/ and fills the Pdf
field of each registry file; the files are committed, so a build needs none of this.

The text is real text (searchable, readable by screen readers), set in DejaVu Sans from
Debian's fonts-dejavu-core, embedded as a subset of the glyphs used.
"""
from __future__ import annotations

import datetime
from pathlib import Path

from .registry import load_registry

PDF_FOLDER = "files/van-ban"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
SAMPLE_NOTICE = ("BẢN MẪU – tệp do Cổng thông tin điện tử tạo để minh họa, không phải bản chính thức "
                 "của văn bản. Tra cứu văn bản chính thức tại https://vbpl.vn.")


def _facts(document) -> list[tuple[str, str]]:
    issuer = document.issuer or ""
    if document.locality and not issuer.endswith(document.locality):
        issuer = f"{issuer} {document.locality}"
    rows = [("Số ký hiệu", document.number), ("Loại văn bản", document.type or ""),
            ("Cơ quan ban hành", issuer), ("Người ký", document.signer or ""),
            ("Ngày ban hành", f"{document.issued:%d/%m/%Y}" if document.issued else ""),
            ("Ngày có hiệu lực", f"{document.effective:%d/%m/%Y}" if document.effective else ""),
            ("Ngày hết hiệu lực", f"{document.expires:%d/%m/%Y}" if document.expires else ""),
            ("Lĩnh vực", document.field or ""), ("Tình trạng", document.status or ""),
            ("Được thay thế bởi", ", ".join(document.replaced_by))]
    return [(label, value) for label, value in rows if value]


def write_pdf(document, target: Path, agency: str) -> None:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_title(f"{document.type or ''} {document.number} (bản mẫu)".strip())
    pdf.set_author(agency)
    pdf.set_lang("vi")
    # The same bytes on every run: a fixed date instead of the time of writing.
    pdf.set_creation_date(datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc))
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 10)
    pdf.set_text_color(160, 0, 0)
    pdf.multi_cell(0, 5, SAMPLE_NOTICE, border=1, padding=3, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("DejaVu", "B", 15)
    pdf.multi_cell(0, 8, f"{document.type or 'Văn bản'} {document.number}".upper(), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("DejaVu", "", 12)
    pdf.multi_cell(0, 6.5, document.summary or "", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    for label, value in _facts(document):
        pdf.set_font("DejaVu", "B", 11)
        pdf.cell(50, 7, label)
        pdf.set_font("DejaVu", "", 11)
        pdf.multi_cell(0, 7, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(0, 5.5, f"Trang thông tin của văn bản trên cổng do {agency} quản lý; nội dung đầy đủ "
                           "và giá trị pháp lý của văn bản theo bản chính thức đăng trên Công báo và "
                           "Cơ sở dữ liệu quốc gia về văn bản pháp luật.", new_x="LMARGIN", new_y="NEXT")
    target.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(target))


def write_samples(content: Path, registry_dir: str, agency: str) -> list[Path]:
    """A PDF for every registry document; each registry file gets its Pdf line."""
    registry = load_registry(content / registry_dir)
    written = []
    for document in sorted(registry.documents.values(), key=lambda d: d.path.name):
        relative = f"{PDF_FOLDER}/{document.path.stem}.pdf"
        write_pdf(document, content / relative, agency)
        text = document.path.read_text(encoding="utf-8")
        lines = [line for line in text.splitlines() if not line.startswith("Pdf:")]
        document.path.write_text("\n".join([*lines, f"Pdf: {relative}"]) + "\n", encoding="utf-8")
        written.append(content / relative)
    return written
