"""The panel: canonical indicators across eras, agency keys, duplicates, the command."""

from __future__ import annotations

import csv
import json
import random
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
import synth
from conftest import EXTRA, ROOT

import govreport
import govreport.panels
from govreport.agency import agency_key, read_aliases
from govreport.cli import main
from govreport.errors import InputError
from govreport.indicators import BY_NAME, INDICATORS
from govreport.model import (
    ApplicantRow,
    Applications2019,
    Applications2021,
    CaseOutcomes,
    Proactive2021,
    ProseFigure,
    Report,
    ReviewLitigation,
    Section,
    Statistics2014,
    StatisticsRow,
    Value,
)
from govreport.panels import COLUMNS, PanelRow, panel

# --------------------------------------------------------------------------- agency keys


@pytest.mark.parametrize(("a", "b"), [
    ("平潭综合实验区", "平潭综合实验区管委会"),
    ("平潭综合实验区", "平潭综合实验区管理委员会"),
    ("平潭综合实验区", " 平潭综合 实验区　管委会 "),
    ("平潭县人民政府", "平潭縣人民政府"),          # Traditional
    ("平潭县人民政府", "平潭县政府"),
    ("上海市人民政府", "上海市"),
    ("ABC县人民政府", "ＡＢＣ县人民政府"),          # full width
    ("潭柘寺镇人民政府", "潭柘寺镇"),
    ("城关街道办事处", "城关街道"),
    ("上海市人民政府办公厅", "上海市人民政府辦公廳"),
])
def test_one_body_one_key(a: str, b: str) -> None:
    assert agency_key(a) == agency_key(b)


@pytest.mark.parametrize(("a", "b"), [
    ("平潭县人民政府", "平潭综合实验区"),
    ("平潭综合实验区地方税务局", "平潭综合实验区"),
    ("平潭综合实验区地方税务局", "平潭县人民政府"),
    ("上海市人民政府办公厅", "上海市人民政府"),       # an office is not the government
    ("平潭综合实验区公安局", "平潭综合实验区管委会"),
    ("平潭县", "平潭综合实验区"),
])
def test_different_bodies_stay_apart(a: str, b: str) -> None:
    assert agency_key(a) != agency_key(b)


def test_agency_key_of_nothing() -> None:
    assert agency_key(None) is None
    assert agency_key("  ") is None


def test_aliases(tmp_path: Path) -> None:
    path = tmp_path / "aliases.csv"
    path.write_text("alias,agency\n岚岛管委会,平潭综合实验区管委会\n平潭实验区,平潭综合实验区\n",
                    encoding="utf-8")
    aliases = read_aliases(path)
    assert agency_key("岚岛管委会", aliases) == agency_key("平潭综合实验区") == "平潭综合实验区"
    assert agency_key("平潭实验区", aliases) == "平潭综合实验区"
    assert agency_key("平潭实验区管委会", aliases) == "平潭综合实验区"  # a spelling of the alias
    assert agency_key("平潭县人民政府", aliases) == "平潭县"        # untouched


def test_aliases_refuse_bad_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b,c\n", encoding="utf-8")
    with pytest.raises(InputError, match="two names"):
        read_aliases(bad)
    twice = tmp_path / "twice.csv"
    twice.write_text("x局,平潭县人民政府\nx局,平潭综合实验区\n", encoding="utf-8")
    with pytest.raises(InputError, match="two agencies"):
        read_aliases(twice)
    with pytest.raises(InputError):
        read_aliases(tmp_path / "missing.csv")


# --------------------------------------------------------------------------- building reports


def _v(n: int | Decimal | None, line: int = 5) -> Value:
    return Value(value=n, raw=None if n is None else str(n), line=line)


def _b_row(total: int | None, *, person: int | None = None) -> ApplicantRow:
    person = total if person is None else person
    return ApplicantRow(natural_person=_v(person), commercial_enterprise=_v(0),
                        research_institution=_v(0), social_welfare_org=_v(0),
                        legal_service_org=_v(0), other_org=_v(0), total=_v(total))


def _figure(what: str, value: int, sentence: str, *, approximate: bool = False) -> ProseFigure:
    return ProseFigure(what=what, value=value, unit="件", approximate=approximate, line=3,
                       sentence=sentence, span=(0, len(sentence)), section="overview")


