"""Mã kiểm tra without a third party.

Two kinds of challenge, both signed by the server and valid for a limited time:
- proof of work for browsers with JavaScript (ALTCHA v1 format, made and checked
  with the `altcha` package): find n such that SHA-256(salt + n) equals the
  challenge. Its difficulty (the range of n) travels in the salt, which the
  challenge hash binds, so a client cannot claim an easier one;
- a short arithmetic question in Vietnamese words for everyone else, in a token
  signed with `itsdangerous`.

Verification returns a Ticket whose id the store records, so that each
challenge is accepted once. Pure apart from the clock and randomness passed in.
"""
from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
import hmac
import json
import random
import secrets
import urllib.parse
from dataclasses import dataclass

import altcha
from itsdangerous import BadSignature, URLSafeSerializer

from cityportal.text import ascii_slug

MISSING = "Vui lòng hoàn thành mã kiểm tra."
# What the no-JS form shows before the question: it is a question to answer, not a code to copy.
QUESTION_LABEL = "Câu hỏi kiểm tra"
WRONG = "Mã kiểm tra không đúng. Vui lòng thử lại với mã mới."
EXPIRED = "Mã kiểm tra đã hết hạn. Vui lòng lấy mã mới và gửi lại."
REPLAYED = "Mã kiểm tra này đã được sử dụng. Vui lòng lấy mã mới và gửi lại."


class CaptchaError(Exception):
    """The captcha was not passed; str(error) is the Vietnamese message.

    `spent` is set when a genuine challenge got a wrong answer: it is used up
    so that nobody can try every answer to one question.
    """

    def __init__(self, message: str, spent: "Ticket | None" = None):
        super().__init__(message)
        self.spent = spent


POW = "pow"
QUESTION = "question"


@dataclass(frozen=True)
class Ticket:
    """A passed challenge: its id must be used only once, until expires_at.

    `kind` is POW or QUESTION; `difficulty` is the proof of work's range of n."""

    id: str
    expires_at: int
    kind: str = POW
    difficulty: int = 0


@dataclass(frozen=True)
class Question:
    text: str
    token: str


def _purpose_key(key: bytes, purpose: str) -> bytes:
    return hmac.new(key, purpose.encode(), hashlib.sha256).digest()


# --- proof of work ---------------------------------------------------------

def issue_pow(key: bytes, *, now: float, ttl: int, max_number: int) -> dict:
    expires = datetime.datetime.fromtimestamp(int(now) + ttl, tz=datetime.timezone.utc)
    challenge = altcha.create_challenge_v1(
        algorithm="SHA-256",
        max_number=max_number,
        hmac_key=_purpose_key(key, "altcha"),
        expires=expires,
        params={"d": str(max_number)},
    )
    return challenge.to_dict()


def solved_pow(challenge: dict, number: int | None = None) -> str:
    """What a browser sends back for `challenge`: its fields and the number found by
    trying each one (or `number` as given), base64 JSON as the ALTCHA widget writes it."""
    if number is None:
        number = altcha.solve_challenge_v1(challenge["challenge"], challenge["salt"],
                                           challenge["algorithm"], challenge["maxNumber"]).number
    payload = {key: challenge[key] for key in ("algorithm", "challenge", "salt", "signature")}
    payload["number"] = number
    return base64.b64encode(json.dumps(payload).encode()).decode()


