"""Plain-text tables of benchmark results: the portal's whole build in a fresh process,
its Pelican step beside stock Pelican, and the issue's targets beside each figure."""
from __future__ import annotations

from .runner import CASES, BenchResult

# Whole-chain time of each rebuild as a share of the cold build's (issue 14).
TARGETS = {"nothing changed": 0.05, "one article edited": 0.10, "one new article": 0.15}
STEP_ORDER = ("input check", "pelican", "sweep", "search index", "precompression", "upload list")


def _ratio(ours: float, theirs: float) -> str:
    return f"{ours / theirs:.2f}x" if theirs else "-"


def result_table(result: BenchResult) -> str:
    stock, portal = result.stock, result.portal
    cold = portal["cold"].measurement.seconds
    lines = [
        f"N = {result.articles} articles",
        f"Pelican step, cold: stock {stock.cold.seconds:.2f} s, portal {result.pelican_cold:.2f} s "
        f"({_ratio(result.pelican_cold, stock.cold.seconds)}; target <= 1.0x). Stock rebuilds: "
        f"nothing changed {stock.warm.seconds:.2f} s, one article edited {stock.edited.seconds:.2f} s.",
        (f"Hugo (minimal theme), cold: {stock.hugo.seconds:.2f} s, peak {stock.hugo.peak_mb:.0f} MB."
         if stock.hugo else "Hugo: not installed (apt-get install hugo), no figure."),
        "Portal, whole build in a fresh process (input check, Pelican, sweep, search index, "
        "precompression, list of files to upload):",
        f"  {'case':20}{'seconds':>9}{'/ cold':>8}{'target':>8}{'rendered':>10}{'upload':>8}"
        f"{'delete':>8}{'peak MB':>9}   steps (s)",
    ]
    for case in CASES:
        run = portal[case]
        target = f"{TARGETS[case]:.2f}" if case in TARGETS else "-"
        share = f"{run.measurement.seconds / cold:.2f}" if case != "cold" else "1.00"
        steps = ", ".join(f"{name} {run.steps[name]:.2f}" for name in STEP_ORDER if name in run.steps)
        lines.append(f"  {case:20}{run.measurement.seconds:>9.2f}{share:>8}{target:>8}"
                     f"{run.rendered:>10,}{run.to_upload:>8,}{run.to_delete:>8,}"
                     f"{run.measurement.peak_mb:>9.0f}   {steps}")
    return "\n".join(lines)


def linearity_table(results: list[BenchResult]) -> str:
    lines = [f"{'articles':>9}{'stock cold':>12}{'Hugo cold':>11}{'Pelican step':>14}{'ratio':>8}"
             f"{'whole cold':>12}{'ms/article':>12}{'peak MB':>9}"]
    for result in results:
        whole = result.portal["cold"].measurement
        hugo = f"{result.stock.hugo.seconds:>9.2f} s" if result.stock.hugo else f"{'-':>11}"
        lines.append(f"{result.articles:>9}{result.stock.cold.seconds:>10.2f} s{hugo}"
                     f"{result.pelican_cold:>12.2f} s{_ratio(result.pelican_cold, result.stock.cold.seconds):>8}"
                     f"{whole.seconds:>10.2f} s{whole.seconds * 1000 / result.articles:>12.2f}"
                     f"{whole.peak_mb:>9.0f}")
    return "\n".join(lines)