def _report(agency: str = "青禾县人民政府", year: int = 2021, source: str = "a.txt",
            **kw: Any) -> Report:
    template = kw.pop("template", "freeform")
    return Report(title=None, agency=agency, year=year, template=template, layout="test",
                  source=source, **kw)


def _rows(p: Any, indicator: str, applicant: str = "total") -> list[PanelRow]:
    return [r for r in p.rows if r.indicator == indicator and r.applicant == applicant]


def _one(p: Any, indicator: str, applicant: str = "total") -> PanelRow:
    rows = _rows(p, indicator, applicant)
    assert len(rows) == 1, rows
    return rows[0]


# --------------------------------------------------------------------------- indicators


def test_table_b_gives_every_applicant_column() -> None:
    b = Applications2021(new_received=_b_row(7, person=5), granted=_b_row(3))
    p = panel([_report(template="2021", applications=b)])
    received = [r for r in p.rows if r.indicator == "applications.received"]
    assert [r.applicant for r in received] == ["natural_person", "commercial_enterprise",
                                               "research_institution", "social_welfare_org",
                                               "legal_service_org", "other_org", "total"]
    assert received[0].value == 5 and received[-1].value == 7
    assert {r.source for r in received} == {"table"}
    assert received[-1].agency_key == "青禾县" and received[-1].year == 2021
    assert received[-1].file == "a.txt" and received[-1].template == "2021"


def test_blank_cell_is_none_never_zero() -> None:
    row = attrs.evolve(_b_row(4), total=Value(note="blank"))
    p = panel([_report(template="2021", applications=Applications2021(new_received=row))])
    assert _one(p, "applications.received").value is None
    # Rows the table does not state at all are None too, not 0.
    assert _one(p, "applications.carried_forward").value is None


def test_sums_need_every_part() -> None:
    full = Applications2021(withheld_state_secret=_b_row(1), withheld_prohibited_by_law=_b_row(2),
                            withheld_security_stability=_b_row(0), withheld_third_party=_b_row(0),
                            withheld_internal_affairs=_b_row(0), withheld_process_info=_b_row(0),
                            withheld_enforcement_file=_b_row(0), withheld_admin_inquiry=_b_row(4))
    assert _one(panel([_report(template="2021", applications=full)]),
                "applications.withheld").value == 7
    partial = attrs.evolve(full, withheld_third_party=ApplicantRow())
    p = panel([_report(template="2021", applications=partial)])
    assert _one(p, "applications.withheld").value is None
    assert _one(p, "applications.withheld", "natural_person").value is None


def test_other_handling_in_both_templates() -> None:
    b19 = Applications2019(other_handling=_b_row(3))
    assert _one(panel([_report(template="2019", applications=b19)]),
                "applications.other").value == 3
    b21 = Applications2021(other_no_correction=_b_row(1), other_fee_unpaid=_b_row(0),
                           other_misc=_b_row(2))
    p = panel([_report(template="2021", applications=b21)])
    assert _one(p, "applications.other").value == 3
    assert _one(p, "applications.other", "natural_person").value == 3


def test_litigation_adds_direct_and_after_review() -> None:
    c = ReviewLitigation(review=CaseOutcomes(total=_v(2), upheld=_v(2)),
                         litigation_direct=CaseOutcomes(total=_v(3)),
                         litigation_after_review=CaseOutcomes(total=_v(1)))
    p = panel([_report(template="2021", review_litigation=c)])
    assert _one(p, "review.total", "").value == 2
    assert _one(p, "litigation.total", "").value == 4
    assert _one(p, "litigation.direct.total", "").value == 3
    assert _one(p, "litigation.upheld", "").value is None  # its cells are blank


def test_fees_from_the_2021_table() -> None:
    a = Proactive2021()
    a = attrs.evolve(a, fees=attrs.evolve(a.fees, amount_10k_yuan=_v(Decimal("12.5"))))
    row = _one(panel([_report(template="2021", proactive=a)]), "proactive.fees.amount", "")
    assert row.value == Decimal("12.5") and row.unit == "万元"


def _statistics(*rows: tuple[str, str, str, tuple[int | Decimal | None, ...]],
                columns: tuple[str, ...] = ("2015年度", "历年累计")) -> Statistics2014:
    return Statistics2014(columns=columns, rows=tuple(
        StatisticsRow(label=label, indicator=ind, unit=unit, values=tuple(_v(n, 20) for n in ns),
                      line=20) for label, ind, unit, ns in rows))


