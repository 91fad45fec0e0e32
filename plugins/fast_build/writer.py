"""A Pelican writer that renders pages in parallel and skips what cannot have changed.

Pelican calls `write_file` once per output (or per paginated listing) while its
generators run. This writer only records those calls; `flush()` then:

1. drops the calls whose output is already on disk from a build with the same site
   digest (same settings, content, theme, plugins and data), as this writer left it:
   a file replaced or rewritten since (the quick pages of `invoke serve`, a hand edit)
   is rendered again, and
2. renders the rest in forked worker processes, which share the parent's memory
   copy-on-write, so nothing is pickled.

A page whose bytes did not change is not rewritten, so its mtime stays and rsync, the
precompressor and browsers' caches see it as unchanged.
"""
from __future__ import annotations

import hashlib
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

from pelican import signals
from pelican.utils import get_relative_path, path_to_url, sanitised_join
from pelican.writers import FileOverwriteFailedError, Writer

from cityportal.fingerprint import file_stamp, stat_stamp
from cityportal.output_ledger import LEDGER

from .units import Unit, plan_units

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


def _share(units, index, workers):
    """Units for one worker. Split by the call's name, so every write to one file (Pelican
    lets a page override a listing) happens in one process, in Pelican's order."""
    return [unit for unit in units if zlib.crc32(unit.job.name.encode()) % workers == index]


