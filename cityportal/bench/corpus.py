"""Synthetic but realistic portal content: Vietnamese articles with categories, tags,
images and legal references, shaped like the files editors write in content/articles/.

Deterministic for a given seed, so two runs (and the stock and portal builds) see the
same bytes.
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path

from PIL import Image, ImageDraw

from cityportal.text import vn_number

# The portal's own categories (PORTAL_CATEGORIES), so its content checks accept them.
CATEGORIES = (
    ("Tin tức – Sự kiện", "tin-tuc"),
    ("Chính trị", "chinh-tri"),
    ("Kinh tế", "kinh-te"),
    ("Văn hóa – Xã hội", "van-hoa"),
    ("Cải cách hành chính", "cchc"),
)

TOPICS = (
    "chuyển đổi số", "cải cách hành chính", "dịch vụ công trực tuyến", "an sinh xã hội",
    "xây dựng nông thôn mới", "phòng chống thiên tai", "bảo vệ môi trường", "đầu tư công",
    "giải phóng mặt bằng", "du lịch", "giáo dục phổ thông", "y tế cơ sở", "an toàn giao thông",
    "phòng cháy chữa cháy", "thu ngân sách", "chỉnh trang đô thị", "dân chủ cơ sở", "PAPI",
    "PCI", "văn hóa truyền thống", "thể dục thể thao", "việc làm", "người có công",
    "bình đẳng giới", "quốc phòng địa phương", "tiếp công dân", "phòng chống tham nhũng",
)

WARDS = ("phường Bến Thủy", "phường Hưng Dũng", "xã Nghi Phú", "phường Đông Vĩnh",
         "xã Hưng Lộc", "phường Trường Thi", "xã Nghi Đức", "phường Quán Bàu",
         "phường Lê Lợi", "xã Hưng Hòa", "phường Đội Cung", "xã Nghi Ân")

AGENCIES = ("UBND thành phố", "Sở Nội vụ", "Phòng Tài chính – Kế hoạch", "Phòng Văn hóa và Thông tin",
            "Văn phòng HĐND và UBND thành phố", "Trung tâm Phục vụ hành chính công",
            "Phòng Giáo dục và Đào tạo", "Phòng Tài nguyên và Môi trường", "Công an thành phố")

AUTHORS = ("Minh Châu", "Thanh Hà", "Quốc Bảo", "Như Thủy", "Đức Anh", "Hoài Thương")

# Documents an article may cite; numbers in the forms editors actually type.
LEGAL = (
    "Nghị định số 04/2015/NĐ-CP ngày 09/01/2015 của Chính phủ",
    "Kế hoạch số 49/KH-UBND ngày 19/01/2021 của UBND thành phố",
    "Luật số 10/2022/QH15 ngày 10/11/2022",
    "Nghị định số 61/2018/NĐ-CP ngày 23/4/2018",
    "Quyết định số 1291/QĐ-UBND ngày 05/5/2023",
    "Thông tư số 01/2016/TT-BNV ngày 13/01/2016 của Bộ Nội vụ",
    "Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị",
    "Nghị quyết số 18/NQ-HĐND ngày 08/12/2022",
    "Công văn số 2345/UBND-VX ngày 14/9/2023",
    "Nghị định 107/2021/NĐ-CP",
)

OPENINGS = (
    "Sáng {day}, {agency} tổ chức hội nghị triển khai nhiệm vụ về {topic} trên địa bàn thành phố.",
    "Trong {months} tháng qua, {ward} đã có nhiều cách làm mới trong công tác {topic}.",
    "Thực hiện {legal}, {agency} ban hành hướng dẫn cụ thể về {topic}.",
    "Chiều {day}, đoàn công tác của {agency} kiểm tra tiến độ thực hiện {topic} tại {ward}.",
)

SENTENCES = (
    "Tỷ lệ hồ sơ được giải quyết đúng hạn đạt {pct}%, tăng {small} điểm phần trăm so với cùng kỳ.",
    "Toàn thành phố đã tiếp nhận {count} hồ sơ, trong đó {pct}% được nộp qua cổng dịch vụ công.",
    "Lãnh đạo {agency} yêu cầu các đơn vị bám sát kế hoạch, phân công rõ người, rõ việc, rõ thời hạn.",
    "Người dân {ward} phấn khởi khi các thủ tục được công khai và giải quyết nhanh gọn hơn.",
    "Theo {legal}, các cơ quan phải báo cáo kết quả trước ngày {day}.",
    "Kinh phí thực hiện năm nay khoảng {money} triệu đồng, từ ngân sách thành phố và nguồn xã hội hóa.",
    "Hội nghị cũng chỉ ra một số hạn chế như nhân lực còn thiếu, hạ tầng số chưa đồng bộ.",
    "Thời gian tới, thành phố tiếp tục đẩy mạnh {topic}, lấy sự hài lòng của người dân làm thước đo.",
    "Đến nay đã có {count} lượt người dân tham gia đóng góp ý kiến cho dự thảo.",
    "Các tổ công tác đã trực tiếp đến {ward} để nắm bắt khó khăn, vướng mắc của cơ sở.",
    "Căn cứ {legal}, thành phố rà soát lại toàn bộ quy trình nội bộ.",
    "Đồng chí Phó Chủ tịch UBND thành phố đề nghị {agency} chủ động phối hợp với các xã, phường.",
)

UNCITED_OPENINGS = tuple(line for line in OPENINGS if "{legal}" not in line)
UNCITED_SENTENCES = tuple(line for line in SENTENCES if "{legal}" not in line)

HEADINGS = ("Kết quả nổi bật", "Những khó khăn còn tồn tại", "Nhiệm vụ thời gian tới",
            "Ý kiến của người dân", "Giải pháp trọng tâm")

SHARED_IMAGES = 6


# Documents only one city's articles cite: most of them once, as on a real portal, where
# every decision, plan and letter of the year has its own number. (form, issuer's words)
LOCAL_FORMS = (
    ("Quyết định số {n}/QĐ-UBND", "của UBND thành phố"),
    ("Kế hoạch số {n}/KH-UBND", "của UBND thành phố"),
    ("Công văn số {n}/UBND-{office}", "của UBND thành phố"),
    ("Thông báo số {n}/TB-UBND", "của UBND thành phố"),
    ("Quyết định số {n}/QĐ-UBND", "của UBND tỉnh"),
    ("Nghị quyết số {n}/NQ-HĐND", "của HĐND thành phố"),
    ("Quyết định số {n}/QĐ-TTg", "của Thủ tướng Chính phủ"),
    ("Thông tư số {n}/{year}/TT-{ministry}", ""),
)
OFFICES = ("VX", "KT", "NC", "TH", "ĐT")
MINISTRIES = ("BNV", "BTC", "BYT", "BTNMT", "BXD", "BCA")
# Per article: how many documents it cites, then where each comes from.
CITATIONS_PER_ARTICLE = (0, 0, 1, 1, 1, 2, 2, 3)
WELL_KNOWN_SHARE, REUSED_SHARE = 0.4, 0.1
RECENT_POOL = 40


class Citations:
    """The documents articles cite, drawn the way a portal's articles cite them: national
    laws and decrees again and again, a few local documents by several articles in the
    same weeks, and most local documents by one article only."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.recent: list[str] = []

    def _local(self, when: datetime) -> str:
        rng = self.rng
        form, issuer = rng.choice(LOCAL_FORMS)
        issued = when - timedelta(days=rng.randint(3, 120))
        number = form.format(n=rng.randint(1, 6000), year=issued.year, office=rng.choice(OFFICES),
                             ministry=rng.choice(MINISTRIES))
        return f"{number} ngày {issued.day:02d}/{issued.month:02d}/{issued.year} {issuer}".strip()

    def for_article(self, when: datetime) -> list[str]:
        chosen = []
        for _ in range(self.rng.choice(CITATIONS_PER_ARTICLE)):
            draw = self.rng.random()
            if draw < WELL_KNOWN_SHARE:
                chosen.append(self.rng.choice(LEGAL))
            elif draw < WELL_KNOWN_SHARE + REUSED_SHARE and self.recent:
                chosen.append(self.rng.choice(self.recent))
            else:
                document = self._local(when)
                self.recent = [*self.recent[-(RECENT_POOL - 1):], document]
                chosen.append(document)
        return chosen


