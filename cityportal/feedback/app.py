"""The HTTP face of the service: routes under /api/gop-y/.

JSON for the page's script, HTML for browsers without JavaScript. Every
refusal carries a Vietnamese message; no response ever contains a traceback.
"""
from __future__ import annotations

import contextlib
import logging
import random
import time

from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from . import captcha, codes, mailer
from cityportal.text import vietnamese_date
from .incoming import (FORM, BadRequest, client_address, client_key, media_type,
                       origin_allowed, parse_fields, read_body)
from .limits import ChallengeTooEasy, LimitReached, Limits, LookupCounter
from .pages import NO_STORE, Pages
from .settings import Settings
from .store import ChallengeSpent, Store, StoreUnavailable
from cityportal.search.service import search_routes
from .submission import TOPIC_LABELS, Invalid, validate

PREFIX = "/api/gop-y"
log = logging.getLogger("cityportal.feedback")

FOREIGN_ORIGIN = "Yêu cầu đến từ một trang web khác nên không được chấp nhận."
CODE_FORMAT = "Mã theo dõi không đúng dạng. Mã có dạng GY-XXXX-XXXX-XXXX."
CODE_UNKNOWN = "Không tìm thấy ý kiến nào với mã theo dõi này. Vui lòng kiểm tra lại mã."
UNAVAILABLE = ("Hệ thống tiếp nhận ý kiến đang tạm dừng, ý kiến chưa được ghi nhận. "
               "Vui lòng thử lại sau ít phút.")
UNAVAILABLE_LOOKUP = "Hệ thống tra cứu ý kiến đang tạm dừng. Vui lòng thử lại sau ít phút."


