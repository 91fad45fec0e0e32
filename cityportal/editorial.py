"""Editorial rules every article and page must meet before it is published."""
import calendar
import difflib
import os
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

from pelican.utils import get_date, slugify

from cityportal.check_cache import CheckCache
from cityportal.images.references import references_in
from cityportal.metadata import SourceFile, markdown_files, read_source
from cityportal.problems import ERROR, WARNING, Problem
from cityportal.text import ascii_slug

_LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]+)")
_FILE_LINK_PREFIXES = ("{filename}", "{static}", "{attach}")
# Settings whose values are paths the build writes besides articles and pages.
_OUTPUT_PATH_SUFFIXES = ("_SAVE_AS", "_URL", "_URL_PREFIX", "_ATOM", "_RSS", "_STATIC_DIR")


# The line `invoke new` leaves where the body goes; `check` fails until it is replaced.
BODY_PLACEHOLDER = "Viết nội dung bài ở đây (xóa dòng này)."
# Fields every article should have but may go without: a warning, not an error.
RECOMMENDED_METADATA = {"Summary": "chưa có sapo (Summary:); trang dùng phần đầu của bài thay cho sapo"}


def article_slug(title: str, settings: dict) -> str:
    """The slug Pelican itself derives from a title, so checks and `invoke new` agree with it."""
    return slugify(title, regex_subs=settings["SLUG_REGEX_SUBSTITUTIONS"])


def generated_sections(settings: dict) -> set[str]:
    """First path segments of everything the build writes that is not an article or a
    page, read from the settings: a link into them is not an article link."""
    paths = [value for name, value in settings.items()
             if name.endswith(_OUTPUT_PATH_SUFFIXES) and isinstance(value, str)]
    paths += [*settings.get("STATIC_PATHS", []),
              *(meta.get("path", "") for meta in settings.get("EXTRA_PATH_METADATA", {}).values())]
    firsts = (path.strip("/").split("/")[0] for path in paths)
    return {first for first in firsts if first and "{" not in first}


def _foreign_files(content_dir: Path, folders) -> list[Problem]:
    """Pelican would skip these without a word; an editor must hear about them."""
    problems = []
    for folder in folders:
        for path in sorted((content_dir / folder).rglob("*")):
            if path.is_file() and path.suffix != ".md" and not path.name.startswith("."):
                problems.append(Problem(path, 1, ERROR,
                                        "chỉ tệp Markdown (.md) được xuất bản; đổi tên tệp hoặc chuyển nó ra khỏi thư mục này"))
    return problems


def _links_leaving(content_dir: Path) -> list[Problem]:
    """A symbolic link that points out of content/ would publish what it points at (the
    feedback database, a key); the build never follows one."""
    root = content_dir.resolve()
    problems = []
    for folder, directories, files in os.walk(content_dir):
        for name in sorted(directories + files):
            path = Path(folder) / name
            if path.is_symlink() and not path.resolve().is_relative_to(root):
                problems.append(Problem(path, 1, ERROR,
                                        f'liên kết tượng trưng trỏ ra ngoài content/ ("{os.readlink(path)}"); '
                                        "hãy chép tệp thật vào content/ thay cho liên kết"))
    return problems


def _paths_leaving(source: SourceFile, content_dir: Path) -> list[Problem]:
    """An image or file path written with ".." that leads out of content/. A path inside
    content/ without ".." needs no look at the disk: a symlink out of content/ is an
    error of its own (_links_leaving)."""
    return [Problem(source.path, reference.line, ERROR,
                    f'đường dẫn "{reference.target}" ra ngoài thư mục content/; '
                    "chỉ dùng tệp nằm trong content/")
            for reference in references_in(source, content_dir)
            if _may_leave(reference, content_dir)
            and not reference.path.resolve().is_relative_to(content_dir.resolve())]


def _may_leave(reference, content_dir: Path) -> bool:
    """Whether only the disk can tell if an image path stays inside content/."""
    return reference.path is not None and (".." in reference.path.parts
                                           or not reference.path.is_relative_to(content_dir))


def _check_body(source: SourceFile) -> list[Problem]:
    if BODY_PLACEHOLDER in source.body:
        line = source.body_start + source.body.splitlines().index(
            next(line for line in source.body.splitlines() if BODY_PLACEHOLDER in line))
        return [Problem(source.path, line, ERROR, "bài chưa có nội dung: viết nội dung thay cho dòng hướng dẫn này")]
    if not source.body.strip():
        return [Problem(source.path, source.body_start, ERROR,
                        "bài chưa có nội dung: viết nội dung dưới dòng trống sau phần đầu tệp")]
    return []


