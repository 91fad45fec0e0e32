"""The arithmetic of related articles (cityportal/listings.py).

Items are named by their age: in a newest-first list of n items, position p holds the
item published (n - 1 - p)-th, so 0 is the oldest and a new item takes the name n."""
from __future__ import annotations

from hypothesis import given, strategies as st

from cityportal.listings import related_positions

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
