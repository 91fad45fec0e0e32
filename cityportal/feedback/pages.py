"""HTML pages the service renders itself: for browsers without JavaScript
(the question step, errors, the receipt) and the no-JS status lookup.

The form markup is the theme's `partials/feedback_form.html`, the same file
the static /gop-y/ page includes, so both always show the same form."""
from __future__ import annotations

from pathlib import Path

import jinja2
from starlette.background import BackgroundTask
from starlette.responses import HTMLResponse, Response

from cityportal.assets import bundle_css

from .captcha import Question
from cityportal.text import vietnamese_date
from cityportal import PROJECT_ROOT
from cityportal.feedback.settings import Settings
from .submission import TOPIC_LABELS, TOPICS

SERVICE_TEMPLATES = Path(__file__).with_name("templates")
THEME = PROJECT_ROOT / "theme"
HEADERS = {"Cache-Control": "no-store"}


class Pages:
    def __init__(self, settings: Settings, theme: Path = THEME):
        self.site_url = settings.site_url
        self.environment = jinja2.Environment(
            loader=jinja2.ChoiceLoader([
                jinja2.FileSystemLoader(SERVICE_TEMPLATES),
                jinja2.FileSystemLoader(theme / "templates"),
            ]),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
        )
        self.environment.globals.update(
            SITEURL=self.site_url,
            feedback_topics=TOPICS,
            topic_labels=TOPIC_LABELS,
            vietnamese_date=vietnamese_date,
        )
        _name, self._css = bundle_css(theme / "css")  # the very stylesheet the build writes

    def _render(self, template: str, status: int, background: BackgroundTask | None = None,
                **context) -> HTMLResponse:
        html = self.environment.get_template(template).render(**context)
        return HTMLResponse(html, status_code=status, headers=HEADERS, background=background)

    def form(self, values: dict, errors: dict, question: Question, *, status: int) -> HTMLResponse:
        shown = {key: value for key, value in values.items() if isinstance(value, (str, bool))}
        return self._render("form_page.html", status, values=shown, errors=errors,
                            question=question, title="Gửi ý kiến")

    def received(self, code: str, background: BackgroundTask | None = None) -> HTMLResponse:
        return self._render("received.html", 201, background, code=code,
                            title="Đã tiếp nhận ý kiến")

    def status(self, typed: str, item, message: str | None, *, status: int = 200) -> HTMLResponse:
        return self._render("status.html", status, typed=typed, item=item, message=message,
                            title="Tra cứu ý kiến")

    def message(self, title: str, message: str, *, status: int) -> HTMLResponse:
        return self._render("message.html", status, title=title, message=message)

    def stylesheet(self) -> Response:
        return Response(self._css, media_type="text/css; charset=utf-8",
                        headers={"Cache-Control": "public, max-age=300"})
