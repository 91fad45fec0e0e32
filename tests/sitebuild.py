"""The real content, built by the same `build_site` that `invoke build` runs, and copies
of it that a test may change."""
import re
import shutil
from pathlib import Path

from PIL import Image

from cityportal import PROJECT_ROOT
from cityportal.build import BuildResult, build_site as _build_site

ROOT = PROJECT_ROOT
CONTENT = ROOT / "content"


def build_site(output: Path, content: Path = CONTENT, settings_file: str = "pelicanconf.py",
               extra_settings: dict | None = None) -> BuildResult:
    return _build_site(output, ROOT / settings_file, content, extra_settings=extra_settings)


def write_article(content: Path, name: str, text: str) -> Path:
    """An article file of `content`, in the folder of the year 2024."""
    path = content / "articles" / "2024" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def copy_content(target: Path) -> Path:
    """A private copy of the real content that a test may break."""
    shutil.copytree(CONTENT, target)
    return target


def noisy_photo(path: Path, size=(4000, 3000), quality=95) -> Path:
    """A photo-like image: gradients plus noise at several scales, so detail survives resizing
    the way it does in a real photograph (plain pixel noise would average away)."""
    def channel(sigma):
        layer = Image.linear_gradient("L").rotate(sigma).resize(size)
        for scale in (1, 4, 16, 64):
            noise = Image.effect_noise((size[0] // scale, size[1] // scale), sigma)
            layer = Image.blend(layer, noise.resize(size, Image.BICUBIC), 0.3)
        return layer

    Image.merge("RGB", [channel(s) for s in (60, 70, 80)]).save(path, quality=quality)
    return path


_IMAGE_PATH = re.compile(r"images/[\w./-]+\.(?:jpg|jpeg|png|webp)", re.IGNORECASE)
PHOTO_ARTICLE = "nang-cao-chi-so-papi-6-thang-dau-nam-2021"


def content_with_images(target: Path, photo: Path) -> Path:
    """A copy of the real content where every referenced image exists; the PAPI article's
    image is replaced by the editor's big photo."""
    content = copy_content(target)
    for markdown in content.rglob("*.md"):
        for relative in set(_IMAGE_PATH.findall(markdown.read_text(encoding="utf-8"))):
            image = content / relative
            image.parent.mkdir(parents=True, exist_ok=True)
            if PHOTO_ARTICLE in markdown.name:
                shutil.copyfile(photo, image)
            elif not image.exists():
                Image.new("RGB", (1280, 720), (40, 90, 140)).save(image, quality=80)
    return content
