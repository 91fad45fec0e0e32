"""Every link and media file of the built site answers, the sample videos are real, and a
video hosted elsewhere loads nothing from its host before the reader clicks."""
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup

from cityportal import linkcheck
from cityportal.video_samples import SAMPLES
from tests.browser import launch_chromium, new_page, serve_directory
from tests.sitebuild import ROOT, build_site, copy_content

PUBLIC = ("https://songlam.gov.vn",)
EMBED = "https://www.youtube-nocookie.com/embed/mau-thu"


def test_the_built_site_has_no_broken_link_or_media(built_site):
    problems = linkcheck.find_problems(built_site, PUBLIC)
    assert [problem.format(built_site) for problem in problems] == []


def test_the_video_page_plays_the_projects_own_files(read_page, built_site):
    page = read_page("video/")
    videos = page.select(".article__body video")
    assert len(videos) == len(SAMPLES)
    for video, sample in zip(videos, SAMPLES):
        assert video["preload"] == "none" and "controls" in video.attrs
        source, track = video.find("source"), video.find("track")
        assert source["type"] == "video/mp4" and source["src"].endswith(f"{sample.name}.mp4")
        assert track["kind"] == "captions" and track["srclang"] == "vi"
        for address in (source["src"], track["src"], video["poster"]):
            assert (built_site / "video" / address.rsplit("/", 1)[-1]).stat().st_size > 0
        captions = (built_site / "video" / f"{sample.name}.vi.vtt").read_text(encoding="utf-8")
        assert captions.startswith("WEBVTT") and "-->" in captions
    # A real MP4 ("ftyp" box), small enough for the repository.
    for sample in SAMPLES:
        data = (ROOT / "content" / "video" / f"{sample.name}.mp4").read_bytes()
        assert data[4:8] == b"ftyp" and len(data) < 200_000


def test_a_missing_video_fails_check_naming_the_page_that_links_it(tmp_path):
    """Raw HTML in a page, which the Markdown checks cannot follow, or a file lost on the
    way: only the built site shows the 404, and `check --site` reports it."""
    content = copy_content(tmp_path / "content")
    page = content / "pages" / "video.md"
    page.write_text(page.read_text(encoding="utf-8") + '\n<video controls preload="none">'
                    '<source src="/video/khong-co.mp4" type="video/mp4"></video>\n', encoding="utf-8")
    output = tmp_path / "out"
    built = build_site(output, content=content)
    assert built.ok, built.stderr
    (output / "video" / f"{SAMPLES[1].name}.vi.vtt").unlink()
    result = subprocess.run([sys.executable, "-m", "invoke", "check", "--content", str(content),
                             "--site", str(output)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode != 0
    broken = [line for line in result.stdout.splitlines() if ": lỗi: " in line]
    assert any(line.startswith(f"{output}/video/index.html:") and 'tệp media hỏng: <source> dẫn tới "/video/khong-co.mp4"'
               in line for line in broken), result.stdout
    assert any(line.startswith(f"{output}/video/index.html:") and "<track>" in line
               and f"{SAMPLES[1].name}.vi.vtt" in line for line in broken), result.stdout


@pytest.fixture(scope="module")
def embed_site(tmp_path_factory):
    work = tmp_path_factory.mktemp("embed")
    content = copy_content(work / "content")
    (content / "articles" / "2024" / "video-nhung.md").write_text(
        "Title: Video nhúng\nDate: 2024-03-10 08:00\nCategory: Văn hóa – Xã hội\nAuthor: Ban Biên tập\n\n"
        "Video của lễ hội:\n\n"
        f'<iframe src="{EMBED}" title="Lễ hội đền Làng Sông" width="560" height="315"></iframe>\n',
        encoding="utf-8")
    output = work / "out"
    result = build_site(output, content=content)
    assert result.ok, result.stderr
    return output


def test_an_embedded_video_is_a_link_until_the_reader_clicks(embed_site):
    page = BeautifulSoup((embed_site / "video-nhung" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert page.find("iframe") is None
    link = page.select_one(".embed a.embed__link")
    assert link["href"] == EMBED and "Lễ hội đền Làng Sông" in link.get_text()

    with serve_directory(embed_site) as base, launch_chromium() as browser:
        for javascript in (True, False):
            tab = new_page(browser, 375, java_script_enabled=javascript)
            foreign = []
            tab.route("**/*", lambda route: (foreign.append(route.request.url), route.abort())
                      if not route.request.url.startswith(base) else route.continue_())
            tab.goto(base + "/video-nhung/", wait_until="load")
            assert foreign == [], foreign
            assert tab.console_errors == []
            if javascript:
                tab.click(".embed__link")
                tab.wait_for_selector(".embed iframe.embed__frame")
                assert tab.get_attribute(".embed iframe", "src") == EMBED
                assert tab.get_attribute(".embed iframe", "title") == "Lễ hội đền Làng Sông"
            tab.close()
