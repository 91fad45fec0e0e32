"""What may become markup on the portal, and what is only ever text.

Two kinds of strings reach the pages:

* Text: titles, authors, tags, a citizen's question and name. Templates escape it (Jinja
  autoescape); `plain_text` drops the invisible characters that would still let it play
  tricks as text (control characters, bidi overrides, a BOM). Text is never un-escaped.
* The HTML of an article body (and of its Markdown Summary): an editor's Markdown may
  hold raw HTML. `BodyPolicy.clean` keeps only an allow-list of tags and attributes,
  enforced by nh3 (the ammonia sanitizer), and returns it marked safe for templates.
  `BodyPolicy.removals` names what the allow-list takes out, so `invoke check` and the
  build can tell the editor where.

Knows nothing of Pelican.
"""
from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3
from markupsafe import Markup

# --- Text ------------------------------------------------------------------------------

# C0 and C1 control characters (U+009B is a terminal's CSI), DEL, bidi embeddings,
# overrides, isolates and marks, the Arabic letter mark, the BOM / zero-width no-break
# space and the interlinear annotation characters: none of them is needed to write
# Vietnamese, and each can make text look or act other than it reads.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
    "\u2066-\u2069\ufeff\ufff9-\ufffb]")
_LINE_BREAKS = re.compile("\r\n|[\r\x85\u2028\u2029]")


def plain_text(value, *, single_line: bool = True) -> str:
    """Text as it may be shown: NFC, no invisible control characters, and on one line
    with single spaces (or, with single_line=False, lines kept and joined by "\\n")."""
    value = unicodedata.normalize("NFC", str(value or ""))
    value = _LINE_BREAKS.sub("\n", value).replace("\t", " ")
    value = _INVISIBLE.sub("", value)
    if single_line:
        return " ".join(value.split())
    return "\n".join(line.rstrip() for line in value.split("\n")).strip("\n")


_SPREADSHEET_TRIGGERS = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def spreadsheet_cell(value) -> str:
    """A cell a spreadsheet program shows as text, never runs as a formula: invisible
    characters dropped first (a BOM before "=" hides the formula from a simple test),
    then a leading apostrophe when the cell, spaces aside, starts like a formula."""
    value = _INVISIBLE.sub("", _LINE_BREAKS.sub("\n", str(value)))
    if value[:1] in ("\t", "\n") or value.lstrip(" \t\n").startswith(_SPREADSHEET_TRIGGERS):
        return "'" + value
    return value


def terminal_text(value) -> str:
    """Text for the staff terminal: line breaks kept, nothing a terminal would obey
    (escape sequences, C1 controls such as CSI, bidi overrides)."""
    return _INVISIBLE.sub("", _LINE_BREAKS.sub("\n", str(value))).replace("\t", " ")


def markdown_text(value) -> str:
    """Text for the middle of a formatted (Markdown) metadata line: it reads back as the
    same text. Only what acts inside a line is escaped ("." or "#" act at its start)."""
    escaped = html.escape(plain_text(value), quote=False)
    return re.sub(r"([\\`*_{}\[\]|])", r"\\\1", escaped)


# --- Article bodies ------------------------------------------------------------------

