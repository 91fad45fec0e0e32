"""Labelled sentences and the accuracy figures of the extractor on them.

The file format is described at the top of tests/data/legal_refs_cases.txt.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
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
    amended: tuple[int, ...] = ()


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
    if len(fields) not in (5, 6, 7):
        raise CaseFileError(f"{where}: expected 5 to 7 fields separated by '|', found {len(fields)}")
    ref_id, doc_type, issuer, year, date = (_value(f) for f in fields[:5])
    text, amended = ref_id, ()
    try:
        parsed_year = int(year) if year else None
        parsed_date = datetime.date.fromisoformat(date) if date else None
        for extra in fields[5:]:
            if extra.startswith("amended="):
                amended = tuple(int(y) for y in extra[len("amended="):].split(","))
            else:
                text = extra.replace("\\n", "\n")
    except ValueError as error:
        raise CaseFileError(f"{where}: {error}; write the year as 2015, the date as 2015-01-09"
                            " and amendments as amended=2017,2020") from None
    return Expected(ref_id, doc_type, issuer, parsed_year, parsed_date, text, amended)


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


# The targets the extractor is held to on real text.
TARGETS = {
    "precision": 0.99, "recall": 0.99, "dates": 0.99,
    "named_recall": 0.95, "named_precision": 0.98, "issuer": 0.98, "type": 0.98,
}


@dataclass
class Scores:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    dates_right: int = 0
    named_expected: int = 0
    named_found: int = 0
    named_reported: int = 0
    # Issuer and type are judged on every reference found and expected (both kinds).
    matched: int = 0
    issuer_right: int = 0
    type_right: int = 0
    errors: list[str] = field(default_factory=list)

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

    @property
    def named_precision(self) -> float:
        return self.named_found / self.named_reported if self.named_reported else 1.0

    @property
    def issuer_accuracy(self) -> float:
        return self.issuer_right / self.matched if self.matched else 1.0

    @property
    def type_accuracy(self) -> float:
        return self.type_right / self.matched if self.matched else 1.0

    def measures(self) -> dict[str, float]:
        return {
            "precision": self.precision, "recall": self.recall, "dates": self.date_accuracy,
            "named_recall": self.named_recall, "named_precision": self.named_precision,
            "issuer": self.issuer_accuracy, "type": self.type_accuracy,
        }


def score(cases: list[Case]) -> Scores:
    """References are matched by id within each sentence, numbered and named apart;
    a matched reference counts for the date, the issuer and the type when they equal
    the labelled ones. Every miss is kept in `errors`, "file:line: …"."""
    scores = Scores()
    for case in cases:
        found = extract(case.text)
        where = case.source.rsplit("/", 1)[-1]
        for kind, wanted, got in (
                ("numbered", [e for e in case.expected if not is_named(e.id)], [r for r in found if r.kind == "numbered"]),
                ("named", [e for e in case.expected if is_named(e.id)], [r for r in found if r.kind == "named"])):
            _score_kind(scores, kind, wanted, got, where)
    return scores


def _score_kind(scores: Scores, kind: str, wanted: list[Expected], got: list[Reference], where: str) -> None:
    remaining = list(got)
    named = kind == "named"
    if named:
        scores.named_expected += len(wanted)
        scores.named_reported += len(got)
    for expected in wanted:
        match = next((r for r in remaining if r.id == expected.id), None)
        if match is None:
            if not named:
                scores.false_negatives += 1
            scores.errors.append(f"{where}: missed {expected.id}")
            continue
        remaining.remove(match)
        if named:
            scores.named_found += 1
        else:
            scores.true_positives += 1
            if match.date == expected.date:
                scores.dates_right += 1
            else:
                scores.errors.append(f"{where}: {expected.id} date {match.date}, expected {expected.date}")
        scores.matched += 1
        if match.issuer == expected.issuer:
            scores.issuer_right += 1
        else:
            scores.errors.append(f"{where}: {expected.id} issuer {match.issuer!r}, expected {expected.issuer!r}")
        if match.type == expected.type:
            scores.type_right += 1
        else:
            scores.errors.append(f"{where}: {expected.id} type {match.type!r}, expected {expected.type!r}")
    if not named:
        scores.false_positives += len(remaining)
    for extra in remaining:
        scores.errors.append(f"{where}: wrongly found {extra.id}")


_COLUMNS = (("precision", "num P"), ("recall", "num R"), ("dates", "dates"), ("named_recall", "named R"),
            ("named_precision", "named P"), ("issuer", "issuer"), ("type", "type"))


def report(sets, show_errors: bool = False) -> str:
    """One row per labelled set, every measure beside its target; a measure under its
    target is marked with "!". `sets` is a list of paths or of (label, [paths])."""
    lines = [f"{'labelled set':<34} {'refs':>5}" + "".join(f" {title:>8}" for _, title in _COLUMNS)]
    lines.append(f"{'target':<34} {'':>5}" + "".join(f" {'≥' + format(TARGETS[k], '.2f'):>8}" for k, _ in _COLUMNS))
    errors = []
    for entry in sets:
        label, paths = (entry.name, [entry]) if isinstance(entry, Path) else entry
        cases = [case for path in paths for case in load_cases(Path(path))]
        scores = score(cases)
        total = scores.true_positives + scores.false_negatives + scores.named_expected
        measures = scores.measures()
        cells = "".join(
            f" {format(measures[k], '.3f') + ('!' if measures[k] < TARGETS[k] else ' '):>8}" for k, _ in _COLUMNS)
        lines.append(f"{label:<34} {total:>5}{cells}")
        errors += [f"  {label}: {error}" for error in scores.errors]
    if show_errors and errors:
        lines += ["", "errors:"] + errors
    return "\n".join(lines)
