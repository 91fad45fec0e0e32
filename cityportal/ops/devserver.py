"""The local dev server of `invoke serve`: static files from output/, /api/ handed to
local services, and output/ kept current whenever an editor saves a file.

A save that changes only the bodies of existing articles is rendered at once by the
resident site, which holds the whole site in memory (resident.py): those pages are in
output/ a fraction of a second later. The full incremental build then runs in the
background and settles everything else (listings, feeds, the search index, the .gz and
.br files). Any other change goes straight to the full build, after which a new
resident site is loaded. One build at a time: saves during a build ask for one more
build after it.
"""
from __future__ import annotations

import http.client
import threading
import time
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import watchfiles
from pelican.settings import read_settings

from cityportal import PROJECT_ROOT
from cityportal.build import build_site
from cityportal.ops.resident import ResidentSite, SiteSources
from cityportal.problems import ContentError, Problem
from cityportal.text import vn_number

API_PREFIX = "/api/"
# How long stopping waits for the watcher and builder threads (both are daemons).
STOP_WAIT_SECONDS = 2.0
API_BACKEND = ("127.0.0.1", 8001)
# Never passed on from the client: the feedback service believes X-Forwarded-For
# from this proxy, so a client's own copy (in any spelling or number) would let
# it pick its address and step round the rate limit. nginx does the same with
# `proxy_set_header X-Forwarded-For $remote_addr`.
CLIENT_FORWARDING = ("forwarded", "x-real-ip", "x-client-ip", "true-client-ip", "client-ip",
                     "cf-connecting-ip", "via")
HOP_BY_HOP = ("host", "connection", "keep-alive", "proxy-connection", "te", "upgrade",
              "transfer-encoding")


def forwarded_headers(received, client: str) -> list[tuple[str, str]]:
    """The request headers to pass to the service: the client's forwarding
    headers dropped, then the one address this proxy saw."""
    kept = [(name, value) for name, value in received.items()
            if name.lower() not in HOP_BY_HOP and name.lower() not in CLIENT_FORWARDING
            and not name.lower().startswith("x-forwarded-")]
    return kept + [("X-Forwarded-For", client)]


class PreviewHandler(SimpleHTTPRequestHandler):
    backend = API_BACKEND

    def _proxy(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        connection = http.client.HTTPConnection(*self.backend, timeout=30)
        try:
            connection.putrequest(self.command, self.path, skip_accept_encoding=True)
            for name, value in forwarded_headers(self.headers, self.client_address[0]):
                connection.putheader(name, value)
            if body is not None and "content-length" not in {k.lower() for k in self.headers}:
                connection.putheader("Content-Length", str(len(body)))
            connection.endheaders(body)
            response = connection.getresponse()
            payload = response.read()
        except OSError:
            # The reason phrase must be latin-1; the explanation goes in the body, in UTF-8.
            self.send_error(502, "Bad Gateway", "Dịch vụ góp ý chưa chạy")
            return
        self.send_response(response.status)
        for key, value in response.getheaders():
            if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self):
        if self.path.startswith(API_PREFIX):
            return self._proxy()
        return super().do_GET()

    def do_POST(self):
        if self.path.startswith(API_PREFIX):
            return self._proxy()
        self.send_error(405)

    def send_error(self, code, message=None, explain=None):
        not_found = Path(self.directory) / "404.html"
        if code == 404 and not_found.exists():
            body = not_found.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().send_error(code, message, explain)


def rebuild_quietly(rebuild) -> bool:
    """Run one rebuild for a server that must keep serving: a half-written article
    prints its `file:line: lỗi:` lines (the build does that), then one line here, never
    a traceback. True when the build succeeded."""
    try:
        rebuild()
    except (Exception, SystemExit) as error:  # invoke's Exit and a build's SystemExit alike
        detail = str(getattr(error, "message", None) or "").strip()
        print(f"Bản dựng lỗi{': ' + detail if detail else ' (xem các dòng lỗi ở trên)'}; "
              "trang cũ vẫn được phục vụ, lưu lại tệp để dựng lại.", flush=True)
        return False
    return True


def quick_candidates(changes, article_dirs: list[Path]) -> list[Path] | None:
    """The article files a burst of changes touched, when it touched nothing else: their
    pages may be rendered at once. None when anything else changed: only the full build
    follows that. A file that came and went within the burst (vim's test file "4913")
    changed nothing, so a burst of only such files gives []."""
    seen: dict[Path, set] = {}
    for change, name in changes:
        seen.setdefault(Path(name), set()).add(change)
    articles = []
    for path, kinds in sorted(seen.items()):
        if not path.exists():
            if watchfiles.Change.added in kinds:
                continue
            return None
        if path.suffix != ".md" or not path.is_file() or not any(path.is_relative_to(folder)
                                                                  for folder in article_dirs):
            return None
        articles.append(path)
    return articles


