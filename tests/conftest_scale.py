"""Fixtures shared by the scale area's tests (images, serving, search, bench)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
for extra in (ROOT, ROOT / "plugins"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))


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


@pytest.fixture(scope="session")
def big_photo(tmp_path_factory) -> Path:
    return noisy_photo(tmp_path_factory.mktemp("photo") / "anh-lon.jpg")
