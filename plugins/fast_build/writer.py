"""A Pelican writer that renders pages in parallel and skips what cannot have changed.

Pelican calls `write_file` once per output (or per paginated listing) while its
generators run. This writer only records those calls; `flush()` then:

1. drops the calls whose output is already on disk from a build with the same site
   digest (same settings, content, theme, plugins and data), and
2. renders the rest in forked worker processes, which share the parent's memory
   copy-on-write, so nothing is pickled.

A page whose bytes did not change is not rewritten, so its mtime stays and rsync, the
precompressor and browsers' caches see it as unchanged.
"""
from __future__ import annotations

import io
import json
import logging
import os
import sys
import traceback
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from pelican.writers import FileOverwriteFailedError, Writer

from cityportal.output_ledger import LEDGER

logger = logging.getLogger(__name__)


@dataclass
class RenderJob:
    name: str
    args: tuple
    kwargs: dict


@dataclass
class FlushReport:
    rendered: int = 0
    skipped: int = 0
    files_written: int = 0
    files_unchanged: int = 0
    workers: int = 1
    written: dict = field(default_factory=dict)


def _share(jobs, index, workers):
    """Jobs for one worker. Split by name, so every write to one file (Pelican lets a page
    override a listing) happens in one process, in Pelican's order."""
    return [job for job in jobs if zlib.crc32(job.name.encode()) % workers == index]


class ParallelSkippingWriter(Writer):
    """Configured by the plugin through class attributes set before Pelican creates it."""

    digest: str = ""
    manifest_path: Path | None = None
    workers: int = 1

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self._jobs: list[RenderJob] = []
        self._unchanged_count = 0

    # Pelican's generators call this; the work happens in flush().
    def write_file(self, name, *args, **kwargs):
        only = (self.settings or {}).get("PORTAL_WRITE_ONLY")
        if only is not None and name not in only:
            return  # `invoke preview` rebuilding one page: nothing else is rendered
        if name:
            self._jobs.append(RenderJob(name, args, kwargs))

    @contextmanager
    def _compare_then_write(self, filename):
        """Buffer a page and write it only if its bytes differ from what is on disk."""
        buffer = io.StringIO()
        yield buffer
        data = buffer.getvalue().encode("utf-8")
        try:
            if os.path.getsize(filename) == len(data) and Path(filename).read_bytes() == data:
                self._unchanged_count += 1
                return
        except OSError:
            pass
        # Written in place, as Pelican does: output/ is never what readers are served from
        # (publishing switches whole releases), and a rename per page doubles the metadata
        # work on the file system.
        with open(filename, "wb") as handle:
            handle.write(data)

    def _open_w(self, filename, encoding, override=False):
        """Pelican's rules for pages written twice, then our compare-then-write."""
        if filename in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(f'Failed to overwrite "{filename}" a second time')
            return open(os.devnull, "w", encoding=encoding)
        if filename in self._written_files and not override:
            raise FileOverwriteFailedError(
                f'"{filename}" would be written twice: two pages share one URL')
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        return self._compare_then_write(filename)

    def _render(self, jobs) -> dict[str, list[str]]:
        written = {}
        for job in jobs:
            before = set(self._written_files)
            Writer.write_file(self, job.name, *job.args, **job.kwargs)
            written[job.name] = sorted(set(self._written_files) - before)
        return written

    def _load_manifest(self) -> dict:
        if self.manifest_path and self.manifest_path.is_file():
            try:
                return json.loads(self.manifest_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                logger.warning("%s is unreadable; rendering every page", self.manifest_path)
        return {}

    def _still_valid(self, job: RenderJob, manifest: dict) -> bool:
        entry = manifest.get(job.name)
        return bool(entry) and entry[0] == self.digest and all(os.path.exists(f) for f in entry[1])

    def flush(self) -> FlushReport:
        self._unchanged_count = 0  # count pages only, not the feeds written earlier
        manifest = self._load_manifest()
        todo = [job for job in self._jobs if not self._still_valid(job, manifest)]
        report = FlushReport(skipped=len(self._jobs) - len(todo), rendered=len(todo))
        kept = {job.name: manifest[job.name] for job in self._jobs if job.name in manifest}
        workers = max(1, min(self.workers, len(todo) // 50 or 1))
        report.workers = workers
        children = []
        for index in range(1, workers):
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:  # worker: render its share, report the files, leave at once
                os.close(read_end)
                status = 0
                try:
                    result = {"written": self._render(_share(todo, index, workers)),
                              "unchanged": self._unchanged_count}
                    with os.fdopen(write_end, "w", encoding="utf-8") as pipe:
                        json.dump(result, pipe)
                except BaseException:
                    traceback.print_exc()
                    status = 1
                finally:
                    sys.stdout.flush()
                    sys.stderr.flush()
                    os._exit(status)
            os.close(write_end)
            children.append((pid, read_end))

        failure = None
        try:
            report.written.update(self._render(_share(todo, 0, workers)))
        except BaseException as error:  # still reap the workers before re-raising
            failure = error
        unchanged = self._unchanged_count
        for pid, read_end in children:
            with os.fdopen(read_end, encoding="utf-8") as pipe:
                payload = pipe.read()
            _, status = os.waitpid(pid, 0)
            if os.waitstatus_to_exitcode(status) != 0 or not payload:
                failure = failure or RuntimeError("a page rendering worker failed (see the error above)")
                continue
            result = json.loads(payload)
            report.written.update(result["written"])
            unchanged += result["unchanged"]
        if failure is not None:
            raise failure

        for name, files in report.written.items():
            kept[name] = [self.digest, files]
        LEDGER.record(*(path for _, files in kept.values() for path in files))
        report.files_written = sum(len(files) for files in report.written.values()) - unchanged
        report.files_unchanged = unchanged
        if self.manifest_path:
            self.manifest_path.parent.mkdir(parents=True, exist_ok=True)
            staging = self.manifest_path.with_suffix(".tmp")
            staging.write_text(json.dumps(kept), encoding="utf-8")
            os.replace(staging, self.manifest_path)
        self._jobs.clear()
        return report
