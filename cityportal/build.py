"""The one build pipeline: Pelican, then the Pagefind index, then the .gz/.br files.

`invoke build`, `publish` and `preview`, the benchmarks and the tests all call
`build_site`, so what the tests check is what production serves.
"""
from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from cityportal import PROJECT_ROOT
from cityportal.build_inputs import InputStamp
from cityportal.output_ledger import sweep
from cityportal.precompress import CompressionReport, compress_tree, folder_key, manifest_for
from cityportal.search.indexing import INDEX_FOLDER, build_index

DEVELOPMENT_SETTINGS = PROJECT_ROOT / "pelicanconf.py"


@dataclass
class BuildResult:
    returncode: int
    stdout: str | None  # None when the output went straight to the terminal
    stderr: str | None
    compression: CompressionReport | None = None
    # Files the build no longer produces, removed; None without plugins.output_ledger.
    removed: list[Path] | None = field(default_factory=list)
    # True when the inputs were those of the last finished build and nothing was run.
    unchanged: bool = False

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def summary(self) -> str:
        if self.unchanged:
            return "Nothing changed since the last build: output/ is already up to date."
        report = self.compression
        removed = ("plugins.output_ledger is not in PLUGINS: stale files were left in place"
                   if self.removed is None else f"Removed {len(self.removed)} files no longer produced")
        return (f"{removed}; search index built; "
                f"precompressed {report.compressed} files ({report.unchanged} unchanged).")


def pelican_command(output: Path, settings_file: Path = DEVELOPMENT_SETTINGS,
                    content: Path | None = None, extra_settings: dict | None = None,
                    *extra_arguments: str) -> list[str]:
    """The Pelican step as a command line: Pelican runs in its own process, so that one
    build's signal receivers and caches never leak into the next."""
    command = [sys.executable, "-m", "pelican"]
    if content is not None:
        command.append(str(content))
    command += ["-s", str(settings_file), "-o", str(output), "--fatal", "errors", *extra_arguments]
    if extra_settings:
        command += ["-e", *[f"{key}={json.dumps(value)}" for key, value in extra_settings.items()]]
    return command


def cache_folder(settings_file: Path, extra_settings: dict | None = None) -> Path:
    """Where a build keeps its caches: the CACHE_PATH it is given, or cache/ beside the
    settings file."""
    return Path((extra_settings or {}).get("CACHE_PATH", Path(settings_file).parent / "cache"))


def finish_output(output: Path, cache_dir: Path, seconds: dict | None = None) -> CompressionReport:
    """Search index, then precompressed files (last, so the index's own files get theirs).

    Each step's duration goes into `seconds` when given, for the benchmarks."""
    seconds = {} if seconds is None else seconds
    started = time.perf_counter()
    key = folder_key(output)
    build_index(output, cache_dir / f"search-index-{key}.stamp", cache_dir / f"search-pages-{key}.sqlite")
    seconds["search index"] = time.perf_counter() - started
    started = time.perf_counter()
    report = compress_tree(output, manifest_for(output, cache_dir))
    seconds["precompression"] = time.perf_counter() - started
    return report


def build_site(output: Path, settings_file: Path = DEVELOPMENT_SETTINGS,
               content: Path | None = None, *, extra_settings: dict | None = None,
               capture: bool = True, seconds: dict | None = None) -> BuildResult:
    """Build `content` (default: the settings' PATH) into `output`, then remove from
    `output` every file this build did not produce (cityportal/output_ledger.py).

    With `capture=False` Pelican writes to the terminal, as an editor wants; a failed
    Pelican step stops the pipeline and its return code is the result's. Each step's
    duration goes into `seconds` when given, for the benchmarks.
    """
    seconds = {} if seconds is None else seconds
    started = time.perf_counter()
    settings_file = Path(settings_file)
    output = Path(output)
    extra = dict(extra_settings or {})
    cache_dir = cache_folder(settings_file, extra)
    ledger_file = cache_dir / f"output-ledger-{folder_key(output)}.json"
    stamp_file = cache_dir / f"build-inputs-{folder_key(output)}.json"
    inputs = InputStamp.taken(settings_file, content, output, cache_dir, extra)
    unchanged = bool(inputs and inputs.unchanged_since(stamp_file, _produced(output, ledger_file)))
    seconds["input check"] = time.perf_counter() - started
    if unchanged:
        return BuildResult(0, "" if capture else None, "" if capture else None, unchanged=True)
    stamp_file.unlink(missing_ok=True)
    ledger_file.unlink(missing_ok=True)
    extra["OUTPUT_LEDGER"] = str(ledger_file)
    started = time.perf_counter()
    completed = subprocess.run(pelican_command(output, settings_file, content, extra),
                               cwd=settings_file.parent, capture_output=capture, text=True)
    seconds["pelican"] = time.perf_counter() - started
    result = BuildResult(completed.returncode, completed.stdout, completed.stderr)
    if result.ok:
        started = time.perf_counter()
        if ledger_file.exists():
            result.removed = sweep(output, ledger_file, rebuilt_later=(INDEX_FOLDER,))
        else:  # a site without plugins.output_ledger: nothing says what is stale
            result.removed = None
        seconds["sweep"] = time.perf_counter() - started
        result.compression = finish_output(output, cache_dir, seconds)
        if inputs and result.removed is not None:
            inputs.record(stamp_file)
    return result


def _produced(output: Path, ledger_file: Path) -> list[Path]:
    """What the last build left in `output`: every file of its ledger, and the search
    index. Without a ledger, a path that does not exist, so nothing is trusted."""
    try:
        listed = json.loads(ledger_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return [output / "missing-ledger"]
    return [*(output / name for name in listed), output / INDEX_FOLDER / "meta.json"]
