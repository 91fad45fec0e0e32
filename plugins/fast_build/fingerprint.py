"""A digest of everything a build's pages can depend on, cheap enough to take every build.

Knows nothing of Pelican: it sees settings as a mapping and inputs as folders.
"""
from __future__ import annotations

import hashlib
import os
from datetime import date, datetime
from pathlib import Path
from types import ModuleType

_SKIPPED_DIRS = {"__pycache__", ".git", ".pytest_cache"}


def stable_repr(value) -> str:
    """A repr that is the same in every process: no memory addresses, sorted mappings."""
    if isinstance(value, dict):
        items = sorted((stable_repr(k), stable_repr(v)) for k, v in value.items())
        return "{" + ",".join(f"{k}:{v}" for k, v in items) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(stable_repr(v) for v in value) + "]"
    if isinstance(value, (set, frozenset)):
        return "{" + ",".join(sorted(stable_repr(v) for v in value)) + "}"
    if isinstance(value, (str, int, float, bool, type(None), datetime, date, Path)):
        return repr(value)
    if isinstance(value, ModuleType):
        return f"<module {value.__name__}>"
    if callable(value):
        return f"<{getattr(value, '__module__', '?')}.{getattr(value, '__qualname__', type(value).__name__)}>"
    return f"<{type(value).__module__}.{type(value).__qualname__}>"


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


def _walk(root: Path):
    if root.is_file():
        yield root
        return
    for directory, subdirs, files in os.walk(root):
        subdirs[:] = sorted(d for d in subdirs if d not in _SKIPPED_DIRS)
        for name in sorted(files):
            yield Path(directory) / name


def tree_stamp(paths) -> str:
    """Digest of (path, size, mtime) of every file under `paths`: any edit, addition or
    removal changes it, without reading a single file."""
    digest = hashlib.blake2b(digest_size=16)
    for root in sorted({Path(p).resolve() for p in paths}):
        if not root.exists():
            digest.update(f"missing:{root}\n".encode())
            continue
        for path in _walk(root):
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


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
