"""The staff workflow: list, show, answer, export, publish, backup, purge,
on real SQLite files, and once through the real `invoke feedback` command."""
from __future__ import annotations

import csv
import os
import sqlite3
import subprocess
import sys
import threading
import time

import pytest

from cityportal.feedback import staff
from cityportal.feedback.captcha import Ticket
from cityportal.feedback.publish import article_markdown
from cityportal import PROJECT_ROOT as ROOT
from cityportal.feedback.store import Store
from cityportal.feedback.submission import validate
from tests.feedback.service import LiveService, make_settings, valid_fields

_tickets = iter(range(10**9))


def add(store: Store, now: int | None = None, **changes) -> str:
    submission = validate(valid_fields(**changes))
    ticket = Ticket(f"test:{next(_tickets)}", 2**40)
    return store.add(submission, ticket, "client", now=now or int(time.time()))


@pytest.fixture
def settings(tmp_path):
    return make_settings(tmp_path)


@pytest.fixture
def store(settings):
    with Store(settings.database) as opened:
        yield opened


def run(settings, action, **options):
    return staff.run(action, settings, staff.Options(**options))


def test_list_shows_every_item_and_filters_by_status(settings, store):
    first = add(store, tieu_de="Hỏi về cấp giấy phép xây dựng")
    add(store, dong_y=False)
    listing = run(settings, "list")
    assert first in listing and "Hỏi về cấp giấy phép xây dựng" in listing
    assert "Tổng cộng: 2 ý kiến." in listing
    assert run(settings, "list", status="answered") == "Không có ý kiến nào."
    with pytest.raises(staff.StaffError, match="--status must be one of"):
        run(settings, "list", status="xong")


def test_show_gives_the_details_and_starts_processing(settings, store):
    code = add(store)
    shown = run(settings, "show", code=code.lower())
    assert "an.nguyen@example.vn" in shown and "Đang xử lý" in shown
    assert store.get(code).status == "processing"
    with pytest.raises(staff.StaffError, match="No submission has the code"):
        run(settings, "show", code="GY-AAAA-BBBB-CCCC")
    with pytest.raises(staff.StaffError, match="is not a tracking code"):
        run(settings, "show", code="xyz")


def test_answer_from_text_or_file(settings, store, tmp_path):
    code = add(store)
    assert run(settings, "answer", code=code, text="**Cảm ơn** ông.") == f"Đã trả lời {code}."
    assert store.get(code).status == "answered"
    answer_file = tmp_path / "tra-loi.md"
    answer_file.write_text("Sở Giao thông vận tải đã sửa đèn.\n", encoding="utf-8")
    run(settings, "answer", code=code, file=str(answer_file))
    assert store.get(code).answer == "Sở Giao thông vận tải đã sửa đèn."
    with pytest.raises(staff.StaffError, match="either --text"):
        run(settings, "answer", code=code)
    with pytest.raises(staff.StaffError, match="cannot read the answer"):
        run(settings, "answer", code=code, file=str(tmp_path / "khong-co.md"))
    private = add(store, dong_y=False)
    assert "không đồng ý công khai" in run(settings, "answer", code=private, text="Đã xử lý.")


def test_export_is_csv_with_spreadsheet_formulas_defused(settings, store, tmp_path):
    add(store, tieu_de="=HYPERLINK(\"http://evil\")", noi_dung="Dòng một\nDòng hai")
    out = tmp_path / "xuat.csv"
    assert "Đã xuất 1 ý kiến" in run(settings, "export", output=str(out))
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["tieu_de"] == "'=HYPERLINK(\"http://evil\")"
    assert rows[0]["noi_dung"] == "Dòng một\nDòng hai"
    assert rows[0]["email"] == "an.nguyen@example.vn"


