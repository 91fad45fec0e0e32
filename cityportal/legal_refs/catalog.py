"""Every document the site knows: the registry plus everything the articles cite.

Citations are matched to registry entries by number, year and locality; what
is cited but not registered becomes an entry built from what was extracted.
The citing articles are opaque hashable objects here, so this module never needs Pelican.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import quote

from . import ids
from .extract import Reference
from .registry import Document, DocumentKey, Registry

DEFAULT_SEARCH_URL = "https://vbpl.vn/TW/Pages/vbpq-timkiem.aspx?type=0&s=1&SearchIn=Title,Title1&Keyword={query}"
NOT_IN_REGISTRY = "Chưa có trong cơ sở dữ liệu của cổng"
_STATUS_CLASSES = {ids.STATUS_IN_FORCE: "in-force", ids.STATUS_EXPIRED: "expired"}
_LEVEL_ONLY = re.compile(r"^(thành phố|tỉnh|thị xã|huyện|quận|thị trấn|xã|phường)$")


@dataclass
class Entry:
    """One document of the site. Its shown values are read once: every article
    page that cites it renders them again."""

    key: DocumentKey
    document: Document
    known: bool  # True when the registry has it
    named: bool  # a law cited by its name only
    url: str
    search_url: str
    articles: list = field(default_factory=list)
    # The same articles, for membership: a national decree is cited by thousands.
    _citing: set = field(default_factory=set, repr=False, compare=False)
    # Whether the document has its own page at `url` (Catalog.settle); a link to one
    # without goes to `search_url`.
    page: bool = True
    # When a document known only from citations got its page: the date of the citing
    # article that made it count (Catalog.settle). The search index numbers pages by
    # the time they appear, so such a page joins after the older ones.
    appeared: object = None

    def add_citing(self, article) -> None:
        """Count `article` among the citing ones, once: equal articles are one (a saved
        body in `invoke serve` cites again)."""
        if article not in self._citing:
            self._citing.add(article)
            self.articles.append(article)

    @cached_property
    def label(self) -> str:
        if self.named or not self.document.type:
            return self.document.number
        return f"{self.document.type} {self.document.number}"

    @cached_property
    def issuer(self) -> str | None:
        issuer, locality = self.document.issuer, self.document.locality
        if issuer and locality and not issuer.endswith(locality):
            return f"{issuer} {locality}"
        return issuer

    @cached_property
    def link_title(self) -> str:
        summary = self.document.summary
        return f"{self.label}: {summary}" if summary and summary != self.label else self.label

    def newest_articles(self, limit: int | None = None) -> list:
        """The citing articles, newest first; all of them when `limit` is None."""
        newest = sorted(self.articles, key=lambda article: article.date, reverse=True)
        return newest[:limit] if limit else newest

    @cached_property
    def status(self) -> str:
        """What the status badge says: a document known only from citations says so,
        rather than "Chưa xác định", which reads as a fact about the document."""
        return self.document.status if self.known else NOT_IN_REGISTRY

    @cached_property
    def status_class(self) -> str:
        """The CSS modifier for the status badge."""
        if not self.known:
            return "not-registered"
        return _STATUS_CLASSES.get(self.document.status, "unknown")

    @property
    def year(self) -> int | None:
        return self.key.year or self.document.year

    @property
    def sort_key(self):
        issued = self.document.issued or datetime.date(self.year or 1, 1, 1)
        return issued, self.document.number


def _search_terms(number: str, named: bool) -> str:
    """A named law is searched by its name, without the year we appended."""
    return number.rsplit(" ", 1)[0] if named else number


class Catalog:
    def __init__(self, registry: Registry, home_locality: str | None = None,
                 url_prefix: str = "van-ban", search_url: str = DEFAULT_SEARCH_URL):
        self.registry = registry
        self.home_locality = home_locality
        self.url_prefix = url_prefix.strip("/")
        self.search_url = search_url
        self.entries: dict[DocumentKey, Entry] = {}
        # The keys of the entries with each number: citations without a year, and
        # "replaced by" numbers, are matched by number alone.
        self._keys_by_number: dict[str, list[DocumentKey]] = {}
        # Citations resolve the same way each time they are written the same way.
        self._resolved: dict[tuple, Entry] = {}
        self._by_name = {
            (f"{d.type} {d.summary}".casefold(), d.year): d
            for d in registry.documents.values() if d.type in ids.NAMED_LAW_TYPES and d.summary
        }
        self._by_name.update({
            (d.summary.casefold(), d.year): d
            for d in registry.documents.values() if d.type in ids.NAMED_LAW_TYPES and d.summary
        })
        for document in registry.documents.values():
            self._add(document.key, document, known=True, named=False)

    def locality_of(self, reference: Reference) -> str | None:
        """Where a local body's document comes from: a number like 1234/QĐ-UBND means
        this portal's own city unless the text names another place."""
        if not ids.is_local_issuer(reference.issuer):
            return None
        locality = reference.locality
        if locality is None or (self.home_locality and self.home_locality.startswith(locality)
                                and _LEVEL_ONLY.match(locality)):
            return self.home_locality
        return locality

    def cite(self, reference: Reference, article) -> Entry:
        """Record that `article` cites `reference`; return the document's entry."""
        signature = (reference.kind, reference.id, reference.year, reference.locality, reference.issuer)
        entry = self._resolved.get(signature)
        if entry is None or entry.key not in self.entries:
            entry = self.find(reference) or self._add_cited(reference)
            self._resolved[signature] = entry
        if article is not None:
            entry.add_citing(article)
        return entry

    def find(self, reference: Reference) -> Entry | None:
        if reference.kind == "named":
            document = self._by_name.get((reference.id.rsplit(" ", 1)[0].casefold(), reference.year))
            key = document.key if document else DocumentKey(reference.id, reference.year, None)
            return self.entries.get(key)
        locality = self.locality_of(reference)
        document = self.registry.find(reference.id, reference.year, locality)
        if document is not None:
            return self.entries[document.key]
        exact = self.entries.get(DocumentKey(reference.id, reference.year, locality))
        if exact or reference.year is not None:
            return exact
        same = [self.entries[k] for k in self._keys_by_number.get(reference.id, ()) if k.locality == locality]
        return same[0] if len(same) == 1 else None

    def _add_cited(self, reference: Reference) -> Entry:
        locality = self.locality_of(reference)
        named = reference.kind == "named"
        issuer = reference.issuer
        if locality and issuer and reference.locality and issuer.endswith(reference.locality):
            issuer = issuer[: -len(reference.locality)].strip()
        document = Document(
            number=reference.id, type=reference.type, issuer=issuer, locality=locality,
            issued=reference.date, status=ids.STATUS_UNKNOWN,
        )
        key = DocumentKey(reference.id, reference.year, None if named else locality)
        entry = self._add(key, document, known=False, named=named)
        if reference.year is not None:
            self._absorb_yearless(entry)
        return entry

    def _absorb_yearless(self, entry: Entry) -> None:
        """A document cited once without a date and once with one is one document."""
        key = entry.key
        yearless = self.entries.get(DocumentKey(key.number, None, key.locality))
        if yearless is None or yearless.known:
            return
        same = [k for k in self._keys_by_number[key.number] if k.locality == key.locality and k.year]
        if len(same) == 1:
            del self.entries[yearless.key]
            self._keys_by_number[key.number].remove(yearless.key)
            for article in yearless.articles:
                entry.add_citing(article)

    def _add(self, key: DocumentKey, document: Document, known: bool, named: bool) -> Entry:
        entry = Entry(
            key=key, document=document, known=known, named=named,
            url=f"{self.url_prefix}/{key.slug}/",
            search_url=self.search_url.format(query=quote(_search_terms(document.number, named), safe="")),
        )
        if key not in self.entries:
            self._keys_by_number.setdefault(key.number, []).append(key)
        self.entries[key] = entry
        return entry

    def settle(self, min_citations: int) -> None:
        """Once every article is cited: a registry document has its page; a document known
        only from citations has one when at least `min_citations` published articles
        cite it, since a page listing the one article a reader came from adds nothing."""
        for entry in self.entries.values():
            entry.page = entry.known or len(entry.articles) >= min_citations
            entry.appeared = None if entry.known or not entry.page else \
                sorted(article.date for article in entry.articles)[max(min_citations, 1) - 1]

    def entry_for_number(self, number: str) -> Entry | None:
        """The entry a "replaced by" or "amended by" number points at, if only one."""
        keys = self._keys_by_number.get(number, [])
        return self.entries[keys[0]] if len(keys) == 1 else None

    def newest_first(self) -> list[Entry]:
        return sorted(self.entries.values(), key=lambda e: e.sort_key, reverse=True)
