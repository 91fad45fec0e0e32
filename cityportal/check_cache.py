"""What the editorial checks found in each source file, kept between builds.

Every build checks every article before Pelican reads it (plugins/content_checks.py).
Most rules read nothing but the file: its fields, its body, its dates, its category, its
image's description. What they found, and the file's slug, are kept in the cache folder
under the file's stamp (inode, size, modification time), so an unchanged file is not
read again. A file whose findings depend on other files (a link into the site, an image
path leading out of its folder) is not kept: it is read and checked every build.

Everything is kept under a stamp of the rules: the portal's code, the installed
packages, the settings the rules read and the content folder. After a change to any of
them every file is checked afresh. A file modified in the last seconds (is_racy) is not kept
either: it may change again without changing its stamp.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from cityportal.fingerprint import code_stamp, file_stamp, is_racy, stable_repr
from cityportal.problems import Problem

# The settings the per-file rules read.
RULE_SETTINGS = ("PORTAL_REQUIRED_METADATA", "PORTAL_CATEGORIES", "SLUG_REGEX_SUBSTITUTIONS",
                 "ARTICLE_PATHS", "PAGE_PATHS")


class CheckCache:
    def __init__(self, cache_file: Path | None, content_dir: Path, settings: dict):
        self._file = cache_file
        self._rules = None
        self._found: dict[str, list] = {}
        self._kept: dict[str, list] = {}
        if cache_file is None:
            return
        self._rules = stable_repr([code_stamp(), str(Path(content_dir).resolve()),
                                   {name: settings.get(name) for name in RULE_SETTINGS}])
        try:
            saved = json.loads(Path(cache_file).read_text(encoding="utf-8"))
            if saved["rules"] == self._rules:
                self._found = saved["files"]
        except (OSError, ValueError, KeyError, TypeError):
            pass  # no file, or one this code cannot read: every file is checked

    def get(self, path: Path) -> tuple[str, int, list[Problem]] | None:
        """The slug, the slug's line and the problems of an unchanged file; else None."""
        entry = self._found.get(str(path))
        if self._file is None or entry is None or entry[0] != file_stamp(path):
            return None
        self._kept[str(path)] = entry
        _stamp, slug, line, problems = entry
        return slug, line, [Problem(path, *problem) for problem in problems]

    def put(self, path: Path, slug: str, line: int, problems: list[Problem]) -> None:
        stamp = file_stamp(path)
        if self._file is None or stamp is None or is_racy(stamp[2]):
            return
        self._kept[str(path)] = [stamp, slug, line, [[p.line, p.level, p.message] for p in problems]]

    def save(self) -> None:
        """Keep the files this run saw, and nothing else."""
        if self._file is None:
            return
        Path(self._file).parent.mkdir(parents=True, exist_ok=True)
        staging = Path(self._file).with_suffix(".tmp")
        staging.write_text(json.dumps({"rules": self._rules, "files": self._kept}), encoding="utf-8")
        os.replace(staging, self._file)
