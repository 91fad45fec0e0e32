"""Pelican glue for the portal theme: Vietnamese filters, the CSS bundle, related news."""
import hashlib
from pathlib import Path

import jinja2
from jinja2 import FileSystemBytecodeCache
from pelican import signals

from cityportal.assets import bundle_css
from cityportal.fingerprint import stable_repr
from cityportal.listings import related_positions
from cityportal.output_ledger import LEDGER
from cityportal.text import vn_date, vn_number, vn_short_date


def _prepare_theme(pelican):
    settings = pelican.settings
    css_name, css = bundle_css(Path(settings["THEME"]) / "css")
    pelican.portal_css = (css_name, css)
    settings["JINJA_FILTERS"] = {
        **settings["JINJA_FILTERS"],
        "vn_date": vn_date,
        "vn_short_date": vn_short_date,
        "vn_number": vn_number,
    }
    settings["JINJA_GLOBALS"] = {
        **settings["JINJA_GLOBALS"],
        "PORTAL_CSS": f"{settings['THEME_STATIC_DIR']}/css/{css_name}",
    }
    # Compiled templates kept between runs: compiling the theme costs more than
    # rendering one article page, and a rebuild after one edit renders little else.
    # Jinja recompiles a template whose source changed, but a compiled template also
    # depends on the filters present (an `is filter` test is settled when compiling), so
    # each set of plugins and Jinja options keeps its own folder.
    environment = stable_repr([settings["PLUGINS"], settings["JINJA_ENVIRONMENT"], jinja2.__version__])
    variant = hashlib.blake2b(environment.encode(), digest_size=6).hexdigest()
    folder = Path(settings.get("PORTAL_TEMPLATE_CACHE") or Path(settings["CACHE_PATH"]) / "templates") / variant
    folder.mkdir(parents=True, exist_ok=True)
    settings["JINJA_ENVIRONMENT"] = {**settings["JINJA_ENVIRONMENT"],
                                     "bytecode_cache": FileSystemBytecodeCache(str(folder))}


def _link_related_articles(generator):
    """"Tin cùng chuyên mục": the articles of the same category published just before
    (cityportal/listings.py), so a new article leaves the older ones' pages alone."""
    count = generator.settings["PORTAL_RELATED_COUNT"]
    for _category, articles in generator.categories:  # newest first
        for position, article in enumerate(articles):
            article.related = [articles[other]
                               for other in related_positions(position, len(articles), count)]


def _list_menu_categories(generator):
    """The news categories the menu opens, by slug: the menu shows their names only, so a
    page's menu does not change with the articles in them."""
    excluded = set(generator.settings["PORTAL_NON_NEWS_CATEGORIES"])
    generator.context["menu_categories"] = sorted(
        (category for category, _ in generator.categories if category.name not in excluded),
        key=lambda category: category.slug)


def _write_css(pelican):
    css_name, css = pelican.portal_css
    target = Path(pelican.output_path) / pelican.settings["THEME_STATIC_DIR"] / "css" / css_name
    target.parent.mkdir(parents=True, exist_ok=True)
    for stale in target.parent.glob("portal.*.css"):
        if stale != target:
            stale.unlink()  # an old bundle no page links to any more
    if not target.exists():
        target.write_text(css, encoding="utf-8")
    LEDGER.record(target)


def register():
    signals.initialized.connect(_prepare_theme)
    signals.article_generator_finalized.connect(_link_related_articles)
    signals.article_generator_finalized.connect(_list_menu_categories)
    signals.finalized.connect(_write_css)
