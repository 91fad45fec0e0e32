"""The generators' translation step, one group at a time, answers as Pelican's does."""
from __future__ import annotations

import random
from types import SimpleNamespace

from pelican.utils import process_translations

from plugins.fast_build.translations import process_translations_by_group


def _contents(seed: int) -> list:
    rng = random.Random(seed)
    contents = []
    for number in range(200):
        slug = f"bai-{rng.randrange(60)}"
        lang = rng.choice(["vi", "vi", "en", "fr"])
        metadata = {"translation": rng.choice(["false", "false", "true"])}
        contents.append(SimpleNamespace(slug=slug, lang=lang, metadata=metadata, in_default_lang=lang == "vi",
                                        source_path=f"content/{number}.md"))
    return contents


def _answer(function, contents):
    originals, translations = function(contents, translation_id="slug")
    return ([item.source_path for item in originals], [item.source_path for item in translations],
            {item.source_path: [other.source_path for other in item.translations] for item in contents})


def test_groups_give_pelicans_originals_translations_and_lists():
    for seed in range(5):
        assert _answer(process_translations_by_group, _contents(seed)) == _answer(process_translations, _contents(seed))


def test_no_translation_id_leaves_every_item_an_original():
    contents = _contents(1)
    assert process_translations_by_group(contents, translation_id=None) == (contents, [])
