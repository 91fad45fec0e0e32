"""Figures for `invoke bench-refs`: extractor speed and the plugin's share of a
large site build. Printed, never asserted: timings depend on the machine."""
from __future__ import annotations

import logging
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

from cityportal.legal_refs.extract import extract

ARTICLE_CHUNK = 4_000  # characters: about one news article
SAMPLE_CASE_FILES = ("legal_refs_cases.txt", "legal_refs_eval.txt")


def sample_text(root: Path, megabytes: float) -> str:
    """Vietnamese prose from the sample articles and the news-style labelled sentences,
    repeated. The real-text case files are left out: nearly every sentence of theirs
    cites a document, far more than any article, and the figure stays comparable."""
    pieces = [p.read_text(encoding="utf-8") for p in sorted((root / "content" / "articles").rglob("*.md"))]
    pieces += [line[2:] for name in SAMPLE_CASE_FILES
               for line in (root / "tests" / "data" / name).read_text(encoding="utf-8").splitlines()
               if line.startswith("> ")]
    unit = "\n\n".join(pieces)
    target = int(megabytes * 1_000_000)
    return (unit * (target // len(unit.encode("utf-8")) + 1))[: target // 2 * 2]


def extractor_speed(text: str, rounds: int = 3) -> tuple[float, int]:
    """Best MB/s of UTF-8 input over `rounds` passes, article by article; and refs found."""
    chunks = [text[i:i + ARTICLE_CHUNK] for i in range(0, len(text), ARTICLE_CHUNK)]
    size = len(text.encode("utf-8")) / 1_000_000
    best, found = float("inf"), 0
    for _ in range(rounds):
        # CPU time of this process: the machine is shared, wall-clock time is not ours.
        started = time.process_time()
        found = sum(len(extract(chunk)) for chunk in chunks)
        best = min(best, time.process_time() - started)
    return size / best, found


def make_site(root: Path, target: Path, articles: int) -> Path:
    """A copy of the real content plus `articles` articles made from the samples."""
    content = target / "content"
    shutil.copytree(root / "content", content)
    samples = sorted((root / "content" / "articles").rglob("*.md"))
    folder = content / "articles" / "bench"
    folder.mkdir(parents=True)
    for number in range(articles):
        text = samples[number % len(samples)].read_text(encoding="utf-8")
        text = re.sub(r"^Title: (.*)$", rf"Title: \1 (bản {number})", text, count=1, flags=re.M)
        text = re.sub(r"^Slug: (.*)$", rf"Slug: \1-{number}", text, count=1, flags=re.M)
        # A closing line of its own, so that no two articles have the same body.
        text += f"\n\nBài số {number} trong bộ dữ liệu đo hiệu năng.\n"
        (folder / f"bai-{number}.md").write_text(text, encoding="utf-8")
    return content


def _cpu_seconds() -> float:
    """This process's CPU time plus its finished children's: pages render in forked workers."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


PLUGIN = "plugins.legal_refs"


def timed_build(root: Path, content: Path, output: Path, with_plugin: bool) -> tuple[float, float]:
    """(whole build CPU seconds, CPU seconds spent in the legal_refs generator)."""
    from pelican import Pelican
    from pelican.settings import read_settings

    settings = read_settings(str(root / "pelicanconf.py"), override={
        "PATH": str(content), "OUTPUT_PATH": str(output), "DELETE_OUTPUT_DIRECTORY": True,
    })
    if not with_plugin:
        settings["PLUGINS"] = [p for p in settings["PLUGINS"] if p != PLUGIN]
    started = _cpu_seconds()
    pelican = Pelican(settings)
    # Pelican imports the plugin by its dotted name in PLUGINS: time that class.
    generator_class = sys.modules[PLUGIN].LegalDocumentsGenerator if with_plugin else None
    spent = [0.0]
    originals = {}
    for name in ("generate_context", "generate_output") if generator_class else ():
        original = getattr(generator_class, name)
        originals[name] = original

        def timed(self, *args, _original=original):
            begun = time.process_time()
            try:
                return _original(self, *args)
            finally:
                spent[0] += time.process_time() - begun

        setattr(generator_class, name, timed)
    try:
        pelican.run()
        return _cpu_seconds() - started, spent[0]
    finally:
        for name, original in originals.items():
            setattr(generator_class, name, original)


def report(root: Path, megabytes: float, articles: int, rounds: int = 2) -> str:
    speed, found = extractor_speed(sample_text(root, megabytes))
    lines = [
        f"extractor: {speed:.1f} MB/s on one core over {megabytes:g} MB of Vietnamese text "
        f"({found} references; target >= 10 MB/s)",
    ]
    logging.getLogger("pelican").setLevel(logging.ERROR)
    without, with_plugin, generator = [], [], []
    with tempfile.TemporaryDirectory() as folder:
        content = make_site(root, Path(folder), articles)
        # One build first that nobody times: it pays for imports, template
        # compilation and whatever other plugins do once (reading the access log).
        timed_build(root, content, Path(folder) / "warm-up", with_plugin=True)
        # Then alternate which build goes first, and keep the best of each.
        for round_number in range(rounds):
            for plugin_on in (False, True) if round_number % 2 == 0 else (True, False):
                total, spent = timed_build(root, content, Path(folder) / "out", with_plugin=plugin_on)
                if plugin_on:
                    with_plugin.append(total)
                    generator.append(spent)
                else:
                    without.append(total)
    baseline, total, spent = min(without), min(with_plugin), min(generator)
    lines += [
        f"site of {articles} articles, build without legal_refs: {baseline:.2f} s CPU (best of {rounds})",
        f"site of {articles} articles, build with legal_refs:    {total:.2f} s CPU (best of {rounds})",
        f"legal_refs generator (linking, /van-ban/, index.json): {spent:.2f} s = "
        f"{100 * spent / total:.1f}% of the build (target <= 5%)",
        f"difference of the two builds (templates included; noisy on a shared machine): {total - baseline:+.2f} s = "
        f"{100 * (total - baseline) / total:+.1f}%",
    ]
    return "\n".join(lines)
