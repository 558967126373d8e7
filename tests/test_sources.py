"""Input adapters: HTML, DOCX and PDF give the same values as text.

Until ``parse_file()`` routes binary input to :func:`govreport.sources.read_source`,
these tests call it and build the report with the pipeline's internal ``_report``.
"""

from __future__ import annotations

import builtins
import io
import re
import shutil
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
import synth
from conftest import FIXTURES, SHARED, seed_files

import govreport
from govreport.errors import GovReportError, InputError, MissingExtra, UnsupportedInput
from govreport.model import Document, Grid, Report, TextLine
from govreport.pipeline import _report, decode, read_document
from govreport.sources import read_source, sniff
from govreport.sources.html import decode_html, read_html

SOURCES = FIXTURES / "sources"
sys.path.insert(0, str(SOURCES))
import make_sources  # noqa: E402

EXTRA = SHARED / "corpus" / "extra"
SHANGHAI = EXTRA / "020_shanghai_szfbgt_2019_zfxxgknb.html"
SHANGHAI_DOCX = EXTRA / "020d_shanghai_szfbgt_2019_zfxxgknb.docx"
SHANGHAI_PDF = EXTRA / "020p_shanghai_szfbgt_2019_zfxxgknb.pdf"


def report_of(path: Path) -> Report:
    document = read_source(path.read_bytes(), file=str(path), suffix=path.suffix)
    assert document is not None
    return _report(document, str(path))


def report_of_bytes(data: bytes, suffix: str | None = None) -> Report:
    document = read_source(data, suffix=suffix)
    assert document is not None
    return _report(document, None)


def grids(document: Document) -> list[list[list[tuple[int, str]]]]:
    return [[[(c.column, c.text) for c in row.cells] for row in block.rows]
            for block in document.blocks if isinstance(block, Grid)]


def texts(document: Document) -> list[str]:
    return [b.text for b in document.blocks if isinstance(b, TextLine)]


# --------------------------------------------------------------------------- same values


@pytest.mark.parametrize("suffix", [".html", ".docx", ".pdf"])
@pytest.mark.parametrize("name", sorted(make_sources.SOURCES))
def test_fixture_gives_the_values_of_its_text(name: str, suffix: str) -> None:
    seed, template, blanks, _ = make_sources.SOURCES[name]
    text, expected = synth.generate(seed, "tab_cells", template, blanks=blanks)
    from_text = govreport.parse(text)
    report = report_of(SOURCES / f"{name}{suffix}")
    assert report.layout == suffix[1:]
    assert govreport.flatten(report) == govreport.flatten(from_text)
    assert govreport.flatten(report) == expected["values"]
    assert (report.agency, report.year, report.template) == (
        expected["agency"], expected["year"], expected["template"])
    assert [s.title for s in report.sections] == [s.title for s in from_text.sections]
    assert [d.code for d in report.diagnostics] == [d.code for d in from_text.diagnostics]


def test_fixtures_are_up_to_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", ["make_sources.py", "--check"])
    assert make_sources.main() == 0


# --------------------------------------------------------------------------- HTML


def test_html_rowspan_and_colspan_give_one_cell_per_anchor() -> None:
    page = """<table>
      <tr><td rowspan="2" colspan="2">label</td><td colspan="3">group</td></tr>
      <tr><td>a</td><td>b</td><td>c</td></tr>
      <tr><td>x</td><td rowspan="2">y</td><td colspan="3">wide</td></tr>
      <tr><td>x2</td><td>z</td><td>z2</td><td>z3</td></tr>
    </table>"""
    (grid,) = grids(read_html(page.encode()))
    assert grid == [
        [(1, "label"), (3, "group")],
        [(1, ""), (3, "a"), (4, "b"), (5, "c")],   # one empty cell for the covering label
        [(1, "x"), (2, "y"), (3, "wide")],         # colspan=3 stays one cell
        [(1, "x2"), (2, ""), (3, "z"), (4, "z2"), (5, "z3")],
    ]


def test_html_cells_nbsp_br_nested_tags_and_markup_whitespace() -> None:
    page = """<table><tr>
      <td><p align="center">本年新<br />制作数量</p></td>
      <td>&nbsp;</td>
      <td><span><font face="宋体"><b>1</b>2</font></span></td>
      <td>结果
          维持</td>
      <td><p>a</p><p>b</p></td>
    </tr></table>"""
    (grid,) = grids(read_html(page.encode()))
    assert grid == [[(1, "本年新制作数量"), (2, ""), (3, "12"), (4, "结果维持"), (5, "a b")]]


