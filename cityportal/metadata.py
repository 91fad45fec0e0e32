"""Read the metadata header of a Pelican Markdown file, keeping line numbers."""
import re
from dataclasses import dataclass, field
from pathlib import Path

_FIELD = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*)\s*:\s?(.*)$")


@dataclass
class SourceFile:
    path: Path
    fields: dict[str, tuple[str, int]] = field(default_factory=dict)  # lower key -> (value, line)
    body: str = ""
    body_start: int = 1

    def get(self, name: str) -> str | None:
        entry = self.fields.get(name.lower())
        return entry[0] if entry else None

    def line_of(self, name: str) -> int:
        entry = self.fields.get(name.lower())
        return entry[1] if entry else 1


def _read_fields(lines, source: SourceFile) -> int | None:
    """Fill `source.fields` from the header; the body's first line, or None at the end."""
    last_key = None
    for number, line in enumerate(lines, start=1):
        line = line.rstrip("\r\n")
        if not line.strip():
            return number + 1
        match = _FIELD.match(line)
        if match:
            last_key = match.group(1).lower()
            source.fields[last_key] = (match.group(2).strip(), number)
        elif line.startswith((" ", "\t")) and last_key:
            value, start = source.fields[last_key]
            source.fields[last_key] = (f"{value} {line.strip()}", start)
        else:
            return number
    return None


def read_source(path: Path) -> SourceFile:
    """The header and the body. Raise UnicodeDecodeError or OSError for files an editor
    must fix first."""
    lines = path.read_text(encoding="utf-8").splitlines()
    source = SourceFile(path)
    source.body_start = _read_fields(lines, source) or len(lines) + 1
    source.body = "\n".join(lines[source.body_start - 1 :])
    return source


def read_header(path: Path) -> SourceFile:
    """The header only, read line by line: a few hundred bytes, however long the article."""
    source = SourceFile(path)
    with path.open(encoding="utf-8") as handle:
        _read_fields(handle, source)
    return source


def markdown_files(content_dir: Path, folders) -> list[Path]:
    """The Markdown files under each of `folders` of `content_dir`, in name order."""
    files = []
    for folder in folders:
        files.extend(sorted((content_dir / folder).rglob("*.md")))
    return files


def read_headers(folders) -> dict[Path, SourceFile]:
    """The header of every Markdown file under `folders` (a few hundred bytes each)."""
    return {path: read_header(path) for folder in folders if folder.is_dir()
            for path in sorted(folder.rglob("*.md"))}
