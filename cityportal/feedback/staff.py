"""The staff workflow behind `invoke feedback <action>`.

Each action takes the store and options and returns the text to print; the
invoke task only parses the command line. Errors are StaffError with a
message saying what to do.
"""
from __future__ import annotations

import csv
import io
import sqlite3
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from . import codes
from cityportal.markup import spreadsheet_cell, terminal_text
from cityportal.text import vietnamese_datetime
from .publish import write_articles
from cityportal import PROJECT_ROOT
from cityportal.feedback.settings import Settings
from .store import STATUS_LABELS, Item, Store, StoreUnavailable
from .submission import TOPIC_LABELS

PUBLISH_DIR = PROJECT_ROOT / "content" / "hoi-dap"
BACKUP_DIR = PROJECT_ROOT / "data" / "backups"
EXPORT_COLUMNS = ("ma", "ngay_gui", "trang_thai", "linh_vuc", "tieu_de", "noi_dung",
                  "bai_viet", "dong_y_cong_khai", "ho_ten", "email", "dien_thoai",
                  "tra_loi", "ngay_tra_loi", "da_dang")


class StaffError(Exception):
    pass


@dataclass
class Options:
    code: str = ""
    status: str = ""
    text: str = ""
    file: str = ""
    output: str = ""
    content_dir: Path = PUBLISH_DIR


def _find(store: Store, typed: str) -> Item:
    if not typed:
        raise StaffError("Give the tracking code: --code GY-XXXX-XXXX-XXXX")
    code = codes.normalise(typed)
    if code is None:
        raise StaffError(f"{typed!r} is not a tracking code (GY-XXXX-XXXX-XXXX)")
    item = store.get(code)
    if item is None:
        raise StaffError(f"No submission has the code {code}; `invoke feedback list` shows them all")
    return item


def list_items(store: Store, options: Options) -> str:
    status = options.status
    if status and status not in STATUS_LABELS:
        raise StaffError(f"--status must be one of {', '.join(STATUS_LABELS)}")
    items = store.items(status or None)
    if not items:
        return "Không có ý kiến nào."
    lines = [f"{'Mã':<17} {'Ngày gửi':<26} {'Tình trạng':<13} {'Công khai':<9} Tiêu đề"]
    for item in items:
        title = terminal_text(item.title)
        title = title if len(title) <= 60 else title[:59] + "…"
        lines.append(f"{item.code:<17} {vietnamese_datetime(item.created_at):<26} "
                     f"{item.status_label:<13} {'có' if item.consent else 'không':<9} {title}")
    lines.append(f"Tổng cộng: {len(items)} ý kiến.")
    return "\n".join(lines)


def show(store: Store, options: Options) -> str:
    """Full details for the staff member; opening a new item starts processing it."""
    item = _find(store, options.code)
    if store.mark_processing(item.code):
        item = store.get(item.code)
    rows = [
        ("Mã", item.code),
        ("Tình trạng", item.status_label),
        ("Ngày gửi", vietnamese_datetime(item.created_at)),
        ("Lĩnh vực", TOPIC_LABELS.get(item.topic, item.topic)),
        ("Bài viết", item.article or "—"),
        ("Họ tên", item.name or "(đã xoá theo thời hạn lưu trữ)"),
        ("Email", item.email or "—"),
        ("Điện thoại", item.phone or "—"),
        ("Đồng ý công khai", "có" if item.consent else "không"),
        ("Tiêu đề", item.title),
    ]
    text = "\n".join(f"{label}: {value}" for label, value in rows)
    text += "\n\nNội dung:\n" + item.body
    if item.answer:
        text += f"\n\nTrả lời ({vietnamese_datetime(item.answered_at)}):\n" + item.answer
    # A citizen's text must not drive the staff member's terminal (escape sequences).
    return terminal_text(text)


def answer(store: Store, options: Options) -> str:
    item = _find(store, options.code)
    if bool(options.text) == bool(options.file):
        raise StaffError("Give the answer in Markdown with either --text '...' or --file answer.md")
    if options.file:
        path = Path(options.file)
        try:
            markdown = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise StaffError(f"{path}: cannot read the answer ({error}); save it as UTF-8 text") from None
    else:
        markdown = options.text
    markdown = unicodedata.normalize("NFC", markdown).strip()
    if not markdown:
        raise StaffError("The answer is empty; write it in Markdown")
    store.answer(item.code, markdown, now=int(time.time()))
    note = "" if item.consent else " Người gửi không đồng ý công khai: sẽ không được đăng."
    return f"Đã trả lời {item.code}.{note}"


