"""Table-driven tests of the extractor: every row of tests/data/legal_refs_cases.txt."""

import pytest

from cityportal import PROJECT_ROOT
from cityportal.legal_refs.evaluation import load_cases
from cityportal.legal_refs.extract import extract

CASES = load_cases(PROJECT_ROOT / "tests" / "data" / "legal_refs_cases.txt")


def test_the_table_is_large_enough():
    assert len(CASES) >= 150


@pytest.mark.parametrize("case", CASES, ids=[c.source.rsplit("/", 1)[-1] for c in CASES])
def test_case(case):
    found = [
        (r.id, r.type, r.issuer, r.year, r.date, r.text, case.text[r.start:r.end])
        for r in extract(case.text)
    ]
    wanted = [(e.id, e.type, e.issuer, e.year, e.date, e.text, e.text) for e in case.expected]
    assert found == wanted, case.text
