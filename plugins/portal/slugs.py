"""ASCII slugs for Vietnamese text: tone marks are dropped and "đ" becomes "d"."""
import re

from unidecode import unidecode

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def ascii_slug(text: str, separator: str = "-") -> str:
    return _NON_ALNUM.sub(separator, unidecode(text).lower()).strip(separator)


def article_slug(title: str, settings: dict) -> str:
    """The slug Pelican itself derives from a title, so checks and `invoke new` agree with it."""
    from pelican.utils import slugify

    return slugify(title, regex_subs=settings["SLUG_REGEX_SUBSTITUTIONS"])


def heading_anchor(text: str, separator: str) -> str:
    """Markdown's own slugify drops "đ" entirely ("Kết quả đạt được" -> "ket-qua-at-uoc")."""
    return ascii_slug(text, separator)
