"""The local preview server: static files from output/, /api/ handed to local services,
and a rebuild whenever an editor saves a file."""
import http.client
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import watchfiles

WATCHED = ("content", "theme", "plugins", "pelicanconf.py")
API_PREFIX = "/api/"
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


def _watch(root: Path, rebuild):
    """Rebuild after each burst of saves; the kernel reports changes, nothing is polled."""
    for _changes in watchfiles.watch(*(root / name for name in WATCHED if (root / name).exists())):
        rebuild_quietly(rebuild)


def serve_with_rebuild(root: Path, output: Path, port: int, rebuild, api_port: int = API_BACKEND[1]):
    threading.Thread(target=_watch, args=(root, rebuild), daemon=True).start()
    handler_class = type("Handler", (PreviewHandler,), {"backend": ("127.0.0.1", api_port)})
    handler = partial(handler_class, directory=str(output))
    with ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        print(f"Cổng thông tin đang chạy tại http://localhost:{port}/ (Ctrl+C để dừng)")
        server.serve_forever()
