"""invoke publish with a publish manifest: only what changed is uploaded, the rest is a
hard link to the live release, and any doubt falls back to the full upload."""
import os
import shutil

import pytest
from invoke import Config, Context

from cityportal.ops.publishing import load_manifest, publish_atomically

pytestmark = pytest.mark.skipif(not shutil.which("rsync"), reason="rsync is not installed; .ci/run installs it")
UNCHANGED_TIME = 1_700_000_000
PAGES = ["index.html", "tin-tuc/index.html", "tin-tuc/bai-1/index.html", "tin-tuc/bai-2/index.html",
         "the/kinh-te/index.html", "images/anh.jpg", "images/anh.jpg.gz"]


def quiet():
    return Context(Config(overrides={"run": {"in_stream": False, "hide": True}}))


def make_site(folder):
    for number, relative in enumerate(PAGES):
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(f"<p>trang {number} {relative}</p>".encode() * 50)
        # The build never rewrites an identical file, so an unchanged file keeps its time.
        os.utime(path, ns=(UNCHANGED_TIME * 10**9, UNCHANGED_TIME * 10**9))
    return folder


def tree(folder):
    """Every folder and file under `folder`, with the bytes of each file."""
    return {str(path.relative_to(folder)): None if path.is_dir() else path.read_bytes()
            for path in folder.rglob("*")}


def inode(path):
    return path.stat().st_ino


@pytest.fixture
def published(tmp_path):
    """output/ published once as r1 with a manifest (a full upload: there was none)."""
    output = make_site(tmp_path / "output")
    server = tmp_path / "www"
    manifest = tmp_path / "cache" / "publish-manifest.json"
    report = publish_atomically(quiet(), output, "", str(server), release="r1", manifest_file=manifest)
    assert report.mode == "full" and report.reason == "no publish manifest"
    assert tree(server / "current") == tree(output)
    assert load_manifest(manifest)["release"] == "r1"
    return output, server, manifest


def test_only_the_edited_page_is_uploaded_and_the_deleted_one_removed(published):
    output, server, manifest = published
    edited = output / "tin-tuc" / "bai-1" / "index.html"
    old_bytes = edited.read_bytes()
    # Same size and same second, other bytes: only the nanoseconds tell it apart.
    edited.write_bytes(old_bytes.replace(b"trang", b"TRANG"))
    os.utime(edited, ns=(UNCHANGED_TIME * 10**9 + 5, UNCHANGED_TIME * 10**9 + 5))
    shutil.rmtree(output / "tin-tuc" / "bai-2")

    report = publish_atomically(quiet(), output, "", str(server), release="r2", manifest_file=manifest)

    assert report.mode == "incremental", report.reason
    assert report.uploaded == ["tin-tuc/bai-1/index.html"]
    assert report.removed == ["tin-tuc/bai-2"]
    r1, r2 = server / "releases" / "r1", server / "releases" / "r2"
    assert os.readlink(server / "current") == "releases/r2"
    assert tree(r2) == tree(output)
    for relative in PAGES:
        if relative.startswith(("tin-tuc/bai-1/", "tin-tuc/bai-2/")):
            continue
        assert inode(r2 / relative) == inode(r1 / relative), relative
    # The edited page is a new inode: the previous release keeps its old bytes.
    assert inode(r2 / "tin-tuc/bai-1/index.html") != inode(r1 / "tin-tuc/bai-1/index.html")
    assert (r1 / "tin-tuc/bai-1/index.html").read_bytes() == old_bytes
    assert (r1 / "tin-tuc/bai-2/index.html").exists()
    assert not (server / "current.next").exists()


def test_a_new_time_on_the_same_bytes_uploads_nothing(published):
    output, server, manifest = published
    page = output / "index.html"
    page.write_bytes(page.read_bytes() + b"!")
    assert publish_atomically(quiet(), output, "", str(server), release="r2",
                              manifest_file=manifest).uploaded == ["index.html"]
    os.utime(page, ns=(UNCHANGED_TIME * 10**9 + 7, UNCHANGED_TIME * 10**9 + 7))
    new_folder = output / "van-ban" / "moi"
    new_folder.mkdir(parents=True)
    (new_folder / "index.html").write_text("<p>văn bản mới</p>", encoding="utf-8")
    (new_folder / "bản sao\nmới.html").write_text("<p>tên lạ</p>", encoding="utf-8")

    report = publish_atomically(quiet(), output, "", str(server), release="r3", manifest_file=manifest)

    assert report.mode == "incremental"
    assert report.uploaded == ["van-ban/moi/bản sao\nmới.html", "van-ban/moi/index.html"]
    assert report.removed == []
    assert tree(server / "releases" / "r3") == tree(output)
    assert inode(server / "releases/r3/index.html") == inode(server / "releases/r2/index.html")


def test_a_server_rolled_back_by_hand_gets_the_full_upload(published):
    output, server, manifest = published
    (output / "index.html").write_text("<p>bản 2</p>", encoding="utf-8")
    publish_atomically(quiet(), output, "", str(server), release="r2", manifest_file=manifest)
    # An operator rolls back: the manifest now describes a release that is not live.
    (server / "current.next").symlink_to("releases/r1")
    os.replace(server / "current.next", server / "current")
    (output / "the" / "kinh-te" / "index.html").unlink()

    report = publish_atomically(quiet(), output, "", str(server), release="r3", manifest_file=manifest)

    assert report.mode == "full"
    assert report.reason == "the server's current release is not the one the manifest describes"
    assert tree(server / "current") == tree(output)
    assert os.readlink(server / "current") == "releases/r3"
    # The manifest describes r3 now, so the next publish is incremental again.
    (output / "index.html").write_text("<p>bản 4</p>", encoding="utf-8")
    report = publish_atomically(quiet(), output, "", str(server), release="r4", manifest_file=manifest)
    assert report.mode == "incremental" and report.uploaded == ["index.html"]
    assert tree(server / "current") == tree(output)


def test_a_lost_manifest_or_a_path_turned_folder_or_file_gets_the_full_upload(published):
    output, server, manifest = published
    manifest.unlink()
    report = publish_atomically(quiet(), output, "", str(server), release="r2", manifest_file=manifest)
    assert report.mode == "full" and report.reason == "no publish manifest"
    assert tree(server / "current") == tree(output)

    # A file that becomes a folder of the same name.
    (output / "the" / "kinh-te" / "index.html").unlink()
    (output / "the" / "kinh-te" / "index.html").mkdir()
    (output / "the" / "kinh-te" / "index.html" / "trang-2.html").write_text("2", encoding="utf-8")
    report = publish_atomically(quiet(), output, "", str(server), release="r3", manifest_file=manifest)
    assert report.mode == "full" and report.reason == "a path changed between file and folder"
    assert tree(server / "current") == tree(output)

    # A folder that becomes a file of the same name.
    shutil.rmtree(output / "tin-tuc" / "bai-2")
    (output / "tin-tuc" / "bai-2").write_text("<p>một tệp</p>", encoding="utf-8")
    report = publish_atomically(quiet(), output, "", str(server), release="r4", manifest_file=manifest)
    assert report.mode == "full" and report.reason == "a path changed between file and folder"
    assert tree(server / "current") == tree(output)


def test_without_a_manifest_nothing_changes(tmp_path):
    output = make_site(tmp_path / "output")
    server = tmp_path / "www"
    for release in ("r1", "r2"):
        report = publish_atomically(quiet(), output, "", str(server), release=release)
        assert report.mode == "full"
    assert tree(server / "current") == tree(output)