def test_statistics_table_feeds_this_years_column() -> None:
    stats = _statistics(("受理依申请公开信息总数", "received", "条", (0, 1)),
                        ("同意公开答复数", "replies_agreed", "条", (2, 9)),
                        ("对申请的答复总数", "replies", "条", (3, 9)),
                        ("依申请公开信息收取的费用", "request_fees", "万元", (Decimal("0.5"), 1)),
                        ("行政复议数量", "admin_review", "件", (4, 4)))
    p = panel([_report(year=2015, statistics=stats)])
    received = _one(p, "applications.received")
    assert (received.value, received.source, received.applicant) == (0, "statistics", "total")
    assert _one(p, "applications.granted").value == 2
    assert _one(p, "applications.concluded").value == 3      # 对申请的答复总数
    assert _one(p, "applications.fees.collected", "").value == 5000   # 万元 → 元
    assert _one(p, "review.total", "").value == 4
    # No other applicant column exists before 2019.
    assert _rows(p, "applications.received", "natural_person") == []


def test_statistics_without_header_and_two_columns_is_not_guessed() -> None:
    stats = _statistics(("受理依申请公开信息总数", "received", "条", (1, 5)), columns=())
    p = panel([_report(statistics=stats)])
    assert _one(p, "applications.received").value is None
    one = _statistics(("受理依申请公开信息总数", "received", "条", (6,)), columns=())
    assert _one(panel([_report(statistics=one)]), "applications.received").value == 6


def test_amount_in_an_unstated_unit_is_not_guessed() -> None:
    stats = _statistics(("依申请公开信息收取的费用", "request_fees", "——", (3, 3)))
    assert _one(panel([_report(year=2015, statistics=stats)]), "applications.fees.collected",
                "").value is None


def test_prose_alone_gives_the_value() -> None:
    figures = (_figure("applications.received", 12, "全年共受理政府信息公开申请12件"),)
    row = _one(panel([_report(year=2010, figures=figures)]), "applications.received")
    assert (row.value, row.source, row.line) == (12, "prose", 3)


def test_table_wins_over_prose_and_the_disagreement_is_a_finding() -> None:
    figures = (_figure("applications.received", 75, "全区收到政府信息公开申请75件"),)
    b = Applications2021(new_received=_b_row(74))
    p = panel([_report(template="2021", applications=b, figures=figures)])
    row = _one(p, "applications.received")
    assert (row.value, row.source) == (74, "table")
    [finding] = p.findings
    assert finding.code == "N1" and finding.keys == ("applications.received",)
    assert (finding.expected, finding.actual) == (74, 75)
    assert finding.file == "a.txt"


def test_statistics_wins_over_prose() -> None:
    stats = _statistics(("主动公开信息数", "items_published", "条", (739, 4359)))
    figures = (_figure("proactive.items", 1913, "2012年主动公开政府信息1913条"),)
    p = panel([_report(year=2015, statistics=stats, figures=figures)])
    assert _one(p, "proactive.published", "").value == 739
    assert [f.code for f in p.findings] == ["N1"]


def test_prose_fills_a_cell_the_table_could_not_read() -> None:
    stats = _statistics(("主动公开文件数", "items_published", "条", (None, None)))
    figures = (_figure("proactive.items", 3460, "2016年全区主动公开政府信息3460条"),)
    row = _one(panel([_report(year=2015, statistics=stats, figures=figures)]),
               "proactive.published", "")
    assert (row.value, row.source) == (3460, "prose")


def test_prose_that_states_several_values_is_absent() -> None:
    figures = (_figure("applications.received", 12, "受理申请12件"),
               _figure("applications.received", 15, "收到申请15件"))
    p = panel([_report(figures=figures)])
    assert _rows(p, "applications.received") == []
    assert [f.code for f in p.findings] == ["N3"]


def test_approximate_prose_is_absent() -> None:
    figures = (_figure("applications.received", 500, "受理申请近500件", approximate=True),)
    assert _rows(panel([_report(figures=figures)]), "applications.received") == []