def _fill(template: str, rng: random.Random, when: datetime, cited: list[str]) -> str:
    day = when + timedelta(days=rng.randint(0, 20))
    return template.format(
        day=f"{day.day:02d}/{day.month:02d}/{day.year}",
        agency=rng.choice(AGENCIES), topic=rng.choice(TOPICS), ward=rng.choice(WARDS),
        legal=rng.choice(cited) if "{legal}" in template else "", months=rng.choice((3, 6, 9)), pct=rng.randint(80, 99),
        small=rng.randint(1, 9), count=vn_number(rng.randint(1200, 98000)),
        money=vn_number(rng.randint(150, 9500)),
    )


def _paragraph(rng: random.Random, when: datetime, cited: list[str]) -> str:
    sentences = SENTENCES if cited else UNCITED_SENTENCES
    return " ".join(_fill(template, rng, when, cited)
                    for template in rng.sample(sentences, rng.randint(3, 5)))


def _article(index: int, rng: random.Random, citations: Citations) -> tuple[str, str]:
    when = datetime(2016, 1, 1, 7, 0) + timedelta(hours=index * 7 + rng.randint(0, 5))
    category, short = CATEGORIES[index % len(CATEGORIES)]
    topic = rng.choice(TOPICS)
    ward = rng.choice(WARDS)
    title = f"{rng.choice(('Đẩy mạnh', 'Triển khai', 'Sơ kết', 'Nâng cao hiệu quả', 'Tăng cường'))} " \
            f"{topic} tại {ward} (số {index + 1})"
    slug = f"{short}-{index + 1:05d}"
    tags = rng.sample(TOPICS, 3)
    cited = citations.for_article(when)
    summary = _fill(rng.choice(UNCITED_SENTENCES), rng, when, cited)
    body = [_fill(rng.choice(OPENINGS if cited else UNCITED_OPENINGS), rng, when, cited), "",
            _paragraph(rng, when, cited)]
    for heading in rng.sample(HEADINGS, 2):
        body += ["", f"## {heading}", "", _paragraph(rng, when, cited), "", _paragraph(rng, when, cited)]
    lines = [
        f"Title: {title}",
        f"Date: {when:%Y-%m-%d %H:%M}",
        f"Category: {category}",
        f"Tags: {', '.join(tags)}",
        f"Author: {rng.choice(AUTHORS)}",
        f"Summary: {summary}",
        f"Image: images/bench/anh-{index % SHARED_IMAGES + 1}.jpg",
        f"ImageAlt: Ảnh minh họa cho bài viết về {topic}",
        f"Slug: {slug}",
        "",
        *body,
        "",
    ]
    return f"{when.year}/{slug}.md", "\n".join(lines)


