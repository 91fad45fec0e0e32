"""deploy/nginx/feedback.conf in a real nginx in front of the real service."""
from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time

import pytest

from services.feedback.settings import ROOT
from tests.conftest_feedback import (ORIGIN, LiveService, http_request, make_settings, solve_pow,
                                     valid_fields)

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def proxied(tmp_path):
    live = LiveService(make_settings(tmp_path, rate_limit_per_hour=1)).start()
    port = free_port()
    location = (ROOT / "deploy" / "nginx" / "feedback.conf").read_text(encoding="utf-8")
    assert "127.0.0.1:8001" in location
    (tmp_path / "feedback.conf").write_text(location.replace("127.0.0.1:8001", f"127.0.0.1:{live.port}"),
                                            encoding="utf-8")
    (tmp_path / "nginx.conf").write_text(f"""
daemon off;
worker_processes 1;
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {tmp_path}/body;
    proxy_temp_path {tmp_path}/proxy;
    fastcgi_temp_path {tmp_path}/fastcgi;
    uwsgi_temp_path {tmp_path}/uwsgi;
    scgi_temp_path {tmp_path}/scgi;
    server {{
        listen 127.0.0.1:{port};
        include {tmp_path}/feedback.conf;
    }}
}}
""", encoding="utf-8")
    checked = subprocess.run([NGINX, "-t", "-p", str(tmp_path), "-e", str(tmp_path / "error.log"),
                              "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    nginx = subprocess.Popen([NGINX, "-p", str(tmp_path), "-e", str(tmp_path / "error.log"),
                              "-c", str(tmp_path / "nginx.conf")],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            assert time.monotonic() < deadline, "nginx did not start"
            time.sleep(0.05)
    yield live, port
    nginx.terminate()
    nginx.wait(10)
    live.stop()


def post(port, fields, headers=None):
    return http_request(port, "POST", "/api/gop-y/gui", json.dumps(fields, ensure_ascii=False).encode(),
                        {"Content-Type": "application/json", "Origin": ORIGIN, **(headers or {})})


def challenge(port) -> dict:
    return json.loads(http_request(port, "GET", "/api/gop-y/thu-thach").body)["altcha"]


def test_submission_through_nginx_and_spoofed_forwarding_is_replaced(proxied):
    live, port = proxied
    assert post(port, {**valid_fields(), "altcha": solve_pow(challenge(port))}).status == 201
    # nginx overwrites X-Forwarded-For, so a made-up address does not escape the limit.
    spoofed = post(port, {**valid_fields(), "altcha": solve_pow(challenge(port))},
                   {"X-Forwarded-For": "203.0.113.9"})
    assert spoofed.status == 429
    assert live.rows() == 1


def test_oversized_bodies_get_a_vietnamese_refusal_at_either_layer(proxied):
    live, port = proxied
    for size in (20_000, 100_000):
        reply = post(port, {**valid_fields(), "noi_dung": "x" * size})
        assert reply.status == 413
        assert "quá lớn" in json.loads(reply.body)["thong_bao"]
    assert live.rows() == 0


def test_service_down_gives_a_vietnamese_503(proxied):
    live, port = proxied
    live.stop()
    reply = http_request(port, "GET", "/api/gop-y/thu-thach")
    assert reply.status == 503
    assert "chưa được ghi nhận" in json.loads(reply.body)["thong_bao"]
