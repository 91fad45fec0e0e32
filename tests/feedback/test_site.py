"""The feedback pages in a real Pelican build, served with the real service on
one loopback origin, driven by Debian's Chromium: with JavaScript (proof of
work) and without (text question), then the status page; and the Hỏi đáp
section built from `invoke feedback publish`."""
from __future__ import annotations

import re
import shutil
import time

import pytest
from bs4 import BeautifulSoup
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from cityportal.feedback import staff
from cityportal.feedback.store import Store
from tests.feedback.service import LiveService, answer_question, make_settings
from tests.browser import launch_chromium, new_page
from tests.sitebuild import CONTENT, build_site
from tests.feedback.test_staff import add

ARTICLE_SLUG = "mo-rong-duong-ven-song"
ARTICLE = f"""Title: Mở rộng đường ven sông đoạn qua phường Trung Tâm
Date: 2024-05-06 09:00
Category: Tin tức – Sự kiện
Author: Phòng Quản lý đô thị
Summary: Thành phố khởi công mở rộng đường ven sông, dự kiến hoàn thành trong năm sau.
Slug: {ARTICLE_SLUG}

Sáng nay, thành phố khởi công mở rộng đường ven sông đoạn qua phường Trung Tâm.
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A small site: one news article and the published answers of a store."""
    root = tmp_path_factory.mktemp("feedback-site")
    content = root / "content"
    (content / "articles").mkdir(parents=True)
    (content / "articles" / "mo-rong-duong.md").write_text(ARTICLE, encoding="utf-8")
    # The sidebar's video block shows a thumbnail from the real content.
    shutil.copytree(CONTENT / "images" / "video", content / "images" / "video")
    settings = make_settings(root, pow_max_number=3000)
    with Store(settings.database) as store:
        traffic = add(store, ho_ten="Phạm Minh Tuấn", tieu_de="Khi nào sửa đèn tín hiệu <ngã tư>?",
                      noi_dung="Đèn đỏ <script>alert(1)</script> tắt từ tuần trước.")
        school = add(store, ho_ten="Võ Thị Lan", linh_vuc="giao-duc", tieu_de="Lịch tuyển sinh lớp 1")
        private = add(store, dong_y=False, tieu_de="Câu hỏi riêng không đăng")
        for code in (traffic, school, private):
            store.answer(code, "Ngày **15/6** sẽ hoàn thành. Xem [mục Gửi ý kiến](/gop-y/).",
                         now=int(time.time()))
    staff.run("publish", settings, staff.Options(content_dir=content / "hoi-dap"))
    output = root / "output"
    built = build_site(output, content=content)
    assert built.returncode == 0, built.stdout + built.stderr
    live = LiveService(settings.with_changes(site_root=output), static_root=output).start()
    yield live, output
    live.stop()


@pytest.fixture
def served(site):
    return site[0]