def _image(path: Path, seed: int) -> None:
    rng = random.Random(seed)
    image = Image.new("RGB", (1600, 1000), (rng.randint(0, 255), rng.randint(0, 255), 120))
    draw = ImageDraw.Draw(image)
    for _ in range(40):
        x, y = rng.randint(0, 1500), rng.randint(0, 900)
        draw.rectangle((x, y, x + rng.randint(20, 300), y + rng.randint(20, 200)),
                       fill=(rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255)))
    image.save(path, quality=85)


def write_corpus(content_dir, count: int, seed: int = 2021) -> Path:
    """Write `count` articles and the shared images under `content_dir`."""
    content_dir = Path(content_dir)
    rng = random.Random(seed)
    images = content_dir / "images" / "bench"
    images.mkdir(parents=True, exist_ok=True)
    for number in range(1, SHARED_IMAGES + 1):
        _image(images / f"anh-{number}.jpg", seed + number)
    articles = content_dir / "articles"
    citations = Citations(rng)
    for index in range(count):
        relative, text = _article(index, rng, citations)
        target = articles / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return content_dir


def edit_one_article(content_dir) -> Path:
    """Change the body of one article the way an editor fixing a typo would."""
    first = sorted((Path(content_dir) / "articles").rglob("*.md"))[0]
    text = first.read_text(encoding="utf-8")
    first.write_text(text + "\nBài viết được cập nhật thêm thông tin.\n", encoding="utf-8")
    return first


def add_one_article(content_dir) -> Path:
    """A new article, newest of the site, in the first article's category and tags."""
    first = sorted((Path(content_dir) / "articles").rglob("*.md"))[0]
    lines = first.read_text(encoding="utf-8").split("\n")
    fields = {"Title": "Title: Bài viết mới nhất của cổng", "Date": "Date: 2099-01-01 08:00",
              "Slug": "Slug: bai-viet-moi-nhat-cua-cong"}
    lines = [fields.get(line.split(":", 1)[0], line) for line in lines]
    added = first.with_name("bai-viet-moi-nhat-cua-cong.md")
    added.write_text("\n".join(lines), encoding="utf-8")
    return added
