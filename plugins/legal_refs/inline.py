"""Find references in rendered HTML and wrap them in links.

A small tag scanner rather than a DOM parser: an article's HTML is read in one
pass, which keeps the plugin's share of a large build small. Text inside
links, code, pre and scripts is never searched, so a reference there is neither
linked nor listed.
"""
from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass

from .extract import Reference, clean, extract

_TAG = re.compile(r"<!--.*?-->|<(/?)([A-Za-z][A-Za-z0-9]*)\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.S)
_ENTITY = re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_UNSEARCHED = {"a", "code", "pre", "script", "style", "kbd", "samp", "textarea", "svg"}
# Tags that end a line of text: a reference never runs across them.
_BLOCKS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th",
    "tr", "table", "blockquote", "section", "article", "figure", "figcaption", "dt", "dd",
    "hr", "header", "footer", "aside", "details", "summary",
}


@dataclass(frozen=True)
class Found:
    reference: Reference
    html_start: int
    html_end: int


class _TextMap:
    """The searchable text of an HTML document and the way back to HTML offsets."""

    def __init__(self):
        self.parts: list[str] = []
        self.length = 0
        self.starts: list[int] = []  # text offset where each HTML text run starts
        # (text end, html start, per-character html offsets or None when 1:1)
        self.runs: list[tuple[int, int, list[int] | None]] = []

    def add_text(self, raw: str, html_offset: int) -> None:
        offsets = None
        text = raw
        if "&" in raw:
            # Entities are one character of text but several of HTML.
            chars, offsets, position = [], [], 0
            for entity in _ENTITY.finditer(raw):
                chars.append(raw[position:entity.start()])
                offsets.extend(range(html_offset + position, html_offset + entity.start()))
                chars.append(html.unescape(entity.group(0)))
                offsets.append(html_offset + entity.start())
                position = entity.end()
            chars.append(raw[position:])
            offsets.extend(range(html_offset + position, html_offset + len(raw) + 1))
            text = "".join(chars)
        self.starts.append(self.length)
        self.parts.append(text)
        self.length += len(text)
        self.runs.append((self.length, html_offset, offsets))

    def add_gap(self, filler: str) -> None:
        if filler:
            self.parts.append(filler)
            self.length += len(filler)

    def to_html(self, start: int, end: int) -> tuple[int, int] | None:
        """HTML offsets of a text span, or None when the span crosses a tag."""
        index = bisect.bisect_right(self.starts, start) - 1
        if index < 0:
            return None
        run_start = self.starts[index]
        run_end, html_start, offsets = self.runs[index]
        if end > run_end:
            return None
        if offsets is None:
            return html_start + start - run_start, html_start + end - run_start
        return offsets[start - run_start], offsets[end - run_start]

    @property
    def text(self) -> str:
        return "".join(self.parts)


def find_references(markup: str) -> tuple[str, list[Found]]:
    """Return the NFC form of `markup` and the references in its searchable text."""
    markup = clean(markup)
    text_map = _TextMap()
    hidden_depth = 0
    position = 0
    for tag in _TAG.finditer(markup):
        if tag.start() > position:
            raw = markup[position:tag.start()]
            if hidden_depth:
                text_map.add_gap(" " * len(raw))
            else:
                text_map.add_text(raw, position)
        name = (tag.group(2) or "").lower()
        if name in _UNSEARCHED and not tag.group(0).endswith("/>"):
            hidden_depth = max(0, hidden_depth + (-1 if tag.group(1) else 1))
        text_map.add_gap("\n" if name in _BLOCKS else "")
        position = tag.end()
    if position < len(markup):
        if hidden_depth:
            text_map.add_gap(" " * (len(markup) - position))
        else:
            text_map.add_text(markup[position:], position)
    found = []
    for reference in extract(text_map.text):
        span = text_map.to_html(reference.start, reference.end)
        if span is not None:
            found.append(Found(reference, *span))
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
