"""Responsive image variants: budget, cache, odd inputs and the editor checks."""
from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from tests.sitebuild import noisy_photo
from cityportal.images import variants
from cityportal.images.problems import find_problems
from cityportal.images.variants import ImageProblem, build_picture, target_widths

PHONE_CSS_WIDTH = 375
PHONE_DPR = 2
ARTICLE_PADDING = 32  # matches DEFAULT_SIZES: calc(100vw - 32px) below 900 px
BUDGET = 150 * 1024


def test_big_photo_fits_the_phone_budget(big_photo, tmp_path):
    assert big_photo.stat().st_size >= 5 * 1000 * 1000
    picture, _ = build_picture(big_photo, tmp_path)
    slot = (PHONE_CSS_WIDTH - ARTICLE_PADDING) * PHONE_DPR
    for fmt in ("webp", "jpeg"):
        chosen = picture.pick(fmt, slot)
        assert chosen.width == 720
        assert chosen.bytes <= BUDGET, (fmt, chosen)
    assert (picture.width, picture.height) == (4000, 3000)
    assert picture.webp_srcset.count("w,") == 2 and picture.webp_srcset.endswith("1200w")
    assert picture.fallback_src.endswith("-720.jpg")
    assert all(v.height == round(3000 * v.width / 4000) for v in picture.variants)


def test_unchanged_image_is_never_processed_twice(big_photo, tmp_path, monkeypatch):
    first, entry = build_picture(big_photo, tmp_path)
    stamps = {p.name: p.stat().st_mtime_ns for p in entry.iterdir()}

    def refuse(*args, **kwargs):
        raise AssertionError("a cached image was decoded again")

    monkeypatch.setattr(variants, "_produce", refuse)
    second, same_entry = build_picture(big_photo, tmp_path)
    assert second == first and same_entry == entry
    assert {p.name: p.stat().st_mtime_ns for p in entry.iterdir()} == stamps


def test_new_recipe_makes_a_new_cache_entry(tmp_path):
    source = noisy_photo(tmp_path / "nho.jpg", size=(800, 600), quality=80)
    _, entry_a = build_picture(source, tmp_path / "cache", webp_quality=70)
    _, entry_b = build_picture(source, tmp_path / "cache", webp_quality=60)
    assert entry_a != entry_b


@pytest.mark.parametrize("original, expected", [
    (4000, [360, 720, 1200]),
    (1200, [360, 720, 1200]),
    (1000, [360, 720, 1000]),
    (500, [360, 500]),
    (360, [360]),
    (200, [200]),
])
def test_widths_are_capped_by_the_original(original, expected):
    assert target_widths(original, (360, 720, 1200)) == expected


def test_phone_rotation_is_baked_in(tmp_path):
    source = tmp_path / "xoay.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90 degrees clockwise
    Image.new("RGB", (800, 400), "navy").save(source, exif=exif)
    picture, _ = build_picture(source, tmp_path / "cache")
    assert (picture.width, picture.height) == (400, 800)


def test_transparent_png_and_vietnamese_file_name(tmp_path):
    source = tmp_path / "Cầu Rồng đêm.png"
    Image.new("RGBA", (900, 300), (200, 0, 0, 100)).save(source)
    picture, entry = build_picture(source, tmp_path / "cache", url_prefix="/images/variants/")
    names = sorted(p.name for p in entry.iterdir() if p.suffix != ".json")
    assert all(name.startswith("cau-rong-dem-") and name.isascii() for name in names)
    assert picture.webp_srcset.startswith("/images/variants/cau-rong-dem-")


def test_corrupt_image_is_reported_not_crashed(tmp_path):
    source = tmp_path / "hong.jpg"
    source.write_bytes(b"not an image at all")
    with pytest.raises(ImageProblem, match="hong.jpg"):
        build_picture(source, tmp_path / "cache")
    assert not list((tmp_path / "cache").glob("*/picture.json"))


def _article(content: Path, name: str, header: str, body: str = "Nội dung.") -> Path:
    path = content / "articles" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"Title: Bài {name}\nDate: 2024-05-01\n{header}\n{body}\n", encoding="utf-8")
    return path


def test_find_problems_names_file_line_and_fix(tmp_path):
    content = tmp_path / "content"
    images = content / "images"
    images.mkdir(parents=True)
    noisy_photo(images / "tot.jpg", size=(1200, 800), quality=80)
    Image.new("RGB", (300, 200), "gray").save(images / "nho.jpg")
    full = (images / "tot.jpg").read_bytes()
    (images / "cut.jpg").write_bytes(full[: len(full) // 2])
    (images / "rac.png").write_bytes(b"\x89PNG garbage")

    good = _article(content, "tot.md", "Image: images/tot.jpg\n",
                    "Ảnh trong bài:\n\n![Cầu](/images/tot.jpg)")
    missing = _article(content, "thieu.md", "Image: images/khong-co.jpg\n")
    cut = _article(content, "cut.md", "Category: Tin tức\nImage: {static}/images/cut.jpg\n")
    small = _article(content, "nho.md", "Image: images/nho.jpg\n")
    inline = _article(content, "inline.md", "\n", "Dòng một.\n\n![Ảnh](images/rac.png \"chú thích\")")
    remote = _article(content, "xa.md", "Image: https://example.com/a.jpg\n")

    problems = find_problems(content)
    by_file = {}
    for path, line, level, message in problems:
        by_file.setdefault(Path(path).name, []).append((line, level, message))

    assert good.name not in by_file
    assert by_file[missing.name] == [(3, "error", by_file[missing.name][0][2])]
    assert "khong-co.jpg" in by_file[missing.name][0][2]
    assert by_file[cut.name][0][:2] == (4, "error") and "hỏng" in by_file[cut.name][0][2]
    assert by_file[small.name][0][:2] == (3, "warning") and "300 px" in by_file[small.name][0][2]
    assert by_file[inline.name][0][:2] == (7, "error")
    assert by_file[remote.name][0][:2] == (3, "error") and "máy chủ khác" in by_file[remote.name][0][2]
    assert len(problems) == 5
