import pytest

from cityportal.editorial import article_slug
from cityportal.text import heading_anchor
from tasks import _settings


@pytest.mark.parametrize("title, slug", [
    ("Nâng cao Chỉ số PAPI", "nang-cao-chi-so-papi"),
    ("Đoàn đại biểu Quốc hội tiếp xúc cử tri", "doan-dai-bieu-quoc-hoi-tiep-xuc-cu-tri"),
    ("Tin tức – Sự kiện", "tin-tuc-su-kien"),
    ("ĐƯỜNG ĐIỆN BIÊN", "duong-dien-bien"),
    ("Kỳ họp thứ 2, HĐND khóa XXI", "ky-hop-thu-2-hdnd-khoa-xxi"),
])
def test_article_slugs_are_ascii_with_d_for_dj(title, slug):
    assert article_slug(title, _settings()) == slug


@pytest.mark.parametrize("heading, anchor", [
    ("Kết quả đạt được", "ket-qua-dat-duoc"),
    ("Đưa pháp luật đến gần người dân", "dua-phap-luat-den-gan-nguoi-dan"),
    ("Năm 2021: 12/12 xã đạt chuẩn", "nam-2021-12-12-xa-dat-chuan"),
])
def test_heading_anchors_keep_d(heading, anchor):
    assert heading_anchor(heading, "-") == anchor
