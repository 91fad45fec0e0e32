"""Editor, build and operations tasks for the city portal (run with `invoke`)."""
import sys
from pathlib import Path

from invoke import task

ROOT = Path(__file__).resolve().parent
PYTHON = sys.executable


@task
def test(c, k=""):
    """Run the whole test suite."""
    selector = f" -k {k!r}" if k else ""
    c.run(f"{PYTHON} -m pytest -q{selector}", pty=False)


# --- Legal documents (plugins/legal_refs) -------------------------------------


# --- Access statistics (plugins/access_stats) ---------------------------------


# --- Feedback service (services/feedback) -------------------------------------
