"""deploy/nginx/feedback.conf in a real nginx in front of the real service."""
from __future__ import annotations

import json

import pytest

from cityportal import PROJECT_ROOT as ROOT
from tests.feedback.service import (ORIGIN, LiveService, http_request, make_settings, solve_pow,
                                     valid_fields)
from tests.nginx import NGINX, running_nginx

pytestmark = pytest.mark.skipif(not NGINX.exists(), reason="nginx is not installed (apt-get install nginx)")


@pytest.fixture
def proxied(tmp_path):
    """The production nginx config, its feedback snippet aimed at a live service."""
    live = LiveService(make_settings(tmp_path, rate_limit_per_hour=1)).start()
    location = (ROOT / "deploy" / "nginx" / "feedback.conf").read_text(encoding="utf-8")
    assert "127.0.0.1:8001" in location
    snippets = tmp_path / "snippets"
    snippets.mkdir()
    (snippets / "feedback.conf").write_text(location.replace("127.0.0.1:8001", f"127.0.0.1:{live.port}"),
                                            encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    try:
        with running_nginx(site, tmp_path / "nginx", snippets) as (base_url, _log):
            yield live, int(base_url.rsplit(":", 1)[1])
    finally:
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
