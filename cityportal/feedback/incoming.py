"""Turning an HTTP request into trusted values: the body (bounded, strict
UTF-8), its fields, the client's address and whether its origin is ours."""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import urllib.parse

from starlette.requests import Request

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
MAX_FIELDS = 30


class BadRequest(Exception):
    """The request cannot be read; carries the HTTP status and a Vietnamese message."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def too_large(limit: int) -> BadRequest:
    return BadRequest(413, f"Dữ liệu gửi lên quá lớn (tối đa {limit // 1024} KB). "
                           "Vui lòng rút gọn nội dung.")


async def read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise BadRequest(400, "Độ dài dữ liệu gửi lên không hợp lệ.")
        if int(declared) > limit:
            raise too_large(limit)
    # The declared length may be absent (chunked) or wrong: count what arrives.
    received = bytearray()
    async for chunk in request.stream():
        received += chunk
        if len(received) > limit:
            raise too_large(limit)
    return bytes(received)


def _utf8(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest(400, "Dữ liệu gửi lên không phải văn bản UTF-8 hợp lệ.") from None


def _check_encodable(fields: dict) -> None:
    # JSON escapes can spell lone surrogates ("\ud800"), which are not text.
    for value in fields.values():
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise BadRequest(400, "Dữ liệu gửi lên không phải văn bản UTF-8 hợp lệ.") from None


def parse_fields(body: bytes, kind: str) -> dict:
    """Fields of a JSON object or a urlencoded form, or BadRequest."""
    text = _utf8(body)
    if kind == JSON:
        try:
            fields = json.loads(text)
        except ValueError:
            raise BadRequest(400, "Dữ liệu JSON không đọc được.") from None
        except RecursionError:
            # Thousands of nested brackets fit in 16 KB; no form field is nested.
            raise BadRequest(400, "Dữ liệu JSON lồng nhau quá sâu, không phải một biểu mẫu.") from None
        if not isinstance(fields, dict):
            raise BadRequest(400, "Dữ liệu JSON phải là một đối tượng gồm các trường của biểu mẫu.")
        if len(fields) > MAX_FIELDS:
            raise BadRequest(400, "Biểu mẫu có quá nhiều trường.")
        _check_encodable(fields)
        return fields
    if kind == FORM:
        try:
            pairs = urllib.parse.parse_qsl(text, keep_blank_values=True, encoding="utf-8",
                                           errors="strict", max_num_fields=MAX_FIELDS)
        except UnicodeDecodeError:
            raise BadRequest(400, "Dữ liệu gửi lên không phải văn bản UTF-8 hợp lệ.") from None
        except ValueError:
            raise BadRequest(400, "Biểu mẫu có quá nhiều trường.") from None
        fields: dict[str, str] = {}
        for key, value in pairs:
            if key in fields:
                raise BadRequest(400, f"Trường “{key}” xuất hiện nhiều lần.")
            fields[key] = value
        return fields
    raise BadRequest(415, "Chỉ nhận dữ liệu biểu mẫu hoặc JSON.")


def client_address(request: Request, trusted_proxies: tuple[str, ...]) -> str:
    """The sender's address. X-Forwarded-For counts only when the direct peer
    is a trusted proxy, and then only up to the first hop it did not add."""
    peer = request.client.host if request.client else ""
    if peer not in trusted_proxies:
        return peer
    forwarded = request.headers.get("x-forwarded-for", "")
    for hop in reversed([part.strip() for part in forwarded.split(",") if part.strip()]):
        try:
            address = str(ipaddress.ip_address(hop))
        except ValueError:
            return peer
        if address not in trusted_proxies:
            return address
    return peer


def client_key(address: str, key: bytes) -> str:
    """A keyed hash of the address: enough to count, useless to identify."""
    return hmac.new(key, b"client|" + address.encode(), hashlib.sha256).hexdigest()[:32]


def origin_allowed(request: Request, allowed: tuple[str, ...]) -> bool:
    """Browsers send Origin with every POST; a foreign or opaque one is refused.
    A request without Origin comes from a non-browser client or an old browser
    and is judged by its captcha like any other."""
    origin = request.headers.get("origin")
    if origin is None:
        return request.headers.get("sec-fetch-site", "same-origin") in ("same-origin", "none")
    return origin.rstrip("/") in allowed