def test_html_text_lines_skip_head_scripts_and_styles() -> None:
    page = ("<html><head><title>标题</title><style>p{}</style></head><body>"
            "<p>第一行<br>第二行</p><script>var s='<p>x</p>';</script><div>第三行</div>"
            "<!-- a comment --></body></html>")
    assert texts(read_html(page.encode())) == ["第一行", "第二行", "第三行"]


def test_html_layout_tables_are_text() -> None:
    page = ("<table><tr><td><p>某某局2023年政府信息公开工作年度报告</p>"
            "<table><tr><td>规章</td><td>1</td></tr></table></td></tr></table>"
            "<table><tr><td>只有一列</td></tr></table>")
    document = read_html(page.encode())
    assert texts(document) == ["某某局2023年政府信息公开工作年度报告", "只有一列"]
    assert grids(document) == [[[(1, "规章"), (2, "1")]]]


def test_html_broken_markup_is_repaired_like_a_browser() -> None:
    page = "<p>前言<table><td>规章<td>5<tr><td>规范性文件<td>6</table><p>后记"
    document = read_html(page.encode())
    assert grids(document) == [[[(1, "规章"), (2, "5")], [(1, "规范性文件"), (2, "6")]]]
    assert texts(document) == ["前言", "后记"]


@pytest.mark.parametrize("declaration", [
    '<meta charset="gbk">',
    '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">',
    "",  # undeclared: UTF-8 fails, GB18030 reads it
])
def test_html_encoding_declared_in_meta(declaration: str) -> None:
    page = f"<html><head>{declaration}</head><body><p>收到和处理政府信息公开申请情况</p>"
    assert texts(read_html(page.encode("gbk"))) == ["收到和处理政府信息公开申请情况"]


def test_html_encoding_bom_and_wrong_declaration() -> None:
    utf8 = "<meta charset='gbk'><p>政府信息公开</p>".encode()
    assert decode_html(utf8).endswith("政府信息公开</p>")  # declared GBK, but only UTF-8 fits
    assert "政府" in decode_html("<p>政府</p>".encode("utf-16"))


def test_gbk_fixture_page_declares_its_encoding() -> None:
    data = (SOURCES / "synth_2019_blanks.html").read_bytes()
    assert b"charset=gb2312" in data
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")


# --------------------------------------------------------------------------- DOCX


def _docx(build: Any) -> bytes:
    docx = pytest.importorskip("docx")
    word = docx.Document()
    build(word)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def test_docx_grid_span_and_vertical_merge() -> None:
    def build(word: Any) -> None:
        word.add_paragraph("前言")
        table = word.add_table(rows=3, cols=4)
        table.cell(0, 0).merge(table.cell(2, 0)).text = "三、本年度办理结果"
        table.cell(0, 1).text = "（一）予以公开"
        table.cell(0, 2).merge(table.cell(0, 3)).text = "7"
        table.cell(1, 1).merge(table.cell(2, 1)).text = "（三）不予公开"
        table.cell(1, 2).text, table.cell(1, 3).text = "1", "2"
        table.cell(2, 2).text, table.cell(2, 3).text = "3", "4"
    document = report_of_bytes(_docx(build), ".docx")
    assert document.layout == "docx"
    doc = read_source(_docx(build), suffix=".docx")
    assert doc is not None
    assert grids(doc) == [[
        [(1, "三、本年度办理结果"), (2, "（一）予以公开"), (3, "7")],   # gridSpan=2: one cell
        [(1, ""), (2, "（三）不予公开"), (3, "1"), (4, "2")],            # vMerge continue: empty
        [(1, ""), (2, ""), (3, "3"), (4, "4")],
    ]]


def test_docx_automatic_heading_numbers_are_written_out() -> None:
    data = (SOURCES / "synth_2021.docx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml").decode()
    # Word numbers the headings itself: the text of 一、总体情况 is 总体情况.
    assert "<w:numPr>" in xml and re.search("<w:t>总体情况。?</w:t>", xml)
    assert "、总体情况" not in xml
    doc = read_source(data, suffix=".docx")
    assert doc is not None
    lines = texts(doc)
    assert any(line.startswith("一、总体情况") for line in lines)
    assert any(line.startswith("（一）") for line in lines)


def test_docx_number_formats() -> None:
    from govreport.sources.docx import _FORMATS
    cn = _FORMATS["chineseCounting"]
    assert [cn(n) for n in (1, 10, 11, 20, 21, 105)] == ["一", "十", "十一", "二十", "二十一",
                                                         "一百零五"]
    assert _FORMATS["ideographTraditional"](3) == "丙"
    assert _FORMATS["decimalEnclosedCircle"](2) == "②"
    assert _FORMATS["upperRoman"](14) == "XIV"


# --------------------------------------------------------------------------- PDF


