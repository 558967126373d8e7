"""Generated reports in every layout parse to exactly the values they were made from.

Also the golden files: each fixture in tests/fixtures (made-up reports written
by tests/fixtures/make_fixtures.py) against its expected values.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, ROOT
from hypothesis import given, settings
from hypothesis import strategies as st
from synth import DETECTED, TEXT_LAYOUTS, generate

import govreport

COMBINATIONS = [(layout, template) for template in ("2021", "2019")
                for layout in ("pipe_rows", "pipe_cells", "tab_cells", "tab_rows", *TEXT_LAYOUTS)]
COMBINATIONS.append(("prose", "freeform"))


def _same(got: Any, want: Any) -> bool:
    if want is None or got is None:
        return got is None and want is None
    return Decimal(str(got)) == Decimal(str(want))


def _check(report: govreport.Report, exp: dict[str, Any]) -> None:
    assert (report.agency, report.year, report.template) == (
        exp["agency"], exp["year"], exp["template"])
    assert [s.title for s in report.sections] == exp["sections"]
    flat = govreport.flatten(report)
    assert set(flat) == set(exp["values"])
    wrong = {k: (v, flat[k]) for k, v in exp["values"].items() if not _same(flat[k], v)}
    assert wrong == {}


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10**6), combo=st.sampled_from(COMBINATIONS))
def test_generated_reports_round_trip_through_the_parser(seed: int,
                                                          combo: tuple[str, str]) -> None:
    layout, template = combo
    text, exp = generate(seed, layout, template)
    report = govreport.parse(text)
    assert report.layout == DETECTED[layout]
    _check(report, exp)


@pytest.mark.parametrize("path", [*sorted(FIXTURES.glob("*.txt")),
                                  ROOT / "examples" / "example_2021.txt"], ids=lambda p: p.stem)
def test_golden_fixture(path: Path) -> None:
    exp = json.loads(path.with_suffix(".expected.json").read_text("utf-8"))
    report = govreport.parse_file(path)
    _check(report, exp)
    assert not [d for d in report.diagnostics if d.code != "missing-table"]
