"""Report text as page readers and crawlers extract it (issue 21): each layout detected and read.

Generated reports (tests/synth.py, ``TEXT_LAYOUTS``) in both templates, with and without blank
cells, must parse to exactly the values they were made from; excerpts of 0.8-1 KB cut from
them must give no value that differs from the report's. Small hand-written pages pin down the
rules each layout follows where blank lines leave a cell's place open.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

import pytest
from synth import DETECTED, TEXT_LAYOUTS, excerpt, generate

import govreport
from govreport.model import Grid

CASES = [(layout, template, blanks) for layout in TEXT_LAYOUTS for template in ("2021", "2019")
         for blanks in (False, True)]


def _same(got: Any, want: Any) -> bool:
    if want is None or got is None:
        return got is None and want is None
    return Decimal(str(got)) == Decimal(str(want))


@pytest.mark.parametrize(("layout", "template", "blanks"), CASES,
                         ids=[f"{lay}-{t}-{'blanks' if b else 'full'}" for lay, t, b in CASES])
def test_generated_reports_read_in_full(layout: str, template: str, blanks: bool) -> None:
    for seed in range(6):
        text, exp = generate(seed, layout, template, blanks=blanks)
        report = govreport.parse(text)
        assert report.layout == DETECTED[layout]
        assert (report.agency, report.year, report.template) == (
            exp["agency"], exp["year"], exp["template"])
        flat = govreport.flatten(report)
        wrong = {k: (v, flat[k]) for k, v in exp["values"].items() if not _same(flat[k], v)}
        assert wrong == {}, (seed, wrong)


@pytest.mark.parametrize("layout", TEXT_LAYOUTS)
def test_excerpts_never_give_a_wrong_value(layout: str) -> None:
    for seed in range(30):
        template = ("2021", "2019")[seed % 2]
        text, exp = generate(seed, layout, template, blanks=seed % 3 == 0)
        flat = govreport.flatten(govreport.parse(excerpt(text, random.Random(seed))))
        wrong = {k: (v, flat.get(k)) for k, v in exp["values"].items()
                 if flat.get(k) is not None and not _same(flat[k], v)}
        assert wrong == {}, (seed, wrong)


def _rows(text: str, layout: str | None = None) -> list[tuple[str, ...]]:
    doc = govreport.read_document(text, layout=layout)
    return [r.texts for b in doc.blocks if isinstance(b, Grid) for r in b.rows]


TABLE_A = ["第二十条第（一）项", "信息内容", "本年制发件数", "本年废止件数", "现行有效件数",
           "规章", "1", "", "2", "行政规范性文件", "3", "4", "5"]


def test_line_cells_count_each_empty_line_as_a_cell() -> None:
    text = "\n".join(["二、主动公开政府信息情况", *TABLE_A, "三、收到和处理政府信息公开申请情况"])
    doc = govreport.read_document(text)
    assert doc.layout == "line_cells"
    rows = _rows(text)
    assert ("规章", "1", "", "2") in rows
    assert ("行政规范性文件", "3", "4", "5") in rows
    assert ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数") in rows


def test_para_cells_read_blank_paragraphs_as_word_processors_write_them() -> None:
    # Each paragraph is followed by a blank line: three blank lines are one empty paragraph.
    body = "\n\n".join(TABLE_A)
    text = "二、主动公开政府信息情况\n\n" + body + "\n\n三、收到和处理政府信息公开申请情况\n"
    assert govreport.read_document(text).layout == "para_cells"
    assert ("规章", "1", "", "2") in _rows(text)


def test_para_cells_lone_space_is_an_empty_cell() -> None:
    cells = [" " if c == "" else c for c in TABLE_A]
    text = "二、主动公开政府信息情况\n\n" + "\n\n".join(cells) + "\n\n三、其他\n"
    assert ("规章", "1", "", "2") in _rows(text, "para_cells")


def test_para_cells_ambiguous_blanks_give_none_with_a_diagnostic() -> None:
    # One blank line per empty paragraph (an even run) says blank lines count one each; a
    # 规章 row then holding four cells for three columns cannot be placed.
    cells = ["第二十条第（一）项", "信息内容", "本年制发件数", "本年废止件数", "现行有效件数",
             "规章", "1", "", "", "", "2", "行政规范性文件", "3", "4", "5"]
    lines: list[str] = []
    for c in cells:
        lines += [c] if c else []
        lines.append("")
    text = "二、主动公开政府信息情况\n\n" + "\n".join(lines) + "\n三、其他\n"
    doc = govreport.read_document(text, layout="para_cells")
    assert [d.code for d in doc.diagnostics] == ["ambiguous-blanks"]
    assert ("规章",) in _rows(text, "para_cells")


def test_line_cells_rows_short_of_cells_give_none() -> None:
    # Blank lines lost: a 规章 row with two cells for three columns is not split by digits.
    text = "\n".join(["二、主动公开政府信息情况", *TABLE_A[:6], "1", "12",
                      *TABLE_A[9:], "三、其他"])
    report = govreport.parse(text)
    assert report.proactive is not None
    rules = report.proactive.rules
    assert (rules.issued.value, rules.repealed.value, rules.in_force.value) == (None, None, None)
    assert any(d.code == "ambiguous-blanks" for d in report.diagnostics)


def test_broken_labels_are_joined() -> None:
    text = "\n".join(["标题", "第二十条第（一）项", "信息内容", "本年新", "制作数量", "本年新",
                      "公开数量", "对外公开总数量", "规章", "1", "2", "3", "规范性文件", "4", "5",
                      "6", "后文。"])
    rows = _rows(text)
    assert ("信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量") in rows


def test_pipe_row_label_above_its_numbers() -> None:
    text = "标题\n行政许可 |\n12 | 0 | 3 |\n行政处罚 | 1 | 2 | 3 |\n行政强制 | 4 | 5 | 6 |\n后文\n"
    assert govreport.read_document(text).layout == "pipe_rows"
    assert _rows(text)[0] == ("行政许可", "12", "0", "3")


def test_pipe_row_header_never_takes_a_data_row() -> None:
    text = "标题\n结果维持 | 结果纠正 |\n1 | 2 |\n行政处罚 | 1 | 2 | 3 |\n行政强制 | 4 | 5 |\n"
    assert _rows(text)[:2] == [("结果维持", "结果纠正"), ("1", "2")]


def test_pipe_row_value_carried_to_the_next_line() -> None:
    text = ("标题\n行政许可 | 0 | 0 |\n 12  \n行政处罚 | 1 | 2 | 3 |\n行政强制 | 4 | 5 | 6 |\n"
            " 7\n后文\n")
    rows = _rows(text)
    assert rows[0] == ("行政许可", "0", "0", "12")
    # A full row takes no number from the line below (a page number).
    assert rows[2] == ("行政强制", "4", "5", "6")


def test_pipe_cells_closed_by_a_bare_bar_with_colspan_residue() -> None:
    text = ("标题\n第二十条第（五）项 |\n|||\n|\n信息内容 |\n本年处理决定数量 |\n||\n|\n"
            "行政许可 |\n12 |\n||\n|\n后文\n")
    doc = govreport.read_document(text)
    assert doc.layout == "pipe_cells"
    rows = _rows(text)
    assert rows[0] == ("第二十条第（五）项",)
    assert ("行政许可", "12", "", "") in rows


def test_altered_labels() -> None:
    from govreport.forms.proactive import classify
    from govreport.normalize import key, split_number

    assert key("本年(2023)制发件数") == "本年制发件数"
    assert key("本年（2023年度）处理决定数量") == "本年处理决定数量"
    label = classify(*split_number(key("规章（设区的市、自治州人民政府应提供相关数据）")))
    assert label is not None and label.name == "RULES"
    assert classify(*split_number(key("规 章"))) == classify(None, "规章")
    lost = classify(*split_number(key("第二十条第（）项")))
    assert lost is not None and lost.role == "caption"


def test_short_row_of_numbers_is_not_split_to_fill_it() -> None:
    # Table C one cell per line with a blank line lost: 14 numbers for 15 columns. The forms
    # would split "10" to make 15; the layout leaves the row out, saying why.
    header = ["行政复议", "行政诉讼", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计",
              "未经复议直接起诉", "复议后起诉", *["结果维持", "结果纠正", "其他结果", "尚未审结",
                                                 "总计"] * 2]
    numbers = ["1", "0", "0", "0", "1", "2", "0", "0", "0", "2", "3", "0", "0", "10"]
    text = "\n".join(["四、政府信息公开行政复议、行政诉讼情况", *header, *numbers,
                      "五、存在的主要问题及改进情况", "文字。"])
    report = govreport.parse(text)
    assert report.layout == "line_cells"
    assert report.review_litigation is not None
    assert report.review_litigation.litigation_after_review.total.value is None
    assert "ambiguous-blanks" in [d.code for d in report.diagnostics]


def test_excerpt_ending_inside_a_row_gives_none() -> None:
    text = "标题\n行政处罚 | 1 | 2 | 3 |\n行政强制 | 4 | 5 | 6 |\n行政许可 | 12 | 3"
    doc = govreport.read_document(text)
    assert [d.code for d in doc.diagnostics] == ["cut-row"]
    assert _rows(text)[-1] == ("行政许可",)


def _as_cells(text: str, *, paragraphs: bool) -> str:
    """A pipe-row or TAB-cell report rewritten one cell per line (or per paragraph)."""
    out: list[str] = []
    lines = text.split("\n")
    for i, line in enumerate(lines):
        s = line.strip()
        if line.startswith("\t"):
            cells = [s]
        elif "|" in s and s != "|" and (s.count("|") >= 2 or s.endswith("|")):
            cells = [c.strip() for c in (s[:-1] if s.endswith("|") else s).split("|")]
            while cells and not cells[-1]:  # the bars merged cells left
                cells.pop()
        elif not s and i and lines[i - 1].startswith("\t"):
            continue  # the blank line between a Word export's rows
        else:
            out += [line, ""] if paragraphs else [line]
            continue
        for cell in cells:
            out += [cell, ""] if paragraphs else [cell]
    return "\n".join(out)


@pytest.mark.parametrize("name", ["pipe_rows_2021", "pipe_rows_2019", "tab_cells_2019",
                                  "tab_cells_2019_blanks", "tab_cells_2021"])
@pytest.mark.parametrize("paragraphs", [False, True])
def test_fixtures_rewritten_one_cell_per_line_read_the_same(name: str, paragraphs: bool) -> None:
    from conftest import FIXTURES

    text = (FIXTURES / f"{name}.txt").read_text("utf-8")
    want = govreport.flatten(govreport.parse(text))
    report = govreport.parse(_as_cells(text, paragraphs=paragraphs))
    assert report.layout == ("para_cells" if paragraphs else "line_cells")
    got = govreport.flatten(report)
    assert {k: v for k, v in got.items() if v != want[k]} == {}


@pytest.mark.parametrize("paragraphs", [False, True])
def test_statistics_table_one_cell_per_line(paragraphs: bool) -> None:
    # The 2014 table: label, unit, number; a numbered row the vocabulary does not know
    # (四、政府信息公开专栏访问量) is a row, not a heading, since its number follows.
    from conftest import FIXTURES

    text = (FIXTURES / "statistics" / "pipe_2016.txt").read_text("utf-8")
    want = govreport.parse(text)
    got = govreport.parse(_as_cells(text, paragraphs=paragraphs))
    assert want.statistics is not None and got.statistics is not None

    def rows(report: govreport.Report) -> list[tuple[str | None, list[Any]]]:
        assert report.statistics is not None
        return [(r.label, [v.value for v in r.values]) for r in report.statistics.rows]

    assert rows(got) == rows(want)
    assert [s.title for s in got.sections] == [s.title for s in want.sections]


@pytest.mark.parametrize("layout", ["line_cells", "para_cells"])
def test_a_label_written_vertically_is_one_cell(layout: str) -> None:
    text, exp = generate(3, layout, "2021")
    sep = "\n" if layout == "line_cells" else "\n\n"
    text = text.replace("三、本年度办理结果" + sep, sep.join("三、本年度办理结果") + sep, 1)
    flat = govreport.flatten(govreport.parse(text))
    assert {k: (v, flat[k]) for k, v in exp["values"].items() if not _same(flat[k], v)} == {}