def _spreadsheet_safe(value: str) -> str:
    # A cell starting with = + - @ is a formula to spreadsheet programs, even behind a
    # BOM or spaces; citizens' text must stay text when staff open the export.
    return spreadsheet_cell(value)


def export(store: Store, options: Options) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    items = store.items(options.status or None)
    for item in items:
        writer.writerow([_spreadsheet_safe(str(value)) for value in (
            item.code, vietnamese_datetime(item.created_at), item.status_label,
            TOPIC_LABELS.get(item.topic, item.topic), item.title, item.body, item.article,
            "có" if item.consent else "không", item.name or "", item.email or "",
            item.phone or "", item.answer or "",
            vietnamese_datetime(item.answered_at) if item.answered_at else "",
            "có" if item.published_at else "không")])
    if not options.output:
        return buffer.getvalue().rstrip("\n")
    path = Path(options.output)
    path.parent.mkdir(parents=True, exist_ok=True)
    # BOM: spreadsheet programs then read the file as UTF-8, diacritics intact.
    path.write_text(buffer.getvalue(), encoding="utf-8-sig")
    return f"Đã xuất {len(items)} ý kiến vào {path}"


def publish(store: Store, options: Options, settings: Settings) -> str:
    directory = Path(options.output) if options.output else options.content_dir
    items = [item for item in store.items("answered") if item.consent]
    written = write_articles(items, directory, settings.answer_author)
    now = int(time.time())
    for item in items:
        if item.published_at is None:
            store.mark_published(item.code, now=now)
    return f"Đã ghi {len(written)} bài Hỏi đáp vào {directory}"


def backup(store: Store, options: Options) -> str:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    destination = Path(options.output) if options.output else BACKUP_DIR / f"feedback-{stamp}.sqlite"
    store.backup(destination)
    with sqlite3.connect(destination) as copy:
        (check,) = copy.execute("PRAGMA integrity_check").fetchone()
        (rows,) = copy.execute("SELECT COUNT(*) FROM submissions").fetchone()
    if check != "ok":
        raise StaffError(f"{destination}: the copy failed its integrity check ({check}); run backup again")
    return f"Đã sao lưu {rows} ý kiến vào {destination}"


def purge(store: Store, options: Options, settings: Settings) -> str:
    now = int(time.time())
    anonymised, deleted = store.purge(older_than=now - settings.retention_days * 86400, now=now)
    return (f"Thời hạn lưu trữ {settings.retention_days} ngày: xoá dữ liệu cá nhân của "
            f"{anonymised} câu hỏi đã đăng, xoá hẳn {deleted} ý kiến khác.")


def run(action: str, settings: Settings, options: Options) -> str:
    handlers = {
        "list": list_items, "show": show, "answer": answer, "export": export,
        "publish": lambda store, opts: publish(store, opts, settings), "backup": backup,
        "purge": lambda store, opts: purge(store, opts, settings),
    }
    if action not in handlers:
        raise StaffError(f"Unknown action {action!r}; use one of: {', '.join(handlers)}")
    if not settings.database.exists():
        raise StaffError(f"{settings.database} does not exist yet: start the service "
                         "(python -m cityportal.feedback) or set FEEDBACK_DATABASE")
    try:
        with Store(settings.database, busy_timeout=settings.busy_timeout_seconds) as store:
            store.open()
            return handlers[action](store, options)
    except StoreUnavailable as error:
        raise StaffError(f"{error}; " + _WHAT_TO_DO.get(error.reason, "check the disk and try again")) from None


_WHAT_TO_DO = {
    "locked by another program": "try again in a moment (the service, a backup or another "
                                 "staff command is writing to it)",
    "read-only": "check the mount and the permissions of the file and its folder",
    "cannot be opened": "check the mount and the permissions of the file and its folder",
    "disk full": "free some space on the disk and try again",
}
