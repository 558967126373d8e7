"""The PDF reader on files made the way agencies make them, and on hostile PDFs.

Word-processor PDFs are committed fixtures (tests/fixtures/sources/make_sources.py,
``WORD_PDFS``); the hostile ones, and layouts LibreOffice cannot be made to draw (a
label cut in two by a page break), are drawn in memory by tests/pdfdraw.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, SHARED
from pdfdraw import Page, pdf

import govreport
from govreport.errors import InputError
from govreport.limits import LimitExceeded, Limits
from govreport.model import Document, Grid, Report, TextLine
from govreport.pipeline import _report
from govreport.serialize import iter_values
from govreport.sources import read_source

pytest.importorskip("pypdfium2")

SOURCES = FIXTURES / "sources"
sys.path.insert(0, str(SOURCES))
import make_sources  # noqa: E402

REAL = SHARED / "corpus" / "real"


def read(data: bytes, limits: Limits | None = None) -> Document:
    document = read_source(data, suffix=".pdf", limits=limits)
    assert document is not None
    return document


def texts(document: Document) -> list[str]:
    return [b.text for b in document.blocks if isinstance(b, TextLine)]


def grids(document: Document) -> list[list[list[tuple[int, str]]]]:
    return [[[(c.column, c.text) for c in row.cells] for row in block.rows]
            for block in document.blocks if isinstance(block, Grid)]


def table_values(report: Report) -> dict[str, int | Decimal | None]:
    """Every table's values by flat key, whatever form each table has (a 2021 report's
    2019 Table B included, which flatten() leaves out)."""
    out: dict[str, int | Decimal | None] = {}
    for slot in ("proactive", "applications", "review_litigation"):
        table = getattr(report, slot)
        if table is not None:
            out.update((k, v.value) for k, v in iter_values(table))
    return out


# --------------------------------------------------------------------------- word processors


@pytest.mark.parametrize("name", sorted(make_sources.WORD_PDFS))
def test_word_processor_pdf_gives_its_source_values(name: str) -> None:
    _blocks, _grids, values = make_sources.word_report(name)
    path = SOURCES / f"{name}.pdf"
    report = _report(read(path.read_bytes()), str(path))
    got = table_values(report)
    assert {k: got.get(k) for k in values} == values
    assert [s.title for s in report.sections] == [
        "总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况",
        "政府信息公开行政复议、行政诉讼情况", "存在的主要问题及改进情况", "其他需要报告的事项"]
    if "b2019" not in make_sources.WORD_PDFS[name][2]:
        assert govreport.flatten(report) == values


@pytest.mark.parametrize("name", sorted(make_sources.WORD_PDFS))
def test_two_line_title_stays_two_text_lines_in_order(name: str) -> None:
    seed, template, _options, _fill = make_sources.WORD_PDFS[name]
    _text, expected = make_sources.report(seed, template, False)[2:]
    lines = texts(read((SOURCES / f"{name}.pdf").read_bytes()))
    assert lines[0] == expected["agency"]
    assert lines[1].replace(" ", "").startswith(str(expected["year"]))


def test_shading_boxes_are_not_rulings() -> None:
    # wps_2021's paragraphs have white shading boxes that touch each other and the
    # tables: taken as rulings, they made the running text one-column table rows.
    document = read((SOURCES / "wps_2021.pdf").read_bytes())
    assert any(t.startswith("二、主动公开政府信息情况") for t in texts(document))
    assert all(len(row) > 1 for g in grids(document) for row in g if not row[0][1].startswith(
        "第二十条"))


def test_prose_rows_at_a_table_top_go_back_to_the_text() -> None:
    page = Page()
    xs, ys = [72, 520], [72, 92, 112]
    # Two one-column "rows" of running text boxed above a real table, as shading
    # rectangles drawn with a border make them.
    page.cells(xs, ys, {(0, 0): "（五）监督保障情况。将政府信息公开工作纳入考核内容，促进工作持续向好。",
                        (1, 0): "二、主动公开政府信息情况"})
    page.cells([72, 300, 520], [112, 132, 152, 172],
               {(0, 0): "第二十条第（一）项", (1, 0): "规章", (1, 1): "3", (2, 0): "行政规范性文件",
                (2, 1): "0"}, merged=[(0, 0, 1, 2)])
    document = read(pdf([page]))
    assert texts(document) == ["（五）监督保障情况。将政府信息公开工作纳入考核内容，促进工作持续向好。",
                               "二、主动公开政府信息情况"]
    assert grids(document) == [[[(1, "第二十条第（一）项")], [(1, "规章"), (2, "3")],
                                [(1, "行政规范性文件"), (2, "0")]]]


def _split_group(top_text: str, above: str = "（四）无", rows_overleaf: int = 2) -> bytes:
    """Table B's （四） group broken by a page: ``above`` at a page foot, ``top_text`` overleaf."""
    xs = [72, 140, 300, 360]
    first, second = Page(), Page()
    first.cells(xs, [700, 720, 740], {
        (0, 0): "（三）不予公开", (0, 1): "8.属于行政查询事项", (0, 2): "0",
        (1, 0): above, (1, 1): "1.本机关不掌握相关政府信息", (1, 2): "31"})
    overleaf = {(0, 0): top_text, (0, 1): "2.没有现成信息需要另行制作", (0, 2): "1",
                (1, 1): "3.补正后申请内容仍不明确", (1, 2): "0"}
    if rows_overleaf == 2:
        second.cells(xs, [72, 92, 112], overleaf, merged=[(0, 0, 2, 1)])
    else:
        second.cells(xs, [72, 92], {k: v for k, v in overleaf.items() if k[0] == 0})
    return pdf([first, second])


