"""Settings for local work: relative URLs, no feeds cache tricks, fast rebuilds."""
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from cityportal.text import heading_anchor

ROOT = Path(__file__).resolve().parent

# --- The agency -------------------------------------------------------------
SITENAME = "Cổng thông tin điện tử Thành phố Sông Lam"
PORTAL_AGENCY = "Ủy ban nhân dân Thành phố Sông Lam"
PORTAL_CITY = "Thành phố Sông Lam"
PORTAL_ADDRESS = "Số 01 đường Trần Phú, phường Trung Tâm, thành phố Sông Lam"
PORTAL_PHONE = "0238 3 844 555"
PORTAL_EMAIL = "ubnd@songlam.gov.vn"
PORTAL_RESPONSIBLE = "Ông Nguyễn Văn Hòa, Chánh Văn phòng HĐND và UBND thành phố"
PORTAL_LICENCE = "Giấy phép số 12/GP-STTTT ngày 10/3/2021 của Sở Thông tin và Truyền thông"
AUTHOR = PORTAL_AGENCY
SITEURL = ""
# Canonical, OpenGraph and sitemap addresses are always absolute, even in local builds.
PORTAL_PUBLIC_URL = "https://songlam.gov.vn"
RELATIVE_URLS = True

# The categories an article may use; `invoke check` rejects any other.
PORTAL_CATEGORIES = [
    "Tin tức – Sự kiện",
    "Chính trị",
    "Kinh tế",
    "Văn hóa – Xã hội",
    "Cải cách hành chính",
    "Hỏi đáp",
]
# Categories with a home of their own (/hoi-dap/): kept out of the news menu, the front
# page and the news overview.
PORTAL_NON_NEWS_CATEGORIES = ["Hỏi đáp"]
# Summary (the sapo) is recommended: `invoke check` warns without it, and the page uses
# the start of the body instead.
PORTAL_REQUIRED_METADATA = ["Title", "Date", "Category", "Author"]
# The Author `invoke new` writes when the editor gives none.
PORTAL_DEFAULT_AUTHOR = "Ban Biên tập Cổng thông tin"
# "Tin cùng chuyên mục": how many articles of the same category an article lists (those
# published just before it).
PORTAL_RELATED_COUNT = 5

# Sidebar blocks that come from settings rather than from a plugin.
PORTAL_VIDEOS = [
    {
        "title": "Thành phố Sông Lam: một năm chuyển đổi số",
        "url": "/video/",
        "thumbnail": "images/video/chuyen-doi-so.jpg",
        "alt": "Ảnh minh họa video: màn hình máy tính hiển thị cổng dịch vụ công",
    },
]
# The main menu: (label, address inside the site or a full URL, the page's active_section).
# The news categories open under the item whose section is PORTAL_NEWS_SECTION; the
# category named like that item is the section itself, so it is not listed again under it.
PORTAL_MENU = [
    ("Trang chủ", "", "home"),
    ("Giới thiệu", "gioi-thieu/", "gioi-thieu"),
    ("Tin tức – Sự kiện", "chuyen-muc/", "tin-tuc"),
    ("Văn bản", "van-ban/", "van-ban"),
    ("Hỏi đáp", "hoi-dap/", "hoi-dap"),
    ("Gửi ý kiến", "gop-y/", "gop-y"),
    ("Dịch vụ công", "https://dichvucong.gov.vn", ""),
    ("Liên hệ", "lien-he/", "lien-he"),
]
PORTAL_NEWS_SECTION = "tin-tuc"
# The English organisation page (Nghị định 42/2022/NĐ-CP art. 7) and the Vietnamese page it
# translates; both carry hreflang links to each other.
PORTAL_ENGLISH_PAGE = {"en": "en/", "vi": "gioi-thieu/"}
PORTAL_LOOKUP_LINKS = [
    ("Cổng Dịch vụ công quốc gia", "https://dichvucong.gov.vn"),
    ("Cơ sở dữ liệu quốc gia về văn bản pháp luật", "https://vbpl.vn"),
    ("Công báo Chính phủ", "https://congbao.chinhphu.vn"),
    ("Cổng thông tin điện tử Chính phủ", "https://chinhphu.vn"),
]

# Video and map embeds (<iframe> in an article) load only over https from these hosts;
# any other <iframe> is removed by the build and reported by `invoke check`.
PORTAL_EMBED_HOSTS = ["www.youtube-nocookie.com"]

# --- Locale and time -------------------------------------------------------
TIMEZONE = "Asia/Ho_Chi_Minh"
# The footer's "©" year: the year the site was built, in the city's time zone.
PORTAL_COPYRIGHT_YEAR = datetime.now(ZoneInfo(TIMEZONE)).year
DEFAULT_LANG = "vi"
DEFAULT_DATE_FORMAT = "%d/%m/%Y"
DEFAULT_DATE = None

