"""What one build writes into its output folder, and the removal of everything else.

Pelican's writers and the portal's plugins record every file they write, or leave in
place because it is already right. After the build, `sweep` deletes every other file,
so a withdrawn article's page, its tag pages and the document stub it created do not
stay online, while unchanged files keep their bytes and times (incremental builds and
rsync stay cheap).
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from cityportal.precompress import SIBLING_SUFFIXES



class OutputLedger:
    def __init__(self):
        self._paths: set[str] = set()

    def clear(self) -> None:
        self._paths.clear()

    def record(self, *paths) -> None:
        self._paths.update(os.path.abspath(path) for path in paths)

    def write(self, ledger_file: Path, output_dir: Path) -> None:
        """The recorded files under `output_dir`, relative to it, one JSON list."""
        prefix = os.path.join(Path(output_dir).resolve(), "")
        relative = sorted(path[len(prefix):] for path in self._paths if path.startswith(prefix))
        ledger_file = Path(ledger_file)
        ledger_file.parent.mkdir(parents=True, exist_ok=True)
        staging = ledger_file.with_suffix(".tmp")
        staging.write_text(json.dumps(relative), encoding="utf-8")
        os.replace(staging, ledger_file)


# The one ledger of the Pelican process; the glue clears it when a build starts.
LEDGER = OutputLedger()


def sweep(output_dir: Path, ledger_file: Path, rebuilt_later: tuple[str, ...] = ()) -> list[Path]:
    """Delete every file of `output_dir` the ledger does not list (a .gz or .br sibling
    stays with its file), then the folders left empty; return what was deleted. Top-level
    folders in `rebuilt_later` are left to the step that rebuilds them whole."""
    produced = set(json.loads(Path(ledger_file).read_text(encoding="utf-8")))
    removed: list[Path] = []

    def emptied(folder: str, prefix: str) -> bool:
        """Sweep `folder`; whether nothing is left in it."""
        empty = True
        with os.scandir(folder) as entries:
            listing = list(entries)
        for entry in listing:
            relative = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                if not prefix and entry.name in rebuilt_later or not emptied(entry.path, relative + os.sep):
                    empty = False
                else:
                    os.rmdir(entry.path)
                continue
            base = relative[:-3] if relative.endswith(SIBLING_SUFFIXES) else relative
            if relative in produced or base in produced:
                empty = False
            else:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        return empty

    emptied(os.fspath(output_dir), "")
    return removed
