"""Editor, build and operations tasks for the city portal (run with `invoke`)."""
import os
import sys
import unicodedata
from datetime import datetime
from pathlib import Path

from invoke import task
from invoke.exceptions import Exit

ROOT = Path(__file__).resolve().parent
PYTHON = sys.executable
CONTENT = ROOT / "content"
OUTPUT = ROOT / "output"
DEV_PORT = 8000


def _settings(path="pelicanconf.py"):
    from pelican.settings import read_settings

    return read_settings(str(ROOT / path))


@task
def build(c, output=str(OUTPUT), settings_file="pelicanconf.py", content=str(CONTENT)):
    """Build the site into output/ (use --settings-file publishconf.py for production)."""
    from cityportal.build import build_site

    result = build_site(Path(output), ROOT / settings_file, Path(content), capture=False)
    if not result.ok:
        raise Exit(code=result.returncode)
    print(result.summary())


@task
def clean(c):
    """Remove the built site and the build caches."""
    import shutil

    for folder in (OUTPUT, ROOT / "cache"):
        shutil.rmtree(folder, ignore_errors=True)


@task(help={"port": "port of the site", "feedback_port": "port of the feedback service",
            "build": "build first (--no-build serves output/ as it is)"})
def serve(c, port=DEV_PORT, feedback_port=8001, build=True):
    """Build, then serve at http://localhost:8000 with the feedback service; saved pages update at once."""
    import signal
    import threading
    import time

    from cityportal.ops.devserver import DevServer, DevSite
    from cityportal.ops.resident import SiteSources
    from cityportal.ops import feedback_service

    def stop(signum, _frame):
        raise SystemExit(128 + signum)

    # SIGTERM (kill, systemd, an editor's "stop") and SIGHUP (a closed terminal)
    # unwind like Ctrl+C, so the feedback service this task started stops too.
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGHUP, stop)
    site = DevSite(SiteSources(ROOT / "pelicanconf.py", CONTENT, OUTPUT))
    if build:
        site.build()
    service = feedback_service.start(port=int(feedback_port))
    server = DevServer(site, int(port), api_port=int(feedback_port))
    signalled = None
    try:
        server.start()
        print(f"Cổng thông tin đang chạy tại http://localhost:{port}/ (Ctrl+C để dừng)", flush=True)
        # The kernel may hand SIGTERM to any thread; the handler then runs only when the
        # main thread next wakes, so it wakes every half second rather than blocking.
        while True:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    except SystemExit as exit:
        signalled = exit.code
    finally:
        if service is not None:
            service.stop()
        # A build or load under way is not waited for (cityportal/ops/devserver.py).
        stopping = threading.Thread(target=server.stop, daemon=True)
        stopping.start()
        stopping.join(5)
    if signalled is not None:
        # Stopped by a signal: leave now, without waiting for a build's worker threads.
        sys.stdout.flush()
        os._exit(signalled)


@task
def livereload(c, port=DEV_PORT):
    """Like serve, and the browser reloads itself after each rebuild."""
    from livereload import Server

    from cityportal.ops.devserver import rebuild_quietly

    build(c)
    server = Server()
    rebuild = lambda: rebuild_quietly(lambda: build(c))  # noqa: E731
    for folder in ("content", "theme", "plugins"):
        server.watch(f"{folder}/**/*", rebuild)
    server.watch("pelicanconf.py", rebuild)
    server.serve(root=str(OUTPUT), port=port, host="127.0.0.1")


@task(help={"category": "one of PORTAL_CATEGORIES; a hyphen for the en dash is fine",
            "author": "default: PORTAL_DEFAULT_AUTHOR", "date": "2024-05-06T07:45; default: now"})
