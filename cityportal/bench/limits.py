"""What the submission limits mean for a carrier's shared address and for a
script (`invoke bench-feedback-limits`).

Two measured speeds, then the service's own `Limits` over one simulated hour:
- how fast a script computes the proof of work (SHA-256 of salt + n, the loop of
  the load test, in CPython) and how fast the browser does it (the solver of
  theme/static/js/feedback.js in Debian's Chromium, when installed);
- honest people behind one address, arriving at random (100 and 200 an hour),
  each fetching a challenge when the form opens and sending two minutes later;
- one script sending as fast as its proof of work allows, at the measured speed
  and at 10, 100 and 1,000 times it (native code, many cores, a GPU).

The simulation charges each solve its expected cost, half the range of n; it
needs no clock, so `tests/feedback/test_limits.py` runs it too, with fixed speeds.
"""
from __future__ import annotations

import hashlib
import random
import statistics
import time
from collections import deque
from dataclasses import dataclass

from cityportal import PROJECT_ROOT
from cityportal.feedback.captcha import POW, Ticket
from cityportal.feedback.limits import MINUTE_WEIGHT, ChallengeTooEasy, LimitReached, Limits, Recent
from cityportal.feedback.settings import Settings

TYPING_SECONDS = 120
NETWORK_SECONDS = 0.05


class _History:
    """Accepted submissions of one address, as the store counts them."""

    def __init__(self):
        self.times: deque[float] = deque()

    def recent(self, now: float) -> Recent:
        while self.times and self.times[0] <= now - 3600:
            self.times.popleft()
        past = [t for t in self.times if t <= now]
        return Recent(len(past), sum(t > now - 60 for t in past), 0)


@dataclass
class HonestResult:
    per_hour: int
    sent: int
    retried: int  # sent a second time: a new challenge, or after a minute's wait
    refused: int  # refused even the second time
    hashes: list[float]  # expected digests of each accepted person's challenges

    def seconds(self, rate: float, quantile: float) -> float:
        ordered = sorted(self.hashes)
        return ordered[min(len(ordered) - 1, int(quantile * len(ordered)))] / rate


def honest(limits: Limits, per_hour: int, *, hours: int = 6, seed: int = 1) -> HonestResult:
    """People at random times; each challenge is fetched TYPING_SECONDS before sending."""
    rng = random.Random(seed)
    history = _History()
    arrivals, t = [], 0.0
    while t < hours * 3600:
        t += rng.expovariate(per_hour / 3600)
        arrivals.append(t)
    sent = retried = refused = 0
    hashes = []
    for send_at in sorted(arrivals):
        fetched_at = max(0.0, send_at - TYPING_SECONDS)
        difficulty = limits.difficulty(history.recent(fetched_at).volume)
        work = difficulty / 2
        sent += 1
        try:
            limits.check(history.recent(send_at), Ticket("x", 0, POW, difficulty))
        except (LimitReached, ChallengeTooEasy) as refusal:
            # The page fetches a new challenge (or the person waits as told)
            # and sends again.
            retried += 1
            if isinstance(refusal, LimitReached):
                send_at += refusal.retry_after
            difficulty = limits.difficulty(history.recent(send_at).volume)
            work += difficulty / 2
            send_at += difficulty / 2 / 50_000
            try:
                limits.check(history.recent(send_at), Ticket("x", 0, POW, difficulty))
            except (LimitReached, ChallengeTooEasy):
                refused += 1
                continue
        history.times.append(send_at)
        history.times = deque(sorted(history.times))
        if send_at >= 3600:  # the first hour warms the window up
            hashes.append(work)
    return HonestResult(per_hour, sent, retried, refused, hashes)


@dataclass
class ScriptResult:
    hash_rate: float
    per_minute: list[int]

    @property
    def total(self) -> int:
        return sum(self.per_minute)

    @property
    def first_minute(self) -> int:
        return self.per_minute[0]

    @property
    def busiest_minute(self) -> int:
        return max(self.per_minute)

    def minutes_to(self, count: int) -> int | None:
        total = 0
        for minute, sent in enumerate(self.per_minute):
            total += sent
            if total >= count:
                return minute + 1
        return None

    @property
    def last_ten_minutes_rate(self) -> float:
        return sum(self.per_minute[-10:]) / 10


