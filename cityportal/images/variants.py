"""Resize one source image into width variants (WebP + JPEG) kept in a content-hash cache.

Knows nothing of Pelican: give it a file, a cache directory and the widths; get back a
`Picture` describing what a `<picture>` element needs.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageOps

from cityportal.text import ascii_slug

DEFAULT_WIDTHS = (360, 720, 1200)
# Chosen so that a busy 4000 px photo stays well under the 150 KB phone budget at 720w.
DEFAULT_WEBP_QUALITY = 72
DEFAULT_JPEG_QUALITY = 74
# The theme's main column: full width minus 16 px padding each side below 900 px, then
# beside a 300 px sidebar (2rem gap) up to a 1200 px page. A 375 px phone at DPR 2 thus
# asks for ~686 device pixels and gets the 720w file.
DEFAULT_SIZES = "(min-width: 1200px) 836px, (min-width: 900px) calc(100vw - 364px), calc(100vw - 32px)"

# Bump when the way variants are produced changes, so old cache entries are not reused.
_RECIPE_VERSION = 1


class ImageProblem(ValueError):
    """The source image cannot be read as an image."""


@dataclass(frozen=True)
class Variant:
    width: int
    height: int
    format: str  # "webp" or "jpeg"
    filename: str  # fingerprinted, e.g. "cau-rong-3f2a9c1b-720.webp"
    bytes: int


@dataclass(frozen=True)
class Picture:
    """Everything a template needs to write a `<picture>` without layout shift."""

    width: int
    height: int
    sizes: str
    url_prefix: str
    variants: tuple[Variant, ...] = field(default_factory=tuple)

    def _of(self, fmt: str) -> list[Variant]:
        return sorted((v for v in self.variants if v.format == fmt), key=lambda v: v.width)

    def srcset(self, fmt: str) -> str:
        return ", ".join(f"{self.url_prefix}{v.filename} {v.width}w" for v in self._of(fmt))

    @property
    def webp_srcset(self) -> str:
        return self.srcset("webp")

    @property
    def jpeg_srcset(self) -> str:
        return self.srcset("jpeg")

    @property
    def fallback_src(self) -> str:
        """The mid-sized JPEG: what a browser without srcset support should get."""
        jpegs = self._of("jpeg")
        chosen = jpegs[min(1, len(jpegs) - 1)]
        return f"{self.url_prefix}{chosen.filename}"

    @property
    def share_filename(self) -> str:
        """The largest JPEG variant."""
        return self._of("jpeg")[-1].filename

    def pick(self, fmt: str, device_pixels: float) -> Variant:
        """The candidate a browser takes for a slot of `device_pixels`: smallest that covers it."""
        candidates = self._of(fmt)
        for variant in candidates:
            if variant.width >= device_pixels:
                return variant
        return candidates[-1]


def content_key(source: Path, widths, webp_quality: int, jpeg_quality: int) -> str:
    digest = hashlib.sha256()
    with source.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    digest.update(recipe(widths, webp_quality, jpeg_quality).encode())
    return digest.hexdigest()[:16]


def recipe(widths, webp_quality: int, jpeg_quality: int) -> str:
    return json.dumps([_RECIPE_VERSION, sorted(widths), webp_quality, jpeg_quality])


class KeyIndex:
    """Remembers each source file's content key by size and mtime, so a site with
    thousands of unchanged photos does not re-read them all on every build."""

    def __init__(self, path: Path):
        self.path = Path(path)
        try:
            self.entries = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.entries = {}
        self.changed = False

    def key_for(self, source: Path, widths, webp_quality: int, jpeg_quality: int) -> str:
        stat = source.stat()
        stamp = [stat.st_size, stat.st_mtime_ns, recipe(widths, webp_quality, jpeg_quality)]
        known = self.entries.get(str(source))
        if known and known[:3] == stamp:
            return known[3]
        key = content_key(source, widths, webp_quality, jpeg_quality)
        self.entries[str(source)] = [*stamp, key]
        self.changed = True
        return key

    def save(self) -> None:
        if self.changed:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            staging = self.path.with_suffix(".tmp")
            staging.write_text(json.dumps(self.entries), encoding="utf-8")
            os.replace(staging, self.path)
            self.changed = False


def target_widths(original_width: int, widths) -> list[int]:
    """Requested widths no larger than the original; the original width if all are larger."""
    kept = sorted({w for w in widths if w <= original_width})
    if not kept or (kept[-1] < original_width and kept[-1] < max(widths)):
        kept.append(original_width)
    return kept


def _open_upright(source: Path) -> Image.Image:
    try:
        with Image.open(source) as probe:
            probe.verify()
        image = Image.open(source)
        image.load()
    except (OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise ImageProblem(f"{source}: không đọc được ảnh ({error})") from error
    # Phones store rotation in EXIF; browsers honour it, so variants must be baked upright.
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    return image.convert("RGB")


def _produce(source: Path, stem: str, key: str, widths, webp_quality, jpeg_quality, into: Path):
    image = _open_upright(source)
    original_w, original_h = image.size
    entries = []
    for width in target_widths(original_w, widths):
        height = max(1, round(original_h * width / original_w))
        resized = image if width == original_w else image.resize((width, height), Image.LANCZOS)
        for fmt, ext, options in (
            ("webp", "webp", {"quality": webp_quality, "method": 6}),
            ("jpeg", "jpg", {"quality": jpeg_quality, "optimize": True, "progressive": True}),
        ):
            filename = f"{stem}-{key[:8]}-{width}.{ext}"
            resized.save(into / filename, fmt.upper(), **options)
            entries.append({"width": width, "height": height, "format": fmt,
                            "filename": filename, "bytes": (into / filename).stat().st_size})
    return {"width": original_w, "height": original_h, "variants": entries}


def build_picture(
    source: Path,
    cache_dir: Path,
    *,
    widths=DEFAULT_WIDTHS,
    webp_quality: int = DEFAULT_WEBP_QUALITY,
    jpeg_quality: int = DEFAULT_JPEG_QUALITY,
    sizes: str = DEFAULT_SIZES,
    url_prefix: str = "",
    key: str | None = None,
) -> tuple[Picture, Path]:
    """Return the picture and the cache directory holding its files.

    An image whose bytes and recipe were seen before is served from the cache without
    being decoded; the cache entry is written atomically so an interrupted build never
    leaves half a set of variants behind. `key` (from a KeyIndex) saves hashing the file.
    """
    source = Path(source)
    key = key or content_key(source, widths, webp_quality, jpeg_quality)
    entry = Path(cache_dir) / key
    manifest = entry / "picture.json"
    if not manifest.is_file():
        entry.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{key}-", dir=entry.parent))
        try:
            data = _produce(source, _stem(source), key, widths, webp_quality, jpeg_quality, staging)
            (staging / "picture.json").write_text(json.dumps(data), encoding="utf-8")
            try:
                os.replace(staging, entry)
            except OSError:
                # Another process filled the same entry first; its files are identical.
                shutil.rmtree(staging, ignore_errors=True)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    data = json.loads(manifest.read_text(encoding="utf-8"))
    picture = Picture(
        width=data["width"],
        height=data["height"],
        sizes=sizes,
        url_prefix=url_prefix,
        variants=tuple(Variant(**v) for v in data["variants"]),
    )
    return picture, entry


def _stem(source: Path) -> str:
    """ASCII, URL-safe stem so variant names never need escaping."""
    return ascii_slug(source.stem) or "anh"