def new(c, title, category="Tin tức – Sự kiện", author="", date=""):
    """Create content/articles/YYYY/<slug>.md: it passes `invoke check` once it has a body."""
    from cityportal.editorial import BODY_PLACEHOLDER, article_slug, canonical_category, suggestion

    title = unicodedata.normalize("NFC", title).strip()
    settings = _settings()
    categories = settings["PORTAL_CATEGORIES"]
    chosen = canonical_category(category, categories)
    if chosen is None:
        hint = suggestion(category, categories)
        raise Exit(f"Chuyên mục \"{category}\" không có{hint}; chọn một trong: {', '.join(categories)}", code=2)
    when = datetime.fromisoformat(date) if date else datetime.now()
    slug = article_slug(title, settings)
    if not slug:
        raise Exit("Tiêu đề phải có ít nhất một chữ hoặc số.", code=2)
    target = CONTENT / "articles" / f"{when:%Y}" / f"{slug}.md"
    if target.exists():
        raise Exit(f"{target.relative_to(ROOT)} đã có; chọn tiêu đề khác hoặc sửa tệp đó.", code=2)
    target.parent.mkdir(parents=True, exist_ok=True)
    author = author.strip() or settings["PORTAL_DEFAULT_AUTHOR"]
    # Only fields with a value: an empty field is an error, and a Markdown header has no
    # comments. The optional ones are listed on the terminal, with what they mean.
    target.write_text(
        f"Title: {title}\nDate: {when:%Y-%m-%d %H:%M}\nCategory: {chosen}\nAuthor: {author}\n\n"
        f"{BODY_PLACEHOLDER}\n",
        encoding="utf-8",
    )
    print(target.relative_to(ROOT))
    print(NEW_ARTICLE_HELP, file=sys.stderr)


NEW_ARTICLE_HELP = """Viết nội dung bài thay cho dòng hướng dẫn, rồi chạy `invoke check`.
Trường không bắt buộc, thêm vào phần đầu tệp (trước dòng trống) khi cần:
  Summary: sapo, một hai câu mở đầu; không có thì trang dùng phần đầu của bài
  Tags: từ khóa, cách nhau bằng dấu phẩy
  Image: ảnh đại diện trong content/images/, ví dụ images/2024/ten-anh.jpg
  ImageAlt: mô tả nội dung ảnh (bắt buộc khi có Image)
  Modified: ngày cập nhật, dạng 2024-05-06 09:00
  Slug: đường dẫn riêng; mặc định là tiêu đề không dấu"""


@task(help={"content": "the content folder to check",
            "site": "also check every link, picture and video of this built site (e.g. output/)"})
def check(c, content=str(CONTENT), site=""):
    """Validate all content; prints file:line: message and fails on any error."""
    from cityportal import editorial
    from cityportal.images import problems as image_checks
    from cityportal.legal_refs import checks as legal_refs_checks
    from cityportal.legal_refs.settings import setting as legal_refs_setting
    from cityportal import markup_checks
    from cityportal.problems import ERROR

    settings = _settings()
    content = Path(content)
    problems = (editorial.find_problems(content, settings)
                + legal_refs_checks.find_problems(content, legal_refs_setting(settings, "LEGAL_REFS_REGISTRY_DIR"),
                                                  legal_refs_setting(settings, "LEGAL_REFS_HOME_LOCALITY"))
                + image_checks.find_problems(content)
                + markup_checks.find_problems(content, settings))
    if site:
        from cityportal import linkcheck

        if not (Path(site) / "index.html").is_file():
            raise Exit(f"{site}: chưa có bản dựng ở đây; chạy `invoke build` trước", code=2)
        problems += linkcheck.find_problems(Path(site), (settings["PORTAL_PUBLIC_URL"], settings["SITEURL"]))
    for problem in problems:
        print(problem.format(ROOT))
    errors = sum(problem.level == ERROR for problem in problems)
    if errors:
        raise Exit(f"{errors} lỗi cần sửa trước khi xuất bản.", code=1)
    print(f"Nội dung hợp lệ ({len(problems)} cảnh báo).")


@task(help={"full": "upload the whole site with rsync --checksum, not only what changed"})
def publish(c, full=False):
    """Build with publishconf.py, upload what changed and switch the server to it in one atomic step."""
    from cityportal.ops.publishing import manifest_path, publish_atomically

    settings = _settings("publishconf.py")
    build(c, settings_file="publishconf.py")
    host, path = settings["PUBLISH_HOST"], settings["PUBLISH_PATH"]
    publish_atomically(c, OUTPUT, host, path, manifest_file=manifest_path(ROOT / "cache", host, path),
                       full=full)


