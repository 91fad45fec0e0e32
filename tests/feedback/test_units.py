"""The pure parts of the feedback service, as tables."""
from __future__ import annotations

import base64
import random
import time
import unicodedata

import pytest
from starlette.requests import Request

from cityportal.feedback import captcha, codes
from cityportal.feedback.incoming import client_address
from cityportal.feedback.settings import SettingsError, from_env
from cityportal.feedback.store import initials
from cityportal.feedback.submission import Invalid, validate
from cityportal.feedback.publish import ascii_slug
from tests.feedback.service import valid_fields

KEY = b"unit-test-key-of-at-least-32-bytes"


@pytest.mark.parametrize("number, words", [
    (0, "không"), (5, "năm"), (10, "mười"), (11, "mười một"), (14, "mười bốn"),
    (15, "mười lăm"), (20, "hai mươi"), (21, "hai mươi mốt"), (25, "hai mươi lăm"),
])
def test_numbers_in_words(number, words):
    assert captcha.number_in_words(number) == words


@pytest.mark.parametrize("typed, number", [
    ("12", 12), (" 12. ", 12), ("mười hai", 12), ("Mười Hai", 12), ("muoi hai", 12),
    ("mười năm", 15), ("mười lăm", 15), ("mười tư", 14), ("bảy", 7), ("bay", 7),
    (unicodedata.normalize("NFD", "mười bảy"), 17), ("abc", None), ("", None), ("1 2", None),
])
def test_answers_are_read_in_digits_or_words(typed, number):
    assert captcha.parse_answer(typed) == number


def test_every_question_has_its_answer_within_reach():
    rng = random.Random(1)
    for _ in range(200):
        question = captcha.issue_question(KEY, now=time.time(), ttl=600, rng=rng)
        assert question.text.startswith("Câu hỏi kiểm tra: ")
        assert question.text.endswith("(Có thể trả lời bằng chữ số, ví dụ: 7)")
        # Of every answer from 0 to 29, exactly one passes.
        passed = []
        for guess in range(0, 30):
            try:
                captcha.verify_question(question.token, str(guess), KEY, now=time.time())
                passed.append(guess)
            except captcha.CaptchaError:
                pass
        assert len(passed) == 1


def test_question_token_does_not_reveal_its_answer():
    question = captcha.issue_question(KEY, now=time.time(), ttl=600, rng=random.Random(3))
    body = question.token.split(".")[0]
    decoded = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)).decode()
    assert set(decoded) <= set('{}":,0123456789abcdefie')


def test_codes_are_well_formed_and_read_back_leniently():
    code = codes.new_code()
    assert len(code) == len("GY-XXXX-XXXX-XXXX") and codes.normalise(code) == code
    assert codes.normalise(code.lower().replace("-", " ")) == code
    assert codes.normalise(code[3:].replace("-", "")) == code
    for bad in ("", "GY-0000-AAAA-BBBB", "GY-AAAA-BBBB", "GY-AAAA-BBBB-CCCC-DDDD", "GY-IIII-LLLL-OOOO"):
        assert codes.normalise(bad) is None
    assert not set("01ILO") & set(codes.ALPHABET)


def test_text_is_stored_in_nfc():
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Ánh")
    assert validate(valid_fields(ho_ten=decomposed)).name == "Nguyễn Thị Ánh"


def test_lengths_count_characters_after_nfc():
    title = unicodedata.normalize("NFD", "ệ" * 200)
    assert len(title) == 600
    assert len(validate(valid_fields(tieu_de=title)).title) == 200


def test_line_breaks_are_kept_in_the_body_only():
    assert validate(valid_fields(noi_dung="a\r\nb")).body == "a\nb"
    with pytest.raises(Invalid) as refused:
        validate(valid_fields(tieu_de="a\r\nb"))
    assert "một dòng" in refused.value.errors["tieu_de"]


@pytest.mark.parametrize("name, expected", [
    ("Nguyễn Văn An", "N.V.A."), ("đỗ thị hà", "Đ.T.H."), ("  Ánh  ", "Á."), ("123", "Ẩn danh"),
])
def test_initials(name, expected):
    assert initials(name) == expected


@pytest.mark.parametrize("title, slug", [
    ("Đèn tín hiệu tại ngã tư bị hỏng", "den-tin-hieu-tai-nga-tu-bi-hong"),
    ("<script>?!", "script"), ("???", "cau-hoi"),
])
def test_ascii_slugs(title, slug):
    assert ascii_slug(title) == slug


def _request(peer: str, forwarded: str | None) -> Request:
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded is not None else []
    return Request({"type": "http", "client": (peer, 5000), "headers": headers})


@pytest.mark.parametrize("peer, forwarded, expected", [
    ("203.0.113.5", "198.51.100.9", "203.0.113.5"),      # untrusted peer: header ignored
    ("127.0.0.1", "198.51.100.9", "198.51.100.9"),
    ("127.0.0.1", "10.0.0.1, 198.51.100.9", "198.51.100.9"),  # only the hop the proxy added
    ("127.0.0.1", "198.51.100.9, 127.0.0.1", "198.51.100.9"),
    ("127.0.0.1", "not-an-address", "127.0.0.1"),
    ("127.0.0.1", None, "127.0.0.1"),
])
def test_client_address(peer, forwarded, expected):
    assert client_address(_request(peer, forwarded), ("127.0.0.1",)) == expected


def test_settings_from_environment():
    settings = from_env({"FEEDBACK_DATABASE": "/tmp/x.sqlite", "FEEDBACK_PORT": "9001",
                         "FEEDBACK_ALLOWED_ORIGINS": "https://a.vn/, https://b.vn",
                         "FEEDBACK_RETENTION_DAYS": "30", "FEEDBACK_SMTP_STARTTLS": "yes"})
    assert settings.port == 9001 and settings.retention_days == 30 and settings.smtp_starttls
    assert settings.allowed_origins == ("https://a.vn", "https://b.vn")
    defaults = from_env({})
    assert (defaults.host, defaults.port, defaults.database.name) == ("127.0.0.1", 8001, "feedback.sqlite")
    for name, value in [("FEEDBACK_PORT", "tám"), ("FEEDBACK_RATE_LIMIT_PER_HOUR", "0"),
                        ("FEEDBACK_SMTP_STARTTLS", "có")]:
        with pytest.raises(SettingsError, match=name):
            from_env({name: value})


def test_signing_key_is_kept_beside_the_database(tmp_path):
    settings = from_env({"FEEDBACK_DATABASE": str(tmp_path / "feedback.sqlite")})
    first = settings.signing_key()
    assert first == settings.signing_key() and len(first) == 64
    assert (tmp_path / "feedback.key").stat().st_mode & 0o777 == 0o600
