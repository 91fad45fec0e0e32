"""The feedback API against the real app on loopback: the happy paths and every
bad-input and attack case of the spec. Each refusal must store nothing."""
from __future__ import annotations

import base64
import http.client
import json
import random
import sqlite3
import time

import pytest

from cityportal.feedback import captcha
from cityportal.feedback.codes import normalise
from tests.feedback.service import (ORIGIN, SECRET, LiveService, answer_question, make_settings,
                                     solve_pow, valid_fields)

def with_payload(encoded: str, **changes) -> str:
    payload = json.loads(base64.b64decode(encoded))
    payload.update(changes)
    return base64.b64encode(json.dumps(payload).encode()).decode()


def assert_vietnamese_refusal(reply, status):
    assert reply.status == status, reply.text
    assert "Traceback" not in reply.text
    return reply.json


# --- accepted submissions --------------------------------------------------

def test_challenge_offers_proof_of_work_and_a_question(service):
    reply = service.request("GET", "/api/gop-y/thu-thach")
    assert reply.status == 200
    assert reply.headers["cache-control"] == "no-store"
    body = reply.json
    assert body["altcha"]["algorithm"] == "SHA-256"
    assert body["altcha"]["maxNumber"] == 2000
    assert "expires=" in body["altcha"]["salt"]
    assert body["cau_hoi"]["van_ban"].endswith("?") or "bao nhiêu" in body["cau_hoi"]["van_ban"]


def test_proof_of_work_submission_is_committed_and_trackable(service):
    reply = service.submit()
    assert reply.status == 201, reply.text
    code = reply.json["ma"]
    assert normalise(code) == code
    assert reply.json["trang_thai"] == "Đã tiếp nhận"
    assert service.rows() == 1

    status = service.request("GET", f"/api/gop-y/trang-thai/{code.lower().replace('-', '')}")
    assert status.status == 200
    assert status.json["trang_thai"] == "Đã tiếp nhận"
    assert status.json["tieu_de"] == "Đèn tín hiệu tại ngã tư bị hỏng"
    assert status.json["linh_vuc"] == "Giao thông, đô thị"
    assert status.json["ngay_gui"].startswith(("Thứ", "Chủ Nhật"))
    assert "an.nguyen@example.vn" not in status.text and "Nguyễn" not in status.text


@pytest.mark.parametrize("spell", [str, lambda n: captcha.number_in_words(n)])
def test_text_question_submission_is_accepted(service, spell):
    question = service.challenge()["cau_hoi"]
    answer = spell(int(answer_question(question["van_ban"])))
    reply = service.post_json({**valid_fields(), "cau_hoi_token": question["token"],
                               "cau_tra_loi": answer})
    assert reply.status == 201, reply.text
    assert service.rows() == 1


def test_tracking_codes_differ(service):
    codes = {service.submit().json["ma"] for _ in range(5)}
    assert len(codes) == 5


# --- invalid fields ----------------------------------------------------------

