"""A real nginx serving a built site: compression, cache lifetimes, security headers, 404, log."""
from __future__ import annotations

import gzip
import os
import json
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from tests.nginx import NGINX, running_nginx
from tests.sitebuild import PHOTO_ARTICLE, ROOT

pytestmark = pytest.mark.skipif(not NGINX.exists(), reason="nginx is not installed (apt-get install nginx)")

COMBINED = re.compile(
    r'^(?P<ip>\S+) \S+ \S+ \[[^\]]+\] "(?P<method>[A-Z]+) (?P<path>\S+) HTTP/[\d.]+" '
    r'(?P<status>\d{3}) \d+ "[^"]*" "(?P<agent>[^"]*)"$'
)
AGENT = "Mozilla/5.0 (Linux; Android 13) KiemThu/1.0"


def fetch(url, **headers):
    request = urllib.request.Request(url, headers={"User-Agent": AGENT, **headers})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture(scope="module")
def served(scale_site, tmp_path_factory):
    """nginx over a private copy of the built site, which the stats step writes into."""
    root = tmp_path_factory.mktemp("served") / "output"
    shutil.copytree(scale_site, root)
    with running_nginx(root, tmp_path_factory.mktemp("nginx")) as (base, log):
        yield base, log, root


def test_pages_come_precompressed_with_security_headers(served):
    base, _, root = served
    status, headers, body = fetch(base + "/", **{"Accept-Encoding": "gzip, br"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in headers["Vary"]
    assert gzip.decompress(body) == (root / "index.html").read_bytes()
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "wasm-unsafe-eval" not in csp  # only plain Pagefind, the evaluation's baseline, needs it
    assert "default-src 'self'" in csp
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Strict-Transport-Security"] is None  # plain http
    assert headers["Cache-Control"] == "max-age=300"

    status, headers, body = fetch(base + "/")
    assert headers["Content-Encoding"] is None
    assert body == (root / "index.html").read_bytes()


def test_hsts_behind_a_tls_proxy(served):
    base, _, _ = served
    _, headers, _ = fetch(base + "/", **{"X-Forwarded-Proto": "https"})
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_cache_lifetimes_follow_how_often_files_change(served):
    base, _, root = served
    css = next((root / "theme" / "css").glob("portal.*.css")).name
    variant = next((root / "images" / "variants").glob("*.webp")).name
    expected = {
        f"/theme/css/{css}": "max-age=315360000",
        f"/images/variants/{variant}": "max-age=315360000",
        # The search index keeps its file names from build to build: HTML's lifetime.
        "/chi-muc/meta.json": "max-age=300",
        "/chi-muc/s/0.bin": "max-age=300",
        "/theme/js/search.js": "max-age=3600",
        "/feeds/all.atom.xml": "max-age=600",
        f"/{PHOTO_ARTICLE}/": "max-age=300",
        "/tim-kiem/": "max-age=300",
    }
    for path, cache_control in expected.items():
        status, headers, _ = fetch(base + path, **{"Accept-Encoding": "gzip"})
        assert (path, status, headers["Cache-Control"]) == (path, 200, cache_control)
        # Security headers survive in every location block.
        assert headers["X-Content-Type-Options"] == "nosniff", path
    _, headers, _ = fetch(f"{base}/images/variants/{variant}")
    assert headers["Content-Type"] == "image/webp"


def test_missing_page_gets_the_custom_404(served):
    base, _, root = served
    status, headers, body = fetch(base + "/khong-co-trang-nay/")
    assert status == 404
    assert body == (root / "404.html").read_bytes()
    assert headers["Content-Security-Policy"]


def test_requests_land_in_the_combined_access_log(served):
    base, log, _ = served
    marker = f"/{PHOTO_ARTICLE}/?tu-log=1"
    fetch(base + marker)
    fetch(base + "/khong-co-trang-nay/")
    lines = log.read_text(encoding="utf-8").splitlines()
    parsed = [COMBINED.match(line) for line in lines]
    assert all(parsed), [line for line, match in zip(lines, parsed) if not match]
    hits = [(m["path"], m["status"], m["agent"]) for m in parsed]
    assert (marker, "200", AGENT) in hits
    assert ("/khong-co-trang-nay/", "404", AGENT) in hits


def test_template_and_values_must_match(tmp_path):
    from cityportal.ops.nginx_config import ConfigError, render

    production = render({"ROOT": "/var/www/songlam/current"})
    assert "@@" not in production and "root /var/www/songlam/current;" in production
    with pytest.raises(ConfigError, match="placeholders without a value: \\['ROOT'\\]"):
        render()
    with pytest.raises(ConfigError, match="values without a placeholder: \\['PORT'\\]"):
        render({"PORT": "8080"})
    with pytest.raises(ConfigError, match="ROOT"):
        render({"ROOT": "/srv/x; evil"})


def _has_stats_task() -> bool:
    listing = subprocess.run([sys.executable, "-m", "invoke", "--list"], cwd=ROOT,
                             capture_output=True, text=True)
    return any(line.split()[:1] == ["stats"] for line in listing.stdout.splitlines())


def test_stats_from_the_nginx_log_are_served_back(served):
    base, log, root = served
    if not _has_stats_task():
        pytest.skip("`invoke stats` (access statistics) is not on this branch yet")
    for _ in range(3):
        fetch(f"{base}/{PHOTO_ARTICLE}/")
    subprocess.run([sys.executable, "-m", "invoke", "stats", "--log", str(log),
                    "--out", str(root / "stats.json")], cwd=ROOT, check=True,
                   capture_output=True, text=True)
    status, headers, body = fetch(base + "/stats.json")
    assert status == 200
    assert headers["Cache-Control"] == "max-age=60"
    assert headers["Content-Type"].startswith("application/json")
    assert json.loads(body)


SECURITY_HEADERS = ("Content-Security-Policy", "Referrer-Policy", "X-Content-Type-Options")


@pytest.mark.parametrize("name", [".env", ".git/config", "data.sqlite", "feedback.sqlite-wal", "feedback.key",
                                  "index.html.bak", "index.html~", "sao-luu.old", "loi.log"])
def test_secrets_and_backups_in_the_root_are_not_served(served, name):
    base, _, root = served
    leaked = root / name
    leaked.parent.mkdir(parents=True, exist_ok=True)
    leaked.write_text("ho ten, email cua cong dan", encoding="utf-8")
    status, headers, body = fetch(f"{base}/{name}")
    assert status == 404
    assert b"cua cong dan" not in body
    assert all(headers[header] for header in SECURITY_HEADERS)


def test_error_answers_carry_the_security_headers(served):
    base, _, _ = served
    _, page_headers, _ = fetch(base + "/")
    oversized = urllib.request.Request(base + "/", data=b"x" * (2 * 1024 * 1024), method="POST",
                                       headers={"User-Agent": AGENT})
    too_large_for_the_form = urllib.request.Request(base + "/api/gop-y/", data=b"x" * (100 * 1024),
                                                    method="POST", headers={"User-Agent": AGENT})
    # Nothing listens behind /api/gop-y/ here, so nginx answers 503 itself.
    service_down = urllib.request.Request(base + "/api/gop-y/", method="GET", headers={"User-Agent": AGENT})
    answers = {}
    for name, request in (("413", oversized), ("413 form", too_large_for_the_form), ("503", service_down)):
        try:
            urllib.request.urlopen(request, timeout=5)
        except urllib.error.HTTPError as error:
            answers[name] = (error.code, error.headers)
    assert [code for code, _ in answers.values()] == [413, 413, 503]
    for code, headers in answers.values():
        for header in SECURITY_HEADERS:
            assert headers[header] == page_headers[header], (code, header)


def test_nginx_config_serves_the_folder_publish_switches(tmp_path):
    env = {**os.environ, "PORTAL_PUBLISH_PATH": "/srv/thanh-pho/www"}
    result = subprocess.run([sys.executable, "-m", "invoke", "nginx-config"], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "root /srv/thanh-pho/www/current;" in result.stdout


def test_frame_src_lists_exactly_the_embed_hosts(served):
    """A video from PORTAL_EMBED_HOSTS is framed after a click; the CSP must let exactly
    those hosts in, over https, and the captions of the sample videos need text/vtt."""
    from tasks import _settings

    base, _, _ = served
    _status, headers, _body = fetch(base + "/")
    directives = dict(part.strip().split(" ", 1) for part in headers["Content-Security-Policy"].split(";"))
    hosts = _settings()["PORTAL_EMBED_HOSTS"]
    assert sorted(directives["frame-src"].split()) == sorted(f"https://{host}" for host in hosts)
    track = next(iter(sorted((ROOT / "content" / "video").glob("*.vtt"))))
    status, headers, body = fetch(f"{base}/video/{track.name}")
    assert status == 200 and headers["Content-Type"].startswith("text/vtt")
    assert body.decode("utf-8").startswith("WEBVTT")
