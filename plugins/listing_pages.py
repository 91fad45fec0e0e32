"""Pelican glue for stable listing pages (cityportal/listings.py): a listing's own address
shows its newest articles, and each older page a fixed block counted from the oldest
article, so that a new article changes only the first page of each listing it is in.

Pelican pages its listings (PAGINATED_TEMPLATES) with `pelican.writers.Paginator` and has
no setting for another class, so this plugin puts `StablePaginator` there when Pelican
starts; fast_build's writer takes its paginator from the same place. The lists Pelican
pages are newest first (ARTICLE_ORDER_BY and NEWEST_FIRST_ARCHIVES keep their defaults).

Addresses come from PAGINATION_PATTERNS: the first rule names the first page, the last
rule the block pages, with {number} the block's number (1 for the oldest). Orphans
(DEFAULT_ORPHANS) play no part.
"""
from __future__ import annotations

import pelican.writers
from pelican import signals
from pelican.paginator import Page, Paginator

from cityportal.listings import listing_pages


class StablePaginator(Paginator):
    """Pelican's writer walks pages 1..num_pages: the first page, then the blocks from the
    newest to the oldest."""

    def __init__(self, name, url, object_list, settings, per_page=None):
        super().__init__(name, url, object_list, settings, per_page)
        self.slices = listing_pages(len(object_list), self.per_page)

    @property
    def num_pages(self) -> int:
        return len(self.slices)

    def page(self, number) -> StablePage:
        return StablePage(self, number)


class StablePage(Page):
    """One listing page. `number` counts from the first page and changes as blocks form,
    so templates never show it: they name a page by its dates, and link its neighbours
    and both ends by the addresses below."""

    def __init__(self, paginator: StablePaginator, number: int):
        piece = paginator.slices[number - 1]
        super().__init__(paginator.name, paginator.url,
                         paginator.object_list[piece.start:piece.stop], number, paginator,
                         paginator.settings)
        self.block = piece.block  # None on the first page

    def _address(self, key: str) -> str:
        rules = self.settings["PAGINATION_PATTERNS"]
        pattern = getattr(rules[0] if self.block is None else rules[-1], key)
        address = pattern.format(save_as=self.full_name, url=self.base_url, name=self.name,
                                 base_name=self.base_name, extension=self.extension,
                                 number=self.block)
        return address[1:] if address.startswith("/") else address  # as Pelican does

    @property
    def url(self) -> str:
        return self._address("URL")

    @property
    def save_as(self) -> str:
        return self._address("SAVE_AS")

    def _other(self, number: int) -> str | None:
        if 1 <= number <= self.paginator.num_pages:
            return self.paginator.page(number).url
        return None

    @property
    def newer_url(self) -> str | None:
        return self._other(self.number - 1)

    @property
    def older_url(self) -> str | None:
        return self._other(self.number + 1)

    @property
    def newest_url(self) -> str:
        return self._other(1)

    @property
    def oldest_url(self) -> str:
        return self._other(self.paginator.num_pages)

    def place(self) -> tuple:
        """Everything a template shows of where this page stands: fast_build renders the
        page again when it changes (or when its articles do)."""
        return (self.block, self.url, self.newer_url, self.older_url, self.newest_url,
                self.oldest_url)


def _use_stable_pages(pelican_instance):
    pelican.writers.Paginator = StablePaginator


def register():
    signals.initialized.connect(_use_stable_pages)