@pytest.mark.parametrize("changes, field, message_part", [
    ({"ho_ten": ""}, "ho_ten", "Vui lòng nhập họ tên"),
    ({"ho_ten": "A" * 101}, "ho_ten", "tối đa 100 ký tự (hiện có 101)"),
    ({"ho_ten": "An\nBình"}, "ho_ten", "một dòng"),
    ({"email": ""}, "email", "Vui lòng nhập địa chỉ email"),
    ({"email": "khong-phai-email"}, "email", "không hợp lệ"),
    ({"email": "a@b"}, "email", "không hợp lệ"),
    ({"email": "a b@example.vn"}, "email", "không hợp lệ"),
    ({"dien_thoai": "12ab"}, "dien_thoai", "không hợp lệ"),
    ({"dien_thoai": "123"}, "dien_thoai", "không hợp lệ"),
    ({"linh_vuc": "khong-co"}, "linh_vuc", "chọn một lĩnh vực"),
    ({"linh_vuc": ""}, "linh_vuc", "chọn một lĩnh vực"),
    ({"tieu_de": "ab"}, "tieu_de", "ít nhất 3 ký tự"),
    ({"tieu_de": "T" * 201}, "tieu_de", "tối đa 200 ký tự"),
    ({"noi_dung": ""}, "noi_dung", "Vui lòng nhập nội dung"),
    ({"noi_dung": "x" * 5001}, "noi_dung", "tối đa 5.000 ký tự (hiện có 5.001)"),
    ({"noi_dung": "có ký tự \x00 lạ"}, "noi_dung", "ký tự điều khiển"),
    ({"ho_ten": 42}, "ho_ten", "phải là văn bản"),
    ({"noi_dung": ["a", "b"]}, "noi_dung", "phải là văn bản"),
    ({"dong_y": "có lẽ"}, "dong_y", "có hoặc không"),
    ({"la": "x"}, "_form", "không được chấp nhận: la"),
])
def test_invalid_fields_are_refused_with_a_message(service, changes, field, message_part):
    fields = valid_fields(**changes)
    reply = service.post_json({**fields, "altcha": solve_pow(service.challenge()["altcha"])})
    body = assert_vietnamese_refusal(reply, 422)
    assert message_part in body["loi"][field]
    assert service.rows() == 0


def test_missing_fields_are_all_reported(service):
    body = assert_vietnamese_refusal(service.post_json({}), 422)
    assert set(body["loi"]) == {"ho_ten", "email", "linh_vuc", "tieu_de", "noi_dung"}
    assert service.rows() == 0


def test_limits_hold_at_their_edges(service):
    reply = service.submit({"ho_ten": "H" * 100, "tieu_de": "abc", "noi_dung": "ý" * 5000,
                            "dien_thoai": ""})
    assert reply.status == 201, reply.text


# --- unreadable bodies ---------------------------------------------------------

@pytest.mark.parametrize("content_type, body", [
    ("application/json", b'{"ho_ten": "\xff\xfe"}'),
    ("application/json", b'{"ho_ten": "\xc3\x28"}'),
    ("application/x-www-form-urlencoded", b"ho_ten=%FF%FE&email=a%40b.vn"),
    ("application/x-www-form-urlencoded", b"ho_ten=\xe1\xba"),
    ("application/json", b'{"ho_ten": "\\ud800"}'),
])
def test_invalid_utf8_is_refused(service, content_type, body):
    reply = service.request("POST", "/api/gop-y/gui", body,
                            {"Content-Type": content_type, "Origin": ORIGIN, "Accept": "application/json"})
    assert reply.status == 400
    assert "UTF-8" in reply.text
    assert service.rows() == 0


def test_body_over_16_kb_is_refused(service):
    fields = {**valid_fields(noi_dung="x" * 17000), "altcha": solve_pow(service.challenge()["altcha"])}
    body = assert_vietnamese_refusal(service.post_json(fields), 413)
    assert "quá lớn" in body["thong_bao"]
    assert service.rows() == 0


def test_chunked_body_over_16_kb_is_refused_while_it_arrives(service):
    connection = http.client.HTTPConnection("127.0.0.1", service.port, timeout=10)
    chunks = (b'{"noi_dung": "' + b"x" * 4000 for _ in range(5))
    connection.request("POST", "/api/gop-y/gui", body=chunks, encode_chunked=True,
                       headers={"Content-Type": "application/json", "Origin": ORIGIN,
                                "Transfer-Encoding": "chunked"})
    response = connection.getresponse()
    assert response.status == 413
    assert "quá lớn" in json.loads(response.read())["thong_bao"]
    connection.close()
    assert service.rows() == 0


@pytest.mark.parametrize("content_type, body, status, part", [
    ("application/json", b"{not json", 400, "JSON"),
    ("application/json", b'["a", "b"]', 400, "đối tượng"),
    ("text/plain", b"ho_ten=a", 415, "Chỉ nhận"),
    ("application/x-www-form-urlencoded", b"ho_ten=a&ho_ten=b", 400, "nhiều lần"),
    ("application/x-www-form-urlencoded", b"&".join(b"f%d=1" % i for i in range(40)), 400, "quá nhiều"),
])
def test_malformed_bodies_are_refused(service, content_type, body, status, part):
    reply = service.request("POST", "/api/gop-y/gui", body,
                            {"Content-Type": content_type, "Origin": ORIGIN, "Accept": "application/json"})
    assert reply.status == status, reply.text
    assert part in reply.json["thong_bao"]
    assert service.rows() == 0


