"""`invoke bench-equality`: incremental builds against clean builds on a large site.

The benchmark's corpus (N articles citing documents as a portal's do), the repository's
registry of documents and a copy of the theme are built once. Then a seeded sequence of
edits, every kind in turn (add, change, delete, retitle, re-tag, move a date, change the
category, a registry document, a setting, a template), each followed by an incremental
build of the whole chain (Pelican, sweep, search index, precompression). After each step
a clean build of the same inputs is made in another folder, and the two folders are
compared file by file, byte by byte. tests/site/test_incremental.py makes the same
comparison on a small site, with Hypothesis choosing the edits.
"""
from __future__ import annotations

import random
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from cityportal import PROJECT_ROOT
from cityportal.bench.corpus import CATEGORIES, LEGAL, TOPICS, write_corpus
from cityportal.bench.runner import rendered_count
from cityportal.build import build_site

KINDS = ("add", "change", "delete", "retitle", "retag", "move date", "category",
         "registry", "setting", "template")


def differing_files(left: Path, right: Path) -> list[str]:
    """Files, by path relative to the two folders, that only one has or that differ in bytes."""
    def files(root: Path) -> dict[str, Path]:
        return {path.relative_to(root).as_posix(): path for path in root.rglob("*") if path.is_file()}

    ours, theirs = files(Path(left)), files(Path(right))
    names = sorted(set(ours) ^ set(theirs))
    names += [name for name in sorted(set(ours) & set(theirs))
              if ours[name].read_bytes() != theirs[name].read_bytes()]
    return names


@dataclass
class Step:
    edit: str
    incremental_seconds: float
    clean_seconds: float
    rendered: int
    differing: list[str] = field(default_factory=list)


class BenchSite:
    """The corpus and its own copies of the registry and theme, which the edits change."""

    def __init__(self, workdir: Path, articles: int, seed: int):
        self.workdir = workdir
        self.rng = random.Random(seed)
        self.content = write_corpus(workdir / "content", articles, seed=seed)
        shutil.copytree(PROJECT_ROOT / "content" / "van-ban", self.content / "van-ban")
        self.theme = workdir / "theme"
        shutil.copytree(PROJECT_ROOT / "theme", self.theme, ignore=shutil.ignore_patterns("portal.*.css"))
        self.related = 5
        self.added = 0
        (workdir / "access.log").write_text("", encoding="utf-8")

    def settings(self, root: Path) -> dict:
        return {"CACHE_PATH": str(root / "cache"), "THEME": str(self.theme),
                "PORTAL_RELATED_COUNT": self.related, "STATS_INGEST_ON_BUILD": True,
                "STATS_DB": str(self.workdir / "stats.sqlite"), "STATS_LOG": str(self.workdir / "access.log")}

    def build(self, root: Path) -> float:
        started = time.perf_counter()
        result = build_site(root / "output", PROJECT_ROOT / "pelicanconf.py", self.content,
                            extra_settings=self.settings(root))
        if not result.ok:
            raise SystemExit((result.stdout or "")[-3000:] + (result.stderr or "")[-3000:])
        return time.perf_counter() - started

    def _articles(self) -> list[Path]:
        return sorted((self.content / "articles").rglob("*.md"))

    def _set_field(self, path: Path, name: str, value: str) -> None:
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(rf"^{name}: .*$", f"{name}: {value}", text, count=1, flags=re.M),
                        encoding="utf-8")

    def apply(self, kind: str) -> str:
        """Make one edit of `kind`; what was done, in words."""
        rng = self.rng
        article = rng.choice(self._articles())
        if kind == "add":
            self.added += 1
            slug = f"bai-moi-{self.added}"
            added = article.with_name(f"{slug}.md")
            shutil.copyfile(article, added)
            self._set_field(added, "Slug", slug)
            self._set_field(added, "Title", f"Bài viết mới số {self.added} về {rng.choice(TOPICS)}")
            self._set_field(added, "Date", f"20{rng.randint(16, 24)}-{rng.randint(1, 12):02d}-15 09:30")
            return f"add {added.name}"
        if kind == "change":
            number = rng.randint(100, 9999)
            with article.open("a", encoding="utf-8") as handle:
                handle.write(f"\nThực hiện {rng.choice(LEGAL)} và Quyết định số {number}/QĐ-UBND"
                             f" ngày 0{rng.randint(1, 9)}/0{rng.randint(1, 9)}/2024.\n")
            return f"change {article.name} (cites QĐ {number})"
        if kind == "delete":
            article.unlink()
            return f"delete {article.name}"
        if kind == "retitle":
            self._set_field(article, "Title", f"Tiêu đề đã sửa {rng.randint(1, 999)}")
            return f"retitle {article.name}"
        if kind == "retag":
            self._set_field(article, "Tags", ", ".join(rng.sample(TOPICS, 2)))
            return f"retag {article.name}"
        if kind == "move date":
            self._set_field(article, "Date", f"20{rng.randint(16, 24)}-{rng.randint(1, 12):02d}-0{rng.randint(1, 9)} 07:00")
            return f"move date {article.name}"
        if kind == "category":
            self._set_field(article, "Category", rng.choice(CATEGORIES)[0])
            return f"category {article.name}"
        if kind == "registry":
            document = rng.choice(sorted((self.content / "van-ban").glob("*.txt")))
            self._set_field(document, "Summary", f"Tóm tắt đã sửa {rng.randint(1, 999)}")
            return f"registry {document.name}"
        if kind == "setting":
            self.related = 2 + (self.related + 1) % 5
            return f"setting PORTAL_RELATED_COUNT = {self.related}"
        footer = self.theme / "templates" / "partials" / "footer.html"
        footer.write_text(footer.read_text(encoding="utf-8").replace(
            "</footer>", f"<!-- {rng.randint(1, 999)} --></footer>", 1), encoding="utf-8")
        return "template partials/footer.html"


def run(workdir: Path, articles: int, steps: int, seed: int = 2026):
    """Yield one Step per edit, after comparing the incremental output with a clean build."""
    workdir = Path(workdir)
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    site = BenchSite(workdir, articles, seed)
    incremental, clean = workdir / "incremental", workdir / "clean"
    site.build(incremental)
    for number in range(steps):
        edit = site.apply(KINDS[number % len(KINDS)])
        incremental_seconds = site.build(incremental)
        shutil.rmtree(clean, ignore_errors=True)
        clean_seconds = site.build(clean)
        yield Step(edit, incremental_seconds, clean_seconds, rendered_count(incremental / "cache"),
                   differing_files(incremental / "output", clean / "output"))


def main(articles: int, steps: int, keep: str | None = None) -> bool:
    with tempfile.TemporaryDirectory(prefix="portal-equality-") as scratch:
        workdir = Path(keep) if keep else Path(scratch)
        print(f"{articles} articles, {steps} edits; each incremental build compared with a clean build")
        print(f"  {'edit':52} {'rendered':>8} {'incr. s':>8} {'clean s':>8}  differing files")
        all_equal = True
        for step in run(workdir, articles, steps):
            all_equal &= not step.differing
            shown = ", ".join(step.differing[:5]) + (" ..." if len(step.differing) > 5 else "")
            print(f"  {step.edit[:52]:52} {step.rendered:>8,} {step.incremental_seconds:>8.2f} "
                  f"{step.clean_seconds:>8.2f}  {len(step.differing)} {shown}", flush=True)
        print("identical after every edit" if all_equal else "NOT identical: see the files above")
        return all_equal