def _check_required(source: SourceFile, required) -> list[Problem]:
    problems = []
    for name in required:
        if source.get(name):
            continue
        if name.lower() in source.fields:
            problems.append(Problem(source.path, source.line_of(name), ERROR, f'trường "{name}" đang để trống'))
        else:
            typed = difflib.get_close_matches(name.lower(), [key for key in source.fields
                                                             if key not in {n.lower() for n in required}],
                                              n=1, cutoff=0.7)
            if typed:
                problems.append(Problem(source.path, source.line_of(typed[0]), ERROR,
                                        f'thiếu trường bắt buộc "{name}"; dòng này viết "{typed[0]}", '
                                        f'có phải "{name}"?'))
            else:
                problems.append(Problem(source.path, 1, ERROR,
                                        f'thiếu trường bắt buộc "{name}"; thêm dòng "{name}: ..." vào phần đầu tệp'))
    return problems


# The form `invoke new` writes and the README documents: 2021-06-28 08:30 (seconds optional).
_DATE_FORM = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
# Hyphens and dashes an editor may type between words of a category name.
_DASHES = re.compile(r"\s*[-\u2010-\u2015\u2212]+\s*")


def date_problem(value: str) -> str | None:
    """Why a Date/Modified value cannot be read, in words an editor can act on; None if fine."""
    match = _DATE_FORM.match(value.strip())
    if match:
        year, month, day = (int(part) for part in match.group(1, 2, 3))
        if not 1 <= month <= 12:
            return f"có tháng {month} không có thật; viết năm-tháng-ngày giờ:phút, như 2021-06-28 08:30"
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            return f"là ngày không có thật: tháng {month} năm {year} chỉ có {last} ngày"
        if match.group(4) is not None:
            hour, minute, second = int(match.group(4)), int(match.group(5)), int(match.group(6) or 0)
            if hour > 23 or minute > 59 or second > 59:
                return f"có giờ {match.group(4)}:{match.group(5)} không có thật; giờ viết từ 00:00 đến 23:59"
        if year >= 1:  # a real date in the documented form: nothing more to ask the parser
            return None
    try:
        get_date(value)
    except (ValueError, OverflowError):
        return "không đọc được; viết theo dạng 2021-06-28 08:30"
    return None


def _check_dates(source: SourceFile) -> list[Problem]:
    problems = []
    for name in ("Date", "Modified"):
        value = source.get(name)
        if not value:
            continue
        reason = date_problem(value)
        if reason:
            problems.append(Problem(source.path, source.line_of(name), ERROR, f'{name} "{value}" {reason}'))
    return problems


def _category_key(name: str) -> str:
    text = unicodedata.normalize("NFC", name)
    return " ".join(_DASHES.sub(" – ", text).split()).casefold()


def canonical_category(value: str, categories) -> str | None:
    """The allowed category `value` means: the same words, whatever dash (-, –, —) or
    spacing or case the editor typed between them; None when it is none of them."""
    key = _category_key(value)
    for category in categories:
        if _category_key(category) == key:
            return category
    return None


def suggestion(value: str, allowed, fold=lambda text: text) -> str:
    """ '; có phải "X"?' when `value` is close to one allowed value, else ''."""
    folded = {fold(option): option for option in allowed}
    close = difflib.get_close_matches(fold(value), list(folded), n=1, cutoff=0.75)
    return f'; có phải "{folded[close[0]]}"?' if close else ""


def _check_category(source: SourceFile, categories) -> list[Problem]:
    category = source.get("Category")
    meant = canonical_category(category, categories) if category else None
    if meant and meant != category:
        return [Problem(source.path, source.line_of("Category"), WARNING,
                        f'chuyên mục "{category}" được hiểu là "{meant}" (bản dựng tự sửa)')]
    if category and meant is None:
        known = ", ".join(categories)
        hint = suggestion(category, categories, fold=lambda text: ascii_slug(text, " "))
        return [Problem(source.path, source.line_of("Category"), ERROR,
                        f'chuyên mục "{category}" không có trong danh sách{hint or ""}'
                        f'{"" if hint else ": " + known}')]
    return []


def _check_image_alt(source: SourceFile) -> list[Problem]:
    if source.get("Image") and not source.get("ImageAlt"):
        return [Problem(source.path, source.line_of("Image"), ERROR,
                        'ảnh đại diện thiếu mô tả; thêm "ImageAlt: ..." mô tả nội dung ảnh')]
    return []


def _check_links(source: SourceFile, content_dir: Path, sections: set[str]) -> list[Problem]:
    problems = []
    for offset, line in enumerate(source.body.splitlines()):
        for target in _LINK_TARGET.findall(line):
            message = _broken_link_reason(target, source.path, content_dir, sections)
            if message:
                problems.append(Problem(source.path, source.body_start + offset, ERROR, message))
    return problems


def _is_site_link(target: str) -> bool:
    """A link to another file or page of the site: whether it is broken depends on them."""
    return target.startswith(_FILE_LINK_PREFIXES) or (target.startswith("/") and not target.startswith("//"))


def _depends_on_other_files(source: SourceFile, content_dir: Path) -> bool:
    """Whether what the checks find in `source` may change when another file does."""
    return (any(_is_site_link(target) for target in _LINK_TARGET.findall(source.body))
            or any(_may_leave(reference, content_dir) for reference in references_in(source, content_dir)))


