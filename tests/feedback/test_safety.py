"""Issue 10 against the real service: the signing key, nested JSON, a locked or
read-only database, reads beside a writer, staff commands on such a database,
the development proxy's forwarding headers, POST-redirect-GET, status lookup
limits and stopping `invoke serve`."""
from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

from cityportal import PROJECT_ROOT as ROOT
from cityportal.ops.local_ports import free_port
from cityportal.feedback.settings import SettingsError, from_env
from cityportal.ops.devserver import PreviewHandler
from cityportal.ops.feedback_service import ServiceProcess, _answers
from tests.feedback.service import (ORIGIN, LiveService, answer_question, http_request,
                                     make_settings, valid_fields)
from tests.feedback.test_staff import add
from cityportal.feedback.store import Store

GOOD_KEY = "k" * 64


def service_env(tmp_path: Path, **extra) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith("FEEDBACK_")}
    return {**env, "FEEDBACK_DATABASE": str(tmp_path / "feedback.sqlite"),
            "FEEDBACK_SITE_ROOT": str(tmp_path / "no-site"), **extra}


def run_service_briefly(tmp_path: Path, **extra) -> subprocess.CompletedProcess | None:
    """Start `python -m cityportal.feedback`; the result if it exits, None if it serves."""
    env = service_env(tmp_path, FEEDBACK_PORT=str(free_port()), **extra)
    process = subprocess.Popen([sys.executable, "-m", "cityportal.feedback"], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = process.communicate(timeout=8)
        return subprocess.CompletedProcess(process.args, process.returncode, out, err)
    except subprocess.TimeoutExpired:
        process.terminate()
        process.communicate(timeout=10)
        return None


# --- item 2: the signing key -------------------------------------------------------

def test_no_key_is_committed_and_keys_are_ignored():
    tracked = subprocess.run(["git", "ls-files", "data"], cwd=ROOT, capture_output=True, text=True)
    assert not [name for name in tracked.stdout.split() if name.endswith(".key")]
    ignored = subprocess.run(["git", "check-ignore", "-q", "data/feedback.key"], cwd=ROOT)
    assert ignored.returncode == 0


@pytest.mark.parametrize("content", [b"", b"\n", b"0123456789abcdef"])
def test_an_empty_or_short_key_file_stops_the_service_in_one_line(tmp_path, content):
    (tmp_path / "feedback.key").write_bytes(content)
    result = run_service_briefly(tmp_path)
    assert result is not None and result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "feedback.key" in lines[0] and "not a signing key" in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("extra", [{"FEEDBACK_ENV": "production"},
                                   {"FEEDBACK_SITE_SETTINGS": "publishconf.py"}])
def test_production_refuses_to_start_without_a_real_key(tmp_path, extra):
    result = run_service_briefly(tmp_path, **extra)
    assert result is not None and result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "no signing key in production" in lines[0]
    assert not (tmp_path / "feedback.key").exists()
    short = run_service_briefly(tmp_path, FEEDBACK_SECRET_KEY="short", **extra)
    assert short is not None and short.returncode == 2 and "at least 32" in short.stderr


def test_production_starts_with_a_real_key(tmp_path):
    assert run_service_briefly(tmp_path, FEEDBACK_ENV="production", FEEDBACK_SECRET_KEY=GOOD_KEY) is None


def test_a_new_key_is_whole_and_private(tmp_path):
    settings = from_env({"FEEDBACK_DATABASE": str(tmp_path / "feedback.sqlite")})
    key = settings.signing_key()
    assert len(key) == 64 and (tmp_path / "feedback.key").read_bytes() == key
    assert [p.name for p in tmp_path.iterdir()] == ["feedback.key"]  # no partial file left
    (tmp_path / "feedback.key").write_bytes(b"")
    with pytest.raises(SettingsError, match="0 bytes, not a signing key"):
        settings.signing_key()


# --- item 4: bodies and the database -----------------------------------------------

def test_deeply_nested_json_is_a_400_not_a_500(service):
    body = b'{"ho_ten": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    reply = service.request("POST", "/api/gop-y/gui", body,
                            {"Content-Type": "application/json", "Origin": ORIGIN})
    assert reply.status == 400, reply.text
    assert "lồng nhau" in reply.json["thong_bao"]
    assert service.rows() == 0


@pytest.fixture
def process_service(tmp_path):
    """The real service process on its own port and database."""
    started = []

    def start(**extra) -> ServiceProcess:
        env = service_env(tmp_path, FEEDBACK_SECRET_KEY=GOOD_KEY, FEEDBACK_POW_MAX_NUMBER="50",
                          FEEDBACK_POW_CEILING="50", FEEDBACK_ALLOWED_ORIGINS=ORIGIN, **extra)
        service = ServiceProcess(tmp_path / "feedback.sqlite", free_port(), env=env)
        service.start()
        started.append(service)
        return service

    yield start
    for service in started:
        service.stop()


