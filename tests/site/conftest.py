"""Fixtures of the site tests."""
from pathlib import Path

import pytest

from tests.sitebuild import copy_content


@pytest.fixture
def content(tmp_path) -> Path:
    """A private copy of the real content that a test may break."""
    return copy_content(tmp_path / "content")
