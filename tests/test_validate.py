"""govreport.check / check_series: every check passes, fails and is not checkable.

Reports are synthetic (tests/synth.py) and changed cell by cell with attrs.evolve;
the real reports in ../shared are only read, never copied.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from conftest import SEEDS, SHARED
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from synth import generate

import govreport
from govreport import Finding, Proactive2021, Report, check, check_series
from govreport.figures import TABLE_KEYS, ProseFigure, prose_figures
from govreport.serialize import findings_to_dicts, findings_to_json
from govreport.validate import CODES

# --------------------------------------------------------------------------- helpers


def synthetic(template: str = "2021", seed: int = 0, layout: str = "pipe_rows") -> Report:
    text, _ = generate(seed, layout, template)
    return govreport.parse(text)


def with_cell(report: Report, key: str, value: int | Decimal | None) -> Report:
    """The report with the cell under flat ``key`` set to ``value``."""
    for slot in ("proactive", "applications", "review_litigation"):
        table = getattr(report, slot)
        if table is None:
            continue
        prefix = type(table).flat_prefix
        if not key.startswith(prefix):
            continue
        row_name, _, cell_name = key[len(prefix):].partition(".")
        row = getattr(table, row_name, None)
        if row is None or not hasattr(row, cell_name):
            continue
        cell = attrs.evolve(getattr(row, cell_name), value=value)
        row = attrs.evolve(row, **{cell_name: cell})
        return attrs.evolve(report, **{slot: attrs.evolve(table, **{row_name: row})})
    raise KeyError(key)


def with_cells(report: Report, **values: int | Decimal | None) -> Report:
    for k, v in values.items():
        report = with_cell(report, k.replace("__", "."), v)
    return report


def statuses(findings: list[Finding], code: str) -> set[str]:
    return {f.status for f in findings if f.code == code}


def all_findings(report: Report) -> list[Finding]:
    return check(report, include_passed=True)


BASE_2021 = synthetic("2021", 0)
BASE_2019 = synthetic("2019", 0)


def test_synthetic_bases_balance() -> None:
    for base in (BASE_2021, BASE_2019):
        failed = [f for f in check(base) if f.status == "failed"]
        assert {f.code for f in failed} <= {"A5"}, failed


def test_public_api() -> None:
    assert govreport.check is check
    assert {"check", "check_series", "Finding"} <= set(govreport.__all__)
    f = check(with_cell(BASE_2021, "review.total", 999))[0]
    assert attrs.has(type(f)) and isinstance(f, Finding)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        f.code = "X"  # type: ignore[misc]


def test_passed_findings_only_on_request() -> None:
    assert all(f.status != "passed" for f in check(BASE_2021))
    assert any(f.status == "passed" for f in all_findings(BASE_2021))


def test_every_code_is_documented() -> None:
    doc = (Path(__file__).resolve().parent.parent / "docs" / "checks.md").read_text("utf-8")
    for code in CODES:
        assert f"`{code}`" in doc, code


# --------------------------------------------------------------------------- relations

# (code, template, key to break, value that breaks it)
RELATION_CASES = [
    ("B1", "2021", "applications.carried_forward.total", 10_000),
    ("B2", "2021", "applications.granted.natural_person", 10_000),
    ("B3", "2021", "applications.granted.total", 10_000),
    ("B5", "2021", "applications.total_concluded.total", 10_000),
    ("C1", "2021", "review.total", 10_000),
    ("C2", "2021", "litigation_direct.upheld", 10_000),
    ("C3", "2021", "litigation_after_review.pending", 10_000),
    ("A3", "2021", "proactive.normative_documents.issued", 10_000),
    ("B1", "2019", "applications.new_received.total", 10_000),
    ("B3", "2019", "applications.other_handling.total", 10_000),
]


@pytest.mark.parametrize(("code", "template", "key", "bad"), RELATION_CASES)
def test_relation_passes_fails_and_is_not_checkable(code: str, template: str, key: str,
                                                    bad: int) -> None:
    base = BASE_2021 if template == "2021" else BASE_2019
    assert statuses(all_findings(base), code) == {"passed"}

    broken = [f for f in check(with_cell(base, key, bad)) if f.code == code]
    failed = [f for f in broken if f.status == "failed"]
    assert failed and all(key in f.keys for f in failed)
    f = failed[0]
    assert f.severity == "error" if code != "A3" else f.severity == "warning"
    assert f.actual != f.expected and f.line is not None and f.file is None
    assert f.message_en and f.message_zh

    blank = [f for f in check(with_cell(base, key, None)) if f.code == code]
    assert blank and all(f.status == "not_checkable" for f in blank)
    assert all(f.actual is None or f.expected is None for f in blank)
    assert key in blank[0].message_en


def test_relation_location_is_first_involved_cell() -> None:
    report = with_cell(BASE_2021, "review.total", 10_007)
    f = next(f for f in check(report) if f.code == "C1")
    assert f.keys[0] == "review.total"
    assert f.line == report.review_litigation.review.total.line  # type: ignore[union-attr]
    assert f.actual == 10_007


def test_missing_table_makes_its_relations_not_checkable() -> None:
    report = attrs.evolve(BASE_2021, review_litigation=None)
    found = check(report)
    for code in ("C1", "C2", "C3"):
        assert statuses(found, code) == {"not_checkable"}


def test_a5_is_info_only() -> None:
    ok = with_cells(BASE_2019, proactive__licensing__prior_items=10,
                    proactive__licensing__net_change=-2, proactive__licensing__decisions=8)
    assert "passed" in {f.status for f in all_findings(ok)
                        if f.code == "A5" and "proactive.licensing.decisions" in f.keys}
    bad = with_cell(ok, "proactive.licensing.decisions", 9)
    f = next(f for f in check(bad) if f.code == "A5" and "proactive.licensing.decisions" in f.keys)
    assert (f.status, f.severity) == ("failed", "info")
    blank = with_cell(ok, "proactive.licensing.net_change", None)
    f = next(f for f in check(blank) if f.code == "A5" and "proactive.licensing.decisions" in f.keys)
    assert f.status == "not_checkable"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000),
       layout=st.sampled_from(["pipe_rows", "pipe_cells", "tab_cells", "tab_rows"]),
       template=st.sampled_from(["2021", "2019"]))
def test_balanced_synthetic_reports_fail_nothing_arithmetic(seed: int, layout: str,
                                                            template: str) -> None:
    # Synthetic values satisfy the template's arithmetic; rules from county
    # agencies (A4) and 2019 item counts (A5) are invented freely.
    failed = [f for f in check(synthetic(template, seed, layout)) if f.status == "failed"]
    assert {f.code for f in failed} <= {"A4", "A5"}, failed


# --------------------------------------------------------------------------- cell kinds


@pytest.mark.parametrize(("code", "key", "bad"), [
    ("B4", "applications.granted.natural_person", -1),
    ("B4", "applications.granted.natural_person", Decimal("1.5")),
    ("C4", "litigation_direct.corrected", -3),
    ("A1", "proactive.licensing.decisions", Decimal("2.5")),
    ("A1", "proactive.fees.amount_10k_yuan", Decimal("-1.2")),
])
def test_cell_kinds(code: str, key: str, bad: int | Decimal) -> None:
    assert statuses(all_findings(BASE_2021), code) == {"passed"}
    failed = [f for f in check(with_cell(BASE_2021, key, bad)) if f.code == code]
    assert [(f.status, f.keys, f.actual) for f in failed] == [("failed", (key,), bad)]
    blank = [f for f in check(with_cell(BASE_2021, key, None)) if f.code == code]
    assert [f.status for f in blank] == ["not_checkable"] and key in blank[0].keys


def test_signed_net_change_and_decimal_amount_are_right_kinds() -> None:
    report = with_cells(BASE_2019, proactive__licensing__net_change=-832,
                        proactive__procurement__amount_10k_yuan=Decimal("2791.3"))
    assert not [f for f in check(report) if f.code == "A1" and f.status == "failed"]
    report = with_cell(report, "proactive.licensing.net_change", Decimal("1.5"))
    assert [f.keys for f in check(report) if f.code == "A1" and f.status == "failed"] == [
        ("proactive.licensing.net_change",)]


# --------------------------------------------------------------------------- A4


@pytest.mark.parametrize(("agency", "suspect"), [
    ("兴化乡人民政府", True),
    ("唐村镇", True),
    ("城关街道办事处", True),
    ("青禾县市场监督管理局", True),
    ("鼎城区公安局", True),
    ("云栖区人民政府", True),
    ("镇江市人民政府", False),
    ("霁川市交通运输局", False),
    ("广西壮族自治区人民政府", False),
    ("平潭综合实验区", False),
    ("浦东新区人民政府", False),
    ("市乡村振兴局", False),
])
def test_a4_rules_from_agencies_that_cannot_make_them(agency: str, suspect: bool) -> None:
    report = attrs.evolve(with_cell(BASE_2021, "proactive.rules.in_force", 6), agency=agency)
    found = [f for f in all_findings(report) if f.code == "A4"]
    assert [f.status for f in found] == ["failed" if suspect else "passed"]
    if suspect:
        assert found[0].keys == ("proactive.rules.in_force",) and found[0].actual == 6
    zero = with_cells(report, proactive__rules__issued=0, proactive__rules__repealed=0,
                      proactive__rules__in_force=0)
    assert statuses(all_findings(zero), "A4") == {"passed"}


def test_a4_not_checkable() -> None:
    report = with_cell(BASE_2021, "proactive.rules.in_force", 6)
    assert statuses(check(attrs.evolve(report, agency=None)), "A4") == {"not_checkable"}
    county = attrs.evolve(BASE_2021, agency="青禾县民政局")
    for k in ("issued", "repealed", "in_force"):
        county = with_cell(county, f"proactive.rules.{k}", None)
    assert statuses(check(county), "A4") == {"not_checkable"}


# --------------------------------------------------------------------------- template and year


def test_d01_2019_form_after_2020() -> None:
    assert statuses(all_findings(attrs.evolve(BASE_2019, year=2020)), "D01") == {"passed"}
    found = [f for f in check(attrs.evolve(BASE_2019, year=2022)) if f.code == "D01"]
    assert {(f.status, f.actual, f.expected) for f in found} == {("failed", "2019", "2021")}
    assert len(found) == 2  # Table A and Table B
    assert statuses(check(attrs.evolve(BASE_2019, year=None)), "D01") == {"not_checkable"}


def with_label(report: Report, label: str | None) -> Report:
    proactive = report.proactive
    assert isinstance(proactive, Proactive2021)
    row = attrs.evolve(proactive.normative_documents, label=label)
    return attrs.evolve(report, proactive=attrs.evolve(proactive, normative_documents=row))


def test_d01_2019_label_in_2021_form() -> None:
    old = with_label(attrs.evolve(BASE_2021, year=2023), "规范性文件")
    f = next(f for f in check(old) if f.code == "D01")
    assert (f.status, f.actual, f.expected) == ("failed", "规范性文件", "行政规范性文件")
    assert f.keys[0] == "proactive.normative_documents.issued" and f.line is not None
    assert statuses(check(with_label(old, None)), "D01") == {"not_checkable"}
    assert "passed" in statuses(all_findings(BASE_2021), "D01")


def test_t01_form_newer_than_year() -> None:
    assert statuses(all_findings(BASE_2021), "T01") == {"passed"}
    found = [f for f in check(attrs.evolve(BASE_2021, year=2020)) if f.code == "T01"]
    assert {(f.status, f.actual, f.expected) for f in found} == {("failed", "2021", "2019")}
    found = [f for f in check(attrs.evolve(BASE_2019, year=2017)) if f.code == "T01"]
    assert {(f.status, f.expected) for f in found} == {("failed", None)}
    assert statuses(check(attrs.evolve(BASE_2021, year=None)), "T01") == {"not_checkable"}


def test_d03_section_without_table() -> None:
    assert statuses(all_findings(BASE_2021), "D03") == {"passed"}
    report = attrs.evolve(BASE_2021, review_litigation=None)
    section = next(s for s in report.sections if s.kind == "review_litigation")
    found = [f for f in check(report) if f.code == "D03"]
    assert [(f.status, f.line) for f in found] == [("failed", section.line)]
    assert section.title in found[0].message_zh


def test_d03_free_form() -> None:
    text, _ = generate(0, "prose", "freeform")
    old = govreport.parse(text)
    assert old.year is not None and old.year < 2019
    assert not [f for f in all_findings(old) if f.code == "D03"]
    unknown = attrs.evolve(old, year=None)
    assert statuses(check(unknown), "D03") == {"not_checkable"}
    late = attrs.evolve(old, year=2020)
    assert statuses(check(late), "D03") == {"failed"}


# --------------------------------------------------------------------------- prose


def with_overview(report: Report, text: str) -> Report:
    """The report with ``text`` as its only prose, in 一、总体情况."""
    sections = tuple(attrs.evolve(s, text=text if s.kind == "overview" else "", subsections=())
                     for s in report.sections)
    # As the parser would have it: the figures are read from that prose.
    edited = attrs.evolve(report, sections=sections)
    return attrs.evolve(edited, figures=prose_figures(edited))


APPLICATIONS_PROSE = "全年共收到政府信息公开申请12件，上年结转政府信息公开申请2件，办结13件，剩余1件结转下年度办理。"


def test_p1_figures_against_table_b() -> None:
    report = with_overview(with_cells(
        BASE_2021, applications__new_received__total=12, applications__carried_over__total=2,
        applications__total_concluded__total=13, applications__carried_forward__total=1),
        APPLICATIONS_PROSE)
    found = [f for f in all_findings(report) if f.code == "P1"]
    assert [f.status for f in found] == ["passed"] * 4
    assert {f.keys[0] for f in found} == {"applications.new_received.total",
                                          "applications.carried_over.total",
                                          "applications.total_concluded.total",
                                          "applications.carried_forward.total"}
    wrong = with_cell(report, "applications.total_concluded.total", 11)
    f = next(f for f in check(wrong) if f.code == "P1")
    assert (f.status, f.severity, f.actual, f.expected) == ("failed", "warning", 13, 11)
    assert "办结13件" in f.message_zh
    blank = with_cell(report, "applications.new_received.total", None)
    assert [f.status for f in check(blank) if f.code == "P1"] == ["not_checkable"]


def test_p2_figures_against_table_a() -> None:
    text = "全年公开行政许可决定40件、行政处罚决定7件，执法信息及时向社会公示。"
    report = with_overview(with_cells(BASE_2021, proactive__licensing__decisions=40,
                                      proactive__penalties__decisions=7), text)
    assert [f.status for f in all_findings(report) if f.code == "P2"] == ["passed", "passed"]
    wrong = with_cell(report, "proactive.penalties.decisions", 8)
    assert [(f.status, f.actual, f.expected) for f in check(wrong) if f.code == "P2"] == [
        ("failed", 7, 8)]
    blank = with_cell(report, "proactive.licensing.decisions", None)
    assert [f.status for f in check(blank) if f.code == "P2"] == ["not_checkable"]


def test_approximate_figures_are_not_compared() -> None:
    report = with_overview(BASE_2021, "全年共收到政府信息公开申请近500件。")
    figs = prose_figures(report)
    assert [(f.value, f.approximate) for f in figs] == [(500, True)]
    assert not [f for f in all_findings(report) if f.code == "P1"]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("全年收政府信息公开申请464件,结转上年度政府信息公开申请3件,本年度办结441件,剩余26件结转下年度办理",
     [("applications.received", 464), ("applications.carried_over", 3),
      ("applications.concluded", 441), ("applications.carried_forward", 26)]),
    ("全年受理依申请公开464件，441件已办结", [("applications.received", 464),
                                          ("applications.concluded", 441)]),
    ("本年度全区共收到70件申请，及时依法依规办结69件，1件结转下年度继续办理",
     [("applications.received", 70), ("applications.concluded", 69),
      ("applications.carried_forward", 1)]),
    ("共受理政府信息公开申请 1,215 件", [("applications.received", 1215)]),
    ("向社会公开行政许可事项229条,行政处罚1123条",
     [("proactive.licensing", 229), ("proactive.penalties", 1123)]),
    # Wordings that must not be taken for the table's figures.
    ("收到行政复议申请2件", []),
    ("市长信箱共收到来信120件，办结118件", []),
    ("上年度收到政府信息公开申请40件", []),
    ("受理政府信息公开申请20件（含上年结转3件）", [("applications.carried_over", 3)]),
    ("梳理公布行政许可事项56项", []),
    ("清理行政处罚事项120件", []),
    ("全年发布信息1.3万余条", []),
])
def test_prose_figure_patterns(sentence: str, expected: list[tuple[str, int]]) -> None:
    # Only the figures a check compares with a table: the mailbox and the
    # number of entries are figures too, but of other things.
    figs = [f for f in prose_figures(with_overview(BASE_2021, sentence)) if f.what in TABLE_KEYS]
    assert [(f.what, f.value) for f in figs] == expected
    assert all(isinstance(f, ProseFigure) and f.sentence and f.line > 0 for f in figs)


def test_prose_in_other_sections_is_ignored() -> None:
    report = with_overview(BASE_2021, "")
    sections = tuple(attrs.evolve(s, text="全年收到政府信息公开申请5件。")
                     if s.kind == "problems_improvements" else s for s in report.sections)
    assert prose_figures(attrs.evolve(report, sections=sections)) == ()


# --------------------------------------------------------------------------- series


def year_of(report: Report, year: int) -> Report:
    return attrs.evolve(report, year=year, source=f"r{year}.txt")


def test_b6_carried_over_equals_last_years_carried_forward() -> None:
    y1 = year_of(with_cell(BASE_2021, "applications.carried_forward.total", 4), 2022)
    y2 = year_of(with_cell(BASE_2021, "applications.carried_over.total", 4), 2023)
    found = [f for f in check_series([y2, y1], include_passed=True)
             if f.code == "B6" and f.keys[0].endswith(".total")]
    assert [(f.status, f.file) for f in found] == [("passed", "r2023.txt")]
    y2 = with_cell(y2, "applications.carried_over.total", 5)
    found = [f for f in check_series([y1, y2]) if f.code == "B6" and f.keys[0].endswith(".total")]
    assert [(f.status, f.severity, f.actual, f.expected) for f in found] == [
        ("failed", "warning", 5, 4)]
    y1 = with_cell(y1, "applications.carried_forward.total", None)
    found = [f for f in check_series([y1, y2]) if f.code == "B6" and f.keys[0].endswith(".total")]
    assert [f.status for f in found] == ["not_checkable"]


def test_a2_in_force_across_years() -> None:
    y1 = year_of(with_cell(BASE_2021, "proactive.rules.in_force", 10), 2022)
    y2 = year_of(with_cells(BASE_2021, proactive__rules__in_force=11, proactive__rules__issued=3,
                            proactive__rules__repealed=2), 2023)
    a2 = [f for f in check_series([y1, y2], include_passed=True)
          if f.code == "A2" and "proactive.rules.in_force" in f.keys]
    assert [f.status for f in a2] == ["passed"]
    y2 = with_cell(y2, "proactive.rules.in_force", 15)
    a2 = [f for f in check_series([y1, y2]) if f.code == "A2" and "proactive.rules.in_force" in f.keys]
    assert [(f.status, f.severity) for f in a2] == [("failed", "warning")]
    y2 = with_cell(y2, "proactive.rules.issued", None)
    a2 = [f for f in check_series([y1, y2]) if f.code == "A2" and "proactive.rules.in_force" in f.keys]
    assert [f.status for f in a2] == ["not_checkable"]


def test_series_gap_duplicates_and_missing_year() -> None:
    y1, y3 = year_of(BASE_2021, 2021), year_of(BASE_2021, 2023)
    gap = check_series([y1, y3])
    assert gap and all(f.status == "not_checkable" and "2022" in f.message_en for f in gap)
    assert check_series([y1]) == []
    with pytest.raises(ValueError, match="two reports for 2021"):
        check_series([y1, y1])
    with pytest.raises(ValueError, match="no year"):
        check_series([y1, attrs.evolve(y3, year=None)])


def test_series_across_2019_and_2021_forms() -> None:
    y1 = year_of(with_cell(BASE_2019, "applications.carried_forward.total", 4), 2020)
    y2 = year_of(with_cell(BASE_2021, "applications.carried_over.total", 4), 2021)
    found = [f for f in check_series([y1, y2], include_passed=True)
             if f.code == "B6" and f.keys[0].endswith(".total")]
    assert [f.status for f in found] == ["passed"]


# --------------------------------------------------------------------------- JSON


def test_findings_json_through_the_converter() -> None:
    report = with_cell(BASE_2021, "proactive.fees.amount_10k_yuan", Decimal("-1.25"))
    found = check(report)
    data = json.loads(findings_to_json(found))
    assert data == findings_to_dicts(found)
    a1 = next(d for d in data if d["code"] == "A1")
    assert a1["actual"] == "-1.25" and a1["keys"] == ["proactive.fees.amount_10k_yuan"]
    assert set(a1) == {f.name for f in attrs.fields(Finding)}


# --------------------------------------------------------------------------- real reports


def seed(prefix: str) -> Path:
    if not SEEDS.is_dir():
        pytest.skip("../shared is not beside the repository")
    return next(SEEDS.glob(f"{prefix}_*.txt"))


def failed_codes(path: Path) -> list[str]:
    return [f.code for f in check(govreport.parse_file(path)) if f.status == "failed"]


def test_seed_000_keeps_the_2019_label() -> None:
    found = check(govreport.parse_file(seed("000")))
    assert [(f.code, f.actual) for f in found if f.status == "failed"] == [("D01", "规范性文件")]
    p2 = [f for f in check(govreport.parse_file(seed("000")), include_passed=True)
          if f.code == "P2"]
    assert [(f.status, f.actual) for f in p2] == [("passed", 229), ("passed", 1123)]


def test_seed_001_only_the_2019_item_count_note() -> None:
    found = check(govreport.parse_file(seed("001")))
    assert [(f.code, f.severity) for f in found if f.status == "failed"] == [("A5", "info")]
    assert "B2" in {f.code for f in found if f.status == "not_checkable"}


def test_seed_002_free_form_has_nothing_to_check() -> None:
    assert check(govreport.parse_file(seed("002"))) == []


def test_seed_003_review_table_missing() -> None:
    found = check(govreport.parse_file(seed("003")), include_passed=True)
    d03 = [f for f in found if f.code == "D03" and f.status == "failed"]
    assert len(d03) == 1 and "行政复议" in d03[0].message_zh
    assert {f.code for f in found if f.status == "not_checkable"} == {"C1", "C2", "C3"}
    p1 = [f for f in found if f.code == "P1"]
    assert len(p1) == 8 and {f.status for f in p1} == {"passed"}
    assert {f.actual for f in p1} == {464, 3, 441, 26}
    assert [f.code for f in found if f.status == "failed"] == ["D03"]


def test_seed_004_balances() -> None:
    path = seed("004")
    assert failed_codes(path) == []
    p1 = [f for f in check(govreport.parse_file(path), include_passed=True) if f.code == "P1"]
    assert [(f.status, f.actual) for f in p1] == [("passed", 15)]


def test_check_series_over_pingtan_extra() -> None:
    extra = SHARED / "corpus" / "extra"
    files = sorted(extra.glob("00[1-7]_pingtan_*.txt")) if extra.is_dir() else []
    if len(files) != 7:
        pytest.skip("corpus/extra/001–007 are not beside the repository")
    reports = [govreport.parse_file(f) for f in files]
    found = check_series(reports, include_passed=True)
    assert {f.code for f in found} <= {"B6", "A2"}
    assert all(f.file in {str(p) for p in files} for f in found)
    years = sorted(r.year for r in reports if r.year is not None)
    assert years == list(range(2019, 2026))
