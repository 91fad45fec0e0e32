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


@task(help={"path": "UTF-8 text or Markdown file; '-' reads standard input"})
def refs(c, path):
    """Print the legal references found in PATH as JSON lines."""
    from plugins.legal_refs.cli import main

    raise SystemExit(main(path))


@task(name="eval-refs")
def eval_refs(c):
    """Print precision, recall and date accuracy on the labelled sentences."""
    from plugins.legal_refs.evaluation import report

    data = ROOT / "tests" / "data"
    print(report([data / "legal_refs_eval.txt", data / "legal_refs_cases.txt"]))


# --- Access statistics (plugins/access_stats) ---------------------------------


# --- Feedback service (services/feedback) -------------------------------------