@pytest.mark.parametrize(("sentence", "value"), [
    ("2018年全区主动公开政府信息2069条", 2069),
    ("今年，我区政府信息公开单位共公布政府信息2599条", 2599),
    ("全年主动公开我区各级单位政府信息2645条", 2645),
    ("其中，区管委会及区直各部门主动公开政府信息1592条", None),
    ("2018年，我区主动公开政府信息的主要类别有：机构职能类信息211条", None),
    ("今年累计主动公开采购信息25条", None),
])
def test_proactive_total_only_from_the_total_wording(sentence: str, value: int | None) -> None:
    n = int("".join(c for c in sentence.rsplit("信息", 1)[1] if c.isdigit()))
    figures = (ProseFigure(what="proactive.items", value=n, unit="条", approximate=False, line=1,
                           sentence=sentence, span=(0, 1), section="proactive_disclosure"),)
    rows = _rows(panel([_report(figures=figures)]), "proactive.published", "")
    assert [r.value for r in rows] == ([] if value is None else [value])


def test_every_indicator_is_documented() -> None:
    text = (ROOT / "docs" / "panel.md").read_text(encoding="utf-8")
    for ind in INDICATORS:
        assert f"`{ind.name}`" in text, ind.name
        assert ind.zh.split("：")[-1].split("（")[0] in text, ind.zh
    assert len(BY_NAME) == len(INDICATORS)


# --------------------------------------------------------------------------- duplicates


def test_duplicates_give_one_set_of_rows() -> None:
    b = Applications2021(new_received=_b_row(9), granted=_b_row(4))
    html = _report(template="2021", applications=b, source="r.html")
    docx = _report(agency="青禾县人民政府", template="2021", applications=b, source="r.docx")
    pdf = _report(template="2021", source="r.pdf",
                  applications=Applications2021(new_received=_b_row(9)))
    other = _report(agency="青禾县公安局", template="2021", applications=b, source="police.txt")
    p = panel([pdf, html, docx, other])
    assert [r.file for r in _rows(p, "applications.received")] == ["r.html", "police.txt"]
    listing = {f.file: f.duplicate_of for f in p.files}
    assert listing == {"r.pdf": "r.html", "r.html": None, "r.docx": "r.html", "police.txt": None}
    assert p.findings == ()


def test_duplicates_that_disagree_are_a_finding() -> None:
    a = _report(template="2021", applications=Applications2021(new_received=_b_row(9)),
                source="r.html")
    b = _report(template="2021", applications=Applications2021(new_received=_b_row(8)),
                source="r.docx")
    p = panel([a, b])
    assert [f.code for f in p.findings] == ["N2", "N2"]   # natural_person and total
    assert {f.file for f in p.findings} == {"r.html"}
    assert [(f.expected, f.actual) for f in p.findings] == [(9, 8), (9, 8)]


def test_reports_without_agency_or_year_are_never_merged() -> None:
    figures = (_figure("applications.received", 3, "受理申请3件"),)
    p = panel([_report(agency=None, figures=figures, source="x"),  # type: ignore[arg-type]
               _report(agency=None, figures=figures, source="y")])  # type: ignore[arg-type]
    assert len(_rows(p, "applications.received")) == 2
    assert all(f.duplicate_of is None for f in p.files)


def test_to_pandas_keeps_missing_values() -> None:
    pytest.importorskip("pandas")
    row = attrs.evolve(_b_row(4), total=Value(note="blank"))
    frame = panel([_report(template="2021", applications=Applications2021(new_received=row))]
                  ).to_pandas()
    assert list(frame.columns) == list(COLUMNS)
    assert str(frame["value"].dtype) == "Float64" and str(frame["year"].dtype) == "Int64"
    totals = frame[(frame.indicator == "applications.received") & (frame.applicant == "total")]
    assert totals["value"].isna().all()
    assert totals.groupby("year")["value"].sum(min_count=1).isna().all()


def test_govreport_panel_is_lazy() -> None:
    code = ("import sys, govreport; assert 'govreport.panels' not in sys.modules; "
            "f = govreport.panel; assert 'govreport.panels' in sys.modules; "
            "import govreport.panels; assert govreport.panel is f and callable(f)")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120,
                   env={"PYTHONPATH": str(ROOT)})


# --------------------------------------------------------------------------- the command


