"""What each output is made from, as a digest per output.

The writer renders an output again only when its digest changes. A digest covers:

- the global inputs: settings, tool versions, theme, the portal's code and every content
  folder that is not articles or pages (images, the document registry, Hỏi đáp);
- the shared sidebar data every page shows (categories in the menu, Văn bản mới, and
  every context value a plugin adds that is not listed below);
- what the template is given for this output, as far as its templates name it (the
  names a template, and every template it extends, includes or imports, reads):
  - an article page: its source, its metadata, its body after linking, the cards of its
    related articles and translations, and the documents it cites;
  - one page of a paginated listing (tag, category, archives, Tin mới): the cards of
    the articles on that page and its place (its block and the addresses of its
    neighbours and of both ends, plugins/listing_pages.py), never the number of pages;
    the home page also every article's card, as it shows every section;
  - a document page: the document, the articles citing it and the documents it links;
- for any page but a listing's, the site content its templates name: the cards of every
  article for the sitemap and the search page, the categories with their articles for
  Sơ đồ trang, nothing for 404 or a static page.

A card is what other pages show of an article: every header field, the address and
what plugins attached (the picture), but not the body.

Statistics are not inputs: the counters, each article's Lượt xem and Tin xem nhiều are
refreshed live from stats.json, so a statistics update on its own renders nothing. A
page takes the current numbers whenever it is rendered for another reason. Which
articles Tin xem nhiều showed on a page is recorded with it (`shown_articles`); a page
is rendered again when one of them is retitled, moved or withdrawn.
"""
from __future__ import annotations

import hashlib
import os
from datetime import date, datetime
from functools import cached_property
from html import unescape
from pathlib import Path
from types import ModuleType
from urllib.parse import unquote, urlparse

from jinja2 import meta
from pelican.urlwrappers import URLWrapper

from cityportal.legal_refs.catalog import Catalog, Entry

from cityportal.fingerprint import stable_repr

_SIMPLE = (str, int, float, bool, type(None), datetime, date, Path)
_PLAIN = frozenset({str, int, float, bool, type(None)})

# Attributes that hold statistics: live in stats.json, never a reason to render.
STATISTICS_ATTRIBUTES = {"views", "stats_path"}
STATISTICS_CONTEXT_KEYS = {"stats_report", "stats", "stats_daily", "stats_chart_svg",
                           "most_viewed"}
# Context values that only some pages use; they are described per page below.
SITE_CONTENT_KEYS = {"articles", "translations", "hidden_articles", "hidden_translations",
                     "drafts", "drafts_translations", "pages", "hidden_pages", "draft_pages",
                     "draft_translations", "dates", "tags", "categories", "authors",
                     "period_archives", "related_posts"}
# Filled from sets in whatever order hashing gives, and fully described by the content
# folder's file stamps; Pelican's own bookkeeping per page; every source file's content,
# of which a body linking with {filename} reads the files it names (see Describer.body).
IGNORED_CONTEXT_KEYS = {"staticfiles", "static_content", "static_links", "localsiteurl",
                        "output_file", "generated_content"}
# Pelican's own attributes of a content object, described explicitly in `card`.
_CONTENT_OWN = {"settings", "_settings", "_context", "metadata", "template", "translations",
                "in_default_lang", "source_path", "relative_source_path", "status",
                "date_format", "locale_date", "default_template", "mandatory_properties",
                "allowed_statuses", "get_content", "get_summary", "url", "save_as",
                "related", "legal_refs", "_content", "_summary"}


def _hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _stored_fields(value) -> dict:
    """An object's attributes, less the values its cached properties stored in it: whether
    they are there depends on what read them before, not on the object."""
    cls = type(value)
    return {name: attribute for name, attribute in vars(value).items()
            if not isinstance(getattr(cls, name, None), cached_property)}


def _linked_sources(content, text):
    """The source files a body's {filename} links may name, looked up as Pelican looks
    them up (Content._link_replacer): the path as written, unquoted and unescaped, from
    the content folder when it starts with "/", else from the article's own folder."""
    for found in content._get_intrasite_link_regex().finditer(text):
        if found.group("what") != "filename":
            continue
        value = urlparse(found.group("value"))
        for path in (value.path, unquote(value.path), urlparse(unescape(value.geturl())).path):
            if path.startswith("/"):
                yield path[1:]
            else:
                yield content.get_relative_source_path(os.path.join(content.relative_dir, path))


