"""Atomic publishing: upload a complete release beside the live one, then swap a symlink.

The web server's root is PUBLISH_PATH/current, a symlink. Renaming a symlink over another
is atomic, so a reader gets either the old site or the new one, never a mix.
"""
import shlex
from datetime import datetime, timezone
from pathlib import Path

KEEP_RELEASES = 5
# The symlink the web server's root points at.
CURRENT_RELEASE = "current"


def release_name() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def publish_atomically(c, output: Path, host: str, base_path: str, release: str | None = None):
    """Upload `output` as a new release (named by the time unless given) and switch to it."""
    release = release or release_name()
    base = shlex.quote(base_path.rstrip("/"))

    def remote(command: str):
        c.run(f"ssh {shlex.quote(host)} {shlex.quote(command)}" if host else command)

    target = f"{host}:{base_path}" if host else base_path
    remote(f"mkdir -p {base}/releases")
    # Unchanged files are hard links to the live release, so each upload costs only the diff.
    # --checksum: a rebuilt page of the same size and second must not pass for unchanged.
    c.run(f"rsync -a --checksum --delete --link-dest=../../{CURRENT_RELEASE}/ {output}/ "
          f"{shlex.quote(target)}/releases/{release}/")
    remote(f"ln -sfn releases/{release} {base}/{CURRENT_RELEASE}.next && "
           f"mv -T {base}/{CURRENT_RELEASE}.next {base}/{CURRENT_RELEASE}")
    remote(f"cd {base}/releases && ls -1 | sort | head -n -{KEEP_RELEASES} | xargs -r rm -rf")
    print(f"Đã xuất bản bản {release} tại {target}/{CURRENT_RELEASE}")