@pytest.mark.parametrize("rows_overleaf", [1, 2])
def test_label_cut_by_a_page_break_is_joined(rows_overleaf: int) -> None:
    (grid,) = grids(read(_split_group("法提供", rows_overleaf=rows_overleaf)))
    assert [row[0] for row in grid] == [(1, "（三）不予公开"), (1, "（四）无法提供"),
                                        *[(1, "")] * rows_overleaf]
    assert grid[2][1:] == [(2, "2.没有现成信息需要另行制作"), (3, "1")]


@pytest.mark.parametrize(("above", "below"), [
    ("（四）无", "（五）不予处理"),   # a new row group overleaf
    ("信息内容", "政府集中采购"),     # a whole row moved overleaf under a header
    ("（四）无法提供", "不予处理"),   # the label above is whole
])
def test_cells_of_two_rows_at_a_page_break_are_not_joined(above: str, below: str) -> None:
    (grid,) = grids(read(_split_group(below, above=above, rows_overleaf=1)))
    assert [row[0][1] for row in grid] == ["（三）不予公开", above, below]


def test_caption_row_alone_at_a_page_foot_joins_the_table_overleaf() -> None:
    first, second = Page(), Page()
    first.text(72, 640, "二、主动公开政府信息情况")
    first.cells([72, 520], [700, 720], {(0, 0): "第二十条第（一）项"})
    second.cells([72, 300, 520], [72, 92, 112], {
        (0, 0): "信息内容", (0, 1): "本年制发件数", (1, 0): "规章", (1, 1): "4"})
    document = read(pdf([first, second]))
    assert texts(document) == ["二、主动公开政府信息情况"]
    assert grids(document) == [[[(1, "第二十条第（一）项")], [(1, "信息内容"), (2, "本年制发件数")],
                                [(1, "规章"), (2, "4")]]]


def test_table_drawn_in_a_scaled_form_xobject_is_a_table() -> None:
    # Some writers put a page's drawing in a form XObject: its rulings and text
    # are placed by the form's matrix (here half size, in the page's top half).
    page, drawn = Page(), Page()
    drawn.text(72, 40, "二、主动公开政府信息情况", size=20)
    drawn.cells([72, 300, 520], [100, 140, 180], {
        (0, 0): "信息内容", (0, 1): "本年制发件数", (1, 0): "规章", (1, 1): "4"})
    page.form(drawn, "0.5 0 0 0.5 0 421")
    document = read(pdf([page]))
    assert texts(document) == ["二、主动公开政府信息情况"]
    assert grids(document) == [[[(1, "信息内容"), (2, "本年制发件数")], [(1, "规章"), (2, "4")]]]


