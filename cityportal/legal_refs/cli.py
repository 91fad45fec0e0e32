"""`invoke refs PATH`: print the references of a text file as JSON lines."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TextIO

from .extract import LineIndex, as_record, clean, extract


def read_source(path: str) -> str:
    """Read UTF-8 text from a file, or from standard input when path is "-"."""
    if path == "-":
        return sys.stdin.buffer.read().decode("utf-8-sig")
    return Path(path).read_text(encoding="utf-8-sig")


def write_references(text: str, out: TextIO) -> int:
    """Write one JSON object per reference; return how many were written."""
    text = clean(text)
    lines = LineIndex(text)
    references = extract(text)
    for reference in references:
        out.write(json.dumps(as_record(reference, lines), ensure_ascii=False) + "\n")
    return len(references)


def main(path: str) -> int:
    try:
        text = read_source(path)
    except (OSError, UnicodeDecodeError) as error:
        sys.stderr.write(f"{path}: cannot read as UTF-8 text ({error}); pass a UTF-8 file or '-'\n")
        return 2
    write_references(text, sys.stdout)
    return 0
