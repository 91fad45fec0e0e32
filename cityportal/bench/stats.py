"""`invoke bench-stats`: ingest speed and memory against GoAccess on one generated log.

Both tools run pinned to one CPU core (when taskset exists) on the same file, so the
figures compare like with like. The log is generated once and reused.
"""
import shutil
import sys
import tempfile
from datetime import date, datetime, timezone
from pathlib import Path

from cityportal.bench.measure import measure
from cityportal.stats.synthetic_log import write_log

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


def ingest_once(log_path):
    """Run in a fresh process: ingest into a new database and print the line count."""
    from cityportal.stats import store
    from cityportal.stats.ingest import ingest

    with tempfile.TemporaryDirectory() as scratch:
        with store.connect(Path(scratch) / "bench.sqlite") as connection:
            result = ingest(connection, log_path, datetime.now(timezone.utc))
    print(result.lines)


def _figures(run, lines):
    return {"lines": lines, "seconds": run.seconds, "peak_kib": run.peak_mb * 1024}


def _best(measure, log_path):
    runs = [measure(log_path) for _ in range(RUNS)]
    return None if runs[0] is None else min(runs, key=lambda figures: figures["seconds"])


def _ours(log_path):
    run = measure(_pinned([sys.executable, "-c", "import sys; from cityportal.bench.stats import "
                           "ingest_once; ingest_once(sys.argv[1])", str(log_path)]))
    return _figures(run, int(run.output.split()[-1]))


def _goaccess(log_path):
    goaccess = shutil.which("goaccess")
    if goaccess is None:
        return None
    with tempfile.TemporaryDirectory() as scratch:
        run = measure(_pinned([goaccess, str(log_path), "--log-format=COMBINED", "--no-global-config",
                               "--no-progress", "-o", f"{scratch}/report.json"]))
    return _figures(run, BENCH_LINES)


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
