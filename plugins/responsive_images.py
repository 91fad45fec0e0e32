"""Pelican glue: give each article with an `Image:` field a `picture`, copy its variants out."""
from __future__ import annotations

import logging
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from itertools import chain
from pathlib import Path

from pelican import signals

from cityportal.images.references import resolve
from cityportal.metadata import read_header
from cityportal.output_ledger import LEDGER
from cityportal.images.variants import (DEFAULT_JPEG_QUALITY, DEFAULT_SIZES, DEFAULT_WEBP_QUALITY, DEFAULT_WIDTHS,
                       ImageProblem, KeyIndex, build_picture)

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


def _where(content) -> str:
    """file:line of the Image field, read only when there is something to report."""
    source = Path(content.source_path)
    try:
        line = read_header(source).line_of("image")
    except (OSError, UnicodeDecodeError):
        line = 1
    return f"{source}:{line}"


def _attach_pictures(contents, settings):
    """One picture per distinct image (many articles may share one), made in parallel:
    Pillow releases the GIL while it resizes and encodes."""
    content_dir = Path(settings["PATH"])
    widths = tuple(_setting(settings, "RESPONSIVE_IMAGES_WIDTHS"))
    webp_quality = _setting(settings, "RESPONSIVE_IMAGES_WEBP_QUALITY")
    jpeg_quality = _setting(settings, "RESPONSIVE_IMAGES_JPEG_QUALITY")
    output_dir = _setting(settings, "RESPONSIVE_IMAGES_OUTPUT_DIR").strip("/")
    cache_dir = _cache_dir(settings)
    keys = KeyIndex(cache_dir / "keys.json")

    wanted: dict[Path, list] = {}
    for content in contents:
        target = content.metadata.get("image")
        if not target:
            continue
        image_path = resolve(str(target), Path(content.source_path), content_dir)
        if image_path is None or not image_path.is_file():
            # A warning, not an error: the build still shows the article; `invoke check` fails.
            logger.warning("%s: không dùng được ảnh '%s'; chạy `invoke check` để biết cách sửa",
                           _where(content), target)
            continue
        wanted.setdefault(image_path, []).append(content)

    def make(image_path):
        try:
            key = keys.key_for(image_path, widths, webp_quality, jpeg_quality)
            return build_picture(image_path, cache_dir, widths=widths, webp_quality=webp_quality,
                                 jpeg_quality=jpeg_quality,
                                 sizes=_setting(settings, "RESPONSIVE_IMAGES_SIZES"),
                                 url_prefix=f"{settings.get('SITEURL', '')}/{output_dir}/", key=key)
        except ImageProblem as error:
            return error

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        made = dict(zip(wanted, pool.map(make, wanted)))
    keys.save()
    for image_path, result in made.items():
        if isinstance(result, ImageProblem):
            for content in wanted[image_path]:
                logger.warning("%s: %s", _where(content), result)
            continue
        picture, entry = result
        for content in wanted[image_path]:
            content.picture = picture
            # Link previews (og:image) get the largest variant, never the editor's original.
            content.share_image = f"{output_dir}/{picture.share_filename}"
        _pending[entry] = Path(settings["OUTPUT_PATH"]) / output_dir


def _on_articles(generator):
    _attach_pictures(chain(generator.articles, generator.translations, generator.hidden_articles,
                           generator.hidden_translations, generator.drafts,
                           generator.drafts_translations), generator.settings)


def _on_pages(generator):
    _attach_pictures(chain(generator.pages, generator.translations, generator.hidden_pages,
                           generator.draft_pages), generator.settings)


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
            LEDGER.record(target)
    _pending.clear()


def register():
    signals.article_generator_finalized.connect(_on_articles)
    signals.page_generator_finalized.connect(_on_pages)
    signals.finalized.connect(_copy_variants)