@task
def test(c, k=""):
    """Run the whole test suite."""
    selector = f" -k {k!r}" if k else ""
    c.run(f"{PYTHON} -m pytest -q{selector}", pty=False)


# --- Legal documents (cityportal/legal_refs) ----------------------------------


@task(help={"path": "UTF-8 text or Markdown file; '-' reads standard input"})
def refs(c, path):
    """Print the legal references found in PATH as JSON lines."""
    from cityportal.legal_refs.cli import main

    raise SystemExit(main(path))


@task(name="eval-refs", help={"errors": "also list every miss, wrong find, date, issuer and type"})
def eval_refs(c, errors=False):
    """Print every accuracy measure, beside its target, on the labelled sets."""
    from cityportal.legal_refs.evaluation import report

    data = ROOT / "tests" / "data"
    print(report([
        ("real-text cases, working part", [data / "legal_refs_real.txt"]),
        ("real-text cases, held-out part", [data / "legal_refs_real_heldout.txt"]),
        ("old set: legal_refs_eval.txt", [data / "legal_refs_eval.txt"]),
        ("old set: legal_refs_cases.txt", [data / "legal_refs_cases.txt"]),
    ], show_errors=errors))


@task(name="bench-refs", help={"megabytes": "size of the text for the extractor", "articles": "articles in the site"})
def bench_refs(c, megabytes=8.0, articles=2000):
    """Print the extractor's MB/s and the plugin's share of a large site build."""
    from cityportal.bench.legal_refs import report

    print(report(ROOT, float(megabytes), int(articles)))


@task(name="legal-sample-pdfs")
def legal_sample_pdfs(c):
    """Write a one-page sample PDF for every registry document and fill its Pdf field."""
    from cityportal.legal_refs.sample_pdfs import write_samples
    from cityportal.legal_refs.settings import setting as legal_refs_setting

    settings = _settings()
    written = write_samples(CONTENT, legal_refs_setting(settings, "LEGAL_REFS_REGISTRY_DIR"),
                            settings["PORTAL_AGENCY"])
    print(f"{len(written)} tệp PDF mẫu, {sum(path.stat().st_size for path in written):,} byte, "
          f"trong content/files/van-ban/")


# --- Search (cityportal/search) ------------------------------------------------


@task(name="eval-search", help={"misses": "also list every query whose right page is not first"})
def eval_search(c, misses=True):
    """Top-1 and MRR of tests/data/search_eval.tsv in Chromium, beside plain Pagefind."""
    import tempfile

    from tests.searcheval import main

    with tempfile.TemporaryDirectory(prefix="portal-eval-search-") as work:
        print(main(Path(work), show_misses=misses))


@task(name="bench-search", help={"articles": "articles in the synthetic site",
                                 "pagefind": "also measure plain Pagefind on the same site",
                                 "browser": "also measure answers in Chromium with 4x CPU slowdown",
                                 "keep": "build the site in this folder, or reuse the one built there",
                                 "runs": "cold runs per query (the median is printed)"})
def bench_search(c, articles=20000, pagefind=True, browser=True, keep="", runs=3):
    """Time and peak memory of the index step, bytes and time per query, at N articles."""
    from cityportal.bench.search import main

    main(int(articles), pagefind=pagefind, browser=browser, keep=keep, runs=int(runs))


# --- Access statistics (cityportal/stats) ------------------------------------


@task(help={
    "log": "access log to read (default: STATS_LOG of the settings)",
    "db": "statistics database (default: data/stats.sqlite)",
    "now": "report time, ISO-8601 (default: now)",
    "out": "report file (default: output/stats.json)",
    "settings": "settings file with the STATS_* values",
})
def stats(c, log=None, db=None, now=None, out=None, settings="publishconf.py"):
    """Read the new lines of an access log into the database and write stats.json."""
    arguments = [f"--{name}={value}" for name, value in
                 (("log", log), ("db", db), ("now", now), ("out", out),
                  ("settings", ROOT / settings))
                 if value]
    from cityportal.stats.cli import main

    code = main(arguments)
    if code:
        raise Exit(code=code)


