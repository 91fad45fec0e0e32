"""HTML pages the service renders itself: for browsers without JavaScript
(the question step, errors, the receipt) and the no-JS status lookup.

The form markup is the theme's `partials/feedback_form.html`, the same file
the static /gop-y/ page includes, so both always show the same form. Around it
goes the built /gop-y/ page itself (FEEDBACK_SITE_ROOT): the portal's header,
emblem, menu, sidebar and footer exactly as the build wrote them, read again
whenever the build replaces the file. Only without a built site (a bare
development checkout) does a plain page stand in."""
from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup, escape

import jinja2
from starlette.responses import HTMLResponse, Response

from cityportal.assets import bundle_css

from .captcha import Question
from cityportal.text import vietnamese_date
from cityportal import PROJECT_ROOT
from cityportal.feedback.settings import Settings
from .submission import TOPIC_LABELS, TOPICS

SERVICE_TEMPLATES = Path(__file__).with_name("templates")
THEME = PROJECT_ROOT / "theme"
NO_STORE = {"Cache-Control": "no-store"}
SHELL_PAGE = Path("gop-y") / "index.html"
SHELL_TITLE = "Gửi ý kiến"
log = logging.getLogger("cityportal.feedback")

_MAIN_OPEN = re.compile(r"<main\b[^>]*>")
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)


@dataclass(frozen=True)
class Shell:
    """The built page cut around the inside of its <main>."""

    before: str
    after: str
    site_title: str  # what follows "Gửi ý kiến" in <title>, e.g. " – Cổng thông tin điện tử …"

    @classmethod
    def parse(cls, html: str) -> "Shell | None":
        opening = _MAIN_OPEN.search(html)
        closing = html.rfind("</main>")
        title = _TITLE.search(html)
        if not opening or closing < opening.end() or not title:
            return None
        # The page is the static form's; these are the service's answers to a post.
        before = html[:opening.end()].replace("<head>", '<head>\n<meta name="robots" content="noindex">', 1)
        site_title = title.group(1)
        site_title = site_title[len(SHELL_TITLE):] if site_title.startswith(SHELL_TITLE) else " – " + site_title
        return cls(before, html[closing:], site_title)

    def wrap(self, title: str, content: str) -> str:
        full_title = f"<title>{escape(title)}{self.site_title}</title>"
        before = _TITLE.sub(lambda _: full_title, self.before, count=1)
        return before + content + self.after


class Pages:
    def __init__(self, settings: Settings, theme: Path = THEME):
        self.site_url = settings.site_url
        self.shell_path = Path(settings.site_root) / SHELL_PAGE
        self._shell: tuple[tuple, Shell | None] | None = None
        self.answer_time = (f"Câu hỏi, ý kiến thường được trả lời trong vòng "
                            f"{settings.answer_working_days} ngày làm việc kể từ khi tiếp nhận. "
                            "Khi có trả lời, bạn tra cứu bằng mã theo dõi ở trên.")
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

    def shell(self) -> Shell | None:
        """The built /gop-y/ page, read again when the build has replaced it."""
        try:
            info = os.stat(self.shell_path)
        except OSError:
            if self._shell is None or self._shell[0] != ():
                log.warning("%s not found: the service's pages go without the portal's header "
                            "and footer until the site is built (FEEDBACK_SITE_ROOT)", self.shell_path)
            self._shell = ((), None)
            return None
        stamp = (info.st_ino, info.st_mtime_ns, info.st_size)
        if self._shell is None or self._shell[0] != stamp:
            shell = Shell.parse(self.shell_path.read_text(encoding="utf-8"))
            if shell is None:
                log.warning("%s has no <main> or <title>: the service's pages go without "
                            "the portal's header and footer", self.shell_path)
            self._shell = (stamp, shell)
        return self._shell[1]

    def _render(self, template: str, status: int, **context) -> HTMLResponse:
        content = self.environment.get_template(template).render(**context)
        shell = self.shell()
        if shell is not None:
            html = shell.wrap(context["title"], content)
        else:
            html = self.environment.get_template("standalone.html").render(
                title=context["title"], body=Markup(content))
        return HTMLResponse(html, status_code=status, headers=NO_STORE)

    def form(self, values: dict, errors: dict, question: Question, *, status: int) -> HTMLResponse:
        shown = {key: value for key, value in values.items() if isinstance(value, (str, bool))}
        return self._render("form_page.html", status, values=shown, errors=errors,
                            question=question, title="Gửi ý kiến")

    def received(self, code: str) -> HTMLResponse:
        return self._render("received.html", 200, code=code,
                            answer_time=self.answer_time, title="Đã tiếp nhận ý kiến")

    def status(self, typed: str, item, message: str | None, *, status: int = 200) -> HTMLResponse:
        return self._render("status.html", status, typed=typed, item=item, message=message,
                            title="Tra cứu ý kiến")

    def message(self, title: str, message: str, *, status: int) -> HTMLResponse:
        return self._render("message.html", status, title=title, message=message)

    def stylesheet(self) -> Response:
        return Response(self._css, media_type="text/css; charset=utf-8",
                        headers={"Cache-Control": "public, max-age=300"})
