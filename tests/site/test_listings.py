"""The arithmetic of listing pages and related articles (cityportal/listings.py).

Items are named by their age: in a newest-first list of n items, position p holds the
item published (n - 1 - p)-th, so 0 is the oldest and a new item takes the name n."""
from __future__ import annotations

from hypothesis import given, strategies as st

from cityportal.listings import PageSlice, listing_pages, related_positions

COUNTS = st.integers(0, 400)
PER_PAGE = st.integers(1, 60)


def names(count: int, page: PageSlice) -> list[int]:
    return [count - 1 - position for position in range(page.start, page.stop)]


def test_worked_example_of_25_articles_ten_to_a_page():
    assert listing_pages(25, 10) == [PageSlice(None, 0, 15), PageSlice(1, 15, 25)]
    assert listing_pages(30, 10) == [PageSlice(None, 0, 10), PageSlice(2, 10, 20), PageSlice(1, 20, 30)]
    assert listing_pages(19, 10) == [PageSlice(None, 0, 19)]
    assert listing_pages(0, 10) == [PageSlice(None, 0, 0)]


@given(COUNTS, PER_PAGE)
def test_pages_cover_the_list_once_newest_first(count, per_page):
    pages = listing_pages(count, per_page)
    assert pages[0].block is None and pages[0].start == 0 and pages[-1].stop == count
    for newer, older in zip(pages, pages[1:]):
        assert newer.stop == older.start


@given(COUNTS, PER_PAGE)
def test_the_first_page_holds_the_newest_block_and_the_remainder(count, per_page):
    first = listing_pages(count, per_page)[0]
    size = first.stop - first.start
    if count < 2 * per_page:
        assert size == count
    else:
        assert per_page <= size <= 2 * per_page - 1


@given(COUNTS, PER_PAGE)
def test_block_b_holds_the_bth_run_of_articles_counted_from_the_oldest(count, per_page):
    blocks = listing_pages(count, per_page)[1:]
    assert [page.block for page in blocks] == list(range(len(blocks), 0, -1))
    for page in blocks:
        assert sorted(names(count, page)) == list(range((page.block - 1) * per_page,
                                                        page.block * per_page))


@given(COUNTS, PER_PAGE)
def test_a_new_article_changes_the_first_page_and_at_most_adds_a_block(count, per_page):
    before = {page.block: names(count, page) for page in listing_pages(count, per_page)[1:]}
    after = {page.block: names(count + 1, page) for page in listing_pages(count + 1, per_page)[1:]}
    assert {block: after[block] for block in before} == before
    new_blocks = set(after) - set(before)
    assert len(new_blocks) <= 1
    assert not new_blocks or (count + 1) % per_page == 0


SIZES = st.integers(0, 8)


def test_related_articles_are_the_older_neighbours_then_the_nearest_newer():
    assert related_positions(0, 100, 5) == [1, 2, 3, 4, 5]
    assert related_positions(97, 100, 5) == [94, 95, 96, 98, 99]
    assert related_positions(99, 100, 5) == [94, 95, 96, 97, 98]
    assert related_positions(1, 3, 5) == [0, 2]


@given(st.integers(1, 60), SIZES, st.data())
def test_related_block_is_full_adjacent_and_newest_first(count, size, data):
    position = data.draw(st.integers(0, count - 1))
    related = related_positions(position, count, size)
    assert len(related) == min(size, count - 1)
    assert position not in related and related == sorted(related)
    assert all(0 <= other < count for other in related)
    window = sorted([*related, position])
    assert window == list(range(window[0], window[0] + len(window)))


@given(st.integers(1, 60), SIZES, st.data())
def test_a_new_article_leaves_the_related_block_of_an_article_with_enough_older_ones(count, size, data):
    position = data.draw(st.integers(0, count - 1))
    before = [count - 1 - p for p in related_positions(position, count, size)]
    after = [count - p for p in related_positions(position + 1, count + 1, size)]
    if count - 1 - position >= size:
        assert after == before