def test_one_column_box_alone_is_text() -> None:
    page = Page()
    page.cells([72, 520], [72, 92], {(0, 0): "注：本表数据截至12月31日。"})
    document = read(pdf([page]))
    assert texts(document) == ["注：本表数据截至12月31日。"]
    assert grids(document) == []


def test_pdfs_read_from_threads_read_as_from_one() -> None:
    # pdfium is not thread-safe: the reader takes a lock around it.
    from concurrent.futures import ThreadPoolExecutor

    data = [(SOURCES / f"{name}.pdf").read_bytes() for name in sorted(make_sources.WORD_PDFS)]
    alone = [read(d) for d in data]
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(read, data * 2))
    assert together == alone * 2


# --------------------------------------------------------------------------- text layer


def test_actual_text_is_the_glyphs_text() -> None:
    # LibreOffice without a CJK font writes blank glyphs whose text is only in
    # /ActualText: the seeds rendered so gave {} before.
    page = Page()
    page.text(72, 72, "X", actual="一、总体情况")
    page.text(72, 100, "2024")
    assert texts(read(pdf([page]))) == ["一、总体情况", "2024"]


def test_half_a_surrogate_pair_in_the_text_layer_is_no_character() -> None:
    # A damaged ToUnicode gave a lone surrogate, which no codec can write.
    page = Page()
    page.ops.append("BT /F1 10 Tf 72 700 Td <d836 4e00> Tj ET")
    assert texts(read(pdf([page]))) == ["\ufffd一"]
    govreport.parse(pdf([page]))


def test_document_title_is_kept_as_a_title() -> None:
    page = Page()
    page.text(72, 72, "一、总体情况")
    document = read(pdf([page], title="某某局2024年政府信息公开工作年度报告"))
    assert document.titles == (("pdf-title", "某某局2024年政府信息公开工作年度报告"),)
    assert texts(document) == ["一、总体情况"]


def test_image_only_pdf_says_no_text_layer() -> None:
    scan = Page()
    scan.image(0, 0, 595, 842)
    report = govreport.parse(pdf([scan, scan]))
    assert "no-text-layer" in [d.code for d in report.diagnostics]


def test_a_scanned_page_among_text_pages_is_named_a_blank_one_not() -> None:
    page, scan = Page(), Page()
    page.text(72, 72, "一、总体情况")
    scan.image(0, 0, 595, 842)
    assert read(pdf([page, Page()])).diagnostics == ()
    document = read(pdf([page, scan, Page()]))
    (diagnostic,) = document.diagnostics
    assert diagnostic.code == "no-text-layer" and "page(s) 2 " in diagnostic.message


def test_encrypted_pdf_needs_a_password() -> None:
    page = Page()
    page.text(72, 72, "一、总体情况")
    with pytest.raises(InputError, match="encrypted: it needs a password"):
        govreport.parse(pdf([page], encrypt=True))


def test_damaged_pdf_is_an_input_error() -> None:
    page = Page()
    page.text(72, 72, "一、总体情况")
    data = pdf([page])
    # The cross-reference table and every object after the header cut away.
    with pytest.raises(InputError, match="the PDF is damaged"):
        govreport.parse(data[:12] + b"\x00" * 40)


# --------------------------------------------------------------------------- limits


def test_page_limit_is_checked_before_reading() -> None:
    page = Page()
    page.text(72, 72, "一、总体情况")
    data = pdf([page] * 3)
    assert texts(read(data, Limits(max_pdf_pages=3))) == ["一、总体情况"] * 3
    with pytest.raises(LimitExceeded, match="a PDF of 3 pages is over the limit max_pdf_pages=2"):
        read(data, Limits(max_pdf_pages=2))


