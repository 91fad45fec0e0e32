"""A digest of everything a build's pages can depend on, cheap enough to take every build.

Knows nothing of Pelican: it sees settings as a mapping and inputs as folders.
"""
from __future__ import annotations

import hashlib
from datetime import date, datetime
from pathlib import Path
from types import ModuleType

from cityportal.fingerprint import stable_repr, tree_stamp

_SIMPLE = (str, int, float, bool, type(None), datetime, date, Path)
# Attributes Pelican sets on every article and page from its file and the settings.
_PELICAN_CONTENT_ATTRIBUTES = {
    "settings", "metadata", "template", "translations", "in_default_lang", "source_path",
    "relative_source_path", "status", "date_format", "locale_date", "default_template",
    "mandatory_properties", "allowed_statuses", "get_content", "get_summary",
    "url", "save_as",
}


class _ContextWalker:
    """Text describing what plugins and generators put into the template context: the
    numbers, lists and objects templates can show. Each object is described once; an
    object met again (articles are in several lists) is named by its identity in the
    walk, so the text stays linear in the size of the site."""

    def __init__(self):
        self.seen: dict[int, int] = {}
        self.parts: list[str] = []

    def visit(self, value) -> None:
        if isinstance(value, _SIMPLE):
            self.parts.append(repr(value))
            return
        if isinstance(value, dict):
            self.parts.append("{")
            for key in sorted(value, key=stable_repr):
                self.parts.append(stable_repr(key) + ":")
                self.visit(value[key])
            self.parts.append("}")
            return
        if isinstance(value, (list, tuple)):
            self.parts.append("[")
            for item in value:
                self.visit(item)
            self.parts.append("]")
            return
        if isinstance(value, (set, frozenset)):
            self.parts.append(stable_repr(value))
            return
        if callable(value) or isinstance(value, ModuleType) or not hasattr(value, "__dict__"):
            self.parts.append(stable_repr(value))
            return
        if id(value) in self.seen:
            self.parts.append(f"@{self.seen[id(value)]}")
            return
        self.seen[id(value)] = len(self.seen)
        self.parts.append(f"<{type(value).__qualname__}")
        attributes = vars(value)
        if "source_path" in attributes and "metadata" in attributes:
            # An article or page: what Pelican made of its file is covered by the file's
            # stamp; only what plugins attached (views, related, picture...) is described.
            self.parts.append(repr(attributes["source_path"]))
            derived = set(attributes["metadata"]) | _PELICAN_CONTENT_ATTRIBUTES
            attributes = {k: v for k, v in attributes.items()
                          if k not in derived and not k.startswith("_")}
        for name, attribute in sorted(attributes.items()):
            # The shared context and settings hang off every content object; they are
            # described at the top level, not again inside each article.
            if name in ("_context", "settings", "_settings"):
                continue
            self.parts.append(name + "=")
            self.visit(attribute)
        self.parts.append(">")


def context_text(context, skip_keys) -> str:
    walker = _ContextWalker()
    walker.visit({key: value for key, value in context.items() if key not in skip_keys})
    return "".join(walker.parts)


def site_digest(settings, input_paths, versions: dict[str, str], context=None) -> str:
    """Settings, tool versions, every input file's stamp and, when given, the template
    context beyond the settings (what plugins computed, e.g. view counts)."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(stable_repr(dict(settings)).encode())
    digest.update(stable_repr(versions).encode())
    digest.update(tree_stamp(input_paths).encode())
    if context is not None:
        digest.update(context_text(context, skip_keys=set(settings)).encode())
    return digest.hexdigest()
