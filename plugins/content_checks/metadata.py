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


def read_source(path: Path) -> SourceFile:
    """Raise UnicodeDecodeError or OSError for files an editor must fix first."""
    text = path.read_text(encoding="utf-8")
    source = SourceFile(path)
    lines = text.splitlines()
    last_key = None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            source.body_start = number + 1
            break
        match = _FIELD.match(line)
        if match:
            last_key = match.group(1).lower()
            source.fields[last_key] = (match.group(2).strip(), number)
        elif line.startswith((" ", "\t")) and last_key:
            value, start = source.fields[last_key]
            source.fields[last_key] = (f"{value} {line.strip()}", start)
        else:
            source.body_start = number
            break
    else:
        source.body_start = len(lines) + 1
    source.body = "\n".join(lines[source.body_start - 1 :])
    return source
