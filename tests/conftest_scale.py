"""Fixtures shared by the scale area's tests (images, serving, search, bench)."""
from __future__ import annotations

import getpass
import re
import shutil
import socket
import subprocess
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]


def noisy_photo(path: Path, size=(4000, 3000), quality=95) -> Path:
    """A photo-like image: gradients plus noise at several scales, so detail survives resizing
    the way it does in a real photograph (plain pixel noise would average away)."""
    def channel(sigma):
        layer = Image.linear_gradient("L").rotate(sigma).resize(size)
        for scale in (1, 4, 16, 64):
            noise = Image.effect_noise((size[0] // scale, size[1] // scale), sigma)
            layer = Image.blend(layer, noise.resize(size, Image.BICUBIC), 0.3)
        return layer

    Image.merge("RGB", [channel(s) for s in (60, 70, 80)]).save(path, quality=quality)
    return path


@pytest.fixture(scope="session")
def big_photo(tmp_path_factory) -> Path:
    return noisy_photo(tmp_path_factory.mktemp("photo") / "anh-lon.jpg")


NGINX = Path("/usr/sbin/nginx")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, log: Path) -> None:
    for _ in range(200):
        if process.poll() is not None:
            raise RuntimeError(f"nginx exited: {log.read_text() if log.exists() else ''}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            threading.Event().wait(0.05)
    raise RuntimeError(f"nginx did not listen on {port}")


@contextmanager
def running_nginx(site_root: Path, state_dir: Path, snippets_dir: Path | None = None):
    """A real Debian nginx serving `site_root` on loopback with deploy/nginx.conf (and its
    snippets, or those in `snippets_dir`); yields (base URL, access log)."""
    from cityportal.ops.nginx_config import loopback_values, render

    port = free_port()
    state_dir.mkdir(parents=True, exist_ok=True)
    values = loopback_values(site_root, port, state_dir, getpass.getuser())
    if snippets_dir is not None:
        values["SNIPPETS_DIR"] = str(snippets_dir)
    conf = state_dir / "nginx.conf"
    conf.write_text(render(values), encoding="utf-8")
    process = subprocess.Popen(
        [str(NGINX), "-p", str(state_dir), "-c", str(conf), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        wait_for_port(port, process, Path(values["ERROR_LOG"]))
        yield f"http://127.0.0.1:{port}", Path(values["ACCESS_LOG"])
    finally:
        process.terminate()
        process.wait(timeout=10)



_IMAGE_PATH = re.compile(r"images/[\w./-]+\.(?:jpg|jpeg|png|webp)", re.IGNORECASE)
# The article whose image is the editor's 4000 px, 5 MB photo in the budget test.
PHOTO_ARTICLE = "nang-cao-chi-so-papi-6-thang-dau-nam-2021"


def content_with_images(target: Path, photo: Path) -> Path:
    """A copy of the real content where every referenced image exists; the PAPI article's
    image is replaced by the editor's big photo."""
    from tests.sitebuild import copy_content

    content = copy_content(target)
    for markdown in content.rglob("*.md"):
        for relative in set(_IMAGE_PATH.findall(markdown.read_text(encoding="utf-8"))):
            image = content / relative
            image.parent.mkdir(parents=True, exist_ok=True)
            if PHOTO_ARTICLE in markdown.name:
                shutil.copyfile(photo, image)
            elif not image.exists():
                Image.new("RGB", (1280, 720), (40, 90, 140)).save(image, quality=80)
    return content


@pytest.fixture(scope="session")
def scale_site(tmp_path_factory, big_photo) -> Path:
    """The real content and theme built as `invoke build` does: Pelican, then the search
    index and the precompressed files."""
    from cityportal.precompress import compress_tree, manifest_for
    from cityportal.search.indexing import build_index
    from tests.sitebuild import build_site

    work = tmp_path_factory.mktemp("scale-site")
    content = content_with_images(work / "content", big_photo)
    output = work / "output"
    result = build_site(output, content=content,
                        extra_settings={"CACHE_PATH": str(work / "cache")})
    assert result.returncode == 0, result.stdout + result.stderr
    build_index(output)  # then compression, exactly as `invoke build` does
    compress_tree(output, manifest_for(output, work / "cache"))
    return output
