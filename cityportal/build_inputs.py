"""Whether a build's inputs are exactly those of the last finished build into the same
output folder, so `build_site` can leave the output as it is without starting Pelican.

The inputs are: the settings as Pelican reads them (so a setting taken from the
environment or from the date counts), the content, the theme, the portal's code, the
installed packages, and every file a setting names (the statistics database, its log,
view offsets). Each file is known by its size and modification time, as `make` and git
do; no file is read.

A file modified in the last seconds before a build may be modified again within the same
tick of the file system's clock, keeping its size and time. Such a file is also known by
a digest of its bytes, taken before the build reads it, and compared by them next time
(git does the same for the entries it calls "racily clean").
"""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

from cityportal import CODE_FOLDERS, PROJECT_ROOT
from cityportal.fingerprint import (RACY_SECONDS, bytes_digest, file_digest, file_stats, packages_stamp,
                                    stable_repr, stats_digest)

_STAMP_VERSION = 1


def _named_files(settings: dict, base: Path, skip: tuple[Path, ...]):
    """Existing files named by a setting's value (a string, or strings in a list), other
    than those under `skip` (the output and the cache, which the build writes)."""
    for value in settings.values():
        for text in (value if isinstance(value, (list, tuple)) else [value]):
            if not isinstance(text, str) or not text or "\n" in text or len(text) > 4096:
                continue
            path = (base / text).resolve()
            if path.is_file() and not any(path.is_relative_to(folder) for folder in skip):
                yield path


def _settings(settings_file: Path, content: Path | None, output: Path, extra: dict) -> dict:
    from pelican.settings import read_settings

    override = dict(extra)
    if content is not None:
        override["PATH"] = str(content)
    override["OUTPUT_PATH"] = str(output)
    return read_settings(str(settings_file), override=override)


class InputStamp:
    """The inputs of one build, taken before it starts."""

    def __init__(self, settings_file: Path, content: Path | None, output: Path, cache_dir: Path,
                 extra: dict):
        started_ns = time.time_ns()
        settings_file = Path(settings_file).resolve()
        output, cache_dir = Path(output).resolve(), Path(cache_dir).resolve()
        settings = _settings(settings_file, content, output, extra)
        base = settings_file.parent
        folders = [Path(settings["PATH"]), Path(settings["THEME"]), *CODE_FOLDERS,
                   *sorted({*base.glob("*.py"), *PROJECT_ROOT.glob("*.py")})]
        files = sorted(set(_named_files(settings, base, (output, cache_dir))))
        stats = list(file_stats([*folders, *files]))
        trusted_before = started_ns - int(RACY_SECONDS * 1e9)
        self.racy = {str(path): _bytes_digest(path) for path, size, mtime_ns in stats
                     if mtime_ns >= trusted_before and size >= 0}
        self.digest = bytes_digest("\0".join((stable_repr(dict(settings)), stats_digest(stats),
                                              packages_stamp())).encode())

    @classmethod
    def taken(cls, *arguments) -> "InputStamp | None":
        """The stamp, or None when the settings cannot even be read: the build then runs
        in full and Pelican reports what is wrong with them, file and line."""
        try:
            return cls(*arguments)
        except Exception:  # noqa: BLE001 - any failure here only costs a full build
            return None

    def unchanged_since(self, stamp_file: Path, produced: list[Path]) -> bool:
        """True when `stamp_file` holds this digest and every file the last build
        produced is still in place."""
        try:
            recorded = json.loads(Path(stamp_file).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        if recorded.get("version") != _STAMP_VERSION or recorded.get("digest") != self.digest:
            return False
        # Same sizes and times: the files that were too fresh then must have the same bytes.
        racy = recorded.get("racy", {})
        if any((self.racy.get(path) or _bytes_digest(Path(path))) != value
               for path, value in racy.items()):
            return False
        return all(path.exists() for path in produced)

    def record(self, stamp_file: Path) -> None:
        """Keep this stamp for the next build."""
        stamp_file = Path(stamp_file)
        stamp_file.parent.mkdir(parents=True, exist_ok=True)
        staging = stamp_file.with_suffix(".tmp")
        staging.write_text(json.dumps({"version": _STAMP_VERSION, "digest": self.digest,
                                       "racy": self.racy}), encoding="utf-8")
        os.replace(staging, stamp_file)


def _bytes_digest(path: Path) -> str:
    try:
        return file_digest(path)
    except OSError:
        return "unreadable"
