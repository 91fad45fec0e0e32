"""Find the images a Markdown article refers to, with the line each reference is on."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_META_LINE = re.compile(r"^(?P<key>[A-Za-z][A-Za-z0-9_-]*)\s*:\s*(?P<value>.*)$")
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


def metadata_image(text: str) -> tuple[int, str] | None:
    """(line, value) of the `Image:` header field, if the article has one."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            return None
        match = _META_LINE.match(line)
        if match is None:
            return None
        if match["key"].lower() == "image" and match["value"].strip():
            return number, match["value"].strip()
    return None


def image_references(article: Path, content_dir: Path) -> list[ImageReference]:
    text = article.read_text(encoding="utf-8")
    found = []
    header = metadata_image(text)
    if header is not None:
        line, target = header
        found.append(ImageReference(article, line, target, resolve(target, article, content_dir), True))
    for number, line in enumerate(text.splitlines(), start=1):
        for match in _INLINE_IMAGE.finditer(line):
            target = match["target"]
            found.append(ImageReference(article, number, target, resolve(target, article, content_dir), False))
    return found
