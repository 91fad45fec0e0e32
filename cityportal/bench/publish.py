"""`invoke bench-publish`: after one edited article, the full `rsync --checksum` upload
beside the incremental one (publish manifest, hard-linked copy, changed files only).

Both publish the same output/ to a local folder (host ""), each to its own server that
already holds the site before the edit, so both start from the same state.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from cityportal.bench.corpus import edit_one_article, write_corpus
from cityportal.bench.measure import measure
from cityportal.bench.runner import write_settings
from cityportal.build import build_site
from cityportal.ops.publishing import scan_output


def _publish(output: Path, server: Path, release: str, manifest: Path | None = None):
    command = [sys.executable, "-m", "cityportal.ops.publishing", str(output), str(server),
               "--release", release]
    if manifest is not None:
        command += ["--manifest", str(manifest)]
    return measure(command)


def report(articles: int) -> None:
    with tempfile.TemporaryDirectory(prefix="portal-bench-publish-") as folder:
        workdir = Path(folder)
        write_corpus(workdir / "content", articles)
        _, settings = write_settings(workdir)
        output, extra = workdir / "output-portal", {"CACHE_PATH": str(workdir / "cache-portal")}
        built = build_site(output, settings, extra_settings=extra)
        if not built.ok:
            raise SystemExit(built.stdout + built.stderr)
        manifest = workdir / "cache-portal" / "publish-manifest.json"
        full_server, incremental_server = workdir / "www-full", workdir / "www-incremental"
        _publish(output, full_server, "r1")
        first = _publish(output, incremental_server, "r1", manifest)

        edit_one_article(workdir / "content")
        built = build_site(output, settings, extra_settings=extra)
        if not built.ok:
            raise SystemExit(built.stdout + built.stderr)
        files, _ = scan_output(output)
        full = _publish(output, full_server, "r2")
        incremental = _publish(output, incremental_server, "r2", manifest)

    def line(name: str, result) -> str:
        said = result.output.strip().splitlines()[-1] if result.output.strip() else ""
        said = said[said.rfind("(") + 1:].rstrip(")")
        return f"| {name} | {result.seconds:.2f} s | {result.peak_mb:.0f} MB | {said} |"

    print(f"Publishing {articles} articles ({len(files)} files in output/), "
          "after one edited article, to a local folder:")
    print("| upload | time | peak memory | publish says |")
    print("|---|---:|---:|---|")
    print(line("first publish with a manifest (full)", first))
    print(line("full: rsync --checksum --link-dest", full))
    print(line("incremental: manifest, cp -al, --files-from", incremental))
    print(f"incremental / full: {incremental.seconds / full.seconds:.2f}")
