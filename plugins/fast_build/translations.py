"""Pelican's `process_translations` tells translations from originals with `x not in index`
over a list: articles times articles comparisons, 0.7 s at 10,000 articles and about 17 s
at 50,000. The generators get it one translation group at a time instead: the list is
sorted as Pelican sorts it, and each group is handed to Pelican's own function alone, so
the originals, translations, `translations` attributes and warnings are Pelican's.
"""
from __future__ import annotations

from itertools import groupby
from operator import attrgetter

import pelican.generators
from pelican.utils import process_translations


def process_translations_by_group(content_list, translation_id=None):
    if not translation_id:
        return process_translations(content_list, translation_id)
    names = [translation_id] if isinstance(translation_id, str) else list(translation_id)
    key = attrgetter(*names)
    try:
        content_list.sort(key=key)
    except (TypeError, AttributeError):
        return process_translations(content_list, translation_id)  # raises with Pelican's message
    originals, translations = [], []
    for _, group in groupby(content_list, key):
        group_originals, group_translations = process_translations(list(group), translation_id)
        originals.extend(group_originals)
        translations.extend(group_translations)
    return originals, translations


def use_translation_groups() -> None:
    pelican.generators.process_translations = process_translations_by_group