def _decode_pow_payload(encoded: str) -> dict:
    try:
        payload = json.loads(base64.b64decode(encoded, validate=True).decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise CaptchaError(WRONG) from None
    if not isinstance(payload, dict):
        raise CaptchaError(WRONG)
    text_fields = ("algorithm", "challenge", "salt", "signature")
    if not all(isinstance(payload.get(name), str) for name in text_fields):
        raise CaptchaError(WRONG)
    number = payload.get("number")
    if not isinstance(number, int) or isinstance(number, bool) or number < 0:
        raise CaptchaError(WRONG)
    return payload


def verify_pow(encoded: str, key: bytes, *, now: float) -> Ticket:
    if not encoded:
        raise CaptchaError(MISSING)
    payload = _decode_pow_payload(encoded)
    params = urllib.parse.parse_qs(payload["salt"].split("?", 1)[1] if "?" in payload["salt"] else "")
    try:
        expires_at = int(params["expires"][0])
        difficulty = int(params["d"][0]) if "d" in params else 0
    except (KeyError, ValueError):
        raise CaptchaError(WRONG) from None
    valid, _ = altcha.verify_solution_v1(payload, _purpose_key(key, "altcha"), check_expires=False)
    if not valid:
        raise CaptchaError(WRONG)
    # Checked after the signature so that an unsigned salt cannot claim a
    # different lifetime.
    if expires_at < now:
        raise CaptchaError(EXPIRED)
    return Ticket("pow:" + payload["challenge"], expires_at, POW, difficulty)


# --- text question ---------------------------------------------------------

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười")


def number_in_words(value: int) -> str:
    """Vietnamese words for 0..99, in the everyday spelling."""
    if not 0 <= value <= 99:
        raise ValueError(f"{value} is outside 0..99")
    if value <= 10:
        return _DIGITS[value]
    tens, units = divmod(value, 10)
    head = "mười" if tens == 1 else _DIGITS[tens] + " mươi"
    if units == 0:
        return head
    if units == 5:
        return head + " lăm"
    if units == 1 and tens > 1:
        return head + " mốt"
    return head + " " + _DIGITS[units]


def _fold(text: str) -> str:
    return ascii_slug(text, " ")


# Also accepted, compared without diacritics: "năm" for "lăm" and "tư" for
# "bốn" after ten ("mười năm", "mười tư"), as many people write them.
_WORDS_TO_NUMBER: dict[str, int] = {}
for _n in range(100):
    _spelled = _fold(number_in_words(_n))
    _WORDS_TO_NUMBER[_spelled] = _n
    if _n > 10 and _n % 10 == 5:
        _WORDS_TO_NUMBER[_spelled.replace("lam", "nam")] = _n
    if _n > 10 and _n % 10 == 4:
        _WORDS_TO_NUMBER[_spelled.replace("bon", "tu")] = _n


def parse_answer(answer: str) -> int | None:
    folded = _fold(answer)
    if folded.isdigit():
        return int(folded)
    return _WORDS_TO_NUMBER.get(folded)


def _compose(rng: random.Random) -> tuple[str, int]:
    if rng.random() < 0.5:
        a, b = rng.randint(2, 9), rng.randint(2, 9)
        text = f"{number_in_words(a).capitalize()} cộng {number_in_words(b)} bằng bao nhiêu?"
        return text, a + b
    a = rng.randint(10, 19)
    b = rng.randint(2, 9)
    text = f"Lấy {number_in_words(a)} trừ đi {number_in_words(b)} thì còn bao nhiêu?"
    return text, a - b


def _question_signer(key: bytes) -> URLSafeSerializer:
    return URLSafeSerializer(_purpose_key(key, "question"), salt="cityportal.feedback.question",
                             signer_kwargs={"digest_method": hashlib.sha256})


def _answer_mac(key: bytes, question_id: str, answer: int) -> str:
    return hmac.new(key, f"{question_id}|{answer}".encode(), hashlib.sha256).hexdigest()


def issue_question(key: bytes, *, now: float, ttl: int, rng: random.Random | None = None) -> Question:
    text, answer = _compose(rng or random.SystemRandom())
    question_id = secrets.token_hex(12)
    answer_key = _purpose_key(key, "question-answer")
    token = _question_signer(key).dumps({
        "i": question_id,
        "e": int(now) + ttl,
        # The answer travels only as a keyed hash, so the page cannot give it away.
        "a": _answer_mac(answer_key, question_id, answer),
    })
    return Question(f"{QUESTION_LABEL}: {text} (Có thể trả lời bằng chữ số, ví dụ: 7)", token)


def verify_question(token: str, answer: str, key: bytes, *, now: float) -> Ticket:
    if not token or not answer or not answer.strip():
        raise CaptchaError(MISSING)
    try:
        claims = _question_signer(key).loads(token)
        question_id, expires_at, answer_mac = claims["i"], int(claims["e"]), claims["a"]
    except (BadSignature, ValueError, KeyError, TypeError):
        raise CaptchaError(WRONG) from None
    if expires_at < now:
        raise CaptchaError(EXPIRED)
    given = parse_answer(answer)
    answer_key = _purpose_key(key, "question-answer")
    ticket = Ticket("question:" + str(question_id), expires_at, QUESTION)
    if given is None or not hmac.compare_digest(_answer_mac(answer_key, question_id, given), str(answer_mac)):
        raise CaptchaError(WRONG, spent=ticket)
    return ticket