# --- hostile content stays text -------------------------------------------------

def test_html_and_script_are_stored_as_text_and_escaped_when_shown(service):
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    reply = service.submit({"tieu_de": hostile, "ho_ten": "<b>Tên</b>", "noi_dung": hostile})
    assert reply.status == 201, reply.text
    code = reply.json["ma"]
    assert service.request("GET", f"/api/gop-y/trang-thai/{code}").json["tieu_de"] == hostile
    page = service.request("GET", f"/api/gop-y/tra-cuu?ma={code}").text
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page


@pytest.mark.parametrize("sql", [
    "'; DROP TABLE submissions; --",
    "\" OR 1=1 --",
    "Robert'); DELETE FROM submissions WHERE ('1'='1",
])
def test_sql_injection_strings_are_harmless(service, sql):
    first = service.submit()
    reply = service.submit({"ho_ten": sql[:100], "tieu_de": sql, "noi_dung": sql, "bai_viet": sql})
    assert reply.status == 201, reply.text
    assert service.rows() == 2
    assert service.request("GET", f"/api/gop-y/trang-thai/{reply.json['ma']}").json["tieu_de"] == sql
    assert service.request("GET", f"/api/gop-y/trang-thai/{first.json['ma']}").status == 200
    lookup = service.request("GET", "/api/gop-y/trang-thai/" + "%27%20OR%201%3D1%20--")
    assert lookup.status == 400


# --- captcha ---------------------------------------------------------------------

def test_missing_captcha_is_refused(service):
    body = assert_vietnamese_refusal(service.post_json(valid_fields()), 422)
    assert body["loi"]["ma_kiem_tra"] == captcha.MISSING
    assert service.rows() == 0


@pytest.mark.parametrize("tamper", [
    lambda c: solve_pow(c, number=c["maxNumber"] + 1),
    lambda c: solve_pow({**c, "signature": "0" * 64}),
    lambda c: with_payload(solve_pow(c), salt=c["salt"].replace("expires=", "expires=9")),
    lambda c: with_payload(solve_pow(c), number=True),
    lambda c: with_payload(solve_pow(c), salt=None),
    lambda c: "không phải base64",
    lambda c: "WzEsMl0=",  # base64 of a JSON list
    lambda c: "eyJudW1iZXIiOiAiMSJ9",  # base64 of {"number": "1"}
])
def test_wrong_proof_of_work_is_refused(service, tamper):
    challenge = service.challenge()["altcha"]
    body = assert_vietnamese_refusal(service.post_json({**valid_fields(), "altcha": tamper(challenge)}), 422)
    assert body["loi"]["ma_kiem_tra"] == captcha.WRONG
    assert service.rows() == 0


def test_expired_proof_of_work_is_refused(service):
    old = captcha.issue_pow(SECRET.encode(), now=time.time() - 601, ttl=600, max_number=50)
    body = assert_vietnamese_refusal(service.post_json({**valid_fields(), "altcha": solve_pow(old)}), 422)
    assert body["loi"]["ma_kiem_tra"] == captcha.EXPIRED
    assert service.rows() == 0


def test_replayed_proof_of_work_is_refused(service):
    payload = solve_pow(service.challenge()["altcha"])
    assert service.post_json({**valid_fields(), "altcha": payload}).status == 201
    body = assert_vietnamese_refusal(service.post_json({**valid_fields(), "altcha": payload}), 422)
    assert body["loi"]["ma_kiem_tra"] == captcha.REPLAYED
    assert service.rows() == 1


