"""Pelican glue for markup safety (cityportal/markup.py).

* Every template is autoescaped: metadata (titles, authors, tags, a citizen's question)
  is text wherever it goes.
* Each article and page body, and its Markdown Summary, goes through the body allow-list
  as soon as Pelican has read it, before other plugins add their own markup (legal
  reference links) and before feeds and search see it. What the allow-list removes is
  logged with `file:line`; `invoke check` reports the same.
* An allowed <iframe> (PORTAL_EMBED_HOSTS) becomes a click-to-load link: no request
  reaches the other host before the reader asks for the video.
* Templates get the cleaned HTML, marked safe, only through the `body_html` and
  `summary_html` filters.
* Feed entries carry the article's title as written, not Pelican's striptags of it.
"""
from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import urlsplit

from markupsafe import Markup
from pelican import signals

from cityportal.markup import BodyPolicy, defer_embeds, locate, plain_text
from cityportal.memo import Memo, shared_memo
from cityportal.metadata import read_source

logger = logging.getLogger(__name__)

_policy = BodyPolicy()
_memo = Memo(None)
_CLEANED = "_portal_markup_cleaned"


def _configure(pelican):
    global _policy, _memo
    settings = pelican.settings
    _policy = BodyPolicy(settings.get("PORTAL_EMBED_HOSTS", ()))
    _memo = shared_memo(settings["CACHE_PATH"])
    # On for every template, whatever pelicanconf.py says.
    settings["JINJA_ENVIRONMENT"] = {**settings["JINJA_ENVIRONMENT"], "autoescape": True}
    settings["JINJA_FILTERS"] = {**settings["JINJA_FILTERS"],
                                 "body_html": body_html, "summary_html": summary_html}


def body_html(content) -> Markup:
    """An article's or page's body for a template: cleaned when it was read."""
    html = content.content
    return Markup(html) if getattr(content, _CLEANED, False) else Markup(defer_embeds(_policy.clean(html)))


def summary_html(content) -> Markup:
    """Its summary: the cleaned Summary field, or the start of the cleaned body."""
    html = content.summary or ""
    return Markup(html) if getattr(content, _CLEANED, False) else _policy.clean(html)


def _report(instance, field: str, removals) -> None:
    path = Path(instance.source_path or "")
    try:
        source = read_source(path)
    except (OSError, UnicodeDecodeError):
        source = None
    if source is None:
        lines = [1] * len(removals)
    elif field == "summary":
        lines = [source.line_of("Summary")] * len(removals)
    else:
        lines = locate(source.body.splitlines(), [r.needle for r in removals], source.body_start)
    for removal, line in zip(removals, lines):
        logger.warning("%s:%d: %s", path, line, removal.message)


def _clean(instance):
    title = getattr(instance, "title", None)
    if isinstance(title, str):
        # Text, escaped by the templates; only the invisible controls go.
        instance.title = plain_text(title)
    for attribute, field in (("_content", "body"), ("_summary", "summary")):
        html = getattr(instance, attribute, None)
        if html:
            removals, cleaned = _memo("markup", _cleaned, html, field == "body", sorted(_policy.embed_hosts))
            if removals:
                _report(instance, field, removals)
            setattr(instance, attribute, cleaned)
    setattr(instance, _CLEANED, True)


def _cleaned(html: str, is_body: bool, _embed_hosts) -> tuple[list, str]:
    """What the allow-list removes from `html`, and what it leaves; in a body, an allowed
    embed loads nothing from its host until the reader clicks. (`_embed_hosts` is the
    policy's, part of the memo's key.)"""
    cleaned = str(_policy.clean(html))
    return _policy.removals(html), defer_embeds(cleaned) if is_body else cleaned


def _feed_titles(context, feed):
    """Pelican titles feed entries with striptags, which eats a text title's "<…>" and
    un-escapes entities; give each entry the title as the page shows it."""
    titles = {}
    for name in ("articles", "pages"):
        for item in context.get(name, []) or []:
            titles[item.url] = item.title
    for entry in feed.items:
        segments = urlsplit(entry.get("link", "")).path.strip("/").split("/")
        for start in range(len(segments)):
            key = "/".join(segments[start:]) + "/"
            if key in titles:
                entry["title"] = str(titles[key])
                break


def _save_memo(pelican):
    _memo.save()


def register():
    signals.initialized.connect(_configure)
    signals.finalized.connect(_save_memo)
    signals.content_object_init.connect(_clean)
    signals.feed_generated.connect(_feed_titles)