# --- Content layout ----------------------------------------------------------
PATH = "content"
ARTICLE_PATHS = ["articles", "hoi-dap"]
PAGE_PATHS = ["pages"]
# video/: the sample videos, posters and captions (`invoke video-samples`); files/: the
# registry's PDF files (the sample's are made by `invoke legal-sample-pdfs`).
STATIC_PATHS = ["images", "video", "files", "extra/robots.txt"]
EXTRA_PATH_METADATA = {"extra/robots.txt": {"path": "robots.txt"}}
ARTICLE_EXCLUDES = ["van-ban"]
# The document registry is read by the legal_refs plugin, never as pages.
PAGE_EXCLUDES = ["van-ban"]
IGNORE_FILES = [".#*", "*~", "README.md"]

ARTICLE_URL = "{slug}/"
ARTICLE_SAVE_AS = "{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
CATEGORY_URL = "chuyen-muc/{slug}/"
CATEGORY_SAVE_AS = "chuyen-muc/{slug}/index.html"
TAG_URL = "the/{slug}/"
TAG_SAVE_AS = "the/{slug}/index.html"
CATEGORIES_SAVE_AS = "chuyen-muc/index.html"
TAGS_SAVE_AS = "the/index.html"
# The home page's address, so links back to the newest articles read "/", not "/index.html".
INDEX_URL = ""
ARCHIVES_SAVE_AS = "luu-tru/index.html"
ARCHIVES_URL = "luu-tru/"
CATEGORIES_URL = "chuyen-muc/"
TAGS_URL = "the/"
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
DRAFT_URL = "nhap/{slug}/"
DRAFT_SAVE_AS = "nhap/{slug}/index.html"
DIRECT_TEMPLATES = ["index", "categories", "tags", "archives", "sitemap", "site_map", "404"]
SITEMAP_SAVE_AS = "sitemap.xml"
# "Sơ đồ trang" for people; sitemap.xml is for search engines.
SITE_MAP_SAVE_AS = "so-do-trang/index.html"
# Pages the portal's plugins write; `invoke check` reads these to know the site's sections.
SEARCH_SAVE_AS = "tim-kiem/index.html"
STATS_SAVE_AS = "thong-ke/index.html"
FEEDBACK_SAVE_AS = "gop-y/index.html"
FEEDBACK_LOOKUP_SAVE_AS = "gop-y/tra-cuu/index.html"
FEEDBACK_QA_SAVE_AS = "hoi-dap/index.html"
# "404" is written to 404.html, the page nginx serves for missing paths.

DEFAULT_PAGINATION = 10
# Listing pages (plugins/listing_pages.py): the listing's own address shows the newest
# articles; trang/1/ holds the oldest block of a page's worth, trang/2/ the next, and so on,
# so those pages never change when an article is added.
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/trang/{number}/", "{base_name}/trang/{number}/index.html"),
)
PAGINATED_TEMPLATES = {"index": 10, "category": 10, "tag": 10, "archives": 50}

# Feeds are produced locally too, so their links can be tested before publishing.
FEED_DOMAIN = PORTAL_PUBLIC_URL
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
FEED_MAX_ITEMS = 30

# Articles are Markdown only; an .rst file would otherwise be half-supported.
READERS = {"rst": None}

# --- Markdown --------------------------------------------------------------
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.toc": {"slugify": heading_anchor},
        "markdown.extensions.meta": {},
    },
    "output_format": "html5",
}

# --- Theme and plugins -----------------------------------------------------
THEME = str(ROOT / "theme")
# The glue modules of the installed `plugins` package, each under its one dotted name. The
# theme needs plugins.markup_safety (autoescaping, body_html), plugins.portal and
# plugins.listing_pages (the listing pages' dates and links).
PLUGINS = ["plugins.markup_safety", "plugins.portal", "plugins.listing_pages", "plugins.content_checks",
           "plugins.access_stats", "plugins.legal_refs", "plugins.feedback", "plugins.responsive_images",
           "plugins.search", "plugins.fast_build",
           "plugins.output_ledger"]  # last: it lists what every other plugin wrote

# --- Legal documents (plugins/legal_refs, docs/legal_refs.md) ------------------
# An unnamed "UBND thành phố" or a bare 1234/QĐ-UBND in an article means this city.
LEGAL_REFS_HOME_LOCALITY = "thành phố Sông Lam"
LEGAL_REFS_URL_PREFIX = "van-ban"

# Local builds rebuild from scratch; publishconf turns the content cache on.
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False

# --- Access statistics (plugins/access_stats, docs/access_stats.md) -------------
# The old portal had counted 8.012.849 visits; "Tất cả" continues from there.
# Production reads it from the environment instead (publishconf.py).
STATS_TOTAL_OFFSET = 8012849
# Local builds count the sample log (made by `invoke stats-sample-log`) into their own
# database, and report at the sample's last minute so the counters look live.
STATS_LOG = str(ROOT / "data" / "sample-access.log")
STATS_DB = str(ROOT / "data" / "stats-sample.sqlite")
STATS_INGEST_ON_BUILD = True
STATS_NOW = "2026-11-28T20:00:00+07:00"