def test_expired_question_is_refused(service):
    old = captcha.issue_question(SECRET.encode(), now=time.time() - 601, ttl=600)
    reply = service.post_json({**valid_fields(), "cau_hoi_token": old.token,
                               "cau_tra_loi": answer_question(old.text)})
    assert assert_vietnamese_refusal(reply, 422)["loi"]["ma_kiem_tra"] == captcha.EXPIRED
    assert service.rows() == 0


def test_wrong_answer_spends_the_question(service):
    question = service.challenge()["cau_hoi"]
    right = answer_question(question["van_ban"])
    wrong = str(int(right) + 1)
    attempt = {**valid_fields(), "cau_hoi_token": question["token"]}
    reply = service.post_json({**attempt, "cau_tra_loi": wrong})
    assert assert_vietnamese_refusal(reply, 422)["loi"]["ma_kiem_tra"] == captcha.WRONG
    # Guessing on with the same question is pointless: it is used up.
    reply = service.post_json({**attempt, "cau_tra_loi": right})
    assert assert_vietnamese_refusal(reply, 422)["loi"]["ma_kiem_tra"] == captcha.REPLAYED
    assert service.rows() == 0


def test_forged_question_token_is_refused(service):
    question = service.challenge()["cau_hoi"]
    forged = question["token"][:-4] + "0000"
    reply = service.post_json({**valid_fields(), "cau_hoi_token": forged,
                               "cau_tra_loi": answer_question(question["van_ban"])})
    assert assert_vietnamese_refusal(reply, 422)["loi"]["ma_kiem_tra"] == captcha.WRONG


def test_challenges_signed_with_another_key_are_refused(service):
    foreign = captcha.issue_pow(b"another key", now=time.time(), ttl=600, max_number=50)
    reply = service.post_json({**valid_fields(), "altcha": solve_pow(foreign)})
    assert assert_vietnamese_refusal(reply, 422)["loi"]["ma_kiem_tra"] == captcha.WRONG


# --- honeypot, rate limit, origin ---------------------------------------------------

def test_filled_honeypot_is_refused(service):
    reply = service.submit({"website": "http://spam.example"})
    body = assert_vietnamese_refusal(reply, 422)
    assert "trường ẩn" in body["loi"]["website"]
    assert service.rows() == 0


def test_rate_limit_per_address_per_hour(start_service):
    live = start_service(rate_limit_per_hour=2)
    assert live.submit().status == 201
    assert live.submit().status == 201
    reply = live.submit()
    body = assert_vietnamese_refusal(reply, 429)
    assert "chưa được ghi nhận" in body["thong_bao"]
    assert int(reply.headers["retry-after"]) > 0
    assert live.rows() == 2
    # Behind the trusted proxy, the forwarded address is the client.
    assert live.submit(headers={"X-Forwarded-For": "203.0.113.7"}).status == 201
    assert live.submit(headers={"X-Forwarded-For": "198.51.100.1, 203.0.113.8"}).status == 201
    assert live.rows() == 4


def test_forwarded_for_is_ignored_from_untrusted_peers(start_service):
    live = start_service(rate_limit_per_hour=1, trusted_proxies=())
    assert live.submit().status == 201
    reply = live.submit(headers={"X-Forwarded-For": "203.0.113.7"})
    assert_vietnamese_refusal(reply, 429)
    assert live.rows() == 1


@pytest.mark.parametrize("headers", [
    {"Origin": "https://evil.example"},
    {"Origin": "null"},
    {"Origin": ORIGIN + ".evil.example"},
])
def test_foreign_origin_is_refused(service, headers):
    reply = service.submit(headers=headers)
    body = assert_vietnamese_refusal(reply, 403)
    assert "trang web khác" in body["thong_bao"]
    assert service.rows() == 0


def test_cross_site_request_without_origin_is_refused(service):
    fields = {**valid_fields(), "altcha": solve_pow(service.challenge()["altcha"])}
    reply = service.request("POST", "/api/gop-y/gui", json.dumps(fields).encode(),
                            {"Content-Type": "application/json", "Sec-Fetch-Site": "cross-site"})
    assert_vietnamese_refusal(reply, 403)
    assert service.rows() == 0


