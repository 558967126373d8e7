"""Golden tests over the real seed reports in ../shared/corpus/seeds."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from conftest import SEEDS, expected, seed_files

import govreport

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared is absent")


@pytest.fixture(params=seed_files(), ids=lambda p: p.name[:3])
def seed(request: pytest.FixtureRequest) -> Path:
    path: Path = request.param
    return path


def test_metadata_and_outline(seed: Path) -> None:
    exp = expected(seed)
    report = govreport.parse_file(seed)
    assert report.agency == exp["agency"]
    assert report.year == exp["year"]
    assert report.template == exp["template"]
    assert [s.title for s in report.sections] == exp["sections"]


def test_every_expected_value(seed: Path) -> None:
    exp = expected(seed)
    flat = govreport.flatten(govreport.parse_file(seed))
    assert set(flat) == set(exp["values"]) or not exp["values"]
    wrong = {}
    for k, want in exp["values"].items():
        got = flat[k]
        if want is None:
            ok = got is None
        else:
            ok = got is not None and Decimal(str(got)) == Decimal(str(want))
        if not ok:
            wrong[k] = (want, got)
    assert wrong == {}


def test_values_name_their_source(seed: Path) -> None:
    report = govreport.parse_file(seed)
    lines = seed.read_text("utf-8-sig").splitlines()
    for table in report.tables:
        for _key, value in govreport.model.iter_values(table):
            if value.value is None:
                continue
            assert value.raw is not None and value.line is not None
            # The raw cell text stands on the line the value names.
            assert value.raw.strip() in lines[value.line - 1]


def test_blank_cells_are_none_not_zero() -> None:
    # Seed 001 leaves the 法人或其他组织 columns and the 结转 row blank.
    report = govreport.parse_file(SEEDS / "001_c4d8e41b12f6790a.txt")
    assert isinstance(report.applications, govreport.Applications2019)
    row = report.applications.new_received
    assert row.natural_person.value == 16
    assert row.commercial_enterprise.value is None
    assert row.commercial_enterprise.note == "blank"
    assert report.applications.carried_forward.total.value is None


def test_units_and_signs_of_seed_001() -> None:
    report = govreport.parse_file(SEEDS / "001_c4d8e41b12f6790a.txt")
    proactive = report.proactive
    assert isinstance(proactive, govreport.Proactive2019)
    assert proactive.licensing.net_change.value == -832
    assert proactive.penalties.net_change.value == 1301
    amount = proactive.procurement.amount_10k_yuan
    assert amount.value == Decimal("2791.3") and amount.unit == "万元"


def test_missing_table_is_diagnosed() -> None:
    report = govreport.parse_file(SEEDS / "003_23c4c1538a1730db.txt")
    assert report.review_litigation is None
    codes = {d.code for d in report.diagnostics}
    assert "missing-table" in codes


def test_statistics_table_is_read_and_kept_raw() -> None:
    # The 2014 statistics table (表二) is read into Report.statistics
    # (tests/test_statistics.py); its grid stays in its section as written.
    report = govreport.parse_file(SEEDS / "001_c4d8e41b12f6790a.txt")
    platform = report.sections[2]
    assert platform.title == "公开平台建设和信息发布情况"
    assert platform.grids and "统　计　指　标" in platform.grids[0].rows[0].texts[0]
    assert report.statistics is not None and report.statistics.columns == ("统计数",)
    assert not any(d.code == "unknown-table" for d in report.diagnostics)
