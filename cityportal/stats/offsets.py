"""Per-URL view counts carried over from the old portal (a CSV file: path,views)."""
import csv
from pathlib import Path


class ViewOffsetsError(ValueError):
    """The offsets file is unreadable or has a bad row; the message names file:line."""


def read_view_offsets(path):
    """{"/path/": views} from a UTF-8 CSV whose header is ``path,views``."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ViewOffsetsError(
            f"{path}: cannot read the view offsets ({error}); check STATS_VIEW_OFFSETS_FILE"
        ) from error
    rows = csv.reader(text.splitlines())
    header = next(rows, None)
    if header != ["path", "views"]:
        raise ViewOffsetsError(f'{path}:1: the first line must be "path,views"')
    offsets = {}
    for line_number, row in enumerate(rows, start=2):
        if not row:
            continue
        if len(row) != 2 or not row[0].startswith("/") or not row[1].strip().isdigit():
            raise ViewOffsetsError(
                f"{path}:{line_number}: expected a site path starting with / and a whole "
                f"number of views, got {','.join(row)!r}"
            )
        if row[0] in offsets:
            raise ViewOffsetsError(
                f"{path}:{line_number}: {row[0]} is listed twice; keep one line per path"
            )
        offsets[row[0]] = int(row[1])
    return offsets
