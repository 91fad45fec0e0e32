"""What the /van-ban/ section consists of: listings, filters, one page per
document and the open-data index. Plain data; the Pelican glue renders it."""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

from cityportal.text import ascii_slug

from .catalog import Catalog, Entry

FACETS = (
    # (dimension, path segment, heading, value of an entry)
    ("type", "loai", "Loại văn bản", lambda e: e.document.type),
    ("issuer", "co-quan", "Cơ quan ban hành", lambda e: e.issuer),
    ("year", "nam", "Năm ban hành", lambda e: e.year),
)


@dataclass(frozen=True)
class FacetValue:
    label: str
    url: str
    count: int


@dataclass(frozen=True)
class Listing:
    url: str
    title: str
    entries: list[Entry]
    dimension: str | None = None  # the facet this page filters on
    value: str | None = None

    @property
    def save_as(self) -> str:
        return f"{self.url}index.html"


@dataclass(frozen=True)
class Section:
    index: Listing
    filtered: list[Listing]
    facets: list[tuple[str, str, list[FacetValue]]]  # (dimension, heading, values)
    documents: list[Entry]


def _value_slug(value) -> str:
    return str(value) if isinstance(value, int) else ascii_slug(value)


def plan_section(catalog: Catalog) -> Section:
    """The listings and their filters hold the registry's documents, what the city
    publishes; a document known only from citations keeps its own page, if it has one
    (Catalog.settle), reached from the articles citing it and from search."""
    documents = [entry for entry in catalog.newest_first() if entry.page]
    entries = [entry for entry in documents if entry.known]
    prefix = catalog.url_prefix
    index = Listing(url=f"{prefix}/", title="Văn bản", entries=entries)
    filtered, facets = [], []
    for dimension, segment, heading, value_of in FACETS:
        counts = Counter(value_of(e) for e in entries if value_of(e))
        ordered = sorted(counts, reverse=True) if dimension == "year" else sorted(counts, key=str.casefold)
        values = []
        for value in ordered:
            url = f"{prefix}/{segment}/{_value_slug(value)}/"
            values.append(FacetValue(str(value), url, counts[value]))
            filtered.append(Listing(
                url=url, title=f"Văn bản – {heading.lower()}: {value}",
                entries=[e for e in entries if value_of(e) == value], dimension=dimension, value=str(value),
            ))
        facets.append((dimension, heading, values))
    return Section(index=index, filtered=filtered, facets=facets, documents=documents)


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def index_json(catalog: Catalog, public_url: str) -> str:
    """The machine-readable list of every document, newest first."""
    base = public_url.rstrip("/")
    records = []
    for entry in catalog.newest_first():
        document = entry.document
        records.append({
            "number": document.number,
            "type": document.type,
            "issuer": entry.issuer,
            "year": entry.year,
            "issued": _iso(document.issued),
            "effective": _iso(document.effective),
            "expires": _iso(document.expires),
            "summary": document.summary,
            "field": document.field,
            "signer": document.signer,
            "status": document.status,
            "replaced_by": document.replaced_by,
            "amended_by": document.amended_by,
            "in_registry": entry.known,
            "url": f"{base}/{entry.url}" if entry.page else None,
            "search_url": entry.search_url,
            "source": document.source,
            "pdf": f"{base}/{document.pdf}" if document.pdf else None,
            "cited_by": [f"{base}/{article.url}" for article in entry.articles],
        })
    return json.dumps({"documents": records}, ensure_ascii=False, indent=1) + "\n"