def _synthetic(tmp_path: Path, n: int = 4) -> list[tuple[Path, dict[str, Any]]]:
    out = []
    for seed in range(n):
        template = ("2021", "2019")[seed % 2]
        text, expected = synth.generate(seed, "tab_rows" if template == "2021" else "pipe_rows",
                                        template)
        path = tmp_path / f"r{seed}.txt"
        path.write_text(text, encoding="utf-8")
        out.append((path, expected))
    return out


def test_command_writes_csv_and_files_and_findings(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    made = _synthetic(tmp_path)
    # The same report again, in another file: a duplicate.
    (tmp_path / "r0_copy.txt").write_text(made[0][0].read_text("utf-8"), encoding="utf-8")
    out, files, findings = tmp_path / "p.csv", tmp_path / "files.csv", tmp_path / "f.jsonl"
    assert main(["panel", str(tmp_path), "-o", str(out), "--files", str(files),
                 "--findings", str(findings), "-j", "0"]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert tuple(rows[0]) == COLUMNS
    for path, expected in made:
        mine = {(r["indicator"], r["applicant"]): r["value"] for r in rows
                if r["file"] == str(path)}
        want = expected["values"]["applications.new_received.total"]
        assert mine[("applications.received", "total")] == ("" if want is None else str(want))
    assert not any(r["file"].endswith("r0_copy.txt") for r in rows)
    listing = {Path(r["file"]).name: r for r in csv.DictReader(files.open(encoding="utf-8"))}
    assert listing["r0_copy.txt"]["duplicate_of"] == str(made[0][0])
    assert findings.read_text(encoding="utf-8") == ""
    assert "duplicate_of" in capsys.readouterr().err


@pytest.mark.parametrize("suffix", ["jsonl", "parquet"])
def test_command_writes_jsonl_and_parquet(tmp_path: Path, suffix: str) -> None:
    if suffix == "parquet":
        pytest.importorskip("pyarrow")
    made = _synthetic(tmp_path, 2)
    out = tmp_path / f"p.{suffix}"
    assert main(["panel", str(tmp_path), "-o", str(out), "-j", "0"]) == 0
    if suffix == "jsonl":
        rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    else:
        import pyarrow.parquet as pq
        rows = pq.read_table(out).to_pylist()
    assert list(rows[0]) == list(COLUMNS)
    got = {r["file"]: r["value"] for r in rows
           if r["indicator"] == "applications.received" and r["applicant"] == "total"}
    assert got == {str(p): e["values"]["applications.new_received.total"] for p, e in made}
    assert all(isinstance(r["value"], (int, float)) or r["value"] is None for r in rows)


def test_command_with_a_pool_matches_without(tmp_path: Path) -> None:
    _synthetic(tmp_path, 6)
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    assert main(["panel", str(tmp_path), "-o", str(a), "-j", "0"]) == 0
    assert main(["panel", str(tmp_path), "-o", str(b), "-j", "2"]) == 0
    assert a.read_bytes() == b.read_bytes()


def test_command_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["panel", str(tmp_path / "nothing-here")]) == 1   # a missing file
    (tmp_path / "empty").mkdir()
    assert main(["panel", str(tmp_path / "empty")]) == 1           # no report file
    assert main(["panel", str(tmp_path), "--format", "parquet"]) == 2
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    assert main(["panel", str(tmp_path), "-o", str(tmp_path / "no" / "dir.csv")]) == 1
    assert "cannot write" in capsys.readouterr().err


def test_command_aliases(tmp_path: Path) -> None:
    text, expected = synth.generate(3, "tab_rows", "2021")
    (tmp_path / "r.txt").write_text(text, encoding="utf-8")
    aliases = tmp_path / "aliases.csv"
    aliases.write_text(f"{expected['agency']},某某机关\n", encoding="utf-8")
    out = tmp_path / "p.csv"
    assert main(["panel", str(tmp_path / "r.txt"), "-o", str(out), "--aliases", str(aliases),
                 "-j", "0"]) == 0
    assert {r["agency_key"] for r in csv.DictReader(out.open(encoding="utf-8"))} == {"某某机关"}


# --------------------------------------------------------------------------- the real corpus

# Applications received by the Pingtan zone government, as its reports state them (read in
# each report: 2019 on, Table B 本年新收 总计; before, the statistics table's
# 受理依申请公开信息总数, this year's column; the prose agrees: "未收到…申请", 2014 "信函申请1条").
ZONE_RECEIVED = {2011: 0, 2012: 0, 2013: 0, 2014: 1, 2015: 0, 2016: 0, 2017: 0, 2018: 0,
                 2019: 23, 2020: 21, 2021: 70, 2022: 74, 2023: 81, 2024: 218, 2025: 154}


@pytest.fixture(scope="module")
def extra_panel(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, str]]:
    if not EXTRA.is_dir():
        pytest.skip("../shared is not beside the repository")
    out = tmp_path_factory.mktemp("panel") / "p.csv"
    assert main(["panel", str(EXTRA), "-o", str(out), "-j", "0"]) == 0
    return list(csv.DictReader(out.open(encoding="utf-8")))


