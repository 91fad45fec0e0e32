"""Find references in rendered HTML and wrap them in links.

The HTML is turned into searchable text of exactly the same length: tags and
entities become spaces, and whatever sits inside links, code, pre and scripts is
blanked out, so a reference there is neither linked nor listed. Offsets in the
text are then offsets in the HTML, which keeps the plugin's share of a large
build small. Block tags need no line break of their own: Markdown already puts
one between blocks.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass

from .extract import Reference, clean, extract

_UNSEARCHED = ("a", "code", "pre", "script", "style", "kbd", "samp", "textarea", "svg")
_UNSEARCHED_ELEMENT = re.compile(rf"<({'|'.join(_UNSEARCHED)})\b[^>]*>.*?</\1\s*>", re.S | re.I)
_TAG = re.compile(r"<!--.*?-->|<[^>]*>", re.S)
_ENTITY = re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


@dataclass(frozen=True)
class Found:
    reference: Reference
    html_start: int
    html_end: int


def _blank(match: re.Match) -> str:
    return " " * (match.end() - match.start())


def _entity(match: re.Match) -> str:
    # One character for the entity, so "Nghị định&nbsp;số" still reads as words.
    character = html.unescape(match.group(0))
    size = match.end() - match.start()
    return character + " " * (size - 1) if len(character) == 1 else " " * size


def searchable_text(markup: str) -> str:
    """The prose of `markup`, character for character at the same offsets."""
    markup = _UNSEARCHED_ELEMENT.sub(_blank, markup)
    markup = _TAG.sub(_blank, markup)
    return _ENTITY.sub(_entity, markup) if "&" in markup else markup


def find_references(markup: str) -> tuple[str, list[Found]]:
    """Return the NFC form of `markup` and the references in its prose. A reference
    that a tag cuts in two is left out rather than linked across the tag."""
    markup = clean(markup)
    found = []
    for reference in extract(searchable_text(markup)):
        original = markup[reference.start:reference.end]
        if "<" not in original and "&" not in original:
            found.append(Found(reference, reference.start, reference.end))
    return markup, found


def wrap_links(markup: str, links: list[tuple[Found, str, str]]) -> str:
    """Wrap each found reference in <a href title>; `links` holds (found, href, title)."""
    pieces, position = [], 0
    for found, href, title in sorted(links, key=lambda item: item[0].html_start):
        pieces.append(markup[position:found.html_start])
        pieces.append(
            f'<a class="legal-ref" href="{html.escape(href)}" title="{html.escape(title)}">'
            f"{markup[found.html_start:found.html_end]}</a>"
        )
        position = found.html_end
    pieces.append(markup[position:])
    return "".join(pieces)
