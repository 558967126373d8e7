"""The cattrs converter: exact round trips, the flat export and its keys."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import attrs
import pytest
from conftest import FIELDS_TSV, SEEDS, seed_files
from hypothesis import given, settings
from hypothesis import strategies as st

import govreport
from govreport import model

numbers = st.one_of(st.none(), st.integers(-10**12, 10**12),
                    st.decimals(allow_nan=False, allow_infinity=False, places=4,
                                min_value=-10**9, max_value=10**9))
texts = st.text(max_size=12)
opt_text = st.none() | texts
opt_int = st.none() | st.integers(1, 10**6)

values = st.builds(model.Value, value=numbers, raw=opt_text, line=opt_int, column=opt_int,
                   unit=st.sampled_from([None, "万元", "元", "件"]),
                   note=st.sampled_from([None, "blank", "dash", "ambiguous"]))
raw_rows = st.builds(model.RawRow, cells=st.tuples(texts, texts), line=st.integers(1, 999),
                     reason=texts)


def table_of(cls: type) -> st.SearchStrategy[Any]:
    kwargs: dict[str, st.SearchStrategy[Any]] = {}
    for f in attrs.fields(cls):
        if f.type is model.Value:
            kwargs[f.name] = values
        elif f.name == "label":
            kwargs[f.name] = opt_text
        elif f.name == "extra_rows":
            kwargs[f.name] = st.lists(raw_rows, max_size=2).map(tuple)
        elif isinstance(f.type, type) and attrs.has(f.type):
            kwargs[f.name] = table_of(f.type)
    return st.builds(cls, **kwargs)


cells = st.builds(model.Cell, text=texts, line=st.integers(1, 99), column=st.integers(1, 99))
grids = st.builds(model.Grid, rows=st.lists(st.builds(model.GridRow, cells=st.lists(
    cells, max_size=3).map(tuple), line=st.integers(1, 99)), max_size=2).map(tuple),
    line=st.integers(1, 99), end_line=st.integers(1, 99))
kinds = st.sampled_from(["overview", "proactive_disclosure", "applications",
                         "review_litigation", "problems_improvements", "other_matters", "extra"])
sections = st.recursive(
    st.builds(model.Section, number=opt_text, title=texts, kind=kinds, heading=texts,
              line=st.integers(1, 999), text=texts, grids=st.lists(grids, max_size=1).map(tuple)),
    lambda sub: st.builds(model.Section, number=opt_text, title=texts, kind=kinds,
                          heading=texts, line=st.integers(1, 999), text=texts,
                          subsections=st.lists(sub, max_size=2).map(tuple)),
    max_leaves=4)
diagnostics = st.builds(model.Diagnostic, code=texts, message=texts, line=opt_int,
                        column=opt_int, raw=opt_text, path=opt_text)
reports = st.builds(
    model.Report,
    title=opt_text, agency=opt_text, year=opt_int,
    template=st.sampled_from(["2021", "2019", "freeform"]), layout=texts, preamble=texts,
    preamble_grids=st.lists(grids, max_size=1).map(tuple),
    sections=st.lists(sections, max_size=3).map(tuple),
    proactive=st.none() | table_of(model.Proactive2021) | table_of(model.Proactive2019),
    applications=st.none() | table_of(model.Applications2021) | table_of(model.Applications2019),
    review_litigation=st.none() | table_of(model.ReviewLitigation),
    diagnostics=st.lists(diagnostics, max_size=3).map(tuple),
    source=opt_text,
)


@settings(max_examples=60, deadline=None)
@given(reports)
def test_round_trip_is_exact(report: model.Report) -> None:
    assert govreport.from_dict(govreport.to_dict(report)) == report
    again = govreport.from_json(govreport.to_json(report))
    assert again == report
    # Decimals come back as Decimals with every digit, ints as ints.
    for table in again.tables:
        for _k, v in model.iter_values(table):
            if v.value is not None:
                assert type(v.value) in (int, Decimal)


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared is absent")
@pytest.mark.parametrize("path", seed_files(), ids=lambda p: p.name[:3])
def test_seed_round_trip(path: Any) -> None:
    report = govreport.parse_file(path)
    text = govreport.to_json(report)
    assert govreport.from_json(text) == report
    assert json.loads(text)["template"] == report.template


def test_tables_carry_their_form() -> None:
    data = govreport.to_dict(model.Report(title=None, agency=None, year=None, template="2019",
                                          layout="prose", applications=model.Applications2019()))
    assert data["applications"]["form"] == "applications_2019"
    assert data["proactive"] is None


def test_bad_dict_reports_every_problem_with_its_path() -> None:
    data = govreport.to_dict(model.Report(title="t", agency=None, year=2020, template="2019",
                                          layout="prose"))
    data["year"] = "twenty"
    data["template"] = 2019
    with pytest.raises(govreport.ParseError) as e:
        govreport.from_dict(data)
    msg = str(e.value)
    assert "report.year" in msg and "report.template" in msg


def test_from_json_rejects_non_json() -> None:
    with pytest.raises(govreport.ParseError, match="not JSON"):
        govreport.from_json("{nope")
    with pytest.raises(govreport.ParseError, match="not an object"):
        govreport.from_json("[1, 2]")


def test_flatten_keys_per_template() -> None:
    assert len(govreport.FIELDS["2021"]) == 200
    assert len(govreport.FIELDS["2019"]) == 198
    empty = model.Report(title=None, agency=None, year=None, template="2021", layout="prose")
    flat = govreport.flatten(empty)
    assert list(flat) == list(govreport.FIELDS["2021"])
    assert set(flat.values()) == {None}
    free = model.Report(title=None, agency=None, year=None, template="freeform", layout="prose")
    assert govreport.flatten(free) == {}


@pytest.mark.skipif(not FIELDS_TSV.is_file(), reason="../shared is absent")
def test_flat_keys_are_those_of_fields_tsv() -> None:
    rows = [line.split("\t") for line in FIELDS_TSV.read_text("utf-8").splitlines()[1:] if line]
    for template in ("2019", "2021"):
        want = {r[0] for r in rows if template in r[1].split()}
        assert set(govreport.FIELDS[template]) == want  # type: ignore[index]


def test_flatten_keys_a_table_of_the_other_template_by_its_form() -> None:
    # Issue 20: a 2019 Table B in a 2021 report gives the 2019 Table B keys.
    report = model.Report(
        title=None, agency=None, year=2022, template="2021", layout="prose",
        applications=model.Applications2019(
            new_received=model.ApplicantRow(total=model.Value(5)),
            other_handling=model.ApplicantRow(total=model.Value(1))),
        review_litigation=model.ReviewLitigation(review=model.CaseOutcomes(total=model.Value(2))))
    flat = govreport.flatten(report)
    assert flat["applications.new_received.total"] == 5
    assert flat["applications.other_handling.total"] == 1
    assert "applications.other_misc.total" not in flat
    assert flat["proactive.rules.issued"] is None  # the missing Table A: 2021 keys
    assert flat["review.total"] == 2