def test_request_without_origin_from_a_non_browser_client_is_judged_by_its_captcha(service):
    fields = {**valid_fields(), "altcha": solve_pow(service.challenge()["altcha"])}
    reply = service.request("POST", "/api/gop-y/gui", json.dumps(fields).encode(),
                            {"Content-Type": "application/json"})
    assert reply.status == 201


# --- status lookups and errors never leak internals ----------------------------------

def test_status_of_unknown_and_malformed_codes(service):
    assert assert_vietnamese_refusal(
        service.request("GET", "/api/gop-y/trang-thai/GY-AAAA-BBBB-CCCC"), 404)["thong_bao"].startswith("Không tìm thấy")
    assert "GY-XXXX" in assert_vietnamese_refusal(
        service.request("GET", "/api/gop-y/trang-thai/GY-0000-1111-IIII"), 400)["thong_bao"]


def test_unknown_paths_and_methods_answer_in_vietnamese(service):
    assert assert_vietnamese_refusal(service.request("GET", "/api/gop-y/khong-co"), 404)["thong_bao"]
    assert assert_vietnamese_refusal(service.request("GET", "/api/gop-y/gui"), 405)["thong_bao"]
    page = service.request("GET", "/api/gop-y/khong-co", headers={"Accept": "text/html"})
    assert page.status == 404 and '<html lang="vi">' in page.text


def test_internal_failure_gives_a_message_not_a_traceback(service):
    # Break the database under the running service.
    with sqlite3.connect(service.settings.database) as db:
        db.execute("ALTER TABLE submissions RENAME TO moved_away")
    reply = service.submit()
    body = assert_vietnamese_refusal(reply, 500)
    assert "chưa được ghi nhận" in body["thong_bao"]
    assert "sqlite" not in reply.text.lower() and "moved_away" not in reply.text


# --- the same endpoint for browsers without JavaScript -----------------------------

def test_form_post_without_javascript_asks_the_question_then_accepts(tmp_path):
    live = LiveService(make_settings(tmp_path), rng=random.Random(7)).start()
    try:
        fields = {k: ("1" if v is True else v) for k, v in valid_fields(ho_ten="<i>An</i>").items()}
        first = live.post_form(fields)
        assert first.status == 200
        assert "Câu hỏi kiểm tra" in first.text and 'name="cau_hoi_token"' in first.text
        assert 'value="&lt;i&gt;An&lt;/i&gt;"' in first.text  # kept, escaped
        assert live.rows() == 0

        from bs4 import BeautifulSoup
        page = BeautifulSoup(first.text, "html.parser")
        token = page.find("input", attrs={"name": "cau_hoi_token"})["value"]
        question = page.find("label", attrs={"for": "gy-cau_tra_loi"}).get_text()
        posted = live.post_form({**fields, "cau_hoi_token": token,
                                 "cau_tra_loi": answer_question(question)})
        assert posted.status == 303, posted.text
        second = live.request("GET", posted.headers["location"])
        assert second.status == 200, second.text
        code = BeautifulSoup(second.text, "html.parser").find(attrs={"data-feedback-code": True}).get_text()
        assert normalise(code) == code
        assert live.rows() == 1

        status_page = live.request("GET", f"/api/gop-y/tra-cuu?ma={code}")
        assert status_page.status == 200 and "Đã tiếp nhận" in status_page.text
    finally:
        live.stop()


def test_form_post_with_errors_shows_them_beside_the_fields(service):
    reply = service.post_form({"ho_ten": "", "email": "sai", "tieu_de": "ab", "noi_dung": "x",
                               "linh_vuc": "khac"})
    assert reply.status == 422
    assert "Chưa gửi được ý kiến" in reply.text
    assert 'href="#gy-email"' in reply.text and 'aria-invalid="true"' in reply.text
    assert service.rows() == 0


def test_form_post_from_foreign_origin_gets_an_html_refusal(service):
    reply = service.post_form(valid_fields(), headers={"Origin": "https://evil.example"})
    assert reply.status == 403
    assert "trang web khác" in reply.text and "<html" in reply.text
