"""Find the images a Markdown article refers to, with the line each reference is on."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from cityportal.metadata import SourceFile, read_source

# ![alt](target "title") - the target ends at whitespace or the closing parenthesis.
_INLINE_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?(?P<target>[^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_LINK_PREFIX = re.compile(r"^\{(?:static|filename|attach)\}")
_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)


@dataclass(frozen=True)
class ImageReference:
    article: Path
    line: int
    target: str  # as the editor wrote it
    path: Path | None  # resolved file inside content/, None for a remote address
    from_metadata: bool


def resolve(target: str, article: Path, content_dir: Path) -> Path | None:
    """Where Pelican would look for `target`; None when it points to another server."""
    if _REMOTE.match(target):
        return None
    had_link_prefix = bool(_LINK_PREFIX.match(target))
    bare = _LINK_PREFIX.sub("", target)
    if bare.startswith("/"):
        return content_dir / bare.lstrip("/")
    if had_link_prefix or bare.startswith("."):
        # {static}x and ./x are relative to the article's own folder, as in Pelican.
        return (article.parent / bare).resolve()
    return content_dir / bare


def image_references(article: Path, content_dir: Path) -> list[ImageReference]:
    return references_in(read_source(article), content_dir)


def references_in(source: SourceFile, content_dir: Path) -> list[ImageReference]:
    """The images an already read article refers to: its Image field and inline images."""
    article = source.path
    found = []
    target = source.get("image")
    if target:
        found.append(ImageReference(article, source.line_of("image"), target,
                                    resolve(target, article, content_dir), True))
    for number, line in enumerate(source.body.splitlines(), start=source.body_start):
        for match in _INLINE_IMAGE.finditer(line):
            target = match["target"]
            found.append(ImageReference(article, number, target, resolve(target, article, content_dir), False))
    return found
