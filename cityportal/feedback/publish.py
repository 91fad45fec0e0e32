"""Answered questions as Markdown articles for the static site's Hỏi đáp section.

Only what the sender agreed to make public goes out: the question, the answer,
the topic and the sender's initials. Never the name, email or phone.
Everything from the sender is text. Metadata fields (Title, Nguoi_hoi) are written as
text: the templates escape them, so they are never escaped here (escaping twice shows
"&lt;" to readers). The question's body is HTML-escaped into a raw HTML block that
Markdown leaves alone; the Summary, which Pelican formats as Markdown, gets its Markdown
escaped too. Invisible controls are dropped first (cityportal.markup.plain_text). The
answer is staff Markdown, cleaned by the build like every article body.
"""
from __future__ import annotations

import datetime
import html
import re
from pathlib import Path

from cityportal import text as vietnamese
from cityportal.markup import markdown_text, plain_text

from cityportal.text import CITY_TIMEZONE as TIMEZONE
from .store import Item
from .submission import TOPIC_LABELS

CATEGORY = "Hỏi đáp"
SLUG_WORDS = 10


def ascii_slug(text: str) -> str:
    """'Đèn tín hiệu hỏng' -> 'den-tin-hieu-hong', at most SLUG_WORDS words."""
    words = vietnamese.ascii_slug(text).split("-")[:SLUG_WORDS]
    return "-".join(words) or "cau-hoi"


def article_slug(item: Item) -> str:
    # The row id keeps slugs unique and stable; the tracking code stays private.
    return f"hoi-dap-{ascii_slug(item.title)}-{item.id}"


def _metadata_value(text: str) -> str:
    # One line of text; the templates escape it wherever it is shown.
    return plain_text(text)


def _plain_text_block(text: str) -> str:
    text = plain_text(text, single_line=False)
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    rendered = "\n".join(
        "<p>" + "<br>\n".join(html.escape(line) for line in paragraph.split("\n")) + "</p>"
        for paragraph in paragraphs)
    return f'<div class="qa-question__body">\n{rendered}\n</div>'


def _local(timestamp: int) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(timestamp, TIMEZONE)


def article_markdown(item: Item, author: str) -> str:
    if item.status != "answered" or not item.consent or not item.answer:
        raise ValueError(f"{item.code} is not an answered question whose sender consented")
    asked = _local(item.created_at)
    answered = _local(item.answered_at)
    topic = TOPIC_LABELS.get(item.topic, TOPIC_LABELS["khac"])
    sender = _metadata_value(item.initials)
    lines = [
        f"Title: {_metadata_value(item.title) or 'Câu hỏi'}",
        f"Date: {answered:%Y-%m-%d %H:%M}",
        f"Category: {CATEGORY}",
        f"Author: {_metadata_value(author)}",
        f"Summary: Trả lời câu hỏi của công dân {markdown_text(sender)} về lĩnh vực {topic}.",
        f"Slug: {article_slug(item)}",
        f"Linh_vuc: {topic}",
        f"Linh_vuc_slug: {item.topic}",
        f"Nguoi_hoi: {sender}",
        f"Ngay_hoi: {asked:%Y-%m-%d %H:%M}",
        "",
        "## Câu hỏi",
        "",
        _plain_text_block(item.body),
        "",
        "## Trả lời",
        "",
        item.answer.strip(),
        "",
    ]
    return "\n".join(lines)


def write_articles(items: list[Item], directory: Path, author: str) -> list[Path]:
    """Write one article per publishable item; rewrite ones whose answer changed."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for item in items:
        if item.status != "answered" or not item.consent or not item.answer:
            continue
        path = directory / f"{article_slug(item)}.md"
        text = article_markdown(item, author)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
