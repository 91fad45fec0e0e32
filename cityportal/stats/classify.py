"""Which requests are page views, which page they are a view of, and which user agents
are bots."""
from urllib.parse import unquote_to_bytes

from crawlerdetect import CrawlerDetect

PAGE_VIEW_STATUSES = frozenset((200, 304))
_NO_AGENT = frozenset((b"", b"-"))


def page_path(target):
    """The path of a GET target without query string or fragment, if it names an HTML page.

    Only origin-form targets ("/...") count: a proxy-style absolute URL is not a request
    for one of our pages.
    """
    if target[:1] != b"/":
        return None
    path = target.split(b"?", 1)[0].split(b"#", 1)[0]
    if path.endswith(b"/") or path.endswith(b".html"):
        return path
    return None


def site_path(path):
    """The page a page-view path names once the web server has normalised it, as text:
    %XX decoded, empty and "." segments dropped, ".." resolved.

    b"/x/../tin-tuc/" and b"/tin%2Dtuc//" both name "/tin-tuc/", the file nginx serves.
    """
    text = unquote_to_bytes(path).decode("utf-8", "backslashreplace")
    parts = text.split("/")
    kept = []
    for part in parts[1:-1]:
        if part == "..":
            if kept:
                kept.pop()
        elif part not in ("", "."):
            kept.append(part)
    last = parts[-1] if len(parts) > 1 else ""
    if last in (".", ".."):
        if last == ".." and kept:
            kept.pop()
        last = ""
    return "/" + "".join(part + "/" for part in kept) + last


class BotFilter:
    """Bot test on raw user-agent bytes, remembering answers.

    The crawler list is one large regular expression (a few hundred microseconds per
    call); real logs repeat a few thousand distinct agents, so the answers are cached.
    The cache is cleared when full so memory stays bounded on hostile input.
    """

    def __init__(self, max_entries=50_000):
        self._detector = CrawlerDetect()
        self._answers = {}
        self._max_entries = max_entries

    def __call__(self, user_agent):
        answer = self._answers.get(user_agent)
        if answer is None:
            answer = self._decide(user_agent)
            if len(self._answers) >= self._max_entries:
                self._answers.clear()
            self._answers[user_agent] = answer
        return answer

    def _decide(self, user_agent):
        if user_agent.strip() in _NO_AGENT:
            return True
        text = user_agent.decode("utf-8", "backslashreplace")
        return bool(self._detector.isCrawler(text))
