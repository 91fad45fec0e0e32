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


class ContentError(Exception):
    """Raised by the build so that no article is ever dropped without a word.

    The problems go to stderr one per line first: Pelican's log wraps long lines, and an
    editor (or an editor's tooling) must be able to read `file:line: message` whole.
    """

    def __init__(self, problems: list[Problem], root: Path):
        self.problems = problems
        for problem in problems:
            print(problem.format(root), file=sys.stderr)
        super().__init__(f"Nội dung có {len(problems)} lỗi (xem danh sách phía trên), bản dựng dừng lại.")
