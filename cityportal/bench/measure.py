"""The one way every benchmark measures a command: wall time and peak resident memory.

Peak memory is the largest VmHWM of any process in the command's own session, sampled
while it runs. VmHWM starts afresh at exec, so the figure never includes the benchmark
driver it was forked from (getrusage's ru_maxrss does), and forked workers such as
Pelican's are counted too.
"""
from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

SAMPLE_SECONDS = 0.02


@dataclass
class Measurement:
    seconds: float
    peak_mb: float
    output: str


def _high_water_kib(status: Path) -> int:
    """VmHWM of the process whose /proc status file this is (0 when it has ended)."""
    try:
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass  # the process ended while we looked
    return 0


def _session_high_water_kib(session: int) -> int:
    peak = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            if os.getsid(int(status.parent.name)) != session:
                continue
        except (OSError, ValueError):
            continue  # the process ended while we looked
        peak = max(peak, _high_water_kib(status))
    return peak


def process_peak_mb(pid: int) -> float:
    """Peak resident memory so far of one running process, such as a server the
    benchmark started rather than ran to its end."""
    return _high_water_kib(Path("/proc") / str(pid) / "status") / 1024


def measure(command: list[str], cwd: Path | None = None, env: dict | None = None,
            check: bool = True) -> Measurement:
    """Run `command` to its end; raise on a non-zero exit when `check` is set."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, start_new_session=True)
    peak_kib = 0
    chunks = []
    os.set_blocking(process.stdout.fileno(), False)
    while process.poll() is None:
        peak_kib = max(peak_kib, _session_high_water_kib(process.pid))
        chunks.append(process.stdout.read() or b"")
        time.sleep(SAMPLE_SECONDS)
    elapsed = time.perf_counter() - started
    chunks.append(process.stdout.read() or b"")
    output = b"".join(chunks).decode("utf-8", "replace")
    if check and process.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, command))} failed ({process.returncode}):\n"
                           f"{output[-4000:]}")
    return Measurement(seconds=elapsed, peak_mb=peak_kib / 1024, output=output)