def _bomb(n: int, step: float = 8.0) -> bytes:
    """An n×n ruled grid, every cell a stroked rectangle: small file, huge table."""
    page = Page(width=n * step + 80, height=n * step + 80)
    page.ops.extend(f"{40 + c * step:.1f} {40 + r * step:.1f} {step} {step} re S"
                    for r in range(n) for c in range(n))
    page.text(42, 42, "1", size=5)
    return pdf([page])


def test_ruled_grid_bomb_is_read_as_text_with_a_diagnostic() -> None:
    data = _bomb(200)
    assert len(data) < 200_000
    # A generous guard against a hang, not a timing test: the table finder took
    # 70 s on such a page before the limit.
    here = Path(__file__).parent
    code = (f"import sys; sys.path[:0] = [{str(here)!r}, {str(here.parent)!r}]\n"
            "import test_pdf, govreport\n"
            "r = govreport.parse(test_pdf._bomb(200))\n"
            "print([d.code for d in r.diagnostics])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, check=True)
    assert "pdf-grid-limit" in out.stdout


def test_grid_cell_limit_is_a_limit() -> None:
    data = _bomb(6)
    assert grids(read(data)) != []
    document = read(data, Limits(max_pdf_grid_cells=10))
    assert grids(document) == []
    (diagnostic,) = document.diagnostics
    assert diagnostic.code == "pdf-grid-limit" and "max_pdf_grid_cells=10" in diagnostic.message
    with pytest.raises(ValueError):
        Limits(max_pdf_grid_cells=0)


# --------------------------------------------------------------------------- real files


def _real_pdfs() -> list[Path]:
    return sorted(REAL.glob("*.pdf")) if REAL.is_dir() else []


@pytest.mark.parametrize("path", _real_pdfs(), ids=lambda p: p.name)
def test_real_pdf_gives_its_expected_values(path: Path) -> None:
    expected: dict[str, Any] = json.loads(path.with_suffix(".expected.json").read_text("utf-8"))
    report = govreport.parse_file(path)
    got = table_values(report)
    wrong = {k: (got.get(k), v) for k, v in expected["values"].items() if got.get(k) != v}
    assert not wrong
    assert report.year == expected["year"]
    assert len(report.sections) == 6
    assert report.template == expected["template"]


def test_real_pdf_title_lines_are_delivered_in_order() -> None:
    path = REAL / "hongze_2024.pdf"
    if not path.is_file():
        pytest.skip("../shared/corpus/real is not there")
    expected = json.loads(path.with_suffix(".expected.json").read_text("utf-8"))
    lines = texts(read(path.read_bytes()))
    assert lines[0] == expected["agency"]
    assert lines[1].replace(" ", "") == f"{expected['year']}年政府信息公开工作年度报告"


def _continued(header_overleaf: bool, running_header: bool) -> bytes:
    xs = [72, 300, 520]
    first, second = Page(), Page()
    first.cells(xs, [700, 720, 740], {(0, 0): "信息内容", (0, 1): "本年制发件数",
                                      (1, 0): "规章", (1, 1): "4"})
    rows = {(0, 0): "行政规范性文件", (0, 1): "7"}
    if header_overleaf:
        rows = {(0, 0): "信息内容", (0, 1): "本年制发件数", (1, 0): "行政规范性文件", (1, 1): "7"}
    second.cells(xs, [72, 92, 112] if header_overleaf else [72, 92], rows)
    if running_header:
        second.text(72, 30, "某某局2024年政府信息公开工作年度报告")
    return pdf([first, second])


@pytest.mark.parametrize("running_header", [False, True])
@pytest.mark.parametrize("header_overleaf", [False, True])
def test_table_over_a_page_is_one_grid(header_overleaf: bool, running_header: bool) -> None:
    document = read(_continued(header_overleaf, running_header))
    assert grids(document) == [[[(1, "信息内容"), (2, "本年制发件数")], [(1, "规章"), (2, "4")],
                                [(1, "行政规范性文件"), (2, "7")]]]
    assert texts(document) == []
    chrome = [line.text for line in document.chrome]
    assert ("某某局2024年政府信息公开工作年度报告" in chrome) == running_header
    assert ("本年制发件数" in chrome) == header_overleaf