def test_publish_writes_only_consented_answers_without_personal_data(settings, store, tmp_path):
    public = add(store, ho_ten="Trần Thị Bích Ngọc", tieu_de="Giờ làm việc <b>bộ phận</b> một cửa",
                 noi_dung="Xin hỏi <script>x</script>\n\nĐoạn hai", linh_vuc="thu-tuc-hanh-chinh")
    private = add(store, dong_y=False)
    waiting = add(store)
    run(settings, "answer", code=public, text="Từ **7 giờ 30**.")
    run(settings, "answer", code=private, text="Đã trả lời riêng.")
    out = tmp_path / "hoi-dap"
    assert run(settings, "publish", output=str(out)) == f"Đã ghi 1 bài Hỏi đáp vào {out}"
    [article] = out.glob("*.md")
    text = article.read_text(encoding="utf-8")
    assert "Category: Hỏi đáp" in text
    assert "Author: Văn phòng HĐND và UBND thành phố" in text
    assert "Summary: Trả lời câu hỏi của công dân T.T.B.N. về lĩnh vực Thủ tục hành chính." in text
    assert "Linh_vuc: Thủ tục hành chính" in text
    assert "Nguoi_hoi: T.T.B.N." in text
    # Text as typed: the theme escapes it (escaping here too would show "&lt;" to readers).
    assert "Title: Giờ làm việc <b>bộ phận</b> một cửa" in text
    assert "&lt;script&gt;x&lt;/script&gt;" in text and "<script>" not in text
    assert "Từ **7 giờ 30**." in text
    for secret in ("Trần Thị", "an.nguyen@example.vn", "0236", public, private, waiting):
        assert secret not in text
    assert store.get(public).published_at is not None
    # Publishing again rewrites nothing new.
    run(settings, "publish", output=str(out))
    assert len(list(out.glob("*.md"))) == 1


def test_unpublishable_items_cannot_become_articles(store):
    code = add(store)
    with pytest.raises(ValueError, match="not an answered question"):
        article_markdown(store.get(code), "Ban biên tập")


def test_purge_forgets_personal_data_after_the_retention_period(settings, store):
    long_ago = int(time.time()) - (settings.retention_days + 1) * 86400
    published = add(store, now=long_ago)
    private = add(store, now=long_ago, dong_y=False)
    recent = add(store)
    old_but_answered_lately = add(store, now=long_ago)
    store.answer(published, "Đã trả lời.", now=long_ago)
    store.answer(old_but_answered_lately, "Vừa trả lời.", now=int(time.time()))
    report = run(settings, "purge")
    assert "dữ liệu cá nhân của 1 câu hỏi" in report and "xoá hẳn 1 ý kiến" in report
    kept = store.get(published)
    assert (kept.name, kept.email, kept.phone) == (None, None, None)
    assert kept.initials == "N.V.A." and kept.answer == "Đã trả lời."
    assert store.get(private) is None
    assert store.get(recent).email == "an.nguyen@example.vn"
    assert store.get(old_but_answered_lately).email == "an.nguyen@example.vn"
    assert "đã xoá theo thời hạn lưu trữ" in run(settings, "show", code=published)


def test_backup_is_consistent_while_the_service_writes(tmp_path):
    live = LiveService(make_settings(tmp_path, pow_max_number=50)).start()
    stop = threading.Event()
    accepted = []

    def keep_submitting():
        while not stop.is_set():
            reply = live.submit()
            if reply.status == 201:
                accepted.append(reply.json["ma"])

    writer = threading.Thread(target=keep_submitting)
    writer.start()
    try:
        while len(accepted) < 20:
            time.sleep(0.01)
        copy = tmp_path / "sao-luu" / "feedback.sqlite"
        report = run(live.settings, "backup", output=str(copy))
        assert report.startswith("Đã sao lưu") and str(copy) in report
    finally:
        stop.set()
        writer.join()
        live.stop()
    with sqlite3.connect(copy) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        copied = {code for (code,) in db.execute("SELECT code FROM submissions")}
    assert copied <= set(accepted)
    assert set(accepted[:20]) <= copied


def test_actions_refuse_a_missing_database(tmp_path):
    settings = make_settings(tmp_path / "khong-co")
    with pytest.raises(staff.StaffError, match="does not exist yet"):
        run(settings, "list")
    assert not settings.database.exists()


def test_invoke_feedback_command_line(settings, store):
    code = add(store)
    env = {**os.environ, "FEEDBACK_DATABASE": str(settings.database)}
    invoke = [sys.executable, "-m", "invoke"]
    listed = subprocess.run(invoke + ["feedback", "list"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert listed.returncode == 0, listed.stderr
    assert code in listed.stdout
    wrong = subprocess.run(invoke + ["feedback", "xoa"], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=60)
    assert wrong.returncode == 1
    assert "Unknown action 'xoa'" in wrong.stderr
