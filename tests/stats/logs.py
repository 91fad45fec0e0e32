"""Log lines for the statistics tests, and ingest + report runs on real SQLite files."""
from datetime import datetime

from cityportal import PROJECT_ROOT
from cityportal.stats import store
from cityportal.stats.ingest import ingest
from cityportal.stats.report import build_report

ROOT = PROJECT_ROOT
BROWSER = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36"
)


PHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
)


GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"

# The page list of the test site: the pages whose views are counted one by one.
TEST_PAGES = frozenset(("/", "/tin-tuc/", "/gioi-thieu/", "/gioi-thieu.html", "/cu/"))


def log_line(when, ip="203.0.113.7", method="GET", target="/tin-tuc/", status=200, agent=BROWSER):
    """One combined-format line; ``when`` is ISO-8601 with its own offset."""
    moment = datetime.fromisoformat(when)
    stamp = moment.strftime("%d/%b/%Y:%H:%M:%S %z")
    return (
        f'{ip} - - [{stamp}] "{method} {target} HTTP/1.1" {status} 5120 '
        f'"https://www.google.com/" "{agent}"\n'
    )


class StatsRun:
    """A log file and a database in tmp_path, ingested and reported like `invoke stats`."""

    def __init__(self, tmp_path, pages=TEST_PAGES):
        self.log = tmp_path / "access.log"
        self.db = tmp_path / "stats.sqlite"
        self.pages = pages

    def write(self, *lines, mode="a"):
        with open(self.log, mode, encoding="utf-8", newline="") as stream:
            stream.writelines(lines)

    def ingest(self, now="2026-11-28T23:00:00+07:00", log=None):
        with store.connect(self.db) as connection:
            return ingest(connection, log or self.log, datetime.fromisoformat(now), pages=self.pages)

    def report(self, now="2026-11-28T23:00:00+07:00", total_offset=0, view_offsets=None):
        with store.connect(self.db) as connection:
            return build_report(
                connection, datetime.fromisoformat(now), total_offset, view_offsets, pages=self.pages
            )

    def run(self, *lines, now="2026-11-28T23:00:00+07:00"):
        self.write(*lines)
        self.ingest(now)
        return self.report(now)
