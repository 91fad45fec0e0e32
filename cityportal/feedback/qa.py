"""The Hỏi đáp section: published questions grouped by Lĩnh vực, in the order
of the form's topic list, newest first within a topic. Knows nothing of
Pelican: an item needs only `linh_vuc_slug`, `linh_vuc` and `date`."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class TopicGroup:
    slug: str
    label: str
    items: list = field(default_factory=list)


def group_by_topic(items, topics: tuple[tuple[str, str], ...]) -> list[TopicGroup]:
    order = {slug: index for index, (slug, _) in enumerate(topics)}
    labels = dict(topics)
    groups: dict[str, TopicGroup] = {}
    for item in items:
        slug = getattr(item, "linh_vuc_slug", "") or "khac"
        # A topic retired from the form still shows under the label it was published with.
        label = labels.get(slug) or getattr(item, "linh_vuc", "") or labels.get("khac", slug)
        groups.setdefault(slug, TopicGroup(slug, label)).items.append(item)
    for group in groups.values():
        group.items.sort(key=lambda item: item.date, reverse=True)
    return sorted(groups.values(), key=lambda group: (order.get(group.slug, len(order)), group.label))
