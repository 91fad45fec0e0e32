"""invoke publish: a complete release beside the live one, then one atomic switch."""
import os
import shutil

import pytest
from invoke import Config, Context

from cityportal.ops.publishing import KEEP_RELEASES, publish_atomically

pytestmark = pytest.mark.skipif(not shutil.which("rsync"), reason="rsync is not installed; .ci/run installs it")
UNCHANGED_TIME = 1_700_000_000


def make_site(folder, version):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(f"<p>bản {version}</p>", encoding="utf-8")
    (folder / "images").mkdir(exist_ok=True)
    image = folder / "images" / "anh.jpg"
    image.write_bytes(b"JPEG" * 1000)
    # The build never rewrites an identical file, so an unchanged image keeps its time.
    os.utime(image, (UNCHANGED_TIME, UNCHANGED_TIME))


def test_publish_switches_current_to_a_complete_release(tmp_path):
    server = tmp_path / "www"
    releases_seen = []
    for version in range(1, KEEP_RELEASES + 3):
        site = tmp_path / f"output-{version}"
        make_site(site, version)
        # Each release needs its own name; the clock is only second-accurate.
        quiet = Context(Config(overrides={"run": {"in_stream": False, "hide": True}}))
        publish_atomically(quiet, site, "", str(server), release=f"r{version:03d}")
        current = server / "current"
        assert current.is_symlink()
        assert (current / "index.html").read_text(encoding="utf-8") == f"<p>bản {version}</p>"
        releases_seen.append(current.resolve().name)

    releases = sorted(path.name for path in (server / "releases").iterdir())
    assert len(releases) == KEEP_RELEASES
    assert releases[-1] == releases_seen[-1]
    # Unchanged files are hard links to the previous release, so an upload costs only the diff.
    newest, previous = (server / "releases" / name / "images" / "anh.jpg" for name in releases[-1:-3:-1])
    assert newest.stat().st_ino == previous.stat().st_ino
    assert not (server / "current.next").exists()
