"""One fingerprinted stylesheet from the theme's component files.

Each component keeps its own CSS file (theme/css/NN-name.css); browsers get a
single request whose name changes with its content, so it can be cached for a year.
"""
import hashlib
from pathlib import Path

from rcssmin import cssmin


def bundle_css(css_dir: Path) -> tuple[str, str]:
    """Return (file name, minified CSS) for every *.css file in name order."""
    parts = [path.read_text(encoding="utf-8") for path in sorted(css_dir.glob("*.css"))]
    css = cssmin("\n".join(parts))
    digest = hashlib.sha256(css.encode()).hexdigest()[:10]
    return f"portal.{digest}.css", css
