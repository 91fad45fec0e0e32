"""One build in a fresh process, as CI or `invoke publish` runs it after a commit:
`build_site` (input check, Pelican, sweep, search index, precompression), then the list of
files to upload against the last publish manifest (cityportal/ops/publishing.py), without
the upload itself. Prints its figures as one JSON line for the benchmark runner.

    python -m cityportal.bench.chain SETTINGS OUTPUT CACHE
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from cityportal.build import build_site
from cityportal.ops.publishing import compare, load_manifest, save_manifest, scan_output


def main(argv: list[str]) -> dict:
    settings, output, cache = (Path(argument) for argument in argv)
    seconds: dict[str, float] = {}
    result = build_site(output, settings, extra_settings={"CACHE_PATH": str(cache)}, seconds=seconds)
    if not result.ok:
        raise SystemExit((result.stdout or "")[-3000:] + (result.stderr or "")[-3000:])
    started = time.perf_counter()
    manifest_file = cache / "bench-publish-manifest.json"
    published = load_manifest(manifest_file)
    files, _special = scan_output(output)
    changes = compare(output, files, published["files"] if published else {})
    save_manifest(manifest_file, "bench", "bench", changes.files)
    seconds["upload list"] = time.perf_counter() - started
    return {"unchanged": result.unchanged, "seconds": seconds,
            "to upload": len(changes.changed), "to delete": len(changes.removed)}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