def test_zone_applications_received_2011_to_2025(extra_panel: list[dict[str, str]]) -> None:
    received = [r for r in extra_panel
                if r["indicator"] == "applications.received" and r["applicant"] == "total"]
    zone = {int(r["year"]): int(r["value"]) for r in received
            if r["agency_key"] == "平潭综合实验区"}
    assert zone == ZONE_RECEIVED
    # The 管委会 spelling is in, the county government and the tax bureau are apart.
    assert {r["agency"] for r in received if r["agency_key"] == "平潭综合实验区"} == {
        "平潭综合实验区", "平潭综合实验区管委会"}
    keys = {Path(r["file"]).name[:3]: r["agency_key"] for r in extra_panel}
    assert {keys[f] for f in ("015", "017", "019")} == {"平潭县"}
    assert keys.get("013", "平潭综合实验区地方税务局") == "平潭综合实验区地方税务局"


def test_shanghai_2019_once(extra_panel: list[dict[str, str]]) -> None:
    files = {r["file"] for r in extra_panel if r["agency_key"] == "上海市人民政府办公厅"}
    assert len(files) == 1
    received = [r for r in extra_panel if r["agency_key"] == "上海市人民政府办公厅"
                and r["indicator"] == "applications.received" and r["applicant"] == "total"]
    assert [r["value"] for r in received] == ["859"]


def test_panel_of_parsed_reports_equals_the_command(extra_panel: list[dict[str, str]]) -> None:
    reports = [govreport.parse_file(p) for p in sorted(EXTRA.glob("0[01]*.txt"))]
    rows = govreport.panel(reports).rows
    mine = {(r.file, r.indicator, r.applicant): r.value for r in rows}
    theirs = {(r["file"], r["indicator"], r["applicant"]): r["value"] for r in extra_panel
              if r["file"] in {r.file for r in rows}}
    assert {k: "" if v is None else str(v) for k, v in mine.items()} == theirs


def test_random_reports_round_trip_table_b(tmp_path: Path) -> None:
    rng = random.Random(7)
    for seed in rng.sample(range(1000), 5):
        text, expected = synth.generate(seed, "pipe_rows", "2021")
        report = govreport.parse(text)
        p = panel([report])
        for column in ("natural_person", "total"):
            want = expected["values"][f"applications.granted.{column}"]
            assert _one(p, "applications.granted", column).value == want


# --------------------------------------------------------------------------- docs

DOC = ROOT / "docs" / "panel.md"


def _statistics_label(name: str) -> str:
    from govreport.forms.statistics import INDICATORS as LABELS
    from govreport.forms.statistics import ITEMS

    found = [label for label, n in LABELS.items() if n == name]
    if found:
        return " / ".join(found)
    parents = [(label, n) for label, n in LABELS.items() if name.startswith(f"{n}_")]
    items = list(dict.fromkeys(label for label, item in ITEMS.items()
                               for _, parent in parents if name == f"{parent}_{item}"))
    assert items, name
    return f"{' / '.join(p for p, _ in parents)} › {' / '.join(items)}"


def _feeds(paths: tuple[str, ...], form: str) -> str:
    prefix = {"applications": "applications.", "proactive": "proactive."}.get(
        form.split("_")[0], "")
    suffix = ".*" if form.startswith("applications") else ""
    return " + ".join(f"`{prefix}{p}{suffix}`" for p in paths)


