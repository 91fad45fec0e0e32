"""The site's page list: the request paths whose Lượt xem are counted.

The build writes it (one path a line, UTF-8) beside the statistics database, and
`invoke stats` reads it, so views are counted only for pages the site has and a flood
of made-up paths cannot grow the database or stats.json.
"""
import os
import tempfile
from pathlib import Path


def default_pages_file(database):
    """data/stats.sqlite -> data/stats-pages.txt."""
    database = Path(database)
    return database.with_name(f"{database.stem}-pages.txt")


def read_pages(path):
    """The set of listed paths, or None when there is no list yet."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    return {line for line in text.split("\n") if line.startswith("/")}


def write_pages(path, pages):
    """Write the list atomically; an unchanged list leaves the file untouched."""
    path = Path(path)
    text = "".join(f"{page}\n" for page in sorted(pages))
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except (FileNotFoundError, UnicodeDecodeError):
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".pages-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
