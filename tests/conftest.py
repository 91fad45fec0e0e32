from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.sitebuild import build_site, content_with_images, noisy_photo


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real content built once with the development settings, as `invoke build` does."""
    output = tmp_path_factory.mktemp("site")
    result = build_site(output)
    assert result.returncode == 0, result.stdout + result.stderr
    return output


@pytest.fixture(scope="session")
def read_page(built_site):
    def read(relative: str) -> BeautifulSoup:
        path = built_site / relative
        if path.is_dir() or relative.endswith("/"):
            path = path / "index.html"
        return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")

    return read


@pytest.fixture(scope="session")
def big_photo(tmp_path_factory) -> Path:
    return noisy_photo(tmp_path_factory.mktemp("photo") / "anh-lon.jpg")


@pytest.fixture(scope="session")
def scale_site(tmp_path_factory, big_photo) -> Path:
    """The real content, every image present, built by `build_site`: Pelican, then the
    search index and the precompressed files."""
    work = tmp_path_factory.mktemp("scale-site")
    content = content_with_images(work / "content", big_photo)
    output = work / "output"
    result = build_site(output, content=content,
                        extra_settings={"CACHE_PATH": str(work / "cache")})
    assert result.ok, result.stdout + result.stderr
    return output
