"""Headless Chromium driven over its DevTools pipe, with nothing listening in the page.

Playwright enables the Network domain on every page it opens: the renderer then reports
each request, with its initiator's stack, on its main thread. With a 4x CPU slowdown
that costs several milliseconds per request, which a reader's phone does not pay. Timed
runs therefore go through this client, which enables no domain at all: it only sets the
slowdown, navigates and evaluates expressions.

Messages are JSON, each ended by a NUL byte, written to the browser's fd 3 and read
from its fd 4 (`--remote-debugging-pipe`).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from contextlib import contextmanager

from cityportal.ops.screenshots import CHROMIUM, CHROMIUM_ARGS


class DevTools:
    def __init__(self):
        commands_read, self._commands = os.pipe()
        self._replies, replies_write = os.pipe()
        self._profile = tempfile.mkdtemp(prefix="portal-chromium-")

        def pipes_at_3_and_4():
            os.dup2(commands_read, 3)
            os.dup2(replies_write, 4)

        self._process = subprocess.Popen(
            [CHROMIUM, *CHROMIUM_ARGS, "--headless=new", "--remote-debugging-pipe",
             f"--user-data-dir={self._profile}", "about:blank"],
            pass_fds=(3, 4, commands_read, replies_write), preexec_fn=pipes_at_3_and_4,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(commands_read)
        os.close(replies_write)
        self._last_id = 0
        self._pending = b""

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        """Send one command and return its result; events met on the way are dropped."""
        self._last_id += 1
        message = {"id": self._last_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        while True:
            while b"\0" not in self._pending:
                chunk = os.read(self._replies, 1 << 16)
                if not chunk:
                    raise ConnectionError("Chromium closed its DevTools pipe")
                self._pending += chunk
            raw, self._pending = self._pending.split(b"\0", 1)
            reply = json.loads(raw)
            if reply.get("id") == self._last_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]

    @contextmanager
    def page(self, url: str, cpu_slowdown: float = 1):
        """A page in a fresh browser context (an empty cache) that starts loading `url`
        once the slowdown is set; yields an evaluate(expression) function."""
        context = self.send("Target.createBrowserContext")["browserContextId"]
        target = self.send("Target.createTarget", {"url": "about:blank", "browserContextId": context})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        try:
            self.send("Emulation.setCPUThrottlingRate", {"rate": cpu_slowdown}, session)
            self.send("Page.navigate", {"url": url}, session)

            def evaluate(expression: str):
                answer = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session)
                return answer["result"].get("value")

            yield evaluate
        finally:
            self.send("Target.closeTarget", {"targetId": target})
            self.send("Target.disposeBrowserContext", {"browserContextId": context})

    def close(self) -> None:
        os.close(self._commands)
        os.close(self._replies)
        self._process.terminate()
        try:
            self._process.wait(10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        shutil.rmtree(self._profile, ignore_errors=True)


@contextmanager
def devtools():
    browser = DevTools()
    try:
        yield browser
    finally:
        browser.close()


def wait_for(evaluate, expression: str, timeout: float = 60.0, every: float = 0.05):
    """The first non-empty value of `expression`, polled every `every` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = evaluate(expression)
        if value:
            return value
        time.sleep(every)
    raise TimeoutError(f"{expression} stayed empty for {timeout:.0f} s")
