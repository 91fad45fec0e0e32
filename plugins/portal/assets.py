"""One fingerprinted stylesheet from the theme's component files.

Each component keeps its own CSS file (theme/css/NN-name.css); browsers get a
single request whose name changes with its content, so it can be cached for a year.
"""
import hashlib
import re
from pathlib import Path

_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_SPACE = re.compile(r"\s+")
_AROUND_PUNCTUATION = re.compile(r"\s*([{};:,>])\s*")


def minify_css(css: str) -> str:
    css = _COMMENT.sub("", css)
    css = _SPACE.sub(" ", css)
    return _AROUND_PUNCTUATION.sub(r"\1", css).replace(";}", "}").strip()


def bundle_css(css_dir: Path) -> tuple[str, str]:
    """Return (file name, minified CSS) for every *.css file in name order."""
    parts = [path.read_text(encoding="utf-8") for path in sorted(css_dir.glob("*.css"))]
    css = minify_css("\n".join(parts))
    digest = hashlib.sha256(css.encode()).hexdigest()[:10]
    return f"portal.{digest}.css", css
