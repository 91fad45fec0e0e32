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


@task(help={
    "action": "list | show | answer | export | publish | backup | purge",
    "code": "tracking code, for show and answer (GY-XXXX-XXXX-XXXX)",
    "status": "for list and export: received | processing | answered",
    "text": "answer: the answer in Markdown",
    "file": "answer: a UTF-8 Markdown file holding the answer",
    "output": "export: CSV file; publish: directory; backup: copy to write",
})
def feedback(c, action, code="", status="", text="", file="", output=""):
    """Staff workflow for Gửi ý kiến / Hỏi đáp (database from FEEDBACK_DATABASE)."""
    from services.feedback import staff
    from services.feedback.settings import SettingsError, from_env

    try:
        print(staff.run(action, from_env(), staff.Options(code=code, status=status, text=text,
                                                          file=file, output=output)))
    except (staff.StaffError, SettingsError) as error:
        sys.exit(f"feedback {action}: {error}")
