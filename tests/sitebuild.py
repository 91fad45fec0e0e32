"""The real content, built by the same `build_site` that `invoke build` runs."""
from pathlib import Path

from cityportal import PROJECT_ROOT
from cityportal.build import BuildResult, build_site as _build_site

ROOT = PROJECT_ROOT
CONTENT = ROOT / "content"


def build_site(output: Path, content: Path = CONTENT, settings_file: str = "pelicanconf.py",
               extra_settings: dict | None = None) -> BuildResult:
    return _build_site(output, ROOT / settings_file, content, extra_settings=extra_settings)


def copy_content(target: Path) -> Path:
    """A private copy of the real content that a test may break."""
    import shutil

    shutil.copytree(CONTENT, target)
    return target