def _wants_html(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    if "application/json" in accept:
        return False
    return media_type(request) == FORM or "text/html" in accept


def _status_json(item) -> dict:
    return {
        "ma": item.code,
        "trang_thai": item.status_label,
        "trang_thai_ma": item.status,
        "tieu_de": item.title,
        "linh_vuc": TOPIC_LABELS.get(item.topic, item.topic),
        "ngay_gui": vietnamese_date(item.created_at),
        "tra_loi": item.answer if item.status == "answered" else None,
        "ngay_tra_loi": vietnamese_date(item.answered_at) if item.answered_at else None,
    }


def _closing(store: Store):
    @contextlib.asynccontextmanager
    async def lifespan(app):
        yield
        store.close()
    return lifespan


def create_app(settings: Settings, *, rng: random.Random | None = None) -> Starlette:
    key = settings.signing_key()  # SettingsError, in one line, before anything else
    store = Store(settings.database, busy_timeout=settings.busy_timeout_seconds)
    try:
        store.open()
    except StoreUnavailable as error:
        # Start all the same: citizens get a 503 in Vietnamese, not a refused
        # connection, and the store retries on each request.
        log.error("feedback database unavailable at start: %s", error)
    pages = Pages(settings)
    limits = Limits.from_settings(settings)
    lookups = LookupCounter(settings.lookup_limit_per_minute)
    allowed_origins = settings.allowed_origins + ((settings.site_url,) if settings.site_url else ())

    def new_question() -> captcha.Question:
        return captcha.issue_question(key, now=time.time(), ttl=settings.challenge_ttl_seconds, rng=rng)

    def client_of(request: Request) -> str:
        return client_key(client_address(request, settings.trusted_proxies), key)

    async def challenge(request: Request) -> Response:
        now = time.time()
        recent = await run_in_threadpool(store.recent, client_of(request), now=int(now))
        question = new_question()
        return JSONResponse({
            "altcha": captcha.issue_pow(key, now=now, ttl=settings.challenge_ttl_seconds,
                                        max_number=limits.difficulty(recent.volume)),
            "cau_hoi": {"van_ban": question.text, "token": question.token},
        }, headers=NO_STORE)

    def limited(reached: LimitReached) -> Response:
        return JSONResponse({"thong_bao": str(reached), "loi": {}}, status_code=429,
                            headers={**NO_STORE, "Retry-After": str(reached.retry_after)})

    def count_lookup(request: Request) -> None:
        lookups.hit(client_of(request), now=time.time())

    def refuse(request: Request, status: int, message: str, *, errors=None, fields=None,
               headers=None) -> Response:
        if _wants_html(request):
            if fields is not None:
                return pages.form(fields, errors or {"_form": message}, new_question(), status=status)
            return pages.message("Chưa gửi được ý kiến", message, status=status)
        return JSONResponse({"thong_bao": message, "loi": errors or {}}, status_code=status,
                            headers={**NO_STORE, **(headers or {})})

    async def submit(request: Request) -> Response:
        if not origin_allowed(request, allowed_origins):
            return refuse(request, 403, FOREIGN_ORIGIN)
        try:
            fields = parse_fields(await read_body(request, settings.max_body_bytes), media_type(request))
        except BadRequest as error:
            return refuse(request, error.status, error.message)
        try:
            submission = validate(fields)
        except Invalid as invalid:
            return refuse(request, 422, "Vui lòng sửa các lỗi được nêu và gửi lại.",
                          errors=invalid.errors, fields=fields)

        now = time.time()
        try:
            if fields.get("altcha"):
                ticket = captcha.verify_pow(str(fields["altcha"]), key, now=now)
            else:
                ticket = captcha.verify_question(str(fields.get("cau_hoi_token") or ""),
                                                 str(fields.get("cau_tra_loi") or ""), key, now=now)
        except captcha.CaptchaError as failed:
            if failed.spent:
                await run_in_threadpool(store.spend, failed.spent, now=int(now))
            if _wants_html(request) and str(failed) == captcha.MISSING and not fields.get("cau_hoi_token"):
                # The first post from a page without JavaScript: ask the question.
                return pages.form(fields, {}, new_question(), status=200)
            return refuse(request, 422, str(failed), errors={"ma_kiem_tra": str(failed)}, fields=fields)

        client = client_of(request)
        try:
            code = await run_in_threadpool(store.add, submission, ticket, client, now=int(now),
                                           check=limits.check)
        except LimitReached as reached:
            return refuse(request, 429, str(reached), headers={"Retry-After": str(reached.retry_after)})
        except (ChallengeSpent, ChallengeTooEasy) as spent:
            return refuse(request, 422, str(spent), errors={"ma_kiem_tra": str(spent)}, fields=fields)

        task = BackgroundTask(mailer.send_code, settings, submission.email, code) if settings.smtp_host else None
        if _wants_html(request):
            # POST-redirect-GET: reloading the receipt asks for the receipt
            # again instead of posting the form a second time.
            return RedirectResponse(f"{settings.site_url}{PREFIX}/da-tiep-nhan?ma={code}",
                                    status_code=303, headers=NO_STORE, background=task)
        return JSONResponse({"ma": code, "trang_thai": "Đã tiếp nhận",
                             "tra_cuu": f"{settings.site_url}/gop-y/tra-cuu/?ma={code}",
                             "thoi_gian_tra_loi": pages.answer_time},
                            status_code=201, headers=NO_STORE, background=task)

    async def status(request: Request) -> Response:
        try:
            count_lookup(request)
        except LimitReached as reached:
            return limited(reached)
        code = codes.normalise(request.path_params["code"])
        if code is None:
            return JSONResponse({"thong_bao": CODE_FORMAT}, status_code=400, headers=NO_STORE)
        item = await run_in_threadpool(store.get, code)
        if item is None:
            return JSONResponse({"thong_bao": CODE_UNKNOWN}, status_code=404, headers=NO_STORE)
        return JSONResponse(_status_json(item), headers=NO_STORE)

    async def lookup_page(request: Request) -> Response:
        typed = request.query_params.get("ma", "")
        if not typed.strip():
            return pages.status(typed, None, None)
        try:
            count_lookup(request)
        except LimitReached as reached:
            response = pages.status(typed, None, str(reached), status=429)
            response.headers["Retry-After"] = str(reached.retry_after)
            return response
        code = codes.normalise(typed)
        if code is None:
            return pages.status(typed, None, CODE_FORMAT, status=400)
        item = await run_in_threadpool(store.get, code)
        if item is None:
            return pages.status(typed, None, CODE_UNKNOWN, status=404)
        return pages.status(code, item, None)

    async def receipt(request: Request) -> Response:
        """The page a no-JS submission is redirected to; it only shows the code."""
        typed = request.query_params.get("ma", "")
        try:
            count_lookup(request)
        except LimitReached as reached:
            response = pages.message("Không thực hiện được yêu cầu", str(reached), status=429)
            response.headers["Retry-After"] = str(reached.retry_after)
            return response
        code = codes.normalise(typed)
        item = await run_in_threadpool(store.get, code) if code else None
        if item is None:
            return pages.message("Không thực hiện được yêu cầu", CODE_UNKNOWN if code else CODE_FORMAT,
                                 status=404 if code else 400)
        return pages.received(code)

    async def stylesheet(request: Request) -> Response:
        return pages.stylesheet()

    async def http_error(request: Request, exc: HTTPException) -> Response:
        messages = {404: "Không tìm thấy địa chỉ này.",
                    405: "Địa chỉ này không nhận phương thức yêu cầu đã dùng."}
        message = messages.get(exc.status_code, "Yêu cầu không hợp lệ.")
        if _wants_html(request):
            return pages.message("Không thực hiện được yêu cầu", message, status=exc.status_code)
        return JSONResponse({"thong_bao": message}, status_code=exc.status_code, headers=NO_STORE)

    async def store_unavailable(request: Request, exc: StoreUnavailable) -> Response:
        # One line naming the file, for the operator; no traceback.
        log.error("feedback database unavailable on %s %s: %s", request.method, request.url.path, exc)
        lookup = request.method == "GET"
        message = UNAVAILABLE_LOOKUP if lookup else UNAVAILABLE
        headers = {**NO_STORE, "Retry-After": "60"}
        if _wants_html(request):
            response = pages.message("Hệ thống đang tạm dừng", message, status=503)
            response.headers["Retry-After"] = "60"
            return response
        return JSONResponse({"thong_bao": message, "loi": {}}, status_code=503, headers=headers)

    async def server_error(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        message = "Hệ thống đang gặp sự cố, ý kiến chưa được ghi nhận. Vui lòng thử lại sau ít phút."
        if _wants_html(request):
            return pages.message("Hệ thống đang gặp sự cố", message, status=500)
        return JSONResponse({"thong_bao": message}, status_code=500, headers=NO_STORE)

    app = Starlette(
        routes=[
            Route(f"{PREFIX}/thu-thach", challenge, methods=["GET"]),
            Route(f"{PREFIX}/gui", submit, methods=["POST"]),
            Route(f"{PREFIX}/trang-thai/{{code}}", status, methods=["GET"]),
            Route(f"{PREFIX}/tra-cuu", lookup_page, methods=["GET"]),
            Route(f"{PREFIX}/da-tiep-nhan", receipt, methods=["GET"]),
            Route(f"{PREFIX}/giao-dien.css", stylesheet, methods=["GET"]),
            *search_routes(settings.site_root),  # search without JavaScript (cityportal/search)
        ],
        exception_handlers={HTTPException: http_error, StoreUnavailable: store_unavailable,
                            Exception: server_error},
        lifespan=_closing(store),
    )
    app.state.store = store
    return app
