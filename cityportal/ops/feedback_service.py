"""Running the service as its own process: for `invoke serve` and the load test.

`start()` is what the preview server calls: it starts `python -m
cityportal.feedback` on 127.0.0.1:8001 with the database of FEEDBACK_DATABASE
(data/feedback.sqlite) unless a service already answers there, and stops it
when the caller exits. On Linux the child also gets SIGTERM from the kernel if
its parent dies without stopping it (even by SIGKILL), so no service is left
behind holding the port and the database.
"""
from __future__ import annotations

import atexit
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from cityportal import PROJECT_ROOT
from cityportal.feedback.settings import Settings, from_env

PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:  # runs in the child between fork and exec
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass  # not Linux: the parent's own signal handlers still stop it


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


class ServiceProcess:
    def __init__(self, database: Path, port: int, env: dict | None = None):
        self.database = Path(database)
        self.port = port
        self.env = {**os.environ, "FEEDBACK_DATABASE": str(self.database),
                    "FEEDBACK_PORT": str(port), **(env or {})}
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 20) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "cityportal.feedback"], cwd=PROJECT_ROOT,
                                        env=self.env, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, preexec_fn=_die_with_parent)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("feedback service exited: " + self.process.stderr.read().decode())
            if _answers(self.port):
                return
            time.sleep(0.05)
        raise RuntimeError(f"feedback service did not start within {timeout:.0f} s")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
        if self.process and self.process.stderr:
            self.process.stderr.close()


def start(database: Path | None = None, port: int = Settings.port) -> ServiceProcess | None:
    """Start the service for local preview; None when one is already running."""
    if _answers(port):
        return None
    service = ServiceProcess(database or from_env().database, port)
    service.start()
    atexit.register(service.stop)
    return service