def is_content(value) -> bool:
    attributes = getattr(value, "__dict__", None)
    return attributes is not None and "source_path" in attributes and "metadata" in attributes


class Describer:
    """Digests of template values, each object described once per build."""

    def __init__(self):
        self._cards: dict[int, str] = {}
        self._full: dict[int, str] = {}
        self._objects: dict[int, str] = {}
        self._site: dict[str, str] = {}
        self._names: dict[str, frozenset[str] | None] = {}
        self._files: dict[str, tuple[set[str], list]] = {}

    # -- generic values ---------------------------------------------------------------
    def describe(self, value) -> str:
        kind = type(value)
        # The shapes met most, by exact type first: half a million values per build.
        if kind in _PLAIN:
            return repr(value)
        if kind is list or kind is tuple:
            return "[" + ",".join([self.describe(item) for item in value]) + "]"
        if kind is dict and all(type(key) is str for key in value):
            return "{" + ",".join([f"{key!r}:{self.describe(value[key])}" for key in sorted(value)]) + "}"
        if isinstance(value, _SIMPLE):
            return repr(value)
        if isinstance(value, dict):
            return "{" + ",".join(f"{stable_repr(k)}:{self.describe(value[k])}"
                                  for k in sorted(value, key=stable_repr)) + "}"
        if isinstance(value, (list, tuple)):
            return "[" + ",".join(self.describe(item) for item in value) + "]"
        if isinstance(value, (set, frozenset)):
            return stable_repr(value)
        if callable(value) or isinstance(value, ModuleType) or not hasattr(value, "__dict__"):
            return stable_repr(value)
        if isinstance(value, URLWrapper):
            # A tag, category or author: its slug is computed on first use, and its url
            # stores name and slug in the object, so only these two describe it.
            return f"{type(value).__name__}:{value.name}:{value.slug}"
        if is_content(value):
            return "C" + self.card(value)
        if isinstance(value, Entry):
            # Only a document's own page lists the articles citing it (see UnitDigests).
            return "E" + self.entry(value, with_articles=False)
        if isinstance(value, Catalog):
            return "K" + self.catalog(value)
        key = id(value)
        if key not in self._objects:
            self._objects[key] = "?"  # a cycle is named, not followed
            parts = [type(value).__qualname__]
            for name, attribute in sorted(_stored_fields(value).items()):
                if name in ("_context", "settings", "_settings") or name in STATISTICS_ATTRIBUTES:
                    continue
                parts.append(f"{name}={self.describe(attribute)}")
            self._objects[key] = _hash("<" + ";".join(parts) + ">")
        return self._objects[key]

    # -- articles and pages ------------------------------------------------------------
    def card(self, content) -> str:
        """What a listing, a related list or a sidebar shows of an article."""
        key = id(content)
        if key not in self._cards:
            attributes = vars(content)
            metadata = attributes["metadata"]
            extra = {k: v for k, v in attributes.items()
                     if k not in _CONTENT_OWN and k not in metadata and not k.startswith("_")
                     and k not in STATISTICS_ATTRIBUTES}
            parts = [type(content).__name__, attributes["source_path"], content.url,
                     content.save_as, str(attributes.get("status")),
                     str(attributes.get("in_default_lang")), self.describe(metadata),
                     self.describe(extra),
                     "[" + ",".join(f"{t.lang}:{t.url}" for t in attributes.get("translations", ())) + "]"]
            if "summary" not in metadata:  # Pelican then cuts the summary from the body
                parts.append(self.body(content))
            self._cards[key] = _hash("\0".join(parts))
        return self._cards[key]

    def full(self, content) -> str:
        """An article's or page's own page: its card, body, related list and documents."""
        key = id(content)
        if key not in self._full:
            attributes = vars(content)
            parts = [self.card(content), self.body(content),
                     ",".join(self.card(other) for other in attributes.get("related", ()) or ()),
                     ",".join(self.card(other) for other in attributes.get("translations", ())),
                     ",".join(self.entry(entry, with_articles=False)
                              for entry in attributes.get("legal_refs", ()) or ())]
            self._full[key] = _hash("\0".join(parts))
        return self._full[key]

    def body(self, content) -> str:
        """The body as written (legal references linked) and the address of every file its
        {filename} links name: Pelican resolves those links when the page is rendered."""
        text = content._content or ""
        named = sorted(set(_linked_sources(content, text)))
        if not named:
            return _hash(text)
        generated = content._context.get("generated_content", {})
        addresses = [(path, getattr(generated.get(path), "url", None)) for path in named]
        return _hash(text + "\0" + self.describe(addresses))

    # -- legal documents ---------------------------------------------------------------
    def entry(self, entry: Entry, with_articles: bool) -> str:
        own = self.describe_fields(entry, exclude={"articles", "_citing"})
        if not with_articles:
            return own
        return _hash(own + self.describe(list(entry.articles)))

    def describe_fields(self, value, exclude) -> str:
        key = (id(value), tuple(sorted(exclude)))
        if key not in self._objects:
            fields = {k: v for k, v in _stored_fields(value).items() if k not in exclude}
            self._objects[key] = _hash(type(value).__qualname__ + self.describe(fields))
        return self._objects[key]

    def catalog(self, catalog: Catalog) -> str:
        """Every document's address and label (what a link to another document shows)."""
        key = id(catalog)
        if key not in self._objects:
            self._objects[key] = _hash(self.describe(
                sorted((entry.url, self.entry(entry, with_articles=False))
                       for entry in catalog.newest_first())))
        return self._objects[key]

    def linked_documents(self, catalog: Catalog, entry: Entry) -> str:
        """The documents a document page links to: those replacing or amending it."""
        document = entry.document
        numbers = [*(getattr(document, "replaced_by", None) or ()),
                   *(getattr(document, "amended_by", None) or ())]
        targets = [catalog.entry_for_number(number) for number in numbers]
        return self.describe([(n, self.entry(t, with_articles=False) if t else None)
                              for n, t in zip(numbers, targets)])

    # -- the whole site ----------------------------------------------------------------
    def site(self, context, names=SITE_CONTENT_KEYS) -> str:
        """The cards of the site's articles and pages, and the categories' and tags' lists,
        as far as `names` (site content keys of the context) go."""
        parts = []
        for name in sorted(names):
            value = context.get(name)
            if value is None:
                continue
            if name not in self._site:
                self._site[name] = self.describe(value)
            parts.append(f"{name}={self._site[name]}")
        return _hash(";".join(parts))

    def template_names(self, template) -> frozenset[str] | None:
        """The context names a template reads, with every template it extends, includes or
        imports; None when one of them is chosen while rendering."""
        if template.name not in self._names:
            environment, found = template.environment, set()
            todo, seen = [template.name], set()
            while todo and found is not None:
                name = todo.pop()
                if name in seen:
                    continue
                seen.add(name)
                undeclared, referenced = self._template_file(environment, name)
                found |= undeclared
                if None in referenced:
                    found = None
                else:
                    todo.extend(referenced)
            self._names[template.name] = None if found is None else frozenset(found)
        return self._names[template.name]

    def _template_file(self, environment, name: str) -> tuple[set[str], list]:
        """The names one template file reads and the templates it refers to, parsed once
        per build: every page template includes the same partials."""
        if name not in self._files:
            tree = environment.parse(environment.loader.get_source(environment, name)[0])
            self._files[name] = (meta.find_undeclared_variables(tree), list(meta.find_referenced_templates(tree)))
        return self._files[name]

    def shared(self, context, settings_keys) -> str:
        """The shared sidebar data and anything else a plugin put into the context."""
        parts = []
        for name in sorted(context):
            if (name in settings_keys or name in SITE_CONTENT_KEYS or name in IGNORED_CONTEXT_KEYS
                    or name in STATISTICS_CONTEXT_KEYS):
                continue
            parts.append(f"{name}={self.describe(context[name])}")
        return _hash(";".join(parts))


def shown_articles(context) -> list[list[str]]:
    """The articles Tin xem nhiều shows, by source, with what the sidebar shows of them."""
    return [[item.source_path, _hash(f"{item.url}\0{item.title}")]
            for item in context.get("most_viewed") or ()]


def current_shown(context) -> dict[str, str]:
    """What the sidebar would show of each published article now, by source."""
    result = {}
    for name in ("articles", "translations"):
        for item in context.get(name) or ():
            result[item.source_path] = _hash(f"{item.url}\0{item.title}")
    return result