def submit(port: int) -> tuple[int, dict]:
    from tests.feedback.service import solve_pow

    challenge = json.loads(http_request(port, "GET", "/api/gop-y/thu-thach").body)["altcha"]
    reply = http_request(port, "POST", "/api/gop-y/gui",
                         json.dumps({**valid_fields(), "altcha": solve_pow(challenge)}).encode(),
                         {"Content-Type": "application/json", "Origin": ORIGIN})
    return reply.status, json.loads(reply.body)


def test_a_locked_database_gives_a_vietnamese_503_and_a_log_line_naming_the_file(tmp_path, process_service):
    service = process_service(FEEDBACK_BUSY_TIMEOUT="0.5")
    service.process.stderr, captured = None, service.process.stderr
    database = tmp_path / "feedback.sqlite"
    other = sqlite3.connect(database, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        status, body = submit(service.port)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert status == 503
    assert "chưa được ghi nhận" in body["thong_bao"]
    assert submit(service.port)[0] == 201  # and it recovers by itself
    service.stop()
    log = captured.read().decode()
    captured.close()
    assert f"{database}: locked by another program" in log
    assert "Traceback" not in log


def test_status_lookups_do_not_wait_behind_a_writer(tmp_path):
    live = LiveService(make_settings(tmp_path, busy_timeout_seconds=3)).start()
    try:
        code = live.submit().json["ma"]
        other = sqlite3.connect(live.settings.database, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        other.execute("INSERT INTO spent_challenges VALUES ('held', 1)")
        writing = threading.Thread(target=live.submit)
        writing.start()
        time.sleep(0.3)  # the submission now waits for the lock held above
        assert writing.is_alive()
        reply = live.request("GET", f"/api/gop-y/trang-thai/{code}")
        # Answered while the write still waits, not after it gave up.
        assert writing.is_alive()
        assert reply.status == 200 and reply.json["ma"] == code
        other.execute("ROLLBACK")
        other.close()
        writing.join(10)
    finally:
        live.stop()


def _can_mount_read_only(tmp_path: Path) -> bool:
    if not shutil.which("unshare"):
        return False
    probe = tmp_path / "probe"
    probe.mkdir()
    result = subprocess.run(["unshare", "-m", "sh", "-c",
                             f"mount --bind {probe} {probe} && mount -o remount,bind,ro {probe}"],
                            capture_output=True)
    probe.rmdir()
    return result.returncode == 0


def test_a_read_only_disk_gives_a_vietnamese_503_and_staff_one_line(tmp_path):
    if not _can_mount_read_only(tmp_path):
        pytest.skip("needs unshare and a bind mount (root in a container with CAP_SYS_ADMIN)")
    data = tmp_path / "data"
    data.mkdir()
    with Store(data / "feedback.sqlite") as store:
        code = add(store)
    port = free_port()
    env = service_env(tmp_path, FEEDBACK_DATABASE=str(data / "feedback.sqlite"), FEEDBACK_PORT=str(port),
                      FEEDBACK_SECRET_KEY=GOOD_KEY, FEEDBACK_POW_MAX_NUMBER="50", FEEDBACK_POW_CEILING="50",
                      FEEDBACK_ALLOWED_ORIGINS=ORIGIN)
    mount = f"mount --bind {data} {data} && mount -o remount,bind,ro {data} && exec \"$@\""
    process = subprocess.Popen(["unshare", "-m", "sh", "-c", mount, "sh", sys.executable, "-m",
                                "cityportal.feedback"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while not _answers(port):
            assert process.poll() is None, process.stderr.read().decode()
            assert time.monotonic() < deadline
            time.sleep(0.05)
        challenge = http_request(port, "GET", "/api/gop-y/thu-thach")
        assert challenge.status == 503 and "tạm dừng" in json.loads(challenge.body)["thong_bao"]
        from cityportal.feedback import captcha
        question = captcha.issue_question(GOOD_KEY.encode(), now=time.time(), ttl=600)
        reply = http_request(port, "POST", "/api/gop-y/gui", json.dumps({
            **valid_fields(), "cau_hoi_token": question.token,
            "cau_tra_loi": answer_question(question.text)}).encode(),
            {"Content-Type": "application/json", "Origin": ORIGIN})
        assert reply.status == 503, reply.body
        assert "chưa được ghi nhận" in json.loads(reply.body)["thong_bao"]
        lookup = http_request(port, "GET", f"/api/gop-y/tra-cuu?ma={code}", headers={"Accept": "text/html"})
        assert lookup.status in (200, 503) and "Traceback" not in lookup.body.decode()
    finally:
        process.terminate()
        process.wait(10)
    log = process.stderr.read().decode()
    process.stderr.close()
    assert str(data / "feedback.sqlite") in log and "Traceback" not in log

    staff = subprocess.run(["unshare", "-m", "sh", "-c", mount, "sh", sys.executable, "-m", "invoke",
                            "feedback", "show", "--code", code], cwd=ROOT, env=env,
                           capture_output=True, text=True)
    assert staff.returncode != 0
    assert len(staff.stderr.strip().splitlines()) == 1, staff.stderr
    assert str(data / "feedback.sqlite") in staff.stderr and "Traceback" not in staff.stderr


def test_staff_command_on_a_locked_database_says_so_in_one_line(tmp_path):
    database = tmp_path / "feedback.sqlite"
    with Store(database) as store:
        code = add(store)
    other = sqlite3.connect(database, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        env = service_env(tmp_path, FEEDBACK_BUSY_TIMEOUT="0.3")
        result = subprocess.run([sys.executable, "-m", "invoke", "feedback", "show", "--code", code],
                                cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("feedback show: ") and f"{database}: locked by another program" in lines[0]


# --- item 4: the development proxy ---------------------------------------------------

@pytest.mark.parametrize("spoof", [
    {"X-Forwarded-For": "203.0.113.7"},
    {"x-forwarded-for": "203.0.113.8"},
    {"Forwarded": "for=203.0.113.9"},
    {"X-Real-IP": "203.0.113.10"},
])
def test_dev_proxy_drops_the_clients_forwarding_headers(tmp_path, spoof):
    live = LiveService(make_settings(tmp_path, rate_limit_per_hour=1)).start()
    handler = type("Handler", (PreviewHandler,), {"backend": ("127.0.0.1", live.port),
                                                   "log_message": lambda *a: None})
    proxy = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(tmp_path)))
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    port = proxy.server_address[1]
    try:
        assert submit(port)[0] == 201
        from tests.feedback.service import solve_pow
        challenge = json.loads(http_request(port, "GET", "/api/gop-y/thu-thach").body)["altcha"]
        spoofed = http_request(port, "POST", "/api/gop-y/gui",
                               json.dumps({**valid_fields(), "altcha": solve_pow(challenge)}).encode(),
                               {"Content-Type": "application/json", "Origin": ORIGIN, **spoof})
        assert spoofed.status == 429, spoofed.body
        assert live.rows() == 1
    finally:
        proxy.shutdown()
        proxy.server_close()
        live.stop()


# --- item 4: POST-redirect-GET ---------------------------------------------------------

def test_no_js_submission_redirects_and_reloading_the_receipt_posts_nothing(service):
    fields = {k: ("1" if v is True else v) for k, v in valid_fields().items()}
    from bs4 import BeautifulSoup
    asked = BeautifulSoup(service.post_form(fields).text, "html.parser")
    token = asked.find("input", attrs={"name": "cau_hoi_token"})["value"]
    question = asked.find("label", attrs={"for": "gy-cau_tra_loi"}).get_text()
    assert question.startswith("Câu hỏi kiểm tra: ")
    posted = service.post_form({**fields, "cau_hoi_token": token, "cau_tra_loi": answer_question(question)})
    assert posted.status == 303
    location = posted.headers["location"]
    assert location.startswith("/api/gop-y/da-tiep-nhan?ma=GY-")
    for _ in range(3):  # the first view, then two reloads
        receipt = service.request("GET", location)
        assert receipt.status == 200 and "data-feedback-code" in receipt.text
        assert "ngày làm việc" in receipt.text
    assert service.rows() == 1


# --- item 3: status lookups are limited -------------------------------------------------

def test_status_lookups_are_limited_per_address(start_service):
    live = start_service(lookup_limit_per_minute=3)
    code = live.submit().json["ma"]
    for _ in range(3):
        assert live.request("GET", f"/api/gop-y/trang-thai/{code}").status == 200
    refused = live.request("GET", f"/api/gop-y/trang-thai/{code}")
    assert refused.status == 429 and "tra cứu quá nhiều" in refused.json["thong_bao"]
    assert int(refused.headers["retry-after"]) > 0
    page = live.request("GET", f"/api/gop-y/tra-cuu?ma={code}", headers={"Accept": "text/html"})
    assert page.status == 429 and "tra cứu quá nhiều" in page.text
    # Another address behind the trusted proxy still gets its answer.
    other = live.request("GET", f"/api/gop-y/trang-thai/{code}", headers={"X-Forwarded-For": "198.51.100.4"})
    assert other.status == 200


# --- item 4: stopping invoke serve --------------------------------------------------------

def test_sigterm_to_invoke_serve_stops_the_feedback_service(tmp_path):
    site_port, service_port = free_port(), free_port()
    env = service_env(tmp_path, FEEDBACK_SECRET_KEY=GOOD_KEY)
    serve = subprocess.Popen([sys.executable, "-m", "invoke", "serve", "--no-build",
                              f"--port={site_port}", f"--feedback-port={service_port}"],
                             cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while not (_answers(service_port) and _answers(site_port)):
            assert serve.poll() is None, serve.stderr.read().decode()
            assert time.monotonic() < deadline, "invoke serve did not start"
            time.sleep(0.1)
        serve.send_signal(signal.SIGTERM)
        serve.wait(20)
        deadline = time.monotonic() + 10
        while _answers(service_port) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _answers(service_port), "the feedback service outlived invoke serve"
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.wait()
        serve.stderr.close()
