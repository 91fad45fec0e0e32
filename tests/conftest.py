from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.sitebuild import build_site


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real content built once with the development settings."""
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