@task
def bench_stats(c):
    """Time the ingest of the same 1,000,000-line log against GoAccess, one core each."""
    from cityportal.bench.stats import run

    run(ROOT / "test-artifacts" / "bench-stats")


@task(name="bench-stats-json")
def bench_stats_json(c):
    """Print the size of the live stats.json for 100,000 articles and a flood of made-up paths."""
    from cityportal.bench.stats_json import LIMIT_BYTES, main

    if main()["bytes"] >= LIMIT_BYTES:
        raise Exit("bench-stats-json: stats.json is over its limit", code=1)


@task
def stats_sample_log(c):
    """Regenerate data/sample-access.log from the articles in content/."""
    from cityportal.stats.synthetic_log import write_sample

    count = write_sample(ROOT)
    print(f"wrote {count} lines")



@task(name="video-samples")
def video_samples(c):
    """Regenerate the sample videos of /video/ (content/video/) with ffmpeg."""
    from cityportal.video_samples import write_samples

    try:
        written = write_samples(CONTENT)
    except RuntimeError as error:
        raise Exit(str(error), code=1)
    for path in written:
        print(f"{path.relative_to(ROOT)} ({path.stat().st_size:,} bytes)")


# --- Feedback service (cityportal/feedback) -----------------------------------


@task(help={
    "action": "list | show | answer | export | publish | backup | purge",
    "code": "tracking code, for show and answer (GY-XXXX-XXXX-XXXX)",
    "status": "for list and export: received | processing | answered",
    "text": "answer: the answer in Markdown",
    "file": "answer: a UTF-8 Markdown file holding the answer",
    "output": "export: CSV file; publish: directory; backup: copy to write",
})
def feedback(c, action, code="", status="", text="", file="", output=""):
    """Staff workflow for Gửi ý kiến / Hỏi đáp (database from FEEDBACK_DATABASE)."""
    from cityportal.feedback import staff
    from cityportal.feedback.settings import SettingsError, from_env

    try:
        print(staff.run(action, from_env(), staff.Options(code=code, status=status, text=text,
                                                          file=file, output=output)))
    except (staff.StaffError, SettingsError) as error:
        sys.exit(f"feedback {action}: {error}")


@task(name="bench-feedback", help={
    "seconds": "how long the clients submit",
    "clients": "client processes",
    "max_per_client": "each client stops after this many accepted submissions",
    "kill_at": "kill -9 the service this many seconds in, then restart it (0: never)",
})
def bench_feedback(c, seconds=10.0, clients=4, max_per_client=20000, kill_at=0.0):
    """Submissions per second over loopback, and no acknowledged loss (target 200/s)."""
    from cityportal.bench import feedback as loadtest

    result = loadtest.run_load(seconds=float(seconds), clients=int(clients),
                               max_per_client=int(max_per_client),
                               kill_at=float(kill_at) or None)
    print(loadtest.report(result, target=200))
    problems = loadtest.check(result)
    if problems:
        sys.exit("bench-feedback: " + "; ".join(problems))


@task(name="bench-feedback-limits")
def bench_feedback_limits(c, browser=True):
    """Print what the submission limits allow a carrier's shared address and a script."""
    from cityportal.bench.limits import report

    print(report(measure_browser=browser))


# --- Search, images, serving and scale ----------------------------------------


@task(help={"articles": "comma-separated article counts, e.g. 1000,5000,10000",
            "keep": "keep the generated sites in this folder instead of a temporary one"})
def bench(c, articles="1000", keep=""):
    """Build synthetic sites and print build time and memory beside stock Pelican 4.12."""
    from cityportal.bench.cli import main

    main([int(n) for n in articles.split(",")], keep or None)