def indicator_table() -> str:
    """The indicator table of docs/panel.md, from govreport.indicators."""
    out = ["| indicator | 中文 | unit | applicant | 2019/2021 table (flat keys) "
           "| 2014 statistics row | prose |", "|---|---|---|---|---|---|---|"]
    for ind in INDICATORS:
        forms = dict(ind.tables)
        table = ""
        if forms:
            texts = {form: _feeds(paths, form) for form, paths in forms.items()}
            if len(set(texts.values())) == 1:
                table = next(iter(texts.values()))
            else:
                table = "; ".join(f"{form.rsplit('_', 1)[1]}: {t}" for form, t in texts.items())
            if len(forms) == 1 and next(iter(forms)).endswith(("_2021", "_2019")):
                table += f" ({next(iter(forms)).rsplit('_', 1)[1]} only)"
        stats = " else ".join(f"{_statistics_label(s)} (`{s}`)" for s in ind.statistics)
        prose = ""
        if ind.prose:
            prose = f"`{ind.prose}`" + (" (the total's wording only)" if ind.prose_only else "")
            if ind.prose_none:
                prose += "; 0 from a clause saying there were none"
        out.append(f"| `{ind.name}` | {ind.zh} | {ind.unit} | {'✓' if ind.applicants else ''} "
                   f"| {table} | {stats} | {prose} |")
    return "\n".join(out) + "\n"


def test_the_indicator_table_in_the_docs_is_the_code() -> None:
    assert indicator_table() in DOC.read_text(encoding="utf-8"), indicator_table()


def test_every_flat_key_is_in_the_docs_with_its_label(needs_shared: Path) -> None:
    text = DOC.read_text(encoding="utf-8")
    columns = dict(re.findall(r"^\| `\{column\}` = `(\w+)` \| (\S+) \|$", text, re.M))
    rows = dict(re.findall(r"^\| `([\w.]+|[\w.]+\{column\})` \| [\d ]+ \| (.+?) \|$", text,
                           re.M))
    fields = [line.split("\t") for line in
              (needs_shared / "spec" / "fields.tsv").read_text("utf-8").splitlines()[1:]]
    keys = set(govreport.FIELDS["2021"]) | set(govreport.FIELDS["2019"])
    assert keys == {f[0] for f in fields}
    for key, _, label, *_ in fields:
        if " × " in label:
            row, column = label.rsplit(" × ", 1)
            stem, name = key.rsplit(".", 1)
            assert rows[f"{stem}.{{column}}"] == row and columns[name] == column, key
        else:
            assert rows[key] == label, key


def _examples() -> list[tuple[str, str]]:
    """The docs' Python examples and the output each shows (a ```text block right after)."""
    text = DOC.read_text(encoding="utf-8")
    return re.findall(r"```python\n((?:(?!```).)*)```\n+```text\n((?:(?!```).)*)```", text, re.S)


def test_docs_examples_print_what_the_docs_show(tmp_path: Path, needs_shared: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    examples = _examples()
    assert len(examples) >= 3
    for name in ("p.csv", "p.parquet"):
        assert main(["panel", str(EXTRA), "-o", str(tmp_path / name), "-j", "0"]) == 0
    monkeypatch.chdir(tmp_path)
    for code, shown in examples:
        if "dask" in code:
            pytest.importorskip("dask.dataframe")
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                timeout=300, env={"PYTHONPATH": str(ROOT), "PATH": ""})
        assert result.returncode == 0, result.stderr
        assert result.stdout == shown, code


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_encoded_rows_read_back(fmt: str) -> None:
    from govreport.panels import _decode, _encode

    b = Applications2021(new_received=_b_row(7, person=5))
    a = Proactive2021()
    a = attrs.evolve(a, fees=attrs.evolve(a.fees, amount_10k_yuan=_v(Decimal("2.5"))))
    report = _report(agency='甲,"乙"\n局', template="2021", applications=b, proactive=a,
                     source="dir, with comma/r.txt")
    rows, _ = govreport.panels.report_rows(report)
    back = _decode(_encode(rows, fmt), fmt)  # type: ignore[arg-type]
    assert back == rows
    assert rows[0].agency == '甲,"乙" 局'
    if fmt == "csv":
        first = next(csv.reader(_encode(rows, "csv").decode().splitlines()))
        assert first[1] == "甲,\"乙\" 局"


