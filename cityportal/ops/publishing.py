"""Atomic publishing: upload a complete release beside the live one, then swap a symlink.

The web server's root is PUBLISH_PATH/current, a symlink. Renaming a symlink over another
is atomic, so a reader gets either the old site or the new one, never a mix.

Two ways to make the new release:

- **Incremental** (a publish manifest is given and describes the live release): the new
  release starts as a hard-linked copy of the live one (`cp -al`), then one rsync run
  uploads the files that changed since the last publish and deletes the removed ones
  (`--files-from`, `--delete-missing-args`). rsync writes each uploaded file to a new
  file and renames it into place, so the live release, which shares the unchanged inodes,
  keeps its bytes. Nothing reads an unchanged file on either side.
- **Full** (no manifest, or any doubt about what the server holds): today's rsync of the
  whole of output/ with `--checksum` against the live release (`--link-dest`).

The publish manifest (cache/publish-manifest-<target>.json) records the release it
describes and, per file, the size, mtime_ns and a content digest of the
published bytes. A file whose size and mtime_ns match is unchanged; the build never
rewrites an identical file (cityportal/output_ledger.py), so those are every file the
build left in place. Only a file whose size or time changed is read, and it is uploaded
unless its digest shows the same bytes as published.
"""
from __future__ import annotations

import hashlib
import json
import os
import shlex
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

from cityportal.fingerprint import file_digest, folder_entries

KEEP_RELEASES = 5
# The symlink the web server's root points at.
CURRENT_RELEASE = "current"
MANIFEST_VERSION = 1


def release_name() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def manifest_path(cache_dir, host: str, base_path: str) -> Path:
    """One publish manifest per target: it describes what that server's live release holds."""
    key = hashlib.blake2b(f"{host}:{base_path.rstrip('/')}".encode(), digest_size=6).hexdigest()
    return Path(cache_dir) / f"publish-manifest-{key}.json"


def scan_output(output: Path) -> tuple[dict[str, tuple[int, int]], bool]:
    """Every regular file under `output`: relative path -> (size, mtime_ns), from the
    directory entries alone (no file is read). The flag says whether a symlink or other
    special file was met, which the incremental path does not handle."""
    files: dict[str, tuple[int, int]] = {}
    special = False
    for _folder, prefix, entries in folder_entries(output):
        for entry in entries:
            if entry.is_file(follow_symlinks=False):
                stat = entry.stat(follow_symlinks=False)
                files[prefix + entry.name] = (stat.st_size, stat.st_mtime_ns)
            else:
                special = True
    return files, special


@dataclass
class Changes:
    changed: list[str]            # to upload: new files and files with new bytes
    removed: list[str]            # files and folders to delete from the new release
    files: dict[str, list]        # the manifest's entries once this publish is done


def compare(output: Path, files: dict[str, tuple[int, int]], published: dict[str, list]) -> Changes:
    """What differs between `output` (scanned into `files`) and the published manifest."""
    changed, entries = [], {}
    for relative, (size, mtime_ns) in files.items():
        before = published.get(relative)
        if before and before[0] == size and before[1] == mtime_ns:
            entries[relative] = before
            continue
        digest = file_digest(output / relative)
        entries[relative] = [size, mtime_ns, digest]
        if not (before and before[0] == size and before[2] == digest):
            changed.append(relative)
    removed_files = [relative for relative in published if relative not in files]
    # Folders that held removed files and no longer exist: delete the outermost one whole.
    gone_folders = set()
    for relative in removed_files:
        for parent in PurePosixPath(relative).parents:
            if str(parent) != "." and not (output / parent).is_dir():
                gone_folders.add(str(parent))
    outermost = {folder for folder in gone_folders
                 if not any(str(parent) in gone_folders for parent in PurePosixPath(folder).parents)}
    removed = sorted(outermost) + sorted(
        relative for relative in removed_files
        if not any(str(parent) in outermost for parent in PurePosixPath(relative).parents))
    return Changes(sorted(changed), removed, entries)


def load_manifest(path: Path | None) -> dict | None:
    if path is None or not Path(path).exists():
        return None
    try:
        manifest = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if manifest.get("version") != MANIFEST_VERSION or not isinstance(manifest.get("files"), dict):
        return None
    return manifest


def save_manifest(path: Path, release: str, target: str, files: dict[str, list]) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(path.name + ".tmp")
    staging.write_text(json.dumps({"version": MANIFEST_VERSION, "release": release,
                                   "target": target, "files": files}), encoding="utf-8")
    os.replace(staging, path)


@dataclass
class PublishReport:
    release: str
    mode: str                     # "incremental" or "full"
    reason: str = ""              # why a full upload, when it was one
    uploaded: list[str] = field(default_factory=list)  # incremental only
    removed: list[str] = field(default_factory=list)   # incremental only


