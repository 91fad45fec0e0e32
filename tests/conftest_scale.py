"""Fixtures shared by the scale area's tests (images, serving, search, bench)."""
from __future__ import annotations

import getpass
import socket
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
for extra in (ROOT, ROOT / "plugins"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))


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
def running_nginx(site_root: Path, state_dir: Path):
    """A real Debian nginx serving `site_root` on loopback; yields (base URL, access log)."""
    from serving.nginx_config import loopback_values, render

    port = free_port()
    state_dir.mkdir(parents=True, exist_ok=True)
    values = loopback_values(site_root, port, state_dir, getpass.getuser())
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


@pytest.fixture(scope="module")
def built_site(tmp_path_factory) -> Path:
    """A small output tree shaped like the portal's build."""
    root = tmp_path_factory.mktemp("output")
    page = ("<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>Cổng thông tin"
            "</title></head><body>" + "<p>Tin tức của Ủy ban nhân dân thành phố.</p>" * 40
            + "</body></html>")
    for relative in ("index.html", "tin-tuc/bai-mau/index.html", "404.html"):
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(page.replace("Tin tức", relative), encoding="utf-8")
    (root / "theme" / "css").mkdir(parents=True)
    (root / "theme" / "css" / "portal.0123abcd.css").write_text("body{color:#1a1a1a}" * 50)
    (root / "feeds").mkdir()
    (root / "feeds" / "all.atom.xml").write_text("<feed>" + "<entry/>" * 100 + "</feed>")
    (root / "stats.json").write_text('{"online": 1}')
    (root / "images" / "variants").mkdir(parents=True)
    Image.new("RGB", (360, 240), "gray").save(root / "images" / "variants" / "anh-0123abcd-360.webp")
    return root
