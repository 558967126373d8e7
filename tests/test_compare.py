"""govreport.compare, the overview and the compare / report commands (docs/compare.md)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import EXTRA
from pairs import AGENCY, NEW_YEAR, OLD_YEAR, parse_pair, write_pair

import govreport
from govreport.cli import main
from govreport.comparison import comparison_to_dict, repetition
from govreport.model import Report, Section
from govreport.overview import agency_key, overview
from govreport.records import Result
from govreport.render.comparison import highlight

SHARED = EXTRA

KINDS = ["overview", "proactive_disclosure", "applications", "review_litigation",
         "problems_improvements", "other_matters"]


def _report(year: int | None, *texts: str, agency: str = "某市某局") -> Report:
    sections = tuple(Section(number=None, title=f"部分{i}", kind=kind, heading=f"部分{i}",
                             line=i + 1, text=text)
                     for i, (kind, text) in enumerate(zip(KINDS, texts, strict=False)))
    return Report(title=None, agency=agency, year=year, template="freeform", layout="prose",
                  sections=sections)


# --------------------------------------------------------------------------- text


def test_repetition_masks_figures_only() -> None:
    old = "2022年共受理政府信息公开申请74件，均在法定期限内答复。"
    assert repetition(old, old) == 1.0
    # Only the figures differ: the text is a copy.
    assert repetition("2023年共受理政府信息公开申请81件，均在法定期限内答复。", old) == 1.0
    assert repetition("本机关加强队伍建设，组织专题培训，提升工作人员业务能力。", old) == 0.0
    assert repetition("", old) is None
    half = old + "\n" + "本机关加强队伍建设，组织专题培训，提升工作人员业务能力水平。"
    assert 0.3 < (repetition(half, old) or 0) < 0.7


def test_paragraph_marks() -> None:
    same = "一是完善制度建设，修订政府信息公开工作规程，明确各环节责任分工。"
    reworded_old = "二是加强平台建设，优化政府网站信息公开专栏，及时更新各类信息，方便群众查阅。"
    reworded_new = "二是加强平台建设，优化政府网站信息公开专栏，及时更新各类信息，方便企业查询。"
    gone = "三是强化监督考核，将政务公开纳入年度绩效考核体系。"
    fresh = "四是推进基层政务公开标准化规范化，编制基层公开事项目录。"
    old = _report(2022, "\n".join([same.replace("修订", "修订2022年"), reworded_old, gone]))
    new = _report(2023, "\n".join([same.replace("修订", "修订2023年"), reworded_new, fresh]))
    c = govreport.compare(old, new)
    marks = [p.mark for p in c.sections[0].paragraphs]
    assert marks == ["repeated", "changed", "removed", "added"]
    repeated = c.sections[0].paragraphs[0]
    # The changed figure is located on both sides.
    assert [repeated.new[a:b] for a, b in repeated.new_figures] == ["2023"]
    assert [repeated.old[a:b] for a, b in repeated.old_figures] == ["2022"]
    changed = c.sections[0].paragraphs[1]
    assert 0.5 <= changed.similarity < 1
    assert changed.new is not None and changed.new_repeated
    # The repeated passage is located in the new text and ends before the reworded end.
    start, end = changed.new_repeated[0]
    assert changed.new[start:end].startswith("二是加强平台建设")
    assert end < len(changed.new)
    html = highlight(changed.new, changed.new_repeated, ())
    assert '<mark class="rep">二是加强平台建设' in html


def test_sections_aligned_by_kind_and_extra_by_title() -> None:
    old = _report(2022, "甲", "乙")
    new = _report(2023, "甲")
    c = govreport.compare(old, new)
    assert [s.kind for s in c.sections] == ["overview", "proactive_disclosure"]
    assert c.sections[1].new_title is None and c.sections[1].old_title == "部分1"
    assert c.sections[1].repetition is None  # nothing in the new year to measure


# --------------------------------------------------------------------------- a made-up pair


@pytest.fixture(scope="module")
def pair() -> tuple[Report, Report]:
    return parse_pair()


def test_fixture_pair_sections_and_repetition(pair: tuple[Report, Report]) -> None:
    c = govreport.compare(*pair)
    assert [s.kind for s in c.sections] == KINDS
    for s in c.sections:
        assert s.repetition is not None and 0 <= s.repetition <= 1
    # The same prose with new figures: a copy.
    assert c.sections[0].repetition == 1.0 and c.sections[0].measure == "text"
    assert c.summary.repetition == 1.0
    other = govreport.compare(*parse_pair(same_prose=False))
    assert other.summary.repetition is not None and other.summary.repetition < 0.6


def test_changes_keep_blanks(pair: tuple[Report, Report]) -> None:
    old, new = pair
    c = govreport.compare(old, new)
    by_key = {x.key: x for x in c.changes}
    x = by_key["applications.new_received.total"]
    assert (x.old, x.new, x.difference) == (74, 81, 7)
    assert x.label == "本年新收申请 · 总计" and x.table == "applications"
    assert set(by_key) == set(govreport.flatten(new))
    for x in c.changes:
        if x.old is None or x.new is None:
            assert x.difference is None
        else:
            assert x.difference == x.new - x.old
    assert c.summary.largest_changes
    sizes = [abs(x.difference) for x in c.summary.largest_changes if x.difference is not None]
    assert sizes == sorted(sizes, reverse=True)


def test_cross_year_checks_with_formula(pair: tuple[Report, Report]) -> None:
    c = govreport.compare(*pair)
    a2 = [x for x in c.checks if x.code == "A2"]
    normative = next(x for x in a2 if "行政规范性文件" in x.formula)
    assert normative.ok is True
    assert normative.formula.endswith("：597 + 50 − 227 = 420")
    assert normative.formula.startswith(f"{NEW_YEAR}年 行政规范性文件 · 现行有效件数 = "
                                        f"{OLD_YEAR}年 行政规范性文件 · 现行有效件数")
    b6 = [x for x in c.checks if x.code == "B6"]
    assert len(b6) == 7 and all(x.ok for x in b6)
    total = next(x for x in b6 if x.figures[0].key == "applications.carried_over.total")
    assert [f.year for f in total.figures] == [NEW_YEAR, OLD_YEAR]
    assert total.figures[0].value == total.figures[1].value


def test_broken_b6_fails_with_both_figures() -> None:
    c = govreport.compare(*parse_pair(break_b6=True))
    total = next(x for x in c.checks
                 if x.code == "B6" and x.figures[0].key == "applications.carried_over.total")
    assert total.ok is False
    old_value, new_value = total.figures[1].value, total.figures[0].value
    assert new_value == (old_value or 0) + 5
    assert total.formula.endswith(f"{old_value} = {old_value} ≠ {new_value}")
    assert c.summary.checks_failed >= 1


def test_years_not_consecutive_are_not_checkable() -> None:
    old, new = parse_pair()
    c = govreport.compare(new, old)  # backwards: 2023 then 2022
    assert c.checks and all(x.ok is None for x in c.checks)
    assert "不是相邻年度" in c.checks[0].message_zh


def test_findings_grouped_by_named_table(pair: tuple[Report, Report]) -> None:
    c = govreport.compare(*pair)
    for found, report in zip(c.findings, pair, strict=True):
        failed = [f for f in govreport.check(report) if f.status == "failed"]
        assert found.failed == len(failed)
        for t in found.tables:
            assert t.name
            for f in t.findings:
                assert t.table == "report" or f.keys[0].startswith(
                    {"proactive": "proactive.", "applications": "applications."}.get(
                        t.table, ""))
    # The new year's carried-over row no longer adds up (B1): named under Table B.
    tables = {t.table: t for t in c.findings[1].tables}
    assert "B1" in {f.code for f in tables["applications"].findings}
    assert tables["applications"].name == "收到和处理政府信息公开申请情况"


def test_json_shape(pair: tuple[Report, Report]) -> None:
    data = json.loads(json.dumps(comparison_to_dict(govreport.compare(*pair))))
    assert {"sections", "changes", "checks", "summary"} <= set(data)
    for s in data["sections"]:
        assert {"kind", "title", "repetition", "paragraphs"} <= set(s)
    for x in data["changes"]:
        assert {"key", "old", "new", "difference"} <= set(x)
    for x in data["checks"]:
        assert {"code", "ok", "formula", "figures"} <= set(x)
    assert data["summary"]["largest_changes"]


def test_decimal_difference_exact() -> None:
    old, new = parse_pair()
    c = govreport.compare(old, new)
    fee = next(x for x in c.changes if x.key == "proactive.fees.amount_10k_yuan")
    if fee.old is not None and fee.new is not None:
        assert fee.difference == Decimal(str(fee.new)) - Decimal(str(fee.old))


# --------------------------------------------------------------------------- overview


def test_agency_key() -> None:
    assert agency_key("平潭综合实验区管委会") == agency_key("平潭综合实验区")
    assert agency_key("平潭 综合实验区") == "平潭综合实验区"
    assert agency_key("平潭县人民政府") != agency_key("平潭综合实验区")
    assert agency_key(None) == agency_key("")


def test_overview_matrix_and_failures(pair: tuple[Report, Report]) -> None:
    old, new = pair
    later = attr_year(new, NEW_YEAR + 2)
    results = [Result("a.txt", old), Result("b.txt", new), Result("d.txt", later),
               Result(f"broken_{NEW_YEAR + 3}.txt", None, "cannot decode", "error")]
    ov = overview(results)
    assert ov.years == tuple(range(OLD_YEAR, NEW_YEAR + 4))
    agency = next(a for a in ov.agencies if a.key == AGENCY)
    years = agency.years()
    assert sorted(years) == [OLD_YEAR, NEW_YEAR, NEW_YEAR + 2]  # NEW_YEAR + 1 missing
    assert [(p.old, p.new) for p in agency.pairs] == [(OLD_YEAR, NEW_YEAR)]
    assert [e.path for e in ov.failed] == [f"broken_{NEW_YEAR + 3}.txt"]
    assert ov.failed[0].year == NEW_YEAR + 3
    received = dict(agency.series(govreport.overview.INDICATORS[0]))
    assert received[OLD_YEAR] == 74 and received[NEW_YEAR] == 81


def attr_year(report: Report, year: int) -> Report:
    import attrs
    return attrs.evolve(report, year=year)


# --------------------------------------------------------------------------- commands


def test_compare_command_json_html_docx(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                        ) -> None:
    old, new = write_pair(tmp_path)
    assert main(["compare", str(old), str(new), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    change = next(x for x in data["changes"] if x["key"] == "applications.new_received.total")
    assert (change["old"], change["new"], change["difference"]) == (74, 81, 7)
    assert len(data["sections"]) == 6
    html = tmp_path / "c.html"
    assert main(["compare", str(old), str(new), "-o", str(html)]) == 0
    text = html.read_text(encoding="utf-8")
    assert 'data-key="applications.new_received.total" data-old="74" data-new="81"' in text
    assert "http://" not in text and "https://" not in text  # self-contained
    docx = pytest.importorskip("docx")
    out = tmp_path / "c.docx"
    assert main(["compare", str(old), str(new), "-o", str(out)]) == 0
    body = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "597 + 50 − 227 = 420" in body and "跨年核对" in body


def test_compare_command_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, _ = write_pair(tmp_path)
    assert main(["compare", str(old), str(tmp_path / "missing.txt")]) == 1
    assert "missing.txt" in capsys.readouterr().err
    assert main(["compare", str(old), str(old), "-o", str(tmp_path / "x.pdf")]) == 2
    assert main(["compare", str(old), str(old), "--format", "docx"]) == 2


def test_report_command_site_and_single_file(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    write_pair(inputs)
    (inputs / "broken_2024.docx").write_bytes(b"not a zip file")
    site = tmp_path / "site"
    assert main(["report", str(inputs), "-o", str(site), "-j", "0"]) == 0
    index = (site / "index.html").read_text(encoding="utf-8")
    assert AGENCY in index and "broken_2024.docx" in index
    pages = sorted(p.name for p in site.glob("compare-*.html"))
    assert pages == [f"compare-000-{OLD_YEAR}-{NEW_YEAR}.html"]
    assert f'href="{pages[0]}"' in index
    single = tmp_path / "one.html"
    assert main(["report", str(inputs), "-o", str(single), "-j", "0"]) == 0
    assert 'class="embedded-comparison"' in single.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- real reports


needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/corpus is absent")


@needs_shared
def test_pingtan_pair(capsys: pytest.CaptureFixture[str]) -> None:
    old = SHARED / "004_pingtan_2022_zfxxgknb.txt"
    new = SHARED / "005_pingtan_2023_zfxxgknb.txt"
    assert main(["compare", str(old), str(new), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["sections"]) == 6
    assert all(0 <= s["repetition"] <= 1 for s in data["sections"])
    change = next(x for x in data["changes"] if x["key"] == "applications.new_received.total")
    assert (change["old"], change["new"]) == (74, 81)
    assert any(x["code"] == "B6" for x in data["checks"])


@needs_shared
def test_pingtan_overview() -> None:
    files = sorted(str(p) for p in SHARED.glob("0[01]*_pingtan_*.txt"))
    ov = overview(govreport.parse_many(files, workers=0))
    zone = next(a for a in ov.agencies if a.key == "平潭综合实验区")
    assert sorted(zone.years()) == list(range(2011, 2026))
    assert "平潭综合实验区管委会" in zone.names


@pytest.mark.parametrize(("old_t", "new_t", "layout"), [
    ("freeform", "2019", "prose"), ("2019", "2021", "tab_cells"), ("2021", "2021", "tab_rows"),
    ("2021", "freeform", "pipe_cells")])
def test_any_two_templates(old_t: str, new_t: str, layout: str) -> None:
    import random

    from synth import random_values, render

    texts = []
    for template, year in ((old_t, 2018 if old_t == "freeform" else 2020), (new_t, 2021)):
        rng = random.Random(len(texts) + 11)
        lay = "prose" if template == "freeform" else ("tab_rows" if layout == "prose" else layout)
        texts.append(render(random_values(rng, template, True), layout=lay, template=template,
                            agency=AGENCY, year=year, rng=rng))
    old, new = (govreport.parse(t) for t in texts)
    c = govreport.compare(old, new)
    data = json.loads(json.dumps(comparison_to_dict(c)))
    assert {s["kind"] for s in data["sections"]} >= {s.kind for s in new.sections}
    for x in c.changes:
        assert x.difference is None or x.difference == x.new - x.old  # type: ignore[operator]
    keys = {x.key for x in c.changes}
    assert set(govreport.flatten(old)) | set(govreport.flatten(new)) <= keys
    for check in c.checks:
        assert check.ok is None or isinstance(check.ok, bool)
        assert "：" in check.formula


def test_labels() -> None:
    from govreport.labels import key_label, statistics_labels, table_of
    from govreport.model import Statistics2014, StatisticsRow, Value

    assert key_label("applications.granted.total") == "（一）予以公开 · 总计"
    assert key_label("proactive.normative_documents.in_force") == "行政规范性文件 · 现行有效件数"
    assert key_label("review.upheld") == "行政复议 · 结果维持"
    assert key_label("plugin.thing.count") == "plugin.thing.count"  # unknown: the key itself
    assert table_of("litigation_direct.total") == "review_litigation"
    table = Statistics2014(columns=("2013年度", "历年累计"), rows=(
        StatisticsRow(label="收到申请数", indicator="received", values=(Value(3), Value(9))),))
    assert set(statistics_labels(table).values()) == {"收到申请数 · 本年度", "收到申请数 · 历年累计"}
