"""`invoke bench-stats`: ingest speed and memory against GoAccess on one generated log.

Both tools run pinned to one CPU core (when taskset exists) on the same file, so the
figures compare like with like. The log is generated once and reused.
"""
import json
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timezone
from pathlib import Path

from .synthetic_log import write_log

BENCH_LINES = 1_000_000
# Other jobs share this machine's cores: the best of a few runs is the stable figure.
RUNS = 3
BENCH_START = date(2026, 11, 1)
VISITORS_PER_DAY = 5000


def bench_log(directory, lines=BENCH_LINES):
    """The benchmark log with exactly ``lines`` lines, generated on first use."""
    path = Path(directory) / f"access-{lines}.log"
    if not path.exists():
        partial = path.with_suffix(".partial")
        with open(partial, "w", encoding="utf-8") as stream:
            write_log(stream, BENCH_START, None, VISITORS_PER_DAY, max_lines=lines)
        partial.rename(path)
    return path


def _pinned(command):
    return ["taskset", "-c", "0", *command] if shutil.which("taskset") else command


def measure_ingest(log_path):
    """Run in a fresh process: ingest into a new database, print seconds and peak RSS."""
    from . import store
    from .ingest import ingest

    with tempfile.TemporaryDirectory() as scratch:
        with store.connect(Path(scratch) / "bench.sqlite") as connection:
            started = time.perf_counter()
            result = ingest(connection, log_path, datetime.now(timezone.utc))
            seconds = time.perf_counter() - started
    print(json.dumps({"lines": result.lines, "seconds": seconds, "peak_kib": _high_water_kib("self")}))


def _high_water_kib(pid) -> int:
    """The peak RSS of this process image alone.

    getrusage's ru_maxrss is not: an exec'd child inherits the peak of the parent it was
    forked from, so every figure would read at least the benchmark driver's own size.
    """
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def _best(measure, log_path):
    runs = [measure(log_path) for _ in range(RUNS)]
    return None if runs[0] is None else min(runs, key=lambda figures: figures["seconds"])


def _ours(log_path):
    plugins = str(Path(__file__).resolve().parent.parent)
    command = _pinned([sys.executable, "-c",
                       f"import sys; sys.path.insert(0, {plugins!r}); "
                       "from access_stats.bench import measure_ingest; "
                       f"measure_ingest({str(log_path)!r})"])
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.splitlines()[-1])


def _goaccess(log_path):
    goaccess = shutil.which("goaccess")
    if goaccess is None:
        return None
    with tempfile.TemporaryDirectory() as scratch:
        command = _pinned([goaccess, str(log_path), "--log-format=COMBINED",
                           "--no-global-config", "--no-progress", "-o", f"{scratch}/report.json"])
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        peak_kib = 0
        while process.poll() is None:
            try:
                peak_kib = _high_water_kib(process.pid)  # grows monotonically until exit
            except (OSError, ValueError):
                pass
            time.sleep(0.02)
        seconds = time.perf_counter() - started
        if process.returncode:
            raise subprocess.CalledProcessError(process.returncode, command)
    return {"lines": BENCH_LINES, "seconds": seconds, "peak_kib": peak_kib}


def _row(name, figures):
    rate = figures["lines"] / figures["seconds"]
    return (f"{name:<22}{figures['lines']:>10,}{figures['seconds']:>10.2f} s"
            f"{rate:>14,.0f} lines/s{figures['peak_kib'] / 1024:>10.1f} MiB")


def run(directory, stream=sys.stdout):
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    full = bench_log(directory)
    quarter = bench_log(directory, BENCH_LINES // 4)
    print(f"log: {full} ({full.stat().st_size / 1e6:.0f} MB), one core each, "
          f"best of {RUNS} runs", file=stream)
    goaccess = _best(_goaccess, full)
    print(f"{'':<22}{'lines':>10}{'time':>12}{'speed':>22}{'peak RSS':>14}", file=stream)
    if goaccess is None:
        print("goaccess: not installed, no baseline", file=stream)
    else:
        print(_row("goaccess 1M (baseline)", goaccess), file=stream)
    print(_row("access_stats 250k", _best(_ours, quarter)), file=stream)
    print(_row("access_stats 1M", _best(_ours, full)), file=stream)
