"""Plain-text tables of benchmark results, portal beside stock Pelican."""
from __future__ import annotations

from .runner import BenchResult


def _ratio(ours: float, theirs: float) -> str:
    return f"{ours / theirs:.2f}x" if theirs else "-"


def result_table(result: BenchResult) -> str:
    stock, portal = result.stock, result.portal
    rows = [
        ("cold full build", stock.cold.seconds, portal.cold.seconds),
        ("warm rebuild, nothing changed", stock.warm.seconds, portal.warm.seconds),
        ("rebuild after one article edited", stock.edited.seconds, portal.edited.seconds),
    ]
    lines = [
        f"N = {result.articles} articles",
        f"{'':34}{'stock Pelican':>15}{'portal':>10}{'portal/stock':>14}",
    ]
    for label, theirs, ours in rows:
        lines.append(f"{label:34}{theirs:>13.2f} s{ours:>8.2f} s{_ratio(ours, theirs):>14}")
    lines.append(f"{'peak memory (largest run)':34}{stock.peak_mb:>12.0f} MB{portal.peak_mb:>7.0f} MB"
                 f"{_ratio(portal.peak_mb, stock.peak_mb):>14}")
    lines.append(f"portal warm / portal cold: {_ratio(portal.warm.seconds, portal.cold.seconds)}; "
                 f"edited / cold: {_ratio(portal.edited.seconds, portal.cold.seconds)}")
    if portal.added is not None:
        lines.append(f"portal after one new article: {portal.added.seconds:.2f} s "
                     f"({_ratio(portal.added.seconds, portal.cold.seconds)} of cold)")
    if portal.rendered:
        lines.append("outputs rendered by the portal's rebuilds: " + ", ".join(
            f"{name} {count:,}" for name, count in portal.rendered.items()))
    for step, seconds in portal.extra_steps.items():
        lines.append(f"  after the portal's cold build, {step}: {seconds:.2f} s")
    return "\n".join(lines)


def linearity_table(results: list[BenchResult]) -> str:
    lines = [f"{'articles':>9}{'stock cold':>12}{'portal cold':>13}{'ratio':>8}"
             f"{'ms/article':>12}{'portal warm':>13}{'peak MB':>9}"]
    for result in results:
        stock, portal = result.stock, result.portal
        per_article = portal.cold.seconds * 1000 / result.articles
        lines.append(f"{result.articles:>9}{stock.cold.seconds:>10.2f} s{portal.cold.seconds:>11.2f} s"
                     f"{_ratio(portal.cold.seconds, stock.cold.seconds):>8}{per_article:>12.2f}"
                     f"{portal.warm.seconds:>11.2f} s{portal.peak_mb:>9.0f}")
    return "\n".join(lines)
