"""Which articles a listing page and a "Tin cùng chuyên mục" block show, as positions in
a newest-first list, chosen so that a new article changes as few pages as it can.

Listing pages: with n articles and P to a page, blocks of P articles are counted from the
oldest (block 1 holds the P oldest). Every block but the newest has a page of its own,
whose articles never change when an article is added; the first page shows the newest
block with the remainder, between P and 2P - 1 articles (all of them when n < 2P). A new
block page appears every P articles.

Related articles: the ones published just before, so an article's block does not change
when newer ones are published.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSlice:
    """One listing page: positions start..stop - 1 of the newest-first list."""

    block: int | None  # None on the first page; 1 is the oldest block
    start: int
    stop: int


def listing_pages(count: int, per_page: int) -> list[PageSlice]:
    """The pages of a newest-first list of `count` items, the first page first."""
    blocks = count // per_page if per_page > 0 else 0
    if blocks < 2:
        return [PageSlice(None, 0, count)]
    first = count - (blocks - 1) * per_page
    pages = [PageSlice(None, 0, first)]
    for block in range(blocks - 1, 0, -1):
        start = count - block * per_page
        pages.append(PageSlice(block, start, start + per_page))
    return pages


def related_positions(position: int, count: int, size: int) -> list[int]:
    """The `size` items shown beside the item at `position` of a newest-first list of
    `count`, newest first: those just older; when fewer older ones exist, the nearest
    newer ones fill the block."""
    older = min(size, count - position - 1)
    newer = min(size - older, position)
    return [*range(position - newer, position), *range(position + 1, position + 1 + older)]
