"""Build real sites with Pelican for the tests, exactly as `invoke build` does."""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"


def build_site(output: Path, content: Path = CONTENT, settings_file: str = "pelicanconf.py",
               extra_settings: dict | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "pelican", str(content), "-s", str(ROOT / settings_file),
               "-o", str(output), "--fatal", "errors"]
    if extra_settings:
        command += ["-e", *[f"{key}={json.dumps(value)}" for key, value in extra_settings.items()]]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)


def copy_content(target: Path) -> Path:
    """A private copy of the real content that a test may break."""
    import shutil

    shutil.copytree(CONTENT, target)
    return target
