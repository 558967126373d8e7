"""The 2014 statistics table (政府信息公开情况统计表, domain.md §3.3).

Fixtures in tests/fixtures/statistics/ are made up: a pipe table with
统计指标 | 单位 | 统计数, and crawler text with 指标名称 | 计量单位 | 本年度 |
历年累计, once with spaces between the cells and once with the digits of the
two value columns run together. The corpus tests read the real reports in
../shared and are skipped without them.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from conftest import EXTRA, FIXTURES, SEEDS, expected

import govreport
from govreport.arithmetic import statistics_cells, statistics_keys, statistics_relations
from govreport.forms.statistics import STATISTICS_2014, classify, indicator_of
from govreport.model import Report, Statistics2014, StatisticsRow, Value

HERE = FIXTURES / "statistics"
PIPE = HERE / "pipe_2016.txt"
SPACES = HERE / "spaces_2015.txt"
FUSED = HERE / "fused_2016.txt"


def _table(report: Report) -> Statistics2014:
    assert report.statistics is not None
    return report.statistics


def _row(table: Statistics2014, indicator: str) -> StatisticsRow:
    row = table.row(indicator)
    assert row is not None, indicator
    return row


def _numbers(row: StatisticsRow) -> list[object]:
    return [v.value for v in row.values]


def _located(path: Path, report: Report) -> None:
    """Every value names the line and column of its raw text in the file."""
    lines = path.read_text("utf-8").split("\n")
    for row in _table(report).rows:
        for v in row.values:
            if v.value is None:
                continue
            assert v.line is not None and v.column is not None and v.raw is not None
            assert lines[v.line - 1][v.column - 1:].startswith(v.raw), (row.label, v)


# --------------------------------------------------------------------------- vocabulary


def test_labels_name_indicators_whatever_their_numbering() -> None:
    assert indicator_of("其中：1、政府网站公开数") == "website"
    assert indicator_of("（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）") == \
        "items_published"
    assert indicator_of("3、信函、传真申请数") == "received_letter_fax"
    assert indicator_of("某某专栏访问量") is None
    # An item is named after the row it belongs to.
    assert indicator_of("（二）被依法纠错数", "litigation") == "litigation_corrected"
    assert indicator_of("（二）被依法纠错数") is None


def test_header_cells_and_units_are_this_tables_labels() -> None:
    assert classify(None, "统计指标") is not None
    assert classify(None, "2016年度") is not None
    assert classify(None, "历年累计") is not None
    unit = classify(None, "条")
    assert unit is not None and unit.role == "note"
    assert classify(None, "行政许可") is None  # Table A's, not this table's
    assert "2016年度" in STATISTICS_2014.labels


# --------------------------------------------------------------------------- a pipe table


def test_pipe_table_rows_units_and_nesting() -> None:
    report = govreport.parse_file(PIPE)
    table = _table(report)
    assert table.columns == ("统计数",)
    assert not any(d.code in ("unknown-table", "unrecognised-row") for d in report.diagnostics)
    group = table.rows[0]
    assert (group.indicator, group.unit, group.values, group.number) == \
        ("proactive", "——", (), "一、")
    items = _row(table, "items_published")
    assert items.unit == "条" and _numbers(items) == [412]
    assert items.parent == 0
    # 其中 belongs to the row above; numbered items to their group row.
    assert table.rows[_row(table, "normative_docs_published").parent or 0] == items
    by_channel = table.rows.index(_row(table, "by_channel"))
    assert _row(table, "website").parent == by_channel
    received = table.rows.index(_row(table, "received"))
    assert [r.indicator for r in table.rows if r.parent == received] == [
        "received_in_person", "received_fax", "received_online", "received_letter"]
    assert _numbers(_row(table, "admin_review_corrected")) == [0]
    assert _numbers(_row(table, "request_fees")) == [0]


def test_rows_the_vocabulary_does_not_know_are_rows_too() -> None:
    table = _table(govreport.parse_file(PIPE))
    unknown = next(r for r in table.rows if r.indicator is None)
    assert unknown.label == "四、政府信息公开专栏访问量"
    assert unknown.unit == "人次" and _numbers(unknown) == [20315]


def test_values_name_where_they_came_from() -> None:
    report = govreport.parse_file(PIPE)
    _located(PIPE, report)
    v = _row(_table(report), "website").values[0]
    assert (v.value, v.raw, v.line) == (388, "388", 18)


def test_check_reports_the_implied_relations_as_warnings() -> None:
    report = govreport.parse_file(PIPE)
    findings = govreport.check(report)
    # 收到申请数 17 ≠ 5 + 0 + 9 + 2: the fixture's own inconsistency.
    s3 = [f for f in findings if f.code == "S3"]
    assert len(s3) == 1 and s3[0].status == "failed" and s3[0].severity == "warning"
    assert s3[0].keys[0] == "statistics.received.value"
    assert (s3[0].actual, s3[0].expected, s3[0].line) == (17, 16, 21)
    passed = govreport.check(report, include_passed=True)
    assert {f.code for f in passed if f.status == "passed"} >= {"S2", "S3"}
    # The channels of 主动公开 overlap: no sum is asked of them.
    assert not any(f.code == "S3" and "items_published" in f.keys[0] for f in passed)


def test_relations_follow_the_rows_found() -> None:
    table = _table(govreport.parse_file(SPACES))
    rels = statistics_relations(table)
    assert {r.code for r in rels} == {"S1", "S2", "S3"}
    s1 = next(r for r in rels if r.code == "S1")
    assert (s1.left, s1.right, s1.op) == (("statistics.items_published.value",),
                                          ("statistics.items_published.cumulative",), "<=")
    keys = statistics_keys(table)
    assert keys[0] == ("statistics.items_published.value", "statistics.items_published.cumulative")
    cells = statistics_cells(table)
    assert cells["statistics.received.cumulative"].value == 28


def test_relations_and_keys_depend_on_the_rows_not_their_figures() -> None:
    table = _table(govreport.parse_file(SPACES))
    rels, keys = statistics_relations(table), statistics_keys(table)
    # Other figures, the same rows: the same relations and keys.
    refigured = attrs.evolve(table, rows=tuple(
        attrs.evolve(r, values=tuple(Value(7) for _ in r.values)) for r in table.rows))
    assert statistics_relations(refigured) == rels
    assert statistics_keys(refigured) == keys
    # An item in another unit is no part of its total: a different shape.
    i, item = next((i, r) for i, r in enumerate(table.rows)
                   if r.parent is not None and r.values and r.unit)
    rows = list(table.rows)
    rows[i] = attrs.evolve(item, unit="万元")
    reunited = statistics_relations(attrs.evolve(table, rows=tuple(rows)))
    assert len(reunited) < len(rels)
    # One row fewer: row numbers and relations follow.
    shorter = attrs.evolve(table, rows=table.rows[:1])
    assert statistics_keys(shorter) == keys[:1]


def test_tab_rows_with_an_unknown_column_in_the_header() -> None:
    text = ("松岭县民政局2015年政府信息公开工作年度报告\n一、概述\n2015年,本局继续推进工作。\n"
            "二、政府信息公开情况统计表\n指标名称\t计量单位\t本年度\t上年度\t历年累计\n"
            "主动公开文件数\t条\t12\t10\t130\n受理依申请公开信息总数\t件\t3\t2\t15\n"
            "其中:1、当面申请数\t件\t1\t1\t7\n2、网上申请数\t件\t2\t1\t8\n")
    report = govreport.parse(text)
    table = _table(report)
    assert table.columns == ("本年度", "上年度", "历年累计")
    assert _numbers(_row(table, "received_online")) == [2, 1, 8]
    assert statistics_keys(table)[0][-1] == "statistics.items_published.cumulative"
    assert not [f for f in govreport.check(report) if f.code.startswith("S")]


# --------------------------------------------------------------------------- crawler text


def test_crawler_text_with_spaces_reads_both_columns() -> None:
    report = govreport.parse_file(SPACES)
    table = _table(report)
    assert report.layout == "fused"
    assert table.columns == ("2015年度", "历年累计")
    assert _numbers(_row(table, "items_published")) == [425, 1516]
    assert _numbers(_row(table, "received_letter_fax")) == [4, 4]
    assert _numbers(_row(table, "fees_waived")) == [0, 0]
    website = _row(table, "website")
    assert website.label == "其中：1、政府网站公开数" and website.number == "1."
    assert website.parent == 0
    _located(SPACES, report)
    assert not [f for f in govreport.check(report) if f.code.startswith("S")]


def test_fused_digits_are_split_by_the_tables_relations() -> None:
    report = govreport.parse_file(FUSED)
    table = _table(report)
    # 4251516 alone could be 4|251516, 42|51516 or 425|1516; its items
    # (418|1509 and 7|7, each at most their total) leave only one.
    assert _numbers(_row(table, "items_published")) == [425, 1516]
    assert _numbers(_row(table, "website")) == [418, 1509]
    # 1530 could be 1|530 or 15|30: the replies must add up (S3).
    assert _numbers(_row(table, "replies")) == [15, 30]
    assert _numbers(_row(table, "replies_agreed")) == [12, 27]
    # The digit of 2、 glued to 018 is numbering, not a value.
    assert _numbers(_row(table, "received_in_person")) == [0, 18]
    assert all(v.note == "inferred" for v in _row(table, "received").values)
    _located(FUSED, report)


def test_an_ambiguous_run_stays_none_with_its_candidates() -> None:
    report = govreport.parse_file(FUSED)
    complaints = _row(_table(report), "complaints")
    assert _numbers(complaints) == [None, None]
    assert {v.note for v in complaints.values} == {"ambiguous"}
    diag = next(d for d in report.diagnostics if d.code == "ambiguous-split")
    assert diag.path == "statistics.complaints"
    assert "1|258" in diag.message and "12|58" in diag.message


# --------------------------------------------------------------------------- JSON


def test_json_round_trip_keeps_the_statistics() -> None:
    report = govreport.parse_file(FUSED)
    text = govreport.to_json(report)
    again = govreport.from_json(text)
    assert again == report
    assert again.statistics is not None and again.statistics.form == "statistics_2014"
    # The flat keys stay those of fields.tsv.
    assert not any(k.startswith("statistics.") for k in govreport.flatten(report))


def test_json_round_trip_of_a_made_up_table() -> None:
    row = StatisticsRow("收到申请数", number="(一)", indicator="received", unit="件",
                        values=(Value(3, "3", 4, 9),), line=4)
    report = Report(title=None, agency=None, year=2015, template="freeform", layout="tab_rows",
                    statistics=Statistics2014(columns=("统计数",), rows=(row,)))
    assert govreport.from_json(govreport.to_json(report)) == report


# --------------------------------------------------------------------------- the real corpus


@pytest.fixture
def seed_001() -> Path:
    path = SEEDS / "001_c4d8e41b12f6790a.txt"
    if not path.is_file():
        pytest.skip("seed 001 is not in ../shared")
    return path


def _extra(prefix: str) -> Path:
    found = sorted(EXTRA.glob(f"{prefix}_*.txt")) if EXTRA.is_dir() else []
    if not found:
        pytest.skip(f"extra/{prefix} is not in ../shared")
    return found[0]


def test_seed_001_table_two_is_read(seed_001: Path) -> None:
    report = govreport.parse_file(seed_001)
    table = _table(report)
    assert table.columns == ("统计数",)
    assert [r.indicator for r in table.rows] == [
        "items_published", "by_channel", "gazette", "website", "weibo", "wechat",
        "hot_topics_responded", "response_by_channel", "press_conferences",
        "press_conferences_by_principal", "online_interviews", "online_interviews_by_principal",
        "policy_interpretations", "social_media_responses"]
    assert _numbers(_row(table, "items_published")) == [900]
    assert _numbers(_row(table, "wechat")) == [520]
    assert _row(table, "by_channel").unit == "——"
    principal = _row(table, "press_conferences_by_principal")
    assert table.rows[principal.parent or 0].indicator == "press_conferences"
    _located(seed_001, report)
    assert not any(d.code == "unknown-table" for d in report.diagnostics)


def test_seed_001_template_tables_keep_their_values(seed_001: Path) -> None:
    report = govreport.parse_file(seed_001)
    flat = govreport.flatten(report)
    want = expected(seed_001)["values"]
    # The statistics table takes no row of Tables A–C, nor they one of it.
    assert set(flat) == set(want)
    assert {k: v for k, v in flat.items() if v != want[k]
            and Decimal(str(v)) != Decimal(str(want[k]))} == {}
    assert report.proactive is not None and not report.proactive.extra_rows
    assert not any(d.code == "unrecognised-row" for d in report.diagnostics)


def test_pingtan_2014_reads_both_columns_with_provenance() -> None:
    path = _extra("012")
    report = govreport.parse_file(path)
    table = _table(report)
    assert table.columns == ("2014年度", "历年累计")
    items = _row(table, "items_published")
    assert items.label == "主动公开文件数" and items.unit == "条"
    assert _numbers(items) == [2543, 78967]
    assert [v.raw for v in items.values] == ["2543", "78967"]
    _located(path, report)
    assert _numbers(_row(table, "received_letter_fax")) == [1, 1]


def test_pingtan_2016_fused_run_is_ambiguous_not_guessed() -> None:
    report = govreport.parse_file(_extra("010"))
    table = _table(report)
    assert _numbers(_row(table, "items_published")) == [None, None]
    diag = next(d for d in report.diagnostics if d.code == "ambiguous-split"
                and d.path == "statistics.items_published")
    assert "3460|85376" in diag.message and "346|085376" not in diag.message
    assert _numbers(_row(table, "gazette")) == [0, 0]
    assert _numbers(_row(table, "litigation")) == [0, 0]


def test_pingtan_2015_fused_zeros_and_ones() -> None:
    table = _table(govreport.parse_file(_extra("011")))
    assert _numbers(_row(table, "received")) == [0, 1]
    assert _numbers(_row(table, "replies_agreed")) == [0, 1]
    assert len(table.rows) == 16


def test_pingtan_2011_fused_run_settled_by_its_items() -> None:
    table = _table(govreport.parse_file(_extra("019")))
    assert _numbers(_row(table, "items_published")) == [425, 1516]
    assert _numbers(_row(table, "website")) == [418, 1509]
