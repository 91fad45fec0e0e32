"""`invoke bench`: run the benchmark for each article count and print the tables."""
from __future__ import annotations

import tempfile
from pathlib import Path

from .report import linearity_table, result_table
from .runner import run_bench


def main(counts: list[int], keep: str | None = None) -> None:
    results = []
    with tempfile.TemporaryDirectory(prefix="portal-bench-") as scratch:
        base = Path(keep) if keep else Path(scratch)
        for count in counts:
            result = run_bench(count, base / f"n{count}")
            results.append(result)
            print(result_table(result), flush=True)
            print(flush=True)
    if len(results) > 1:
        print("Linearity (cold builds):")
        print(linearity_table(results))
