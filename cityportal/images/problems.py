"""Editor-facing checks: images that are missing, unreadable, remote or too small."""
from __future__ import annotations

from pathlib import Path

from PIL import Image

from cityportal.problems import ERROR, WARNING, Problem

from .references import image_references
from .variants import DEFAULT_WIDTHS



def _unreadable(path: Path) -> str | None:
    """Why the file is not a usable image, or None. Decodes it fully to catch truncation."""
    try:
        with Image.open(path) as image:
            # JPEG can decode at 1/8 scale; every byte is still read, so truncation shows.
            image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
            image.load()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        return str(error)
    return None


def _width(path: Path) -> int:
    with Image.open(path) as image:
        return image.width


def find_problems(content_dir, min_width: int = DEFAULT_WIDTHS[1], articles=None) -> list[Problem]:
    """Every bad image reference in the articles and pages (or only in `articles`)."""
    content_dir = Path(content_dir)
    problems = []
    checked: dict[Path, str | None] = {}
    for article in sorted(content_dir.rglob("*.md")) if articles is None else articles:
        for ref in image_references(article, content_dir):
            where = str(article)
            if ref.path is None:
                problems.append(Problem(where, ref.line, ERROR,
                                 f"ảnh '{ref.target}' nằm trên máy chủ khác; hãy tải ảnh về "
                                 f"content/images/ và dẫn tới images/<tên tệp>"))
                continue
            if not ref.path.is_file():
                problems.append(Problem(where, ref.line, ERROR,
                                 f"không tìm thấy ảnh '{ref.target}' ({ref.path}); kiểm tra tên "
                                 f"tệp hoặc chép ảnh vào content/images/"))
                continue
            if ref.path not in checked:
                checked[ref.path] = _unreadable(ref.path)
            reason = checked[ref.path]
            if reason is not None:
                problems.append(Problem(where, ref.line, ERROR,
                                 f"ảnh '{ref.target}' bị hỏng hoặc không phải ảnh ({reason}); "
                                 f"hãy xuất lại ảnh dạng JPEG, PNG hoặc WebP"))
                continue
            if ref.from_metadata and _width(ref.path) < min_width:
                problems.append(Problem(where, ref.line, WARNING,
                                 f"ảnh '{ref.target}' chỉ rộng {_width(ref.path)} px, sẽ mờ trên "
                                 f"màn hình điện thoại; nên dùng ảnh rộng từ {min_width} px"))
    return problems