def _broken_link_reason(target: str, source_path: Path, content_dir: Path, sections) -> str | None:
    target = target.split("#")[0].split("?")[0]
    for prefix in _FILE_LINK_PREFIXES:
        if target.startswith(prefix):
            relative = target[len(prefix):]
            base = content_dir if relative.startswith("/") else source_path.parent
            if not (base / relative.lstrip("/")).resolve().is_relative_to(content_dir.resolve()):
                return f'đường dẫn "{relative}" ra ngoài thư mục content/; chỉ dùng tệp nằm trong content/'
            if not (base / relative.lstrip("/")).exists():
                return f'liên kết nội bộ hỏng: không có tệp "{relative}"'
            return None
    if target.startswith("/") and not target.startswith("//"):
        first = target.strip("/").split("/")[0]
        if first and first not in sections:
            close = difflib.get_close_matches(first, sorted(sections), n=1, cutoff=0.8)
            hint = f'; có phải "/{close[0]}/"?' if close else ""
            return f'liên kết nội bộ hỏng: không có trang "{target}"{hint}'
    return None


def check_source(source: SourceFile, is_article: bool, settings: dict, content_dir: Path,
                 known_sections: set[str]) -> list[Problem]:
    """The rules one file must meet by itself (`known_sections`: every slug and section a
    link inside the site may lead to)."""
    required = settings["PORTAL_REQUIRED_METADATA"] if is_article else ["Title"]
    problems = _check_required(source, required)
    if is_article:
        problems += _check_body(source)
        problems += [Problem(source.path, 1, WARNING, message) for name, message in RECOMMENDED_METADATA.items()
                     if name not in required and not source.get(name)]
    problems += _check_dates(source)
    if is_article:
        problems += _check_category(source, settings["PORTAL_CATEGORIES"])
    problems += _check_image_alt(source)
    problems += _paths_leaving(source, content_dir)
    problems += _check_links(source, content_dir, known_sections)
    return problems


def file_problems(path: Path, content_dir: Path, settings: dict, known_slugs: set[str]) -> list[Problem]:
    """Every problem of one article, for `invoke preview`: the whole list, with the
    editor's own path, and without reading the rest of the site again."""
    try:
        source = read_source(path)
    except UnicodeDecodeError as error:
        return [Problem(path, 1, ERROR, f"tệp không phải UTF-8 (byte {error.start}); lưu lại dưới dạng UTF-8")]
    except OSError as error:
        return [Problem(path, 1, ERROR, f"không đọc được tệp: {error.strerror}")]
    problems = check_source(source, True, settings, content_dir, known_slugs | generated_sections(settings))
    return sorted(problems, key=lambda problem: problem.line)


def find_problems(content_dir: Path, settings: dict, cache_file: Path | None = None) -> list[Problem]:
    """Check every article and page; the same rules run in `invoke check` and the build.
    With `cache_file`, what an unchanged file was found to have is taken from it
    (cityportal/check_cache.py)."""
    problems = _foreign_files(content_dir, settings["ARTICLE_PATHS"] + settings["PAGE_PATHS"])
    problems += _links_leaving(content_dir)
    cache = CheckCache(cache_file, content_dir, settings)
    slugs: list[tuple[Path, str, int]] = []  # each file's slug and the line that makes it
    to_check: list[tuple[SourceFile, bool, str, int]] = []
    folders = [(settings["ARTICLE_PATHS"], True), (settings["PAGE_PATHS"], False)]
    for paths, is_article in folders:
        for path in markdown_files(content_dir, paths):
            kept = cache.get(path)
            if kept is not None:
                slug, line, found = kept
                slugs.append((path, slug, line))
                problems += found
                continue
            try:
                source = read_source(path)
            except UnicodeDecodeError as error:
                problems.append(Problem(path, 1, ERROR,
                                        f"tệp không phải UTF-8 (byte {error.start}); lưu lại dưới dạng UTF-8"))
                continue
            except OSError as error:
                problems.append(Problem(path, 1, ERROR, f"không đọc được tệp: {error.strerror}"))
                continue
            slug = source.get("Slug") or article_slug(source.get("Title") or "", settings)
            line = source.line_of("Slug") if source.get("Slug") else source.line_of("Title")
            slugs.append((path, slug, line))
            to_check.append((source, is_article, slug, line))

    by_slug: dict[str, list[tuple[Path, int]]] = defaultdict(list)
    for path, slug, line in slugs:
        if slug:
            by_slug[slug].append((path, line))

    known_sections = set(by_slug) | generated_sections(settings)
    for source, is_article, slug, line in to_check:
        found = check_source(source, is_article, settings, content_dir, known_sections)
        problems += found
        if not _depends_on_other_files(source, content_dir):
            cache.put(source.path, slug, line, found)
    cache.save()

    for slug, owners in by_slug.items():
        if len(owners) > 1:
            others = ", ".join(path.name for path, _ in owners)
            for path, line in owners:
                problems.append(Problem(path, line, ERROR,
                                        f'đường dẫn "{slug}" bị trùng giữa các tệp: {others}; đặt "Slug:" khác nhau'))
    return sorted(problems, key=lambda problem: (str(problem.path), problem.line))