class ParallelSkippingWriter(Writer):
    """Configured by the plugin through class attributes set before Pelican creates it."""

    describe = None  # (job, call, page) -> digest; None renders every unit
    shown_articles: list | None = None
    current_shown: dict = {}
    manifest_path: Path | None = None
    workers: int = 1

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self._jobs: list[RenderJob] = []
        self._unchanged_count = 0
        self._stamps: dict[str, list[int]] = {}  # file -> its stamp once written or kept

    # Pelican's generators call this; the work happens in flush().
    def write_file(self, name, *args, **kwargs):
        only = (self.settings or {}).get("PORTAL_WRITE_ONLY")
        if only is not None and name not in only:
            return  # `invoke preview` rebuilding one page: nothing else is rendered
        if name:
            self._jobs.append(RenderJob(name, args, kwargs))

    @contextmanager
    def _compare_then_write(self, filename):
        """Buffer a page and write it only if its bytes differ from what is on disk. The
        stamp is taken from the file compared or written, never from the name again, so
        a file another process puts in its place meanwhile has another stamp."""
        buffer = io.StringIO()
        yield buffer
        data = buffer.getvalue().encode("utf-8")
        try:
            with open(filename, "rb") as handle:
                found = os.fstat(handle.fileno())
                if found.st_size == len(data) and handle.read() == data:
                    self._unchanged_count += 1
                    self._stamps[filename] = stat_stamp(found)
                    return
        except OSError:
            pass
        # Written in place, as Pelican does: output/ is never what readers are served from
        # (publishing switches whole releases), and a rename per page doubles the metadata
        # work on the file system.
        with open(filename, "wb") as handle:
            handle.write(data)
            handle.flush()
            self._stamps[filename] = stat_stamp(os.fstat(handle.fileno()))

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

    def _render(self, units) -> dict[str, list[str]]:
        written = {}
        for unit in units:
            before = set(self._written_files)
            if unit.page is None:
                Writer.write_file(self, unit.job.name, *unit.job.args, **unit.job.kwargs)
            else:
                self._write_page(unit)
            new = set(self._written_files) - before
            written[unit.key] = sorted(new.union(written.get(unit.key, ())))
        return written

    def _write_page(self, unit: "Unit") -> None:
        """One page of a paginated listing, as Pelican's Writer.write_file writes it."""
        call = unit.call
        number = unit.page
        kwargs = dict(call.kwargs)
        page = None
        for key, paginator in unit.paginators.items():
            page = paginator.page(number)
            kwargs.update({
                f"{key}_paginator": paginator,
                f"{key}_page": page,
                f"{key}_previous_page": paginator.page(number - 1) if number > 1 else None,
                f"{key}_next_page": (paginator.page(number + 1)
                                     if number < paginator.num_pages else None),
            })
        context = call.context
        localcontext = context.copy()
        localcontext["localsiteurl"] = localcontext.get("localsiteurl", None)
        if call.relative_urls:
            relative_url = path_to_url(get_relative_path(page.save_as))
            localcontext["SITEURL"] = relative_url
            localcontext["localsiteurl"] = relative_url
        localcontext["output_file"] = page.save_as
        localcontext.update(kwargs)
        if localcontext["localsiteurl"]:
            context["localsiteurl"] = localcontext["localsiteurl"]
        output = call.template.render(localcontext)
        path = sanitised_join(self.output_path, page.save_as)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with self._open_w(path, "utf-8", override=call.override_output) as handle:
            handle.write(output)
        signals.content_written.send(path, context=localcontext)

    def _load_manifest(self) -> dict:
        if self.manifest_path and self.manifest_path.is_file():
            try:
                return json.loads(self.manifest_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                logger.warning("%s is unreadable; rendering every page", self.manifest_path)
        return {}

    def flush(self) -> FlushReport:
        self._unchanged_count = 0  # count pages only, not the feeds written earlier
        manifest = self._load_manifest()
        units = plan_units(self._jobs, self.settings, self.describe)
        shown = self.shown_articles or []
        shown_id = _shown_id(shown)
        previous_shown = manifest.get(_SHOWN, {})
        still_shown = {key: all(self.current_shown.get(source) == digest for source, digest in value)
                       for key, value in previous_shown.items()}

        def still_valid(unit) -> bool:
            entry = manifest.get(unit.key)
            return (bool(unit.digest) and bool(entry) and len(entry) == 4
                    and entry[0] == unit.digest
                    and still_shown.get(entry[2], False)
                    and all(file_stamp(f) == stamp for f, stamp in zip(entry[1], entry[3])))

        todo = [unit for unit in units if not still_valid(unit)]
        report = FlushReport(skipped=len(units) - len(todo), rendered=len(todo))
        kept = {unit.key: manifest[unit.key] for unit in units if unit.key in manifest}
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
                              "unchanged": self._unchanged_count, "stamps": self._stamps}
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
            for key, files in result["written"].items():
                report.written[key] = sorted(set(files).union(report.written.get(key, ())))
            unchanged += result["unchanged"]
            self._stamps.update(result["stamps"])
        if failure is not None:
            raise failure

        digests = {unit.key: unit.digest for unit in units}
        for key, files in report.written.items():
            kept[key] = [digests[key], files, shown_id, [self._stamps[f] for f in files]]
        LEDGER.record(*(path for _, files, *_ in kept.values() for path in files))
        report.files_written = sum(len(files) for files in report.written.values()) - unchanged
        report.files_unchanged = unchanged
        if self.manifest_path:
            in_use = {entry[2] for entry in kept.values() if len(entry) == 4}
            kept[_SHOWN] = {key: value for key, value in
                            {**previous_shown, shown_id: shown}.items() if key in in_use}
            self.manifest_path.parent.mkdir(parents=True, exist_ok=True)
            staging = self.manifest_path.with_suffix(".tmp")
            staging.write_text(json.dumps(kept), encoding="utf-8")
            os.replace(staging, self.manifest_path)
            # What this build rendered, for the benchmarks and tests to count.
            last = self.manifest_path.with_suffix(".last.json")
            last.write_text(json.dumps({"rendered": sorted(report.written),
                                        "skipped": report.skipped}), encoding="utf-8")
        self._jobs.clear()
        return report


_SHOWN = "_shown_articles"


def _shown_id(shown) -> str:
    return hashlib.blake2b(json.dumps(shown).encode(), digest_size=8).hexdigest()