def read(output, relative) -> BeautifulSoup:
    return BeautifulSoup((output / relative / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_hoi_dap_groups_published_answers_by_topic(site):
    _, output = site
    page = read(output, "hoi-dap")
    titles = [h2.get_text(strip=True) for h2 in page.select(".qa__group-title")]
    assert titles == ["Giao thông, đô thị", "Giáo dục, đào tạo"]
    traffic = page.select_one("#linh-vuc-giao-thong-do-thi").find_parent("section")
    assert traffic.select_one(".qa__link").get_text() == "Khi nào sửa đèn tín hiệu <ngã tư>?"
    assert "P.M.T." in traffic.select_one(".qa__meta").get_text()
    assert "Câu hỏi riêng không đăng" not in page.get_text()


def test_published_answer_page_shows_question_as_text_and_no_personal_data(site):
    _, output = site
    [article_dir] = [p for p in output.iterdir() if p.name.startswith("hoi-dap-khi-nao-sua-den")]
    html = (article_dir / "index.html").read_text(encoding="utf-8")
    page = BeautifulSoup(html, "html.parser")
    assert page.h1.get_text() == "Khi nào sửa đèn tín hiệu <ngã tư>?"
    assert "<script>alert(1)</script>" not in html
    assert "Đèn đỏ <script>alert(1)</script> tắt từ tuần trước." in page.select_one(".qa-question__body").get_text()
    assert page.select_one(".article__body strong").get_text() == "15/6"
    everything = " ".join(p.read_text(encoding="utf-8") for p in output.rglob("*.html"))
    for secret in ("an.nguyen@example.vn", "0236 3821 234", "Phạm Minh Tuấn", "Võ Thị Lan"):
        assert secret not in everything


def test_every_article_links_to_the_form_with_itself_filled_in(site):
    _, output = site
    link = read(output, ARTICLE_SLUG).select_one("a.article-feedback__link")
    assert link.get_text() == "Gửi ý kiến về bài viết"
    assert link["href"].startswith("../gop-y/?bai-viet=M%E1%BB%9F%20r%E1%BB%99ng")


@pytest.fixture(scope="module")
def browser():
    with launch_chromium() as chromium:
        yield chromium


def serious_violations(page) -> list:
    violations = Axe().run(page).response["violations"]
    return [(v["id"], [n["target"] for n in v["nodes"]][:3])
            for v in violations if v["impact"] in ("serious", "critical")]


def fill_form(page, title: str) -> None:
    page.fill("#gy-ho_ten", "Đặng Quốc Bảo")
    page.fill("#gy-email", "bao.dang@example.vn")
    page.select_option("#gy-linh_vuc", "giao-thong-do-thi")
    page.fill("#gy-tieu_de", title)
    page.fill("#gy-noi_dung", "Đề nghị bố trí thêm biển báo tại đoạn đường đang thi công.")
    page.check("#gy-dong_y")


def test_with_javascript_proof_of_work_gives_a_code_and_the_status_shows(browser, served):
    live = served
    page = new_page(browser)
    page.goto(f"{live.url}/{ARTICLE_SLUG}/")
    page.click("text=Gửi ý kiến về bài viết")
    expect(page.locator("#gy-bai_viet")).to_have_value("Mở rộng đường ven sông đoạn qua phường Trung Tâm")
    fill_form(page, "Biển báo đoạn đang thi công")
    expect(page.locator("[data-feedback-pow-status]")).to_have_text(re.compile("Đã xác minh tự động"),
                                                                     timeout=15000)
    page.click("button:has-text('Gửi ý kiến')")
    code = page.locator("[data-feedback-code]")
    expect(code).to_have_text(re.compile(r"^GY-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$"))
    tracking = code.text_content()
    with Store(live.settings.database) as store:
        assert store.get(tracking).article == "Mở rộng đường ven sông đoạn qua phường Trung Tâm"

    page.click("text=Tra cứu tình trạng ý kiến")
    expect(page.locator(".feedback-status__badge")).to_have_text("Đã tiếp nhận")
    expect(page.locator(".feedback-status__details")).to_contain_text("Biển báo đoạn đang thi công")
    assert page.console_errors == []
    page.close()


def test_with_javascript_errors_are_shown_beside_fields(browser, served):
    page = new_page(browser)
    page.goto(f"{served.url}/gop-y/")
    fill_form(page, "Biển báo")
    page.fill("#gy-email", "bao.dang@example")  # passes the browser's check, not the server's
    expect(page.locator("[data-feedback-pow-status]")).to_have_text(re.compile("Đã xác minh"), timeout=15000)
    page.click("button:has-text('Gửi ý kiến')")
    summary = page.locator("[data-feedback-summary]")
    expect(summary).to_contain_text("Địa chỉ email không hợp lệ")
    expect(page.locator("#gy-email")).to_have_attribute("aria-invalid", "true")
    # Corrected, the same solved challenge is still good.
    page.fill("#gy-email", "bao.dang@example.vn")
    page.click("button:has-text('Gửi ý kiến')")
    expect(page.locator("[data-feedback-code]")).to_be_visible()
    page.close()


def test_without_javascript_the_text_question_gives_a_code(browser, served):
    live = served
    page = new_page(browser, java_script_enabled=False)
    page.goto(f"{live.url}/gop-y/")
    fill_form(page, "Hỏi về giờ tiếp công dân")
    page.click("button:has-text('Gửi ý kiến')")
    question = page.locator("label[for=gy-cau_tra_loi]")
    expect(question).to_be_visible()
    expect(page.locator("#gy-tieu_de")).to_have_value("Hỏi về giờ tiếp công dân")
    page.fill("#gy-cau_tra_loi", answer_question(question.text_content()))
    page.click("button:has-text('Gửi ý kiến')")
    code = page.locator("[data-feedback-code]").text_content()
    assert re.fullmatch(r"GY-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)

    # The static status page without JavaScript asks the service for an HTML answer.
    page.goto(f"{live.url}/gop-y/tra-cuu/")
    page.fill("#gy-ma", code.lower())
    page.click("button:has-text('Tra cứu')")
    expect(page.locator(".feedback-status__badge")).to_have_text("Đã tiếp nhận")
    page.context.close()


def test_without_javascript_the_pages_keep_the_portal_layout_and_a_reload_posts_nothing(browser, served):
    live = served
    page = new_page(browser, java_script_enabled=False)
    page.goto(f"{live.url}/gop-y/")
    fill_form(page, "Hỏi về lịch tiêm chủng")
    page.click("button:has-text('Gửi ý kiến')")
    for chrome in (".portal-header__emblem", ".main-nav", ".portal-footer"):
        expect(page.locator(chrome).first).to_be_attached()
    expect(page.locator(".portal-header__name")).to_have_text("Ủy ban nhân dân Thành phố Sông Lam")
    question = page.locator("label[for=gy-cau_tra_loi]")
    expect(question).to_contain_text("Câu hỏi kiểm tra")
    expect(page.locator(".feedback-page__lead")).to_contain_text("câu hỏi kiểm tra")
    page.fill("#gy-cau_tra_loi", answer_question(question.text_content()))
    page.click("button:has-text('Gửi ý kiến')")
    expect(page.locator("[data-feedback-code]")).to_be_visible()
    expect(page.locator("[data-feedback-answer-time]")).to_contain_text("ngày làm việc")
    expect(page.locator(".portal-footer")).to_be_attached()
    assert "Đã tiếp nhận ý kiến – Cổng thông tin điện tử Thành phố Sông Lam" == page.title()
    rows = live.rows()
    page.reload()
    expect(page.locator("[data-feedback-code]")).to_be_visible()
    assert live.rows() == rows
    page.context.close()


def test_status_page_shows_the_answer_once_staff_replied(browser, served):
    live = served
    with Store(live.settings.database) as store:
        code = add(store, tieu_de="Câu hỏi đã có trả lời")
        store.answer(code, "Đã bố trí biển báo <b>mới</b>.", now=int(time.time()))
    page = new_page(browser)
    page.goto(f"{live.url}/gop-y/tra-cuu/?ma={code}")
    expect(page.locator(".feedback-status__badge")).to_have_text("Đã trả lời")
    expect(page.locator(".feedback-status__answer")).to_have_text("Đã bố trí biển báo <b>mới</b>.")
    page.close()


@pytest.mark.parametrize("path", ["gop-y/", "gop-y/tra-cuu/", "hoi-dap/"])
def test_pages_are_accessible_and_fit_320_px(browser, served, path):
    page = new_page(browser, width=320, height=640)
    page.goto(f"{served.url}/{path}")
    assert serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.context.close()


def test_the_services_own_question_page_is_accessible_and_fits_320_px(browser, served):
    # axe needs JavaScript; blocking the page's script gives the no-JS path all the same.
    page = new_page(browser, width=320, height=640)
    page.route("**/feedback.js", lambda route: route.abort())
    page.goto(f"{served.url}/gop-y/")
    fill_form(page, "Hỏi về lịch tiếp công dân")
    page.click("button:has-text('Gửi ý kiến')")
    expect(page.locator("label[for=gy-cau_tra_loi]")).to_be_visible()
    assert serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.context.close()
