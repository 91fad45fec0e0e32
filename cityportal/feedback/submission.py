"""What a valid submission is: its fields, their limits and the Vietnamese
messages a sender sees when a field is wrong. Pure: no I/O."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from cityportal.text import vn_number

# (slug, label): the slug is stored and used in URLs, the label is shown.
TOPICS: tuple[tuple[str, str], ...] = (
    ("thu-tuc-hanh-chinh", "Thủ tục hành chính"),
    ("dat-dai-xay-dung", "Đất đai, xây dựng"),
    ("giao-thong-do-thi", "Giao thông, đô thị"),
    ("moi-truong", "Tài nguyên, môi trường"),
    ("y-te", "Y tế"),
    ("giao-duc", "Giáo dục, đào tạo"),
    ("lao-dong-an-sinh", "Lao động, việc làm, an sinh xã hội"),
    ("kinh-te-dau-tu", "Kinh tế, đầu tư, doanh nghiệp"),
    ("van-hoa-du-lich", "Văn hóa, thể thao, du lịch"),
    ("an-ninh-trat-tu", "An ninh, trật tự"),
    ("khac", "Lĩnh vực khác"),
)
TOPIC_LABELS = dict(TOPICS)

NAME_MAX = 100
EMAIL_MAX = 254
PHONE_MAX = 20
TITLE_MIN, TITLE_MAX = 3, 200
BODY_MAX = 5000
ARTICLE_MAX = 300

# Form fields a sender fills; the captcha fields travel beside them.
SENDER_FIELDS = (
    "ho_ten", "email", "dien_thoai", "linh_vuc", "tieu_de", "noi_dung",
    "dong_y", "bai_viet",
)
HONEYPOT_FIELD = "website"
CAPTCHA_FIELDS = ("altcha", "cau_hoi_token", "cau_tra_loi")
KNOWN_FIELDS = frozenset(SENDER_FIELDS + CAPTCHA_FIELDS + (HONEYPOT_FIELD,))

# Control characters other than tab and newline never belong in a form.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]")
_SINGLE_LINE_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
_EMAIL = re.compile(r"^[^@\s\"(),:;<>\[\\\]]{1,64}@([^@\s.\"(),:;<>\[\\\]]{1,63}\.)+[^@\s.\"(),:;<>\[\\\]0-9]{2,63}$")
_PHONE = re.compile(r"^\+?[0-9 .()\-]+$")


@dataclass(frozen=True)
class Submission:
    name: str
    email: str
    phone: str
    topic: str
    title: str
    body: str
    consent: bool
    article: str


class Invalid(Exception):
    """The submission has errors: {field: Vietnamese message}."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


def _text(raw: dict, key: str, errors: dict[str, str]) -> str:
    value = raw.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors[key] = "Giá trị phải là văn bản."
        return ""
    value = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    return value.strip()


def _check_single_line(key: str, value: str, label: str, errors: dict[str, str]) -> None:
    if key not in errors and _SINGLE_LINE_CONTROL.search(value):
        errors[key] = f"{label} chỉ được viết trên một dòng, không chứa ký tự điều khiển."


def _check_length(key, value, label, errors, *, minimum=1, maximum) -> None:
    if key in errors:
        return
    if not value:
        errors[key] = f"Vui lòng nhập {label.lower()}."
    elif len(value) < minimum:
        errors[key] = f"{label} cần ít nhất {minimum} ký tự."
    elif len(value) > maximum:
        errors[key] = f"{label} dài tối đa {vn_number(maximum)} ký tự (hiện có {vn_number(len(value))})."


def _consent(raw: dict, errors: dict[str, str]) -> bool:
    value = raw.get("dong_y", False)
    if value in (True, False, None, "", "0", "1", "on", "true", "false"):
        return value in (True, "1", "on", "true")
    errors["dong_y"] = "Ô đồng ý chỉ nhận giá trị có hoặc không."
    return False


def validate(raw: dict) -> Submission:
    """Clean a mapping of field -> value or raise Invalid with every error found."""
    errors: dict[str, str] = {}
    unknown = sorted(k for k in raw if k not in KNOWN_FIELDS)
    if unknown:
        errors["_form"] = "Biểu mẫu có trường không được chấp nhận: " + ", ".join(unknown[:5]) + "."
    honeypot = raw.get(HONEYPOT_FIELD)
    if honeypot not in (None, ""):
        errors[HONEYPOT_FIELD] = ("Biểu mẫu bị từ chối vì một trường ẩn dành để chặn "
                                  "chương trình tự động đã được điền. Vui lòng để trống trường này.")

    name = _text(raw, "ho_ten", errors)
    _check_single_line("ho_ten", name, "Họ tên", errors)
    _check_length("ho_ten", name, "Họ tên", errors, maximum=NAME_MAX)

    email = _text(raw, "email", errors)
    if "email" not in errors:
        if not email:
            errors["email"] = "Vui lòng nhập địa chỉ email."
        elif len(email) > EMAIL_MAX or not _EMAIL.match(email):
            errors["email"] = "Địa chỉ email không hợp lệ, ví dụ đúng: ten@example.vn."

    phone = _text(raw, "dien_thoai", errors)
    if "dien_thoai" not in errors and phone:
        digits = sum(ch.isdigit() for ch in phone)
        if len(phone) > PHONE_MAX or not _PHONE.match(phone) or not 8 <= digits <= 15:
            errors["dien_thoai"] = "Số điện thoại không hợp lệ (8 đến 15 chữ số, ví dụ 0236 3821 234)."

    topic = _text(raw, "linh_vuc", errors)
    if "linh_vuc" not in errors and topic not in TOPIC_LABELS:
        errors["linh_vuc"] = "Vui lòng chọn một lĩnh vực trong danh sách."

    title = _text(raw, "tieu_de", errors)
    _check_single_line("tieu_de", title, "Tiêu đề", errors)
    _check_length("tieu_de", title, "Tiêu đề", errors, minimum=TITLE_MIN, maximum=TITLE_MAX)

    body = _text(raw, "noi_dung", errors)
    if "noi_dung" not in errors and _CONTROL.search(body):
        errors["noi_dung"] = "Nội dung chứa ký tự điều khiển không được phép."
    _check_length("noi_dung", body, "Nội dung", errors, maximum=BODY_MAX)

    consent = _consent(raw, errors)

    article = _text(raw, "bai_viet", errors)
    _check_single_line("bai_viet", article, "Bài viết liên quan", errors)
    if "bai_viet" not in errors and len(article) > ARTICLE_MAX:
        errors["bai_viet"] = f"Bài viết liên quan dài tối đa {ARTICLE_MAX} ký tự."

    if errors:
        raise Invalid(errors)
    return Submission(name, email, phone, topic, title, body, consent, article)
