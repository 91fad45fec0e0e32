"""Labelled sentences and the accuracy figures of the extractor on them.

The file format is described at the top of tests/data/legal_refs_cases.txt.
"""
from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .extract import Reference, extract


@dataclass(frozen=True)
class Expected:
    id: str
    type: str | None
    issuer: str | None
    year: int | None
    date: datetime.date | None
    text: str


@dataclass(frozen=True)
class Case:
    source: str  # "file:line", so a failing case points at its row
    text: str
    expected: tuple[Expected, ...]


class CaseFileError(ValueError):
    pass


def _value(field: str) -> str | None:
    field = field.strip()
    return None if field == "~" else field


def _parse_expected(row: str, where: str) -> Expected:
    fields = [f.strip() for f in row.split("|")]
    if len(fields) not in (5, 6):
        raise CaseFileError(f"{where}: expected 5 or 6 fields separated by '|', found {len(fields)}")
    ref_id, doc_type, issuer, year, date = (_value(f) for f in fields[:5])
    try:
        parsed_year = int(year) if year else None
        parsed_date = datetime.date.fromisoformat(date) if date else None
    except ValueError as error:
        raise CaseFileError(f"{where}: {error}; write the year as 2015 and the date as 2015-01-09") from None
    text = fields[5].replace("\\n", "\n") if len(fields) == 6 else ref_id
    return Expected(ref_id, doc_type, issuer, parsed_year, parsed_date, text)


def load_cases(path: Path) -> list[Case]:
    cases: list[Case] = []
    current: tuple[str, str] | None = None
    expected: list[Expected] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        where = f"{path}:{number}"
        if line.startswith("> "):
            if current:
                cases.append(Case(current[0], current[1], tuple(expected)))
            current, expected = (where, line[2:].replace("\\n", "\n")), []
        elif line.startswith("= "):
            if current is None:
                raise CaseFileError(f"{where}: an expected reference before any '> ' sentence")
            expected.append(_parse_expected(line[2:], where))
        elif line.strip() and not line.startswith("#"):
            raise CaseFileError(f"{where}: start the line with '> ', '= ' or '#'")
    if current:
        cases.append(Case(current[0], current[1], tuple(expected)))
    return cases


def is_named(reference_id: str) -> bool:
    return not reference_id[:1].isdigit()


@dataclass
class Scores:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    dates_right: int = 0
    named_expected: int = 0
    named_found: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0

    @property
    def date_accuracy(self) -> float:
        return self.dates_right / self.true_positives if self.true_positives else 1.0

    @property
    def named_recall(self) -> float:
        return self.named_found / self.named_expected if self.named_expected else 1.0


def score(cases: list[Case]) -> Scores:
    """Numbered references are matched by id within each sentence; a found
    reference counts for the date when its date equals the labelled one."""
    scores = Scores()
    for case in cases:
        found = extract(case.text)
        _score_numbered(scores, [e for e in case.expected if not is_named(e.id)],
                        [r for r in found if r.kind == "numbered"])
        named_wanted = Counter(e.id for e in case.expected if is_named(e.id))
        named_got = Counter(r.id for r in found if r.kind == "named")
        scores.named_expected += sum(named_wanted.values())
        scores.named_found += sum((named_wanted & named_got).values())
    return scores


def _score_numbered(scores: Scores, wanted: list[Expected], got: list[Reference]) -> None:
    remaining = list(got)
    for expected in wanted:
        match = next((r for r in remaining if r.id == expected.id), None)
        if match is None:
            scores.false_negatives += 1
            continue
        remaining.remove(match)
        scores.true_positives += 1
        scores.dates_right += match.date == expected.date
    scores.false_positives += len(remaining)


def report(paths: list[Path]) -> str:
    lines = [f"{'labelled set':<40} {'refs':>5} {'precision':>9} {'recall':>7} {'dates':>6} {'named':>6}"]
    for path in paths:
        cases = load_cases(path)
        scores = score(cases)
        total = scores.true_positives + scores.false_negatives
        lines.append(
            f"{path.name:<40} {total:>5} {scores.precision:>9.3f} {scores.recall:>7.3f}"
            f" {scores.date_accuracy:>6.3f} {scores.named_recall:>6.3f}"
        )
    return "\n".join(lines)