@task(name="bench-equality", help={"articles": "articles in the synthetic site",
                                    "edits": "edits to make, every kind in turn",
                                    "keep": "keep the sites in this folder instead of a temporary one"})
def bench_equality(c, articles=2000, edits=10, keep=""):
    """Compare incremental builds with clean builds after each of a sequence of edits."""
    from cityportal.bench.equality import main

    if not main(int(articles), int(edits), keep or None):
        raise Exit(code=1)


@task(name="bench-publish", help={"articles": "articles in the synthetic site"})
def bench_publish(c, articles=2000):
    """Publish a synthetic site, edit one article, and time the full --checksum upload beside the incremental one."""
    from cityportal.bench.publish import report

    report(int(articles))


@task(help={"root": "the site to serve (default: PUBLISH_PATH/current, where publish switches)",
            "port": "listen port", "out": "write here"})
def nginx_config(c, root="", port="", out=""):
    """Print (or write) deploy/nginx.conf with its placeholders filled in."""
    from cityportal.ops.nginx_config import production_root, render

    values = {"ROOT": str(Path(root).resolve()) if root
              else production_root(_settings("publishconf.py")["PUBLISH_PATH"])}
    if port:
        values["LISTEN"] = str(port)
    text = render(values)
    if out:
        Path(out).write_text(text, encoding="utf-8")
    else:
        print(text)


@task(help={"site": "the built site (default: build output/ first)", "out": "where the PNG files go"})
def screenshots(c, site="", out=str(ROOT / "test-artifacts" / "screenshots")):
    """Screenshots at 375 and 1280 px of the pages citizens meet, in Chromium, to look at."""
    from cityportal.ops.screenshots import take

    if not site:
        build(c)
    written = take(Path(site) if site else OUTPUT, Path(out))
    print(f"{len(written)} ảnh trong {out}")


@task(help={"article": "the article's Markdown file, e.g. content/articles/2021/bai-viet.md",
            "port": "port to serve the preview on"})
def preview(c, article, port=8002):
    """Serve one article's page at http://127.0.0.1:PORT; it rebuilds and reloads on every save."""
    import threading

    from cityportal.ops.preview import PreviewError, PreviewSession, serve
    from cityportal.ops.warm import warm_up

    try:
        session = PreviewSession(article, CONTENT, ROOT / "pelicanconf.py", ROOT / "cache" / "preview")
        warm_up(session.site_settings)
        result = session.build()
    except PreviewError as error:
        raise Exit(str(error), code=1)
    server = serve(result.output, int(port), session)
    print(f"Bản xem trước sẵn sàng sau {result.seconds:.1f} giây "
          f"({result.articles} bài): http://127.0.0.1:{port}{result.url_path}")
    print("Trang tự tải lại mỗi khi bạn lưu tệp. Nhấn Ctrl+C để dừng.")

    def built(again):
        print(f"Đã cập nhật sau {again.seconds:.2f} giây; trang đang mở sẽ tự tải lại.", flush=True)

    def failed(error):
        print(f"{error}\nTrang xem trước giữ bản trước; sửa lỗi rồi lưu lại tệp.", file=sys.stderr, flush=True)

    stop = threading.Event()
    watcher = threading.Thread(target=session.watch, args=(built, failed, stop), daemon=True)
    watcher.start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.server_close()


@task(name="bench-preview", help={"articles": "articles in the synthetic site", "saves": "saves to time"})
def bench_preview(c, articles=10000, saves=5):
    """Seconds from saving an article to its new page, in a warm preview of a large site."""
    from cityportal.bench.preview import report

    print(report(ROOT, int(articles), int(saves)))


@task(name="bench-serve", help={"articles": "articles in the synthetic site", "saves": "saves to time",
                                "keep": "keep the site, its output and caches in this folder (and start from them)"})
def bench_serve(c, articles=10000, saves=5, keep=""):
    """Seconds from saving an article's body to its new page, and to the end of the rebuild, in invoke serve."""
    from cityportal.bench.serve import report

    report(ROOT, int(articles), int(saves), keep or None)