@dataclass
class Step:
    """Something the dev site did, for the benchmark and the tests."""

    kind: str  # "quick" (pages rendered at once), "refused" (errors), "build" or "load" (a resident site)
    started: float  # time.perf_counter()
    ended: float
    ok: bool = True
    pages: tuple[str, ...] = ()  # a quick step's pages
    seconds: dict[str, float] = field(default_factory=dict)  # a build's, step by step (build_site)


class DevSite:
    """output/ kept current: quick pages from the resident site, then the full build in
    the background, one build at a time."""

    def __init__(self, sources: SiteSources, quiet: bool = False):
        self.sources = sources
        self.quiet = quiet  # the benchmark's: builds print only their errors
        settings = read_settings(str(sources.settings_file), override=sources.extra_settings)
        self.article_dirs = [(sources.content / folder).resolve() for folder in settings["ARTICLE_PATHS"]]
        self.watched = [path for path in (sources.content.resolve(), Path(settings["THEME"]),
                                          PROJECT_ROOT / "plugins", sources.settings_file)
                        if path.exists()]
        self.steps: list[Step] = []
        self._condition = threading.Condition()
        self._build_wanted = False
        self._busy: str | None = None  # "build" or "load" while the builder does it
        self._last_build_ok = True
        # Every change the resident site cannot follow counts one; a resident site is
        # fresh while no such change came after the start of its load.
        self._generation = 0
        self._resident: ResidentSite | None = None
        self._resident_generation: int | None = None
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._loading = None  # the resident process being loaded, if any

    # -- the full build ------------------------------------------------------------------
    def build(self) -> Step:
        """One full build, now, in this thread (the dev server's first)."""
        started, seconds = time.perf_counter(), {}
        ok = rebuild_quietly(partial(self._build, seconds))
        step = Step("build", started, time.perf_counter(), ok, seconds=seconds)
        with self._condition:
            self._last_build_ok = ok
            self.steps.append(step)
            self._condition.notify_all()
        return step

    def _build(self, seconds: dict) -> None:
        sources = self.sources
        result = build_site(sources.output, sources.settings_file, sources.content,
                            extra_settings=sources.extra_settings, capture=self.quiet, seconds=seconds)
        if not result.ok:
            if self.quiet:
                print((result.stdout or "") + (result.stderr or ""), end="", flush=True)
            raise SystemExit(result.returncode)
        if not self.quiet:
            print(result.summary(), flush=True)

    def _want_build(self) -> None:
        with self._condition:
            self._build_wanted = True
            self._condition.notify_all()

    def _resident_due(self) -> bool:
        return self._last_build_ok and self._resident_generation != self._generation

    def _builder(self) -> None:
        """Builds and resident loads, one at a time: a load never reads the content cache
        while a build writes it, and a build asked for during another runs after it."""
        while True:
            with self._condition:
                self._condition.wait_for(lambda: self._stopping.is_set() or self._build_wanted
                                         or self._resident_due())
                if self._stopping.is_set():
                    return
                task = "build" if self._build_wanted else "load"
                self._build_wanted = False
                self._busy = task
                generation = self._generation
                self._condition.notify_all()
            if task == "build":
                step = self.build()
                if step.ok and not self.quiet:
                    print(f"Đã dựng lại xong trang web ({step.ended - step.started:.1f} giây).", flush=True)
            else:
                self._load(generation)
            with self._condition:
                self._busy = None
                self._condition.notify_all()

    # -- the resident site -----------------------------------------------------------------
    def _load(self, generation: int) -> None:
        with self._condition:
            old, self._resident = self._resident, None
        if old is not None:
            old.close()
        started = time.perf_counter()
        resident = ResidentSite.load(self.sources, started=self._loading_started)
        with self._condition:
            self._loading = None
            if self._stopping.is_set() and resident is None:
                return  # ended by stop(): nothing to report
            self._resident, self._resident_generation = resident, generation
            self.steps.append(Step("load", started, time.perf_counter(), resident is not None))
        if resident is None:
            print(f"Không giữ được trang web trong bộ nhớ (xem {self.sources.cache / 'resident.log'}); "
                  "mỗi lần lưu sẽ dựng lại toàn bộ.", flush=True)
        elif not self.quiet:
            print(f"Trang web đã nằm trong bộ nhớ ({vn_number(resident.articles)} bài, {resident.seconds:.1f} giây): "
                  "sửa nội dung một bài, trang của bài được cập nhật ngay.", flush=True)

    def _loading_started(self, process) -> None:
        with self._condition:
            self._loading = process
            stopping = self._stopping.is_set()
        if stopping:
            process.terminate()

    @property
    def resident(self) -> ResidentSite | None:
        """The resident site loaded last, if it loaded."""
        return self._resident

    def _fresh_resident(self) -> ResidentSite | None:
        """The resident site when it may render pages: loaded after the last change it
        cannot follow. A load under way is waited for: it may well be fresh."""
        with self._condition:
            self._condition.wait_for(lambda: self._busy != "load" or self._stopping.is_set())
            if self._resident_generation == self._generation:
                return self._resident
            return None

    # -- saves -----------------------------------------------------------------------------
    def changed(self, changes) -> None:
        """One burst of changes from the watcher."""
        noticed = time.perf_counter()
        articles = quick_candidates(changes, self.article_dirs)
        if articles == []:
            return
        resident = self._fresh_resident() if articles else None
        answer = resident.render(articles) if resident is not None else None
        if answer is not None and "problems" in answer:
            problems = [Problem(Path(path), line, level, message)
                        for path, line, level, message in answer["problems"]]

            def refuse():
                raise ContentError(problems, self.sources.settings_file.parent)

            rebuild_quietly(refuse)  # the full build would stop on the same errors
            with self._condition:
                self.steps.append(Step("refused", noticed, time.perf_counter(), ok=False))
                self._condition.notify_all()
            return
        if answer is None or "full" in answer:
            with self._condition:
                self._generation += 1
        else:
            if answer["log"].strip():
                print(answer["log"].rstrip(), flush=True)
            with self._condition:
                self.steps.append(Step("quick", noticed, time.perf_counter(), pages=tuple(answer["pages"])))
                self._condition.notify_all()
            if not self.quiet:
                print(f"Đã cập nhật {', '.join('/' + page for page in answer['pages'])} sau "
                      f"{time.perf_counter() - noticed:.2f} giây; "
                      "phần còn lại của trang web đang được dựng lại.", flush=True)
        self._want_build()

    def _watch(self) -> None:
        """Hand each burst of saves to `changed`; the kernel reports changes, nothing is polled."""
        for changes in watchfiles.watch(*self.watched, stop_event=self._stopping, raise_interrupt=False):
            self.changed(changes)

    # -- running ---------------------------------------------------------------------------
    def start(self) -> None:
        for target in (self._watch, self._builder):
            thread = threading.Thread(target=target, daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        """Stop watching and end a load of the resident site (it only fills memory). A
        build under way is not waited for: stopping must be prompt (SIGTERM, a closed
        terminal). Its Pelican step may finish on its own; either way the next build
        runs in full, since a build records its input stamp only once it has ended."""
        self._stopping.set()
        with self._condition:
            if self._busy == "load" and self._loading is not None:
                self._loading.terminate()
            self._condition.notify_all()
        for thread in self._threads:
            thread.join(timeout=STOP_WAIT_SECONDS)
        if self._resident is not None:
            self._resident.close()

    def settled_after(self, since: float, timeout: float) -> Step | None:
        """Wait until a build started after `since` has finished and nothing else is due;
        that build, or None when `timeout` seconds passed first."""
        def settled():
            return (not self._build_wanted and self._busy is None and not self._resident_due()
                    and any(step.kind == "build" and step.started >= since for step in self.steps))

        with self._condition:
            if not self._condition.wait_for(settled, timeout):
                return None
            return [step for step in self.steps if step.kind == "build"][-1]

    def step_after(self, kind: str, since: float, timeout: float) -> Step | None:
        """The first step of `kind` that started after `since`, once it has ended; None
        when `timeout` seconds passed first."""
        def found():
            return next((step for step in self.steps if step.kind == kind and step.started >= since), None)

        with self._condition:
            return self._condition.wait_for(found, timeout)

    def building(self, timeout: float) -> bool:
        """Wait until a full build is under way."""
        with self._condition:
            return self._condition.wait_for(lambda: self._busy == "build", timeout)

    def resident_ready(self, timeout: float) -> bool:
        """Wait until a fresh resident site is loaded."""
        with self._condition:
            return self._condition.wait_for(
                lambda: self._resident is not None and self._resident_generation == self._generation, timeout)


class DevServer:
    """output/ over HTTP on 127.0.0.1, with /api/ handed to the local services, while a
    DevSite keeps it current."""

    def __init__(self, site: DevSite, port: int, api_port: int = API_BACKEND[1]):
        attributes = {"backend": ("127.0.0.1", api_port)}
        if site.quiet:
            attributes["log_message"] = lambda self, format, *args: None
        handler = type("Handler", (PreviewHandler,), attributes)
        self.site = site
        self.http = ThreadingHTTPServer(("127.0.0.1", port), partial(handler, directory=str(site.sources.output)))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http.server_address[1]}"

    def start(self) -> None:
        self.site.start()
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.http.shutdown()
        self.http.server_close()
        self.site.stop()