def test_pdf_table_over_a_page_break_is_one_grid() -> None:
    pdfium = pytest.importorskip("pypdfium2")
    path = SOURCES / "synth_2019.pdf"
    pdf = pdfium.PdfDocument(path)
    try:
        pages = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()
    # Table B's rows: 结转 (carried over) near its head, 予以公开 … 不予处理 further down.
    pages_with_b = [i for i, text in enumerate(pages)
                    if any(w in text for w in ("结转", "予以公开", "不予处理"))]
    assert len(set(pages_with_b)) >= 2, "the fixture should break Table B over a page"
    doc = read_source(path.read_bytes(), suffix=".pdf")
    assert doc is not None
    table_b = [g for g in grids(doc) if any("予以公开" in t for row in g for _, t in row)]
    assert len(table_b) == 1
    labels = [t for row in table_b[0] for _, t in row]
    assert any("本年新收" in t for t in labels) and any("结转下年度" in t for t in labels)


def test_pdf_merged_cell_broken_by_a_page_keeps_its_label_on_its_first_row() -> None:
    # In this fixture 三、本年度办理结果 starts on the last row of a page and its
    # text is printed in the part on the next page.
    doc = read_source((SOURCES / "synth_2019_blanks.pdf").read_bytes(), suffix=".pdf")
    assert doc is not None
    (table_b,) = [g for g in grids(doc) if any("予以公开" in t for row in g for _, t in row)]
    row = next(r for r in table_b if any("予以公开" in t for _, t in r))
    assert row[0][1] == "三、本年度办理结果"


# --------------------------------------------------------------------------- sniffing


def test_sniff_by_content_then_suffix() -> None:
    assert sniff(b"%PDF-1.7\n...") == "pdf"
    assert sniff((SOURCES / "synth_2021.docx").read_bytes(), ".pdf") == "docx"  # misnamed
    assert sniff(b"<p>title</p>") == "html"
    assert sniff(b"\xef\xbb\xbf<!DOCTYPE html><html>") == "html"
    assert sniff("<p>标题</p>".encode("utf-16")) == "html"
    assert sniff(b"junk before\n<table><tr><td>1</td></tr></table>") == "html"
    assert sniff("一、总体情况\n".encode()) == "text"
    assert sniff(b"<p>kept as text</p>", ".txt") == "text"
    assert sniff(b"whatever", ".HTM") == "html"
    assert read_source("一、总体情况".encode()) is None


def test_sniff_refuses_what_it_cannot_read() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(UnsupportedInput, match="not a Word"):
        read_source(buffer.getvalue(), file="t.xlsx", suffix=".xlsx")
    with pytest.raises(UnsupportedInput, match="legacy binary"):
        read_source(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), suffix=".doc")
    with pytest.raises(UnsupportedInput, match=r"named \.pdf but not a PDF") as info:
        read_source(b"plain text", file="r.pdf", suffix=".pdf")
    assert info.value.file == "r.pdf"


