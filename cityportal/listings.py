"""Which articles a "Tin cùng chuyên mục" block shows, as positions in a newest-first
list: the ones published just before, so an article's block does not change when newer
ones are published.
"""
from __future__ import annotations


def related_positions(position: int, count: int, size: int) -> list[int]:
    """The `size` items shown beside the item at `position` of a newest-first list of
    `count`, newest first: those just older; when fewer older ones exist, the nearest
    newer ones fill the block."""
    older = min(size, count - position - 1)
    newer = min(size - older, position)
    return [*range(position - newer, position), *range(position + 1, position + 1 + older)]
