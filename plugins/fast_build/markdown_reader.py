"""A Markdown reader that builds its converter once instead of once per file.

Building a `markdown.Markdown` with the portal's extensions costs about as much as
converting a short article; at 10,000 articles that is seconds of every cold build.
"""
from __future__ import annotations

from markdown import Markdown
from pelican.readers import MarkdownReader
from pelican.utils import pelican_open


class ReusingMarkdownReader(MarkdownReader):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._converter = None
        self._meta_step = None

    def _fresh_converter(self) -> Markdown:
        if self._converter is None:
            self._converter = Markdown(**self.settings["MARKDOWN"])
            registry = self._converter.preprocessors
            # Pelican removes the metadata step while it formats the Summary field; keep
            # the step and its priority to put it back for the next file. The registry
            # has no public accessor for priorities.
            priority = next(item.priority for item in registry._priority if item.name == "meta")
            self._meta_step = (registry["meta"], "meta", priority)
        elif "meta" not in self._converter.preprocessors:
            self._converter.preprocessors.register(*self._meta_step)
        return self._converter.reset()

    def read(self, source_path):
        self._source_path = source_path
        self._md = self._fresh_converter()
        with pelican_open(source_path) as text:
            content = self._md.convert(text)
        metadata = self._parse_metadata(self._md.Meta) if hasattr(self._md, "Meta") else {}
        return content, metadata
