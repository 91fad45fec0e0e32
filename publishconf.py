"""Settings for the production build: absolute URLs from the environment, caches on."""
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pelicanconf import *  # noqa: E402,F401,F403

SITEURL = os.environ.get("PORTAL_SITEURL", "https://songlam.gov.vn").rstrip("/")
RELATIVE_URLS = False

# Unchanged articles are not parsed again on the next build.
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CONTENT_CACHING_LAYER = "reader"

DELETE_OUTPUT_DIRECTORY = False

# `invoke publish` copies output/ here; a host of "" means a local directory.
PUBLISH_HOST = os.environ.get("PORTAL_PUBLISH_HOST", "")
PUBLISH_PATH = os.environ.get("PORTAL_PUBLISH_PATH", "/var/www/songlam")
