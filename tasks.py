"""Editor, build and operations tasks for the city portal (run with `invoke`)."""
import sys
from pathlib import Path

from invoke import Exit, task

ROOT = Path(__file__).resolve().parent
PYTHON = sys.executable


@task
def test(c, k=""):
    """Run the whole test suite."""
    selector = f" -k {k!r}" if k else ""
    c.run(f"{PYTHON} -m pytest -q{selector}", pty=False)


# --- Legal documents (plugins/legal_refs) -------------------------------------


# --- Access statistics (plugins/access_stats) ---------------------------------

def _access_stats():
    """The statistics package, imported only by the tasks that need it."""
    sys.path.insert(0, str(ROOT / "plugins"))
    import access_stats.bench
    import access_stats.cli
    import access_stats.synthetic_log

    return access_stats


@task(help={
    "log": "access log to read (default: STATS_LOG of the settings)",
    "db": "statistics database (default: data/stats.sqlite)",
    "now": "report time, ISO-8601 (default: now)",
    "out": "report file (default: output/stats.json)",
    "settings": "settings file with the STATS_* values",
})
def stats(c, log=None, db=None, now=None, out=None, settings="pelicanconf.py"):
    """Read the new lines of an access log into the database and write stats.json."""
    arguments = [f"--{name}={value}" for name, value in
                 (("log", log), ("db", db), ("now", now), ("out", out), ("settings", settings))
                 if value]
    code = _access_stats().cli.main(arguments)
    if code:
        raise Exit(code=code)


@task
def bench_stats(c):
    """Time the ingest of the same 1,000,000-line log against GoAccess, one core each."""
    _access_stats().bench.run(ROOT / "test-artifacts" / "bench-stats")


@task
def stats_sample_log(c):
    """Regenerate data/sample-access.log from the articles in content/."""
    count = _access_stats().synthetic_log.write_sample(ROOT)
    print(f"wrote {count} lines")



# --- Feedback service (services/feedback) -------------------------------------
