"""The one shape every content check reports in: `file:line: message`."""
import sys
from pathlib import Path
from typing import NamedTuple

ERROR = "error"
WARNING = "warning"


class Problem(NamedTuple):
    path: Path
    line: int
    level: str
    message: str

    def format(self, root: Path) -> str:
        try:
            shown = Path(self.path).resolve().relative_to(root.resolve())
        except ValueError:
            shown = self.path
        label = "lỗi" if self.level == ERROR else "cảnh báo"
        return f"{shown}:{self.line}: {label}: {self.message}"


def error_summary(count: int, what: str = "bản dựng") -> str:
    """The one line that follows the list of errors."""
    return f"{what[:1].upper()}{what[1:]} dừng lại: {count} lỗi trong nội dung (danh sách ở trên)."


class ContentError(SystemExit):
    """Raised by the build so that no article is ever dropped without a word.

    The problems go to stderr one per line first: Pelican's log wraps long lines, and an
    editor (or an editor's tooling) must be able to read `file:line: message` whole. Then
    one summary line, and the process exits with status 1. It is a SystemExit, not an
    Exception, so Pelican lets it through without logging a traceback: a content error is
    the editor's to fix, not a crash.
    """

    def __init__(self, problems: list[Problem], root: Path):
        self.problems = problems
        for problem in problems:
            print(problem.format(root), file=sys.stderr)
        self.summary = error_summary(len(problems))
        print(self.summary, file=sys.stderr, flush=True)
        super().__init__(1)