def script(limits: Limits, hash_rate: float, *, seconds: int = 3600) -> ScriptResult:
    """One script at one address: fetch, solve, send, again, as fast as it can."""
    history = _History()
    t = 0.0
    per_minute = [0] * (seconds // 60)
    while True:
        difficulty = limits.difficulty(history.recent(t).volume)
        t += difficulty / 2 / hash_rate + NETWORK_SECONDS
        if t >= seconds:
            break
        try:
            limits.check(history.recent(t), Ticket("x", 0, POW, difficulty))
        except LimitReached as reached:
            t += reached.retry_after
            continue
        except ChallengeTooEasy:
            continue
        history.times.append(t)
        per_minute[int(t // 60)] += 1
    return ScriptResult(hash_rate, per_minute)


def python_hash_rate(seconds: float = 1.0) -> float:
    """Digests per second of the load test's solver loop in CPython."""
    salt = "8f1c2a9d0b7e4f3a6c5d?expires=1&d=1&"
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        for number in range(count, count + 20_000):
            hashlib.sha256(f"{salt}{number}".encode()).hexdigest()
        count += 20_000
    return count / (time.perf_counter() - started)


def browser_hash_rate(digests: int = 300_000) -> float | None:
    """Digests per second of feedback.js's solver in Debian's Chromium, or None."""
    import shutil

    if not shutil.which("/usr/bin/chromium"):
        return None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    import threading
    from functools import partial
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    source = (PROJECT_ROOT / "theme" / "static" / "js" / "feedback.js").read_text(encoding="utf-8")
    start = source.index("  var encoder")
    end = source.index("  function element(")
    solver = source[start:end]

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    # WebCrypto needs a secure context: http://127.0.0.1 is one.
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(PROJECT_ROOT / "theme")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    salt = "8f1c2a9d0b7e4f3a6c5d?expires=1&"
    challenge = {"algorithm": "SHA-256", "salt": salt, "maxNumber": digests, "signature": "",
                 # the last number: the solver computes every digest
                 "challenge": hashlib.sha256(f"{salt}{digests}".encode()).hexdigest()}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                 args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/")
            seconds = page.evaluate("async (challenge) => {" + solver + """
                var started = performance.now();
                var found = await solveProofOfWork(challenge);
                if (!found) throw new Error("not solved");
                return (performance.now() - started) / 1000;
            }""", challenge)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return (digests + 1) / seconds


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    return f"{seconds / 60:.1f} min"


def report(settings: Settings | None = None, *, measure_browser: bool = True) -> str:
    settings = settings or Settings()
    limits = Limits.from_settings(settings)
    script_rate = python_hash_rate()
    browser_rate = browser_hash_rate() if measure_browser else None
    lines = [
        "Limits (Settings defaults): proof of work "
        f"{limits.pow_base:,} × 2^(volume / {limits.pow_doubling}), at most {limits.pow_ceiling:,}; "
        f"volume = last hour + {MINUTE_WEIGHT} × last minute; backstops {limits.per_minute}/min, "
        f"{limits.per_hour}/h per address, text question {limits.questions_per_hour}/h",
        f"script speed, CPython hashlib      {script_rate:>12,.0f} digests/s",
        ("browser speed, feedback.js         " + (f"{browser_rate:>12,.0f} digests/s" if browser_rate
                                                   else "  (Chromium not installed)")),
        "",
        "Honest people behind one address (random arrivals, 6 simulated hours, the first not counted):",
        "  per hour   sent twice   refused   work per person: median   95th %    max",
    ]
    rates = [("browser", browser_rate)] if browser_rate else []
    for per_hour in (100, 200):
        result = honest(limits, per_hour)
        median = statistics.median(result.hashes)
        p95 = sorted(result.hashes)[int(0.95 * len(result.hashes))]
        lines.append(f"  {per_hour:>8}   {result.retried:>4} of {result.sent:<4} {result.refused:>7}   "
                     f"{median:>14,.0f}   {p95:>10,.0f}   {max(result.hashes):>11,.0f} digests")
        for name, rate in rates:
            lines.append(f"  {'':>8}   {'':>12} {'':>7}   {_duration(median / rate):>14}   "
                         f"{_duration(p95 / rate):>10}   {_duration(max(result.hashes) / rate):>11} in the {name}")
    lines += ["",
              "One script at one address, sending as fast as it can for an hour:",
              "  speed (digests/s)        first minute   busiest minute   whole hour   hourly backstop reached"]
    for factor in (1, 10, 100, 1000):
        result = script(limits, script_rate * factor)
        lines.append(f"  {script_rate * factor:>14,.0f} (×{factor:<4}) {result.first_minute:>10}"
                     f"   {result.busiest_minute:>14}   {result.total:>10}   "
                     + (f"after {result.minutes_to(limits.per_hour)} min"
                        if result.minutes_to(limits.per_hour) else "never"))
    return "\n".join(lines)


def main() -> None:
    print(report())


if __name__ == "__main__":
    main()