TAGS = frozenset({
    "a", "abbr", "b", "bdi", "blockquote", "br", "caption", "cite", "code", "col", "colgroup",
    "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2",
    "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q",
    "s", "samp", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
    "audio", "video", "source", "track",
})
# Dropped with everything inside them, not just their tags.
CONTENT_DROPPED = frozenset({"script", "style"})
EMBED_TAG = "iframe"
ATTRIBUTES = {
    "*": {"class", "title", "lang", "dir"},
    "a": {"href", "hreflang", "rel"},
    "img": {"src", "alt", "width", "height", "loading", "decoding"},
    "h1": {"id"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "li": {"id"}, "sup": {"id"}, "dt": {"id"}, "dd": {"id"},
    "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "headers", "scope"},
    "col": {"span"}, "colgroup": {"span"},
    "ol": {"start", "reversed", "type"},
    "time": {"datetime"}, "del": {"datetime", "cite"}, "ins": {"datetime", "cite"},
    "blockquote": {"cite"}, "q": {"cite"},
    "details": {"open"},
    "audio": {"src", "controls", "preload"},
    "video": {"src", "controls", "preload", "poster", "width", "height"},
    "source": {"src", "type"},
    "track": {"src", "kind", "srclang", "label", "default"},
    EMBED_TAG: {"src", "title", "width", "height", "allowfullscreen", "loading"},
}
# Markdown's table alignment, the only inline style an article needs.
_ALIGNMENTS = {f"text-align: {side};" for side in ("left", "center", "right")}
ATTRIBUTE_VALUES = {"td": {"style": _ALIGNMENTS}, "th": {"style": _ALIGNMENTS}}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
URL_ATTRIBUTES = frozenset({"href", "src", "cite", "poster"})
# Removing these means someone tried to run code or load a foreign page: an error.
_ACTIVE_TAGS = frozenset({
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "base",
    "meta", "link", "form", "input", "button", "textarea", "select", "svg", "math",
    "template", "noscript", "portal",
})


@dataclass(frozen=True)
class Removal:
    """One thing the allow-list takes out of a body. `needle` is what to look for in the
    Markdown source to find its line."""

    message: str
    needle: str
    dangerous: bool


def _scheme(url: str) -> str | None:
    # Browsers ignore leading spaces and controls, and tabs or newlines inside the scheme.
    squeezed = re.sub(r"[\x00-\x20\x7f]", "", url)
    match = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", squeezed)
    return match.group(1).lower() if match else None


class BodyPolicy:
    """The allow-list for article bodies; embeds (iframes) only from `embed_hosts`."""

    def __init__(self, embed_hosts=()):
        self.embed_hosts = frozenset(host.lower().strip() for host in embed_hosts if host.strip())
        tags = set(TAGS) | ({EMBED_TAG} if self.embed_hosts else set())
        attributes = {tag: set(names) for tag, names in ATTRIBUTES.items() if tag in tags or tag == "*"}
        self.tags = frozenset(tags)
        self.attributes = attributes
        self._cleaner = nh3.Cleaner(
            tags=set(tags), clean_content_tags=set(CONTENT_DROPPED), attributes=attributes,
            tag_attribute_values={tag: {name: set(values) for name, values in names.items()}
                                  for tag, names in ATTRIBUTE_VALUES.items()},
            url_schemes=set(URL_SCHEMES), link_rel=None, strip_comments=True,
            attribute_filter=self._filter_attribute)

    def embed_allowed(self, url: str) -> bool:
        parts = urlsplit(url.strip())
        return parts.scheme == "https" and (parts.hostname or "") in self.embed_hosts

    def _filter_attribute(self, tag: str, name: str, value: str) -> str | None:
        if tag == EMBED_TAG and name == "src" and not self.embed_allowed(value):
            return None
        return value

    def clean(self, markup: str) -> Markup:
        """The body with only allowed markup left, safe to put into a page as it is."""
        return Markup(self._cleaner.clean(markup or ""))

    def removals(self, markup: str) -> list[Removal]:
        """What `clean` takes out of `markup`, in document order."""
        scanner = _Scanner(self)
        scanner.feed(markup or "")
        scanner.close()
        return scanner.found


class _Scanner(HTMLParser):
    """Walks a body the way the allow-list sees it, to name what it removes."""

    def __init__(self, policy: BodyPolicy):
        super().__init__(convert_charrefs=True)
        self.policy = policy
        self.found: list[Removal] = []

    def _add(self, message: str, needle: str, dangerous: bool) -> None:
        self.found.append(Removal(message, needle, dangerous))

    def handle_starttag(self, tag, attrs):
        policy = self.policy
        if tag not in policy.tags:
            if tag == EMBED_TAG:
                src = dict(attrs).get("src") or ""
                self._add(f"khung nhúng <iframe> {src!r} bị loại: chưa khai báo máy chủ nào được "
                          "nhúng (PORTAL_EMBED_HOSTS)", "<iframe", True)
            else:
                what = "cùng toàn bộ nội dung bên trong" if tag in CONTENT_DROPPED else "(phần chữ bên trong được giữ)"
                self._add(f"thẻ <{tag}> bị loại khỏi bài khi xuất bản {what}; bài viết chỉ được dùng "
                          "các thẻ định dạng thông thường", f"<{tag}", tag in _ACTIVE_TAGS)
            return
        allowed = policy.attributes.get(tag, set()) | policy.attributes["*"]
        restricted = ATTRIBUTE_VALUES.get(tag, {})
        for name, value in attrs:
            value = value or ""
            if name in restricted:
                if value not in restricted[name]:
                    self._add(f'thuộc tính {name}="{value}" của thẻ <{tag}> bị loại', name, False)
            elif name not in allowed:
                active = name.startswith("on") or name in ("srcdoc", "formaction", "srcset")
                reason = "mã chạy trong trang không được phép" if name.startswith("on") else "không có trong danh sách cho phép"
                self._add(f"thuộc tính {name} của thẻ <{tag}> bị loại ({reason})", name, active)
            elif tag == EMBED_TAG and name == "src" and not policy.embed_allowed(value):
                hosts = ", ".join(sorted(policy.embed_hosts))
                self._add(f"khung nhúng <iframe> từ {value!r} bị loại: chỉ nhúng qua https từ các "
                          f"máy chủ trong PORTAL_EMBED_HOSTS ({hosts})", "<iframe", True)
            elif name in URL_ATTRIBUTES:
                scheme = _scheme(value)
                if scheme is not None and scheme not in URL_SCHEMES:
                    self._add(f'liên kết "{value[:60]}" của thẻ <{tag}> bị loại: chỉ dùng địa chỉ '
                              "http, https, mailto, tel hoặc đường dẫn trong cổng", f"{scheme}:", True)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_comment(self, data):
        self._add("chú thích HTML <!-- … --> bị loại khỏi bài khi xuất bản", "<!--", False)

    def handle_decl(self, decl):
        self._add(f"khai báo <!{decl[:20]}> bị loại khỏi bài khi xuất bản", "<!", False)

    def handle_pi(self, data):
        self._add("chỉ thị <?…> bị loại khỏi bài khi xuất bản", "<?", False)


def locate(lines: list[str], needles: list[str], first_line: int) -> list[int]:
    """The source line of each needle, searched in order: a needle found again is looked
    for after its previous line. `lines` start at line number `first_line`; a needle not
    found (the source spelled it differently, say with entities) is put on `first_line`."""
    lowered = [line.lower() for line in lines]
    last: dict[str, int] = {}
    found = []
    for needle in needles:
        key = needle.lower()
        start = last.get(key, -1) + 1
        index = next((i for i in range(start, len(lowered)) if key in lowered[i]), None)
        if index is None:
            index = next((i for i in range(len(lowered)) if key in lowered[i]), None)
        if index is None:
            found.append(first_line)
            continue
        last[key] = index
        found.append(first_line + index)
    return found


# --- Click to load -------------------------------------------------------------------

_IFRAME = re.compile(r"<iframe\b([^>]*)>(.*?)</iframe>", re.S | re.I)
_ATTRIBUTE = re.compile(r'([a-zA-Z-]+)="([^"]*)"')


def defer_embeds(html: str) -> str:
    """Each allowed <iframe> (the cleaned body's, its attributes already escaped) becomes a
    link to the same address: the page loads nothing from the other host until the reader
    clicks. theme/static/js/portal.js then puts the frame in its place; without
    JavaScript the link opens the video at its host."""
    def facade(match: re.Match) -> str:
        attributes = dict(_ATTRIBUTE.findall(match.group(1)))
        src = attributes.get("src")
        if not src:
            return match.group(0)  # no address: an empty frame loads nothing
        title = attributes.get("title") or "Video"
        host = urlsplit(src.replace("&amp;", "&")).hostname or ""
        size = "".join(f' data-embed-{name}="{attributes[name]}"' for name in ("width", "height")
                       if attributes.get(name, "").isdigit())
        return (f'<div class="embed" data-embed-src="{src}" data-embed-title="{title}"{size}>'
                f'<a class="embed__link" href="{src}">Xem video: {title}</a>'
                f'<span class="embed__note">Video đặt tại {host}; trang chỉ tải video khi bạn bấm.</span>'
                f'</div>')
    return _IFRAME.sub(facade, html)
