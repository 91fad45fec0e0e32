"""Pelican glue for legal references: link and list them in articles, and write
the /van-ban/ section. The work is done by the modules beside this one."""
from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from pathlib import Path

from pelican import signals
from pelican.generators import Generator

from cityportal.legal_refs.catalog import Catalog
from cityportal.output_ledger import LEDGER
from cityportal.legal_refs.inline import find_references, wrap_links
from cityportal.legal_refs.pages import index_json, plan_section
from cityportal.legal_refs.registry import load_registry
from cityportal.legal_refs.settings import setting as _setting
from cityportal.memo import Memo, shared_memo
from cityportal.problems import ERROR

logger = logging.getLogger(__name__)
# The results of find_references kept between builds (cityportal/memo.py), once opened.
_memo = None

@dataclass(frozen=True)
class CitingArticle:
    """What "Bài viết liên quan" shows of an article, read once: Pelican computes
    an article's url anew on every access."""

    url: str
    title: str
    date: datetime.datetime


def _site_root(url: str, settings) -> str:
    """The way from the page at `url` back to the site root, as Pelican would write it."""
    if settings.get("RELATIVE_URLS"):
        return "../" * url.count("/") or "./"
    return f"{settings.get('SITEURL', '')}/"


class LegalDocumentsGenerator(Generator):
    """Links references in every article, then writes /van-ban/ and its index.json."""

    def generate_context(self):
        settings = self.settings
        registry = load_registry(Path(settings["PATH"]) / _setting(settings, "LEGAL_REFS_REGISTRY_DIR"))
        for path, line, level, message in registry.problems:
            (logger.error if level == ERROR else logger.warning)("%s:%d: %s", path, line, message)
        self.catalog = Catalog(
            registry,
            home_locality=_setting(settings, "LEGAL_REFS_HOME_LOCALITY"),
            url_prefix=_setting(settings, "LEGAL_REFS_URL_PREFIX"),
            search_url=_setting(settings, "LEGAL_REFS_SEARCH_URL"),
        )
        # Cite everything first: whether a document gets a page depends on all its citations.
        global _memo
        _memo = shared_memo(settings["CACHE_PATH"])
        cited = [self._cite(article, _memo) for article in self._all_articles()]
        self.catalog.settle(_setting(settings, "LEGAL_REFS_STUB_PAGE_MIN_CITATIONS"))
        for article, markup, found in cited:
            self._link(article, markup, found)
        self.section = plan_section(self.catalog)
        # "Văn bản mới" lists the registry's documents only: a citation is no publication.
        newest = [e for e in self.section.documents if e.known and e.document.issued]
        self.context["legal_documents_recent"] = newest[: _setting(settings, "LEGAL_REFS_SIDEBAR_COUNT")]
        self.context["legal_documents_url"] = self.section.index.url
        self.context["LEGAL_REFS_RELATED_COUNT"] = _setting(settings, "LEGAL_REFS_RELATED_COUNT")

    def _all_articles(self):
        for name in ("articles", "hidden_articles", "drafts"):
            for article in self.context.get(name, []):
                yield article
                yield from getattr(article, "translations", [])

    def link_article(self, article):
        """Link the references of one article's body and list the documents it cites;
        the resident site of `invoke serve` calls it again on a saved article's new body."""
        cited = self._cite(article, Memo(None))
        self.catalog.settle(_setting(self.settings, "LEGAL_REFS_STUB_PAGE_MIN_CITATIONS"))
        self._link(*cited)

    def _cite(self, article, memo):
        """Record the article's references in the catalog; what _link needs next."""
        markup, found = memo("legal_refs", find_references, article._content or "")
        citing = CitingArticle(article.url, article.title, article.date) if article.status == "published" else None
        for item in found:
            self.catalog.cite(item.reference, citing)
        return article, markup, found

    def _link(self, article, markup, found):
        root = _site_root(article.url, self.settings)
        links, cited = [], []
        for item in found:
            # Resolved again: a document first cited without its year may since have
            # been merged into the same document cited with it.
            entry = self.catalog.cite(item.reference, None)
            target = f"{root}{entry.url}" if entry.page else entry.search_url
            links.append((item, target, entry.link_title))
            if all(entry is not other for other in cited):
                cited.append(entry)
        article._content = wrap_links(markup, links)
        article.legal_refs = cited

    def generate_output(self, writer):
        relative = self.settings.get("RELATIVE_URLS", False)
        section = self.section
        listing = self.get_template("legal_documents")
        for page in [section.index, *section.filtered]:
            writer.write_file(page.save_as, listing, self.context, relative_urls=relative,
                              listing=page, facets=section.facets, url=page.url)
        single = self.get_template("legal_document")
        for entry in section.documents:
            writer.write_file(f"{entry.url}index.html", single, self.context, relative_urls=relative,
                              document=entry, catalog=self.catalog, url=entry.url)
        target = Path(self.output_path) / section.index.url / "index.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        public_url = self.settings.get("PORTAL_PUBLIC_URL") or self.settings.get("SITEURL", "")
        target.write_text(index_json(self.catalog, public_url), encoding="utf-8")
        LEDGER.record(target)


def _generators(pelican):
    return LegalDocumentsGenerator


def _save_memo(pelican):
    if _memo is not None:
        _memo.save()


def register():
    signals.get_generators.connect(_generators)
    signals.finalized.connect(_save_memo)