def _doubt(manifest: dict | None, target: str, live: str, release: str, changes: Changes | None,
           special: bool) -> str:
    """Why the incremental path cannot be trusted, or "" when it can."""
    if manifest is None:
        return "no publish manifest"
    if manifest.get("target") != target:
        return "the manifest describes another server"
    if live != f"releases/{manifest.get('release')}":
        return "the server's current release is not the one the manifest describes"
    if manifest.get("release") == release:
        return "the new release has the live release's name"
    if special:
        return "output/ holds symlinks or special files"
    if changes is not None:
        removed = set(changes.removed)
        # A file that became a folder, or a folder that became a file.
        for relative in changes.changed:
            if relative in removed or any(str(parent) in removed
                                          for parent in PurePosixPath(relative).parents):
                return "a path changed between file and folder"
    return ""


def publish_atomically(c, output: Path, host: str, base_path: str, release: str | None = None,
                       manifest_file: Path | None = None, full: bool = False) -> PublishReport:
    """Upload `output` as a new release (named by the time unless given) and switch to it.

    With `manifest_file`, upload only what changed since the publish that manifest
    describes, falling back to a full upload whenever it cannot be trusted (or `full`),
    and rewrite the manifest once the switch is done."""
    release = release or release_name()
    output = Path(output)
    base = shlex.quote(base_path.rstrip("/"))

    def remote(command: str, **options):
        return c.run(f"ssh {shlex.quote(host)} {shlex.quote(command)}" if host else command,
                     **options)

    target = f"{host}:{base_path}" if host else base_path
    remote(f"mkdir -p {base}/releases")

    report = PublishReport(release, "full")
    changes = None
    if manifest_file is not None:
        manifest = None if full else load_manifest(manifest_file)
        live = remote(f"readlink {base}/{CURRENT_RELEASE} || true", hide=True, warn=True).stdout.strip()
        files, special = scan_output(output)
        reason = _doubt(manifest, target, live, release, None, special)
        if not reason:
            changes = compare(output, files, manifest["files"])
            reason = _doubt(manifest, target, live, release, changes, special)
        report.reason = "asked for a full upload" if full else reason
        if reason or full:
            # A full upload reads every file anyway (--checksum); the manifest gets each
            # digest, so that a later rewrite with the same bytes is not uploaded again.
            changes = Changes([], [], {relative: [size, mtime_ns, file_digest(output / relative)]
                                       for relative, (size, mtime_ns) in files.items()})
            report.mode = "full"
        else:
            report.mode = "incremental"
    else:
        report.reason = "no publish manifest"

    if report.mode == "incremental":
        new = f"{base}/releases/{shlex.quote(release)}"
        remote(f"rm -rf {new} && cp -al {base}/releases/{shlex.quote(manifest['release'])} {new}")
        if changes.changed or changes.removed:
            with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".files") as listing:
                # NUL-separated (--from0): a file name may hold any character but NUL.
                listing.write("\0".join(changes.changed + changes.removed) + "\0")
                listing.flush()
                # --ignore-times: every listed file changed, even one of the same size and
                # second. No --inplace: each upload is a new inode, so the release it was
                # linked from keeps its bytes.
                c.run(f"rsync -a --ignore-times --from0 --files-from={shlex.quote(listing.name)} "
                      f"--delete-missing-args --force {shlex.quote(str(output))}/ "
                      f"{shlex.quote(target)}/releases/{release}/")
        report.uploaded, report.removed = changes.changed, changes.removed
    else:
        # Unchanged files are hard links to the live release, so each upload costs only the diff.
        # --checksum: a rebuilt page of the same size and second must not pass for unchanged.
        c.run(f"rsync -a --checksum --delete --link-dest=../../{CURRENT_RELEASE}/ {output}/ "
              f"{shlex.quote(target)}/releases/{release}/")
    remote(f"ln -sfn releases/{release} {base}/{CURRENT_RELEASE}.next && "
           f"mv -T {base}/{CURRENT_RELEASE}.next {base}/{CURRENT_RELEASE}")
    if manifest_file is not None:
        save_manifest(manifest_file, release, target, changes.files)
    remote(f"cd {base}/releases && ls -1 | sort | head -n -{KEEP_RELEASES} | xargs -r rm -rf")
    print(f"Đã xuất bản bản {release} tại {target}/{CURRENT_RELEASE} "
          f"({_describe(report)})")
    return report


def _describe(report: PublishReport) -> str:
    if report.mode == "incremental":
        return f"tải lên {len(report.uploaded)} tệp, xóa {len(report.removed)}"
    return f"tải lên toàn bộ: {report.reason}" if report.reason else "tải lên toàn bộ"


def main(argv: list[str] | None = None) -> None:
    """`python -m cityportal.ops.publishing OUTPUT PATH [--release R] [--manifest M] [--full]`:
    publish to a local folder, as the benchmark measures it."""
    import argparse

    from invoke import Config, Context

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("output", type=Path)
    parser.add_argument("path")
    parser.add_argument("--host", default="")
    parser.add_argument("--release")
    parser.add_argument("--manifest", type=Path)
    parser.add_argument("--full", action="store_true")
    arguments = parser.parse_args(argv)
    quiet = Context(Config(overrides={"run": {"in_stream": False, "hide": True}}))
    publish_atomically(quiet, arguments.output, arguments.host, arguments.path,
                       release=arguments.release, manifest_file=arguments.manifest,
                       full=arguments.full)


if __name__ == "__main__":
    main(sys.argv[1:])
