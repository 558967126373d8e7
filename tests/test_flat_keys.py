"""Flat keys follow the forms the tables were read with (issue 20).

A 2021 report whose Table B keeps the single （六）其他处理 row of the 2019
form is read as ``applications_2019``; its values must reach every flat
output (``flatten``, ``parse --format flat|csv``, ``corpus`` JSONL, CSV and
Parquet) under the 2019 Table B keys, next to the 2021 keys of its other
tables, and D01 still says the form is old.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import attrs
import pytest
from conftest import SHARED
from hypothesis import given, settings
from hypothesis import strategies as st
from synth import LAYOUTS, generate

import govreport
from govreport.cli import main
from govreport.corpus import run
from govreport.model import Applications2019, Applications2021, iter_values
from govreport.records import KEYS, Result, encode, flat_record, record
from govreport.serialize import ALL_FIELDS, FIELDS, FORM_FIELDS

OTHER_HANDLING = tuple(f"applications.other_handling.{c}" for c in (
    "natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
    "legal_service_org", "other_org", "total"))
TABLE_LAYOUTS = [layout for layout in LAYOUTS if layout != "prose"]


def _old_table_b(seed: int, layout: str = "tab_rows") -> tuple[str, dict[str, Any]]:
    return generate(seed, layout, "2021", table_b="2019")


def _same(got: object, want: object) -> bool:
    if got is None or want is None:
        return got is want
    return Decimal(str(got)) == Decimal(str(want))


# --------------------------------------------------------------------------- the rule


def test_the_template_keys_are_the_forms_keys() -> None:
    assert FIELDS["2021"] == (*FORM_FIELDS["proactive_2021"], *FORM_FIELDS["applications_2021"],
                              *FORM_FIELDS["review_litigation"])
    assert FIELDS["2019"] == (*FORM_FIELDS["proactive_2019"], *FORM_FIELDS["applications_2019"],
                              *FORM_FIELDS["review_litigation"])
    assert set(OTHER_HANDLING) <= set(FORM_FIELDS["applications_2019"])
    assert set(OTHER_HANDLING).isdisjoint(FIELDS["2021"])


def test_every_form_key_has_a_column() -> None:
    every = {k for keys in FORM_FIELDS.values() for k in keys}
    assert set(ALL_FIELDS) == every == set(KEYS)
    assert len(ALL_FIELDS) == len(every)


@pytest.mark.parametrize("layout", TABLE_LAYOUTS)
def test_a_2021_report_with_a_2019_table_b_keys_each_table_by_its_form(layout: str) -> None:
    text, exp = _old_table_b(11, layout)
    report = govreport.parse(text)
    assert report.template == "2021"
    assert isinstance(report.applications, Applications2019)
    flat = govreport.flatten(report)
    assert list(flat) == [*FORM_FIELDS["proactive_2021"], *FORM_FIELDS["applications_2019"],
                          *FORM_FIELDS["review_litigation"]]
    assert list(flat) == list(exp["values"])
    wrong = {k: (flat[k], v) for k, v in exp["values"].items() if not _same(flat[k], v)}
    assert wrong == {}
    assert [flat[k] for k in OTHER_HANDLING] == [exp["values"][k] for k in OTHER_HANDLING]
    # never both forms' keys for one table: no invented 2021-only Table B key
    only_2021 = set(FORM_FIELDS["applications_2021"]) - set(FORM_FIELDS["applications_2019"])
    assert only_2021.isdisjoint(flat)
    assert "D01" in {f.code for f in govreport.check(report)}


def test_a_2019_report_with_a_2021_table_b_gives_the_2021_table_b_keys() -> None:
    text, exp = generate(4, "pipe_rows", "2019", table_b="2021")
    report = govreport.parse(text)
    assert report.template == "2019" and isinstance(report.applications, Applications2021)
    flat = govreport.flatten(report)
    assert list(flat) == list(exp["values"])
    assert all(_same(flat[k], v) for k, v in exp["values"].items())
    assert "applications.other_misc.total" in flat and OTHER_HANDLING[0] not in flat


def test_a_missing_table_gives_the_templates_keys_as_none() -> None:
    text, _ = generate(2, "pipe_rows", "2021")
    report = attrs.evolve(govreport.parse(text), applications=None)
    flat = govreport.flatten(report)
    assert list(flat) == list(FIELDS["2021"])
    assert all(flat[k] is None for k in FORM_FIELDS["applications_2021"])
    freeform = attrs.evolve(report, template="freeform", proactive=None, review_litigation=None)
    assert govreport.flatten(freeform) == {}


def test_a_table_in_a_freeform_report_still_reaches_flatten() -> None:
    text, _ = _old_table_b(3, "pipe_rows")
    report = attrs.evolve(govreport.parse(text), template="freeform", proactive=None,
                          review_litigation=None)
    assert list(govreport.flatten(report)) == list(FORM_FIELDS["applications_2019"])


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10**6), layout=st.sampled_from(TABLE_LAYOUTS),
       template=st.sampled_from(["2021", "2019"]), old=st.booleans())
def test_every_value_of_every_table_is_flattened(seed: int, layout: str, template: str,
                                                 old: bool) -> None:
    other = "2019" if template == "2021" else "2021"
    text, _ = generate(seed, layout, template, table_b=other if old else None)
    report = govreport.parse(text)
    flat = govreport.flatten(report)
    for table in report.tables:
        for k, v in iter_values(cast(attrs.AttrsInstance, table)):
            assert k in flat and flat[k] == v.value
    assert set(flat) <= set(KEYS)


# --------------------------------------------------------------------------- every output


def test_jsonl_and_flat_records_carry_the_2019_keys() -> None:
    text, exp = _old_table_b(7)
    result = Result("a.txt", govreport.parse(text))
    values = record(result)["values"]
    assert [values[k] for k in OTHER_HANDLING] == [exp["values"][k] for k in OTHER_HANDLING]
    line = json.loads(encode(result, "jsonl").payload)
    assert [line["values"][k] for k in OTHER_HANDLING] == [exp["values"][k]
                                                           for k in OTHER_HANDLING]
    row = flat_record(result)
    assert [row[k] for k in OTHER_HANDLING] == [exp["values"][k] for k in OTHER_HANDLING]
    assert row["applications.other_misc.total"] is None  # the 2021 row the report has not
    rows = list(csv.reader(io.StringIO(encode(result, "csv").payload)))
    got = {k: v for _, k, v in rows}
    assert [got[k] for k in OTHER_HANDLING] == [str(exp["values"][k]) for k in OTHER_HANDLING]


def test_parse_cli_flat_and_csv_carry_the_2019_keys(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    text, exp = _old_table_b(8)
    path = tmp_path / "old_b.txt"
    path.write_text(text, encoding="utf-8")
    want = [exp["values"][k] for k in OTHER_HANDLING]
    assert main(["parse", str(path), "--format", "flat"]) == 0
    flat = json.loads(capsys.readouterr().out)["values"]
    assert [flat[k] for k in OTHER_HANDLING] == want
    out = tmp_path / "out.csv"
    assert main(["parse", str(path), "--format", "csv", "-o", str(out)]) == 0
    with out.open(encoding="utf-8") as f:
        got = {row["key"]: row["value"] for row in csv.DictReader(f)}
    assert [got[k] for k in OTHER_HANDLING] == [str(v) for v in want]


def test_corpus_outputs_carry_the_2019_keys(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    text, exp = _old_table_b(9)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "old_b.txt").write_text(text, encoding="utf-8")
    want = [exp["values"][k] for k in OTHER_HANDLING]
    for name in ("out.jsonl", "out.csv", "out.parquet"):
        run([str(tmp_path / "in")], str(tmp_path / name), workers=0, progress=False)
    line = json.loads((tmp_path / "out.jsonl").read_text("utf-8"))
    assert [line["values"][k] for k in OTHER_HANDLING] == want
    with (tmp_path / "out.csv").open(encoding="utf-8") as f:
        got = {row["key"]: row["value"] for row in csv.DictReader(f)}
    assert [got[k] for k in OTHER_HANDLING] == [str(v) for v in want]
    table = pq.read_table(tmp_path / "out.parquet").to_pylist()
    assert [table[0][k] for k in OTHER_HANDLING] == want
    assert table[0]["applications.granted.total"] == exp["values"]["applications.granted.total"]


HONGZE = SHARED / "corpus" / "real" / "hongze_2024.pdf"


@pytest.mark.skipif(not HONGZE.is_file(), reason="../shared/corpus/real is not here")
def test_hongze_has_the_keys_its_expected_values_have() -> None:
    # Its 2021 Table B keeps the single （六）其他处理 row of 2019.
    pytest.importorskip("pypdfium2")
    report = govreport.parse_file(HONGZE)
    expected = json.loads(HONGZE.with_suffix(".expected.json").read_text("utf-8"))["values"]
    assert list(govreport.flatten(report)) == list(expected)
    assert "D01" in {f.code for f in govreport.check(report)}