def test_damaged_files_raise_govreport_errors() -> None:
    with pytest.raises(UnsupportedInput, match="damaged zip"):
        read_source(b"PK\x03\x04" + b"\x00" * 30, suffix=".docx")
    data = (SOURCES / "synth_2021.docx").read_bytes()
    with pytest.raises(UnsupportedInput, match="damaged zip"):
        read_source(data[: len(data) // 2], suffix=".docx")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("word/document.xml", "<not-word")
    with pytest.raises(InputError, match="cannot read this docx file") as info:
        read_source(buffer.getvalue(), file="bad.docx", suffix=".docx")
    assert info.value.file == "bad.docx"
    with pytest.raises(GovReportError):
        read_source(b"%PDF-1.4\nnot really a pdf", file="x.pdf", suffix=".pdf")


# --------------------------------------------------------------------------- missing extras


@pytest.mark.parametrize(("suffix", "module", "extra"), [
    (".html", "selectolax", "html"),
    (".docx", "docx", "docx"),
    (".pdf", "pypdfium2", "pdf"),
])
def test_missing_extra_says_what_to_install(monkeypatch: pytest.MonkeyPatch, suffix: str,
                                            module: str, extra: str) -> None:
    real_import = builtins.__import__

    def without(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == module or name.startswith(f"{module}."):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without)
    path = SOURCES / f"synth_2021{suffix}"
    with pytest.raises(MissingExtra) as info:
        read_source(path.read_bytes(), file=str(path), suffix=suffix)
    message = str(info.value)
    assert "\n" not in message
    assert message.endswith(f"needs an optional extra: pip install 'govreport[{extra}]'")
    assert message.startswith(str(path))
    assert info.value.extra == extra
    assert isinstance(info.value, UnsupportedInput)


# --------------------------------------------------------------------------- provenance


def test_provenance_names_table_row_and_column() -> None:
    doc = read_source((SOURCES / "synth_2021.html").read_bytes(), suffix=".html")
    assert doc is not None
    report = _report(doc, None)
    assert report.applications is not None
    value = report.applications.new_received.total
    tables = [b for b in doc.blocks if isinstance(b, Grid)]
    (index, grid), = [(i, g) for i, g in enumerate(tables) if g.line <= value.line <= g.end_line]
    row = grid.rows[value.line - grid.line]
    cell = next(c for c in row.cells if c.column == value.column)
    assert index == 1 and cell.text == value.raw
    assert value.column == 10  # Table B's last grid column


# --------------------------------------------------------------------------- real reports


def test_seeds_rendered_as_html_docx_pdf_give_the_values_of_their_text(
        tmp_path: Path) -> None:
    seeds = seed_files()
    if not seeds:
        pytest.skip("../shared is not beside the repository")
    rendered: list[tuple[Path, dict[str, Any], bytes, Path]] = []
    for path in seeds:
        text = decode(path.read_bytes())
        document = read_document(text)
        docx_path = tmp_path / f"{path.stem}.docx"
        docx_path.write_bytes(make_sources.document_docx(document))
        rendered.append((path, govreport.flatten(govreport.parse(text)),
                         make_sources.document_html(document), docx_path))
    pdf = shutil.which("soffice") is not None
    if pdf:
        make_sources.docx_to_pdfs([d for *_, d in rendered], tmp_path)
    for path, values, page, docx_path in rendered:
        assert govreport.flatten(report_of_bytes(page, ".html")) == values, path.name
        assert govreport.flatten(report_of(docx_path)) == values, path.name
        if pdf:
            assert govreport.flatten(report_of(docx_path.with_suffix(".pdf"))) == values, path.name
    if not pdf:
        pytest.skip("LibreOffice is not installed: the seeds were not checked as PDF")


@pytest.fixture
def shanghai() -> Report:
    if not SHANGHAI.is_file():
        pytest.skip("../shared/corpus/extra/020 is not there")
    return report_of(SHANGHAI)


def test_shanghai_2019_html_parses_every_table(shanghai: Report) -> None:
    r = shanghai
    assert (r.agency, r.year, r.template, r.layout) == ("上海市人民政府办公厅", 2019, "2019", "html")
    assert r.proactive is not None and r.applications is not None
    assert r.review_litigation is not None
    assert r.diagnostics == ()
    flat = govreport.flatten(r)
    a = r.applications
    # domain.md §1.7: new + carried over = concluded + carried forward.
    assert (a.new_received.total.value, a.carried_over.total.value) == (859, 18)
    assert (a.total_concluded.total.value, a.carried_forward.total.value) == (805, 72)
    rows = [f for f in flat if f.startswith("applications.") and f.endswith(".natural_person")]
    concluded = [k for k in rows if k.split(".")[1] not in (
        "new_received", "carried_over", "total_concluded", "carried_forward")]
    assert sum(flat[k] or 0 for k in concluded) == flat[
        "applications.total_concluded.natural_person"] == 767
    # 总计 is filled on rows 一, 二, （七） and 四 only; a blank cell stays None.
    totals = {k.split(".")[1] for k, v in flat.items()
              if k.startswith("applications.") and k.endswith(".total") and v is not None}
    assert totals == {"new_received", "carried_over", "total_concluded", "carried_forward"}
    assert flat["proactive.rules.total_published"] == 524
    assert str(flat["proactive.procurement.amount_10k_yuan"]) == "25.1"  # 251000元
    assert (flat["review.total"], flat["litigation_direct.total"]) == (7, 9)
    assert flat["litigation_after_review.total"] is None
    print("\n".join(f"{k} = {v}" for k, v in flat.items()))


def test_shanghai_2019_docx_gives_the_values_of_the_page(shanghai: Report) -> None:
    if not SHANGHAI_DOCX.is_file():
        pytest.skip("020d is not there")
    assert govreport.flatten(report_of(SHANGHAI_DOCX)) == govreport.flatten(shanghai)


def test_shanghai_2019_pdf_table_a(shanghai: Report) -> None:
    # The PDF's Table B and C run off the left edge of the page (their first
    # columns are clipped away), so only Table A can match the page.
    if not SHANGHAI_PDF.is_file():
        pytest.skip("020p is not there")
    flat = govreport.flatten(report_of(SHANGHAI_PDF))
    expected = govreport.flatten(shanghai)
    table_a = [k for k in expected if k.startswith("proactive.")]
    assert {k: flat[k] for k in table_a} == {k: expected[k] for k in table_a}
