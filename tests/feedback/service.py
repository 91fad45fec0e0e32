"""The real feedback service for the tests: settings, a live process beside a static site, HTTP and the captcha."""
from __future__ import annotations

import http.client
import json
import random
import re
import socket
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from starlette.staticfiles import StaticFiles

from cityportal.feedback import captcha
from cityportal.feedback.app import create_app
from cityportal.feedback.settings import Settings
from cityportal.feedback.store import Store

ORIGIN = "http://portal.test"


SECRET = "test-secret-key-of-thirty-two-bytes-or-more"


def make_settings(tmp_path: Path, **changes) -> Settings:
    base = Settings(
        database=tmp_path / "feedback.sqlite",
        secret_key=SECRET,
        allowed_origins=(ORIGIN,),
        pow_max_number=2000,
        # The rising proof of work and the per-minute count have their own tests;
        # elsewhere many quick submissions from 127.0.0.1 must stay cheap.
        pow_ceiling=20_000,
        rate_limit_per_hour=100,
        rate_limit_per_minute=1000,
        lookup_limit_per_minute=1000,
        site_root=tmp_path / "no-site",
    )
    return base.with_changes(**changes)


@dataclass
class Reply:
    status: int
    headers: dict
    body: bytes

    @property
    def json(self):
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def http_request(port: int, method: str, path: str, body: bytes | None = None,
                 headers: dict | None = None) -> Reply:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()},
                     response.read())
    finally:
        connection.close()


def _beside_static_site(api, static_root: Path):
    """One origin for a built site and the API, as nginx and `invoke serve` give."""
    static = StaticFiles(directory=static_root, html=True)

    async def site(scope, receive, send):
        if scope["type"] == "http" and not scope["path"].startswith("/api/"):
            await static(scope, receive, send)
        else:
            await api(scope, receive, send)

    return site


class LiveService:
    """The app in a uvicorn server on a free loopback port, in a thread."""

    def __init__(self, settings: Settings, rng: random.Random | None = None,
                 static_root: Path | None = None):
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        self.port = self._socket.getsockname()[1]
        if static_root is not None:
            # The pages' own origin is where their forms come from.
            settings = settings.with_changes(allowed_origins=settings.allowed_origins + (self.url,))
        self.settings = settings
        self.app = create_app(settings, rng=rng)
        if static_root is not None:
            self.app = _beside_static_site(self.app, static_root)
        config = uvicorn.Config(self.app, log_level="critical", access_log=False, lifespan="on",
                                proxy_headers=False)
        self.server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self._socket]},
                                        daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "LiveService":
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("feedback service did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self._thread.join(10)
        self._socket.close()

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict | None = None) -> Reply:
        return http_request(self.port, method, path, body, headers)

    def challenge(self) -> dict:
        reply = self.request("GET", "/api/gop-y/thu-thach")
        assert reply.status == 200, reply.text
        return reply.json

    def post_json(self, fields: dict, headers: dict | None = None) -> Reply:
        return self.request("POST", "/api/gop-y/gui", json.dumps(fields, ensure_ascii=False).encode(),
                            {"Content-Type": "application/json", "Origin": ORIGIN, **(headers or {})})

    def post_form(self, fields: dict, headers: dict | None = None) -> Reply:
        return self.request("POST", "/api/gop-y/gui", urllib.parse.urlencode(fields).encode(),
                            {"Content-Type": "application/x-www-form-urlencoded",
                             "Origin": ORIGIN, **(headers or {})})

    def submit(self, fields: dict | None = None, headers: dict | None = None) -> Reply:
        """A valid submission with a freshly solved proof of work."""
        return self.post_json({**valid_fields(), "altcha": solve_pow(self.challenge()["altcha"]),
                               **(fields or {})}, headers)

    def rows(self) -> int:
        with Store(self.settings.database) as store:
            return store.count()


def valid_fields(**changes) -> dict:
    fields = {
        "ho_ten": "Nguyễn Văn An",
        "email": "an.nguyen@example.vn",
        "dien_thoai": "0236 3821 234",
        "linh_vuc": "giao-thong-do-thi",
        "tieu_de": "Đèn tín hiệu tại ngã tư bị hỏng",
        "noi_dung": "Đèn tín hiệu giao thông tại ngã tư gần chợ đã tắt ba ngày nay.",
        "dong_y": True,
    }
    fields.update(changes)
    return fields


solve_pow = captcha.solved_pow


def answer_question(text: str) -> str:
    """Read the arithmetic question the way a person would."""
    text = text.split(": ", 1)[-1]
    added = re.match(r"(.+?) cộng (.+?) bằng bao nhiêu", text)
    if added:
        return str(captcha.parse_answer(added[1]) + captcha.parse_answer(added[2]))
    taken = re.match(r"Lấy (.+?) trừ đi (.+?) thì còn bao nhiêu", text)
    return str(captcha.parse_answer(taken[1]) - captcha.parse_answer(taken[2]))
