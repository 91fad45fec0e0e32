"""The tracking code by email, through a real SMTP conversation on loopback."""
from __future__ import annotations

import email
import email.policy
import socketserver
import threading
import time

import pytest

from tests.feedback.service import LiveService, make_settings


class SmtpSink(socketserver.ThreadingTCPServer):
    """Just enough of SMTP (RFC 5321) to accept mail and keep it for the test."""

    allow_reuse_address = True
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _SmtpSession)
        self.messages: list[tuple[list[str], bytes]] = []


class _SmtpSession(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        recipients: list[str] = []
        self.reply("220 sink ESMTP")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            verb = line.decode("ascii", "replace").strip().split(" ")[0].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250-sink")
                self.reply("250 8BITMIME")
            elif verb == "MAIL":
                recipients = []
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(line.decode().split(":", 1)[1].strip().strip("<>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 end with .")
                data = bytearray()
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk[1:] if chunk.startswith(b"..") else chunk
                self.server.messages.append((recipients, bytes(data)))
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 OK")


@pytest.fixture
def smtp_sink():
    sink = SmtpSink()
    thread = threading.Thread(target=sink.serve_forever, daemon=True)
    thread.start()
    yield sink
    sink.shutdown()
    sink.server_close()


def wait_for(predicate, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def test_tracking_code_is_emailed_when_smtp_is_configured(tmp_path, smtp_sink):
    settings = make_settings(tmp_path, smtp_host="127.0.0.1", smtp_port=smtp_sink.server_address[1],
                             smtp_sender="gop-y@songlam.example", site_url="https://songlam.example")
    live = LiveService(settings).start()
    try:
        reply = live.submit()
        assert reply.status == 201
        code = reply.json["ma"]
        assert wait_for(lambda: smtp_sink.messages)
    finally:
        live.stop()
    recipients, raw = smtp_sink.messages[0]
    assert recipients == ["an.nguyen@example.vn"]
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["Subject"] == f"Mã theo dõi ý kiến của bạn: {code}"
    body = message.get_content()
    assert code in body
    assert f"https://songlam.example/gop-y/tra-cuu/?ma={code}" in body


def test_a_dead_mail_server_costs_the_email_not_the_submission(tmp_path, smtp_sink):
    port = smtp_sink.server_address[1]
    smtp_sink.shutdown()
    smtp_sink.server_close()
    live = LiveService(make_settings(tmp_path, smtp_host="127.0.0.1", smtp_port=port)).start()
    try:
        reply = live.submit()
        assert reply.status == 201
        assert live.rows() == 1
    finally:
        live.stop()
