"""Settings for the production build: absolute URLs from the environment, caches on."""
import os
import runpy
from pathlib import Path

# Every setting of pelicanconf.py beside this file, read by path rather than by import.
globals().update({name: value for name, value in
                  runpy.run_path(str(Path(__file__).with_name("pelicanconf.py"))).items()
                  if name.isupper()})

SITEURL = os.environ.get("PORTAL_SITEURL", "https://songlam.gov.vn").rstrip("/")
RELATIVE_URLS = False

# Unchanged articles are not parsed again on the next build.
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CONTENT_CACHING_LAYER = "reader"
# fast_build fills this cache in parallel; uncompressed, because gzip costs more time
# than the disk space is worth.
GZIP_CACHE = False

DELETE_OUTPUT_DIRECTORY = False

# `invoke publish` copies output/ here; a host of "" means a local directory.
PUBLISH_HOST = os.environ.get("PORTAL_PUBLISH_HOST", "")
PUBLISH_PATH = os.environ.get("PORTAL_PUBLISH_PATH", "/var/www/songlam")

# Statistics: cron runs `invoke stats` (which reads these settings) to count the real
# log; the build only reads the database. Paths may come from the environment.
STATS_LOG = os.environ.get("STATS_LOG", "/var/log/nginx/access.log")
# Relative paths are taken from this file's directory. In production point STATS_OUTPUT
# at the live site (for `invoke publish`: $PORTAL_PUBLISH_PATH/current/stats.json).
_HERE = Path(__file__).resolve().parent
STATS_DB = str(_HERE / os.environ.get("STATS_DB", "data/stats.sqlite"))
STATS_OUTPUT = str(_HERE / os.environ.get("STATS_OUTPUT", "output/stats.json"))
STATS_VIEW_OFFSETS_FILE = (
    str(_HERE / os.environ["STATS_VIEW_OFFSETS_FILE"]) if os.environ.get("STATS_VIEW_OFFSETS_FILE") else None
)
# The old portal's total (8012849 for Sông Lam) is set in the server's environment, so
# that `invoke stats` on a fresh database counts exactly the visits it has read.
STATS_PAGES_FILE = str(_HERE / os.environ["STATS_PAGES_FILE"]) if os.environ.get("STATS_PAGES_FILE") else None
STATS_TOTAL_OFFSET = int(os.environ.get("STATS_TOTAL_OFFSET", "0"))
STATS_INGEST_ON_BUILD = False
STATS_NOW = None

# The feedback service started with FEEDBACK_SITE_SETTINGS=publishconf.py is a
# production service: it refuses to start without a real signing key.
FEEDBACK_ENV = "production"