def test_failed_results_are_listed() -> None:
    from govreport.records import Result

    ok = _report(figures=(_figure("applications.received", 3, "受理申请3件"),), source="ok.txt")
    p = panel([Result("bad.txt", None, "not a report", "error"), Result("ok.txt", ok)])
    assert [(f.file, f.status, f.error) for f in p.files] == [
        ("bad.txt", "error", "not a report"), ("ok.txt", "ok", None)]
    assert {r.file for r in p.rows} == {"ok.txt"}


_FREEFORM = """青禾县人民政府{year}年政府信息公开工作年度报告

一、概述
{year}年，我县认真贯彻《条例》。全年共受理政府信息公开申请{n}件，均已按时答复。

二、主动公开政府信息情况
{year}年全县主动公开政府信息{published}条。
"""


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_command_finds_duplicates_that_disagree(tmp_path: Path, fmt: str) -> None:
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    (tmp_path / "a.txt").write_text(_FREEFORM.format(year=2010, n=12, published=300), "utf-8")
    (tmp_path / "b.txt").write_text(_FREEFORM.format(year=2010, n=13, published=300), "utf-8")
    (tmp_path / "c.txt").write_text(_FREEFORM.format(year=2011, n=5, published=200), "utf-8")
    findings = tmp_path / "f.jsonl"
    out = tmp_path / f"p.{fmt}"
    assert main(["panel", str(tmp_path), "-o", str(out), "--findings", str(findings),
                 "-j", "0"]) == 0
    [finding] = [json.loads(line) for line in findings.read_text("utf-8").splitlines()]
    assert finding["code"] == "N2" and finding["keys"] == ["applications.received"]
    assert (finding["expected"], finding["actual"]) == (12, 13)
    assert finding["file"] == str(tmp_path / "a.txt")
    assert out.stat().st_size > 0


@pytest.mark.parametrize(("columns", "value"), [
    (("2015年度", "历年累计"), 1),
    (("本年度", "历年累计"), 1),
    (("统计数",), 1),
    (("上年度", "本年度"), 2),
    (("2014年度", "历年累计"), None),     # another year than the report's
    (("本年", "本期"), None),              # two candidates: not guessed
])
def test_this_years_column(columns: tuple[str, ...], value: int | None) -> None:
    stats = _statistics(("受理依申请公开信息总数", "received", "条", (1, 2)[:len(columns)]),
                        columns=columns)
    assert _one(panel([_report(year=2015, statistics=stats)]), "applications.received").value \
        == value


def _said(text: str, kind: str = "applications") -> Report:
    section = Section(number="三、", title="政府信息依申请公开情况", kind=kind,  # type: ignore[arg-type]
                      heading="三、政府信息依申请公开情况", line=9, text=text)
    return _report(year=2012, sections=(section,))


@pytest.mark.parametrize(("text", "value"), [
    ("2017年未收到有关政府信息公开申请。", 0),
    ("2010年度我镇没有接到群众主动要求公开政府信息的申请。", 0),
    ("2010年,我局没有受理信息公开申请。", 0),
    ("2013年全区未收到有关政府信息公开的申请，收到1份有关政府信息公开行政复议申请已及时处理。", 0),
    ("2012年未收到有关政府信息公开行政复议申请。", None),
    ("未收到涉及国家秘密的政府信息公开申请。", None),
    ("全年未收到市长信箱转来的政府信息公开申请。", None),
])
def test_a_clause_saying_there_were_none_is_a_zero(text: str, value: int | None) -> None:
    rows = _rows(panel([_said(text)]), "applications.received")
    assert [(r.value, r.source, r.line) for r in rows] == ([] if value is None else
                                                          [(0, "prose", 9)])


def test_none_stated_only_in_the_overview_and_applications() -> None:
    text = "2017年未收到有关政府信息公开申请。"
    assert _rows(panel([_said(text, "overview")]), "applications.received")
    assert not _rows(panel([_said(text, "problems_improvements")]), "applications.received")


def test_none_stated_and_a_figure_is_ambiguous() -> None:
    report = attrs.evolve(_said("未收到政府信息公开申请。"),
                          figures=(_figure("applications.received", 12, "受理申请12件"),))
    p = panel([report])
    assert _rows(p, "applications.received") == []
    assert [f.code for f in p.findings] == ["N3"]
