"""Crawler text: the fused layout and the solver that splits run-together digits.

Fixtures are made up (tests/fixtures/fused/) or made by "crawling" generated
reports: every line joined into one, every cell border removed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from conftest import EXTRA, FIXTURES
from hypothesis import given, settings
from hypothesis import strategies as st
from synth import CRAWL_STYLES, CrawledRow, crawled, generate

import govreport
from govreport.forms.applications import APPLICATIONS_2021
from govreport.forms.base import RowData, RowResult
from govreport.forms.digits import Pending, candidates, solve
from govreport.forms.proactive import PROACTIVE_2021
from govreport.layouts.crawler import _between, _Label, _next_number
from govreport.model import Cell
from govreport.registry import form

_HARD_2021 = APPLICATIONS_2021.hard_relations
_HARD_P2021 = PROACTIVE_2021.hard_relations

CRAWLER = FIXTURES / "fused" / "crawler_2021.txt"


def crawl(text: str, sep: str = "") -> str:
    """What a crawler makes of a report: one line, cells run together."""
    lines = (ln.replace("\t", "").replace("|", "").strip() for ln in text.split("\n"))
    return sep.join(ln for ln in lines if ln)


def _pending(key: str, n: int, *texts: str, kind: Any = "count") -> Pending:
    cols = ("natural_person", "commercial_enterprise", "research_institution",
            "social_welfare_org", "legal_service_org", "other_org", "total")[-n:]
    cells = tuple(Cell(t, 1, 1 + 10 * i) for i, t in enumerate(texts))
    return Pending(tuple((f"{key}.{c}", kind) for c in cols), cells, 1)


# --------------------------------------------------------------------------- candidates


def test_leading_zeros_fix_a_split_without_arithmetic() -> None:
    assert candidates(["000023"], ["count"] * 5) == [("0", "0", "0", "0", "23")]


def test_a_value_never_spans_two_runs() -> None:
    assert candidates(["23", "0", "00", "0", "023"], ["count"] * 7) == [
        ("23", "0", "0", "0", "0", "0", "23")]


def test_a_sign_starts_the_signed_column_only() -> None:
    kinds: list[Any] = ["count", "signed", "count"]
    assert candidates(["2648", "-18"], ["count", "signed"]) == [("2648", "-18")]
    split = candidates(["2648", "-18538"], kinds)
    assert split == [("2648", "-1", "8538"), ("2648", "-18", "538"), ("2648", "-185", "38"),
                     ("2648", "-1853", "8")]
    assert candidates(["-5", "3"], ["count", "count"]) == []


def test_amounts_keep_decimals_and_units_in_one_cell() -> None:
    got = candidates(["135.5万元"], ["count", "amount"])
    assert got == [("1", "35.5万元"), ("13", "5.5万元")]
    assert candidates(["30.5"], ["count", "amount"]) == [("3", "0.5")]


def test_too_few_digits_give_no_candidate() -> None:
    assert candidates(["12"], ["count"] * 3) == []


# --------------------------------------------------------------------------- solve


def test_a_row_total_settles_a_unique_split() -> None:
    p = _pending("applications.new_received", 7, "640020470")
    sol = solve(_HARD_2021, [p], {})
    got = [sol.values[k].value for k, _ in p.targets]
    assert got == [64, 0, 0, 2, 0, 4, 70]
    diag = next(d for d in sol.diagnostics if d.code == "inferred-split")
    assert "B2" in diag.message and diag.path == "applications.new_received"
    # provenance: each value names the column of the digits it came from
    assert sol.values["applications.new_received.total"].column == 8


def test_several_splits_give_none_where_they_differ_and_list_them() -> None:
    # 2|7|0|0|20|1|30 and 27|0|0|2|0|1|30 both add up; 其他 (1) and 总计 (30) agree.
    p = _pending("applications.granted", 7, "270020130")
    sol = solve(_HARD_2021, [p], {})
    values = {k.rsplit(".", 1)[1]: v.value for k, v in sol.values.items()}
    assert values["natural_person"] is None and values["social_welfare_org"] is None
    assert values["other_org"] == 1 and values["total"] == 30
    diag = next(d for d in sol.diagnostics if d.code == "ambiguous-split")
    assert "2|7|0|0|20|1|30" in diag.message and "27|0|0|2|0|1|30" in diag.message


def test_column_relations_pick_between_row_candidates() -> None:
    # Alone the granted row is ambiguous (above); B3 with a known total decides.
    p = _pending("applications.granted", 7, "270020130")
    known: dict[str, Any] = {f"applications.{r}.{c}": 0 for r in (
        "partially_granted", "withheld_state_secret", "withheld_prohibited_by_law",
        "withheld_security_stability", "withheld_third_party", "withheld_internal_affairs",
        "withheld_process_info", "withheld_enforcement_file", "withheld_admin_inquiry",
        "unable_not_held", "unable_needs_creation", "unable_unclear", "not_processed_complaint",
        "not_processed_duplicate", "not_processed_publication", "not_processed_excessive",
        "not_processed_confirmation", "other_no_correction", "other_fee_unpaid", "other_misc")
        for c in ("natural_person", "commercial_enterprise", "research_institution",
                  "social_welfare_org", "legal_service_org", "other_org", "total")}
    known.update({f"applications.total_concluded.{c}": v for c, v in zip(
        ("natural_person", "commercial_enterprise", "research_institution",
         "social_welfare_org", "legal_service_org", "other_org", "total"),
        (27, 0, 0, 2, 0, 1, 30), strict=True)})
    sol = solve(_HARD_2021, [p], known)
    assert [sol.values[k].value for k, _ in p.targets] == [27, 0, 0, 2, 0, 1, 30]


def test_a_contradicting_table_keeps_only_what_each_row_settles() -> None:
    # new_received fits its own total only as 20|…|1|21; the concluded total
    # (a known 30) cannot match anything, so B1 fails for every split.
    p = _pending("applications.new_received", 7, "200 000121")
    known: dict[str, Any] = {f"applications.{r}.{c}": 0 for r in ("carried_over",
                             "carried_forward") for c in ("natural_person", "total")}
    known["applications.total_concluded.total"] = 30
    sol = solve(_HARD_2021, [p], known)
    assert sol.values["applications.new_received.total"].value == 21
    diag = next(d for d in sol.diagnostics if d.code == "inferred-split")
    assert "contradicts itself" in diag.message


def test_an_unsplittable_run_gives_none_with_a_diagnostic() -> None:
    p = _pending("applications.granted", 7, "0012")
    sol = solve(_HARD_2021, [p], {})
    assert all(v.value is None for v in sol.values.values())
    assert [d.code for d in sol.diagnostics] == ["unsplittable"]


def test_rows_no_relation_reaches_stay_ambiguous() -> None:
    p = Pending(tuple((f"proactive.normative_documents.{c}", "count")
                      for c in ("issued", "repealed", "in_force")), (Cell("3025", 1, 1),), 1)
    sol = solve(_HARD_P2021, [p], {})
    assert all(v.value is None for v in sol.values.values())
    assert "nothing in the template relates" in sol.diagnostics[0].message


def test_a_row_its_own_total_rules_out_gets_no_value_and_is_flagged() -> None:
    # 1|1|1|1|1|1|1 is the only split of new_received, and its total is not
    # the sum of its columns. A wrong total or a blank cell (11|1|1|1|1|1|_)
    # would both explain the digits: the row gets no value; the others keep
    # what their own digits settle.
    bad = _pending("applications.new_received", 7, "1111111")
    good = _pending("applications.carried_over", 7, "0000000")
    known: dict[str, Any] = {f"applications.{r}.{c}": 0 for r in (
        "total_concluded", "carried_forward") for c in (
        "natural_person", "commercial_enterprise", "research_institution",
        "social_welfare_org", "legal_service_org", "other_org", "total")}
    sol = solve(_HARD_2021, [bad, good], known)
    assert [sol.values[k].value for k, _ in bad.targets] == [None] * 7
    assert [sol.values[k].value for k, _ in good.targets] == [0] * 7
    assert [d.code for d in sol.diagnostics] == ["ambiguous-split", "inferred-split"]
    assert "own row's arithmetic (B2)" in sol.diagnostics[0].message
    assert "1|1|1|1|1|1|1" in sol.diagnostics[0].message


def test_a_row_too_short_for_its_columns_stops_every_split_of_its_table() -> None:
    # 12|12 for seven columns: the table leaves cells blank, so 5200010 may
    # be 52|0|0|0|1|0|_ as well as 5|2|0|0|0|1|0; nothing is split.
    p = _pending("applications.granted", 7, "5200010")
    sol = solve(_HARD_2021, [p], {}, blanks="applications.carried_over has too few "
                "digits for its columns")
    assert all(v.value is None for v in sol.values.values())
    assert [d.code for d in sol.diagnostics] == ["ambiguous-split"]
    assert "applications.carried_over" in sol.diagnostics[0].message


# --------------------------------------------------------------------------- the layout


def test_crawler_fixture_outline_chrome_and_values() -> None:
    report = govreport.parse_file(CRAWLER)
    assert report.layout == "fused"
    assert (report.agency, report.year, report.template) == ("青禾县交通运输局", 2023, "2021")
    assert [s.title for s in report.sections] == [
        "总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况",
        "政府信息公开行政复议、行政诉讼情况", "存在的主要问题及改进情况", "其他需要报告的事项"]
    assert [s.title for s in report.sections[0].subsections] == ["主动公开方面", "依申请公开方面"]
    chrome = " ".join(c.text for c in report.chrome)
    assert "当前位置" in chrome and "打印本页" in chrome and "附件下载" in chrome
    assert "当前位置" not in report.preamble and "附件下载" not in report.sections[-1].text
    flat = govreport.flatten(report)
    assert [flat[f"applications.new_received.{c}"] for c in ("natural_person", "total")] == [12, 16]
    assert flat["applications.carried_over.total"] == 2          # split by single spaces
    assert flat["applications.withheld_third_party.total"] == 2  # numbering glued to digits
    assert flat["applications.unable_not_held.other_org"] == 1   # after a repeated group label
    assert flat["applications.carried_forward.commercial_enterprise"] == 1
    assert [flat[f"litigation_direct.{c}"] for c in ("upheld", "pending", "total")] == [10, 2, 12]
    assert flat["proactive.licensing.decisions"] == 156
    assert flat["proactive.fees.amount_10k_yuan"] == Decimal("12.5")
    # 3025 could be 3|0|25 or 30|2|5: none of the three is guessed
    assert [flat[f"proactive.normative_documents.{c}"] for c in
            ("issued", "repealed", "in_force")] == [None, None, None]
    filled = [k for k, v in flat.items() if v is not None and "." in k]
    assert len(filled) == 197


def test_the_repeated_label_is_kept_in_the_grid() -> None:
    report = govreport.parse_file(CRAWLER)
    grid = report.sections[2].grids[0]
    repeats = [r for r in grid.rows if r.cells[0].text == "三、本年度办理结果"]
    assert len(repeats) == 2


def test_crawled_2019_report_splits_signed_changes() -> None:
    text, exp = generate(5, "tab_rows", "2019")
    report = govreport.parse(crawl(text))
    flat = govreport.flatten(report)
    for key in ("proactive.penalties.prior_items", "proactive.fees.prior_items"):
        assert flat[key] in (exp["values"][key], None)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10**6), template=st.sampled_from(["2021", "2019"]),
       sep=st.sampled_from(["", " "]))
def test_crawled_reports_are_never_wrong(seed: int, template: str, sep: str) -> None:
    text, exp = generate(seed, "tab_rows", template)
    report = govreport.parse(crawl(text, sep))
    assert report.layout == "fused"
    assert [s.title for s in report.sections] == exp["sections"]
    flat = govreport.flatten(report)
    wrong = {k: (flat[k], v) for k, v in exp["values"].items()
             if flat[k] is not None and (v is None or Decimal(str(flat[k])) != Decimal(str(v)))}
    assert wrong == {}
    # Tables B and C carry their arithmetic: a cell comes back unless the
    # arithmetic admits two tables (e.g. 9|0|1|0|0|11|21 and 9|0|10|0|1|1|21
    # with matching outcome rows), and then a diagnostic names its row.
    ambiguous = {d.path for d in report.diagnostics if d.code == "ambiguous-split"}
    lost = [k for k in exp["values"] if not k.startswith("proactive.") and flat[k] is None
            and k.rsplit(".", 1)[0] not in ambiguous]
    assert lost == []


def test_arithmetic_that_admits_two_tables_gives_none() -> None:
    # Found by hypothesis: shifting one application between columns of three
    # rows keeps every relation; those cells must stay None, the rest are read.
    text, exp = generate(235613, "tab_rows", "2019")
    report = govreport.parse(crawl(text))
    flat = govreport.flatten(report)
    assert flat["applications.new_received.research_institution"] is None
    assert flat["applications.new_received.total"] == exp["values"][
        "applications.new_received.total"]
    assert any(d.code == "ambiguous-split" and d.path == "applications.granted"
               for d in report.diagnostics)


def test_plain_reports_are_not_taken_for_crawler_text() -> None:
    for layout in ("pipe_rows", "tab_cells", "prose"):
        text, _ = generate(3, layout, "2021" if layout != "prose" else "freeform")
        assert govreport.parse(text).layout == layout


# --------------------------------------------------------------------------- mixed styles


def test_numbering_after_spaced_values_continues_the_previous_rows() -> None:
    # "0 0 0 0 0 0 13.危及…" after "2.其他…": the last value is 1, the numbering 3.
    text = "2.其他法律行政法规禁止公开0 0 0 0 0 0 13.危及"
    label = _Label(0, text.index("0 "))
    assert _next_number(text, label) == (3, 1)
    gap_start, next_label = label.end, text.index("危")
    assert _between(text, gap_start, next_label, (3, 1)) == (text.index("3."), text.index("3."))
    # a value 0 before the numbering is a value: numbering never starts with 0
    text = "2.其他法律行政法规禁止公开0 0 0 0 0 0 03.危及"
    assert _between(text, label.end, text.index("危"), (1,)) == (text.index("3."),
                                                                text.index("3."))
    # glued: item 10 takes both digits when item 9 came before
    text = "9.某项000000010.某项"
    assert _between(text, 4, text.index("某", 5), (10, 1)) == (text.index("10."),
                                                               text.index("10."))
    # nothing continues the numbering: a single digit glued to values, as before
    assert _between(text, 4, text.index("某", 5), (4, 1)) == (text.index("0."),
                                                              text.index("0."))


def _determinable(rows: list[CrawledRow]) -> set[str]:
    """The keys whose value the text itself fixes, whatever the parser does.

    A row with a blank cell fixes none (a glued row loses the blank; a spaced
    one cannot say which cell it was). A spaced row of filled cells, and a
    one-value row, fix all theirs. A glued row of Tables B and C fixes its
    values through the template's arithmetic, unless its table has a row with
    only some cells blank: then any glued row may hide a blank cell. Glued
    Table A rows have no arithmetic to split them by.
    """
    partial = {r.table for r in rows if r.blanks and len(r.blanks) < len(r.keys)}
    out: set[str] = set()
    for r in rows:
        if r.blanks:
            continue
        spaced = r.style == "spaced" or len(r.keys) == 1
        if spaced or (r.table not in partial and not r.keys[0].startswith("proactive.")):
            out.update(r.keys)
    return out


def _check_crawled(seed: int, template: str, style: str, blanks: bool) -> tuple[int, int]:
    text, exp, rows = crawled(seed, template, style, blanks=blanks)
    report = govreport.parse(text)
    assert report.layout == "fused"
    assert [s.title for s in report.sections] == exp["sections"]
    flat = govreport.flatten(report)
    wrong = {k: (flat[k], v) for k, v in exp["values"].items()
             if flat[k] is not None and (v is None or Decimal(str(flat[k])) != Decimal(str(v)))}
    assert wrong == {}
    # A glued row may be read two ways when the arithmetic admits two tables
    # (test_arithmetic_that_admits_two_tables_gives_none): it is named so.
    several = {d.path for d in report.diagnostics
               if d.code == "ambiguous-split" and "several splits" in d.message}
    determinable = _determinable(rows)
    lost = sorted(k for k in determinable if flat[k] is None and k.rsplit(".", 1)[0] not in several)
    assert lost == []
    return len(determinable), sum(flat[k] is not None for k in determinable)


def test_rows_switching_between_glued_and_spaced_are_read() -> None:
    # 25 seeds x both templates x every style x blanks or not: 400 reports.
    determinable = read = 0
    for seed in range(25):
        for template in ("2021", "2019"):
            for style in CRAWL_STYLES:
                for blanks in (False, True):
                    d, r = _check_crawled(seed, template, style, blanks)
                    determinable, read = determinable + d, read + r
    assert read == determinable > 40_000


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10**6), template=st.sampled_from(["2021", "2019"]),
       style=st.sampled_from(CRAWL_STYLES), blanks=st.booleans())
def test_crawled_mixed_reports_are_never_wrong(seed: int, template: str, style: str,
                                               blanks: bool) -> None:
    _check_crawled(seed, template, style, blanks)


def test_a_spaced_row_with_a_blank_cell_is_not_split() -> None:
    # "52 0 0 0 1 0" for seven columns: one cell is blank, and which one the
    # text does not say; splitting 52 into 5|2 would invent two values.
    for seed in range(40):
        text, _, rows = crawled(seed, "2021", "spaced", blanks=True)
        partial = [r for r in rows if r.blanks and len(r.blanks) < len(r.keys)]
        if partial:
            break
    assert partial
    flat = govreport.flatten(govreport.parse(text))
    assert all(flat[k] is None for r in partial for k in r.keys)


# --------------------------------------------------------------------------- the corpus

CRAWLED = sorted(EXTRA.glob("0[01][0-9]_*.txt")) if EXTRA.is_dir() else []


@pytest.mark.skipif(not CRAWLED, reason="../shared/corpus/extra is not here")
@pytest.mark.parametrize("path", CRAWLED, ids=lambda p: p.name[:3])
def test_extra_crawler_reports_parse_with_outline(path: Any) -> None:
    report = govreport.parse_file(path)
    assert report.layout == "fused"
    assert report.agency and report.year
    assert len(report.sections) >= 4
    assert report.sections[0].kind == "overview"
    if report.year >= 2019:
        assert report.template == ("2021" if report.year >= 2021 else "2019")
        assert report.applications is not None and report.review_litigation is not None


def test_a_fused_row_given_twice_is_not_split() -> None:
    # Two different rows for one field: neither is trusted, so neither is split
    # (the solver must not give the first one's digits a value).
    table = form("applications_2021")
    assert table is not None
    rows = [RowResult("new_received", RowData("（一）新收", (Cell(run, line, 5),), line))
            for line, run in ((3, "640020470"), (4, "650020471"))]
    result = table.assemble(rows)
    row = result.table.new_received
    assert [getattr(row, c).value for c in ("natural_person", "total")] == [None, None]
    codes = [d.code for d in result.diagnostics]
    assert "duplicate-row" in codes and "inferred-split" not in codes
