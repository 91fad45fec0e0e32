"""Pelican glue: give each article with an `Image:` field a `picture`, copy its variants out."""
from __future__ import annotations

import logging
import shutil
from itertools import chain
from pathlib import Path

from pelican import signals

from .problems import find_problems
from .references import metadata_image, resolve
from .variants import (DEFAULT_JPEG_QUALITY, DEFAULT_SIZES, DEFAULT_WEBP_QUALITY, DEFAULT_WIDTHS,
                       ImageProblem, build_picture)

__all__ = ["register", "find_problems"]

logger = logging.getLogger(__name__)

DEFAULTS = {
    "RESPONSIVE_IMAGES_WIDTHS": DEFAULT_WIDTHS,
    "RESPONSIVE_IMAGES_WEBP_QUALITY": DEFAULT_WEBP_QUALITY,
    "RESPONSIVE_IMAGES_JPEG_QUALITY": DEFAULT_JPEG_QUALITY,
    "RESPONSIVE_IMAGES_SIZES": DEFAULT_SIZES,
    "RESPONSIVE_IMAGES_OUTPUT_DIR": "images/variants",
    "RESPONSIVE_IMAGES_CACHE_DIR": None,  # None: <CACHE_PATH>/responsive_images
}

# Cache entries whose files must end up in the output, collected while generators run.
_pending: dict[Path, Path] = {}


def _setting(settings, name):
    return settings.get(name, DEFAULTS[name])


def _cache_dir(settings) -> Path:
    configured = _setting(settings, "RESPONSIVE_IMAGES_CACHE_DIR")
    return Path(configured or Path(settings.get("CACHE_PATH", "cache")) / "responsive_images")


def _attach_picture(content, settings):
    source_path = Path(content.source_path)
    try:
        header = metadata_image(source_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return
    if header is None:
        return
    line, target = header
    content_dir = Path(settings["PATH"])
    image_path = resolve(target, source_path, content_dir)
    where = f"{source_path}:{line}"
    if image_path is None or not image_path.is_file():
        # A warning, not an error: the build still shows the article; `invoke check` fails.
        logger.warning("%s: không dùng được ảnh '%s'; chạy `invoke check` để biết cách sửa",
                       where, target)
        return
    output_dir = _setting(settings, "RESPONSIVE_IMAGES_OUTPUT_DIR").strip("/")
    try:
        picture, entry = build_picture(
            image_path,
            _cache_dir(settings),
            widths=tuple(_setting(settings, "RESPONSIVE_IMAGES_WIDTHS")),
            webp_quality=_setting(settings, "RESPONSIVE_IMAGES_WEBP_QUALITY"),
            jpeg_quality=_setting(settings, "RESPONSIVE_IMAGES_JPEG_QUALITY"),
            sizes=_setting(settings, "RESPONSIVE_IMAGES_SIZES"),
            url_prefix=f"{settings.get('SITEURL', '')}/{output_dir}/",
        )
    except ImageProblem as error:
        logger.warning("%s: %s", where, error)
        return
    content.picture = picture
    _pending[entry] = Path(settings["OUTPUT_PATH"]) / output_dir


def _on_articles(generator):
    for article in chain(generator.articles, generator.translations, generator.hidden_articles,
                         generator.hidden_translations, generator.drafts,
                         generator.drafts_translations):
        _attach_picture(article, generator.settings)


def _on_pages(generator):
    for page in chain(generator.pages, generator.translations, generator.hidden_pages,
                      generator.draft_pages):
        _attach_picture(page, generator.settings)


def _copy_variants(pelican):
    """Variant names carry the content hash, so a file already in place is already right."""
    for entry, destination in _pending.items():
        destination.mkdir(parents=True, exist_ok=True)
        for variant in entry.iterdir():
            if variant.name == "picture.json":
                continue
            target = destination / variant.name
            if not target.exists():
                shutil.copyfile(variant, target)
    _pending.clear()


def register():
    signals.article_generator_finalized.connect(_on_articles)
    signals.page_generator_finalized.connect(_on_pages)
    signals.finalized.connect(_copy_variants)
