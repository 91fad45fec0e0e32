"""Remember each article's and page's URL once it is final.

Pelican recomputes `url` and `save_as` from the settings at every use (a date format, a
relative path and a string format each time); a listing-heavy theme asks ~20 times per
article, and the statistics and legal references plugins ask again. Once the articles'
or pages' generator has finished, nothing changes them any more.
"""
from __future__ import annotations

import functools

_frozen_classes: dict[type, type] = {}


def _frozen_class(cls: type) -> type:
    if cls not in _frozen_classes:
        # Same name: Pelican finds ARTICLE_URL and friends through the class name.
        _frozen_classes[cls] = type(cls.__name__, (cls,), {
            "__module__": cls.__module__,
            "url": functools.cached_property(cls.url.fget),
            "save_as": functools.cached_property(cls.save_as.fget),
        })
    return _frozen_classes[cls]


def freeze_urls(contents) -> None:
    frozen = set(_frozen_classes.values())
    for content in contents:
        if type(content) not in frozen:
            content.__class__ = _frozen_class(type(content))
