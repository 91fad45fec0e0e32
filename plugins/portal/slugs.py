"""Slugs for articles and anchors for their headings, both ASCII with "đ" as "d"."""
from plugins.vietnamese import ascii_slug


def article_slug(title: str, settings: dict) -> str:
    """The slug Pelican itself derives from a title, so checks and `invoke new` agree with it."""
    from pelican.utils import slugify

    return slugify(title, regex_subs=settings["SLUG_REGEX_SUBSTITUTIONS"])


def heading_anchor(text: str, separator: str) -> str:
    """Markdown's own slugify drops "đ" entirely ("Kết quả đạt được" -> "ket-qua-at-uoc")."""
    return ascii_slug(text, separator)
