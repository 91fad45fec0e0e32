"""Load and fault test for the feedback service (`invoke bench-feedback`).

Starts the real service (`python -m cityportal.feedback`) on a loopback port
with its own database, then several client processes each loop for a fixed
time: fetch a challenge, solve the proof of work, submit. Each client stops
early at a bounded count. The captcha is real; only its difficulty is set
low (FEEDBACK_POW_MAX_NUMBER), so the figure measures the service, not SHA-256
in Python. With `kill_at`, the service is killed with SIGKILL part-way and
started again on the same database; requests in flight then fail, but every
code that was acknowledged with 201 must still be in the database.
"""
from __future__ import annotations

import http.client
import json
import multiprocessing
import secrets
import sqlite3
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from cityportal.feedback.captcha import solved_pow
from cityportal.ops.feedback_service import ServiceProcess
from cityportal.ops.local_ports import free_port

ORIGIN = "http://127.0.0.1:8000"
FIELDS = {
    "ho_ten": "Lê Thị Thu Hà",
    "email": "thuha@example.vn",
    "dien_thoai": "0912 345 678",
    "linh_vuc": "moi-truong",
    "tieu_de": "Rác thải tồn đọng tại khu dân cư",
    "noi_dung": "Xin phản ánh rác thải tồn đọng nhiều ngày tại đầu hẻm, đề nghị thu gom.",
    "dong_y": True,
}


@dataclass
class ClientTally:
    accepted: list[str] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    connection_errors: int = 0


@dataclass
class LoadResult:
    seconds: float
    clients: int
    accepted_codes: list[str]
    statuses: dict[int, int]
    connection_errors: int
    rows: int
    missing: list[str]
    restarts: int

    @property
    def accepted(self) -> int:
        return len(self.accepted_codes)

    @property
    def server_errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if status >= 500)

    @property
    def per_second(self) -> float:
        return self.accepted / self.seconds if self.seconds else 0.0


def _client(port: int, deadline: float, max_count: int, queue) -> None:
    tally = ClientTally()
    connection = None
    while time.time() < deadline and len(tally.accepted) < max_count:
        try:
            if connection is None:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", "/api/gop-y/thu-thach")
            reply = connection.getresponse()
            challenge = json.loads(reply.read())["altcha"]
            body = json.dumps({**FIELDS, "altcha": solved_pow(challenge)}, ensure_ascii=False).encode()
            connection.request("POST", "/api/gop-y/gui", body=body, headers={
                "Content-Type": "application/json", "Origin": ORIGIN})
            reply = connection.getresponse()
            answer = reply.read()
            tally.statuses[reply.status] = tally.statuses.get(reply.status, 0) + 1
            if reply.status == 201:
                tally.accepted.append(json.loads(answer)["ma"])
        except (OSError, http.client.HTTPException, ValueError, KeyError):
            # The service was killed or is restarting: this attempt was never
            # acknowledged, so it may or may not be stored. Try again shortly.
            tally.connection_errors += 1
            if connection is not None:
                connection.close()
            connection = None
            time.sleep(0.02)
    queue.put(tally)


def run_load(*, seconds: float, clients: int, max_per_client: int,
             kill_at: float | None = None, workdir: Path | None = None) -> LoadResult:
    with tempfile.TemporaryDirectory(dir=workdir) as scratch:
        database = Path(scratch) / "feedback.sqlite"
        service = ServiceProcess(database, free_port(), env={
            "FEEDBACK_SECRET_KEY": secrets.token_hex(16),
            # One address sends everything here: the limits that hold a script
            # back are measured by `invoke bench-feedback-limits`, not this.
            "FEEDBACK_POW_MAX_NUMBER": "20",
            "FEEDBACK_POW_CEILING": "20",
            "FEEDBACK_RATE_LIMIT_PER_HOUR": str(10**9),
            "FEEDBACK_RATE_LIMIT_PER_MINUTE": str(10**9),
            "FEEDBACK_SMTP_HOST": "",
        })
        service.start()
        restarts = 0
        context = multiprocessing.get_context("spawn")
        queue = context.Queue()
        started = time.time()
        deadline = started + seconds
        workers = [context.Process(target=_client, args=(service.port, deadline, max_per_client, queue))
                   for _ in range(clients)]
        try:
            for worker in workers:
                worker.start()
            if kill_at is not None:
                time.sleep(max(0.0, started + kill_at - time.time()))
                service.kill()
                service.start()
                restarts += 1
            tallies = [queue.get(timeout=seconds + 60) for _ in workers]
            elapsed = time.time() - started
            for worker in workers:
                worker.join(10)
        finally:
            service.stop()
        accepted = [code for tally in tallies for code in tally.accepted]
        statuses: dict[int, int] = {}
        for tally in tallies:
            for status, count in tally.statuses.items():
                statuses[status] = statuses.get(status, 0) + count
        with sqlite3.connect(database) as db:
            stored = {code for (code,) in db.execute("SELECT code FROM submissions")}
        return LoadResult(
            seconds=elapsed,
            clients=clients,
            accepted_codes=accepted,
            statuses=statuses,
            connection_errors=sum(t.connection_errors for t in tallies),
            rows=len(stored),
            missing=[code for code in accepted if code not in stored],
            restarts=restarts,
        )


def report(result: LoadResult, target: float) -> str:
    verdict = "met" if result.per_second >= target else "NOT MET"
    others = ", ".join(f"{status}: {count}" for status, count in sorted(result.statuses.items()))
    lines = [
        f"clients                   {result.clients}",
        f"duration                  {result.seconds:.1f} s",
        f"201 responses             {result.accepted}",
        f"rows in the database      {result.rows}",
        f"acknowledged but missing  {len(result.missing)}",
        f"5xx responses             {result.server_errors}",
        f"responses by status       {others}",
        f"connection errors         {result.connection_errors}",
        f"service restarts (kill -9) {result.restarts}",
        f"submissions/s             {result.per_second:.0f}   (target {target:.0f}: {verdict})",
    ]
    return "\n".join(lines)


def check(result: LoadResult) -> list[str]:
    """What went wrong, if anything: lost acknowledgements, server errors, extra rows."""
    problems = []
    if result.missing:
        problems.append(f"{len(result.missing)} acknowledged submissions are missing")
    if result.server_errors:
        problems.append(f"{result.server_errors} responses were 5xx")
    # After a kill, a request can commit and lose its response: more rows than
    # acknowledgements is then expected, fewer never is.
    if result.restarts == 0 and result.rows != result.accepted:
        problems.append(f"{result.rows} rows for {result.accepted} responses 201")
    if result.rows < result.accepted:
        problems.append(f"only {result.rows} rows for {result.accepted} responses 201")
    return problems
