"""Hostile inputs of issue 19, built in memory: resource bombs and silently misread pages.

Shared by tests/test_hostile.py and benchmarks/hostile_figures.py (which measures each
before and after the fixes). Each builder returns the input's bytes (or ``str``); the
sizes are the issue's. Nothing here is a real report: the reports inside the pages
are tests/synth.py's.
"""

from __future__ import annotations

import html
import io
import zipfile
from collections.abc import Callable

import synth

__all__ = ["ATTACKS", "count_values", "docx_bytes", "report_text"]

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/numbering.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>'
    "</Types>")
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>')
_DOC_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/numbering" Target="numbering.xml"/></Relationships>')


def docx_bytes(body: str | Callable[[zipfile.ZipFile], None], numbering: str = "",
               *, prolog: str = "") -> bytes:
    """A minimal .docx whose body is ``body`` (the XML inside ``<w:body>``).

    ``body`` may instead write ``word/document.xml`` itself (for a bomb written in
    pieces); ``numbering`` is the content of ``<w:numbering>``; ``prolog`` goes
    before the root element (a DOCTYPE).
    """
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("word/_rels/document.xml.rels", _DOC_RELS)
        z.writestr("word/numbering.xml",
                   f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   f'<w:numbering xmlns:w="{W_NS}">{numbering}</w:numbering>')
        if callable(body):
            body(z)
        else:
            z.writestr("word/document.xml",
                       f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}'
                       f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>')
    return buf.getvalue()


def report_text(seed: int = 20, layout: str = "pipe_rows", template: str = "2021") -> str:
    """A generated report as text."""
    return synth.generate(seed, layout, template)[0]


def count_values(report: object, seed: int = 20, layout: str = "pipe_rows",
                 template: str = "2021") -> tuple[int, int]:
    """(values read right, values expected) of the generated report ``seed``."""
    import govreport

    expected = synth.generate(seed, layout, template)[1]["values"]
    flat = govreport.flatten(report)  # type: ignore[arg-type]
    return sum(1 for k, v in expected.items() if flat.get(k) == v), len(expected)


# ----------------------------------------------------------------------------- HTML bombs

def html_rowspan0_empty_rows(anchors: int = 1_000, rows: int = 50_000) -> bytes:
    """``rowspan="0"`` cells, then tens of thousands of empty rows."""
    return ("<table><tr>" + '<td rowspan="0">a</td>' * anchors + "</tr>"
            + "<tr></tr>" * rows + "</table>").encode()


def html_wide_rowspan0(anchors: int = 1_000, rows: int = 50_000) -> bytes:
    """1,000 cells ``colspan=1000 rowspan=0``, then empty rows."""
    return ("<table><tr>" + '<td colspan="1000" rowspan="0">a</td>' * anchors + "</tr>"
            + "<tr></tr>" * rows + "</table>").encode()


def html_nested_tables(depth: int = 20_000) -> bytes:
    """20,000 tables, each inside a cell of the one before."""
    return ("<html><body>" + "<table><tr><td>x</td><td>" * depth + "deep"
            + "</td></tr></table>" * depth + "</body></html>").encode()


def html_nested_divs(depth: int = 100_000) -> bytes:
    """100,000 nested ``<div>``."""
    return ("<html><body>" + "<div>" * depth + "deep" + "</div>" * depth
            + "</body></html>").encode()


# ----------------------------------------------------------------------------- DOCX bombs

def _numbered(fmt: str, start: str) -> bytes:
    numbering = (f'<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="{start}"/>'
                 f'<w:numFmt w:val="{fmt}"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
                 '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>')
    para = ('<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>'
            '<w:r><w:t>一项</w:t></w:r></w:p>')
    return docx_bytes(para * 3, numbering)


def docx_roman_start(start: int = 10**12) -> bytes:
    """A list in ``upperRoman`` starting at ``start``."""
    return _numbered("upperRoman", str(start))


def docx_letter_start(start: int = 10**12) -> bytes:
    """A list in ``upperLetter`` starting at ``start``."""
    return _numbered("upperLetter", str(start))


def docx_zip_bomb(megabytes: int = 200) -> bytes:
    """A .docx of about 600 KB whose ``document.xml`` is ``megabytes`` MB of paragraphs."""
    para = "<w:p><w:r><w:t>a</w:t></w:r></w:p>"
    chunk = (para * (1024 * 1024 // len(para) + 1))[:1024 * 1024]
    chunk = chunk[:len(chunk) - len(chunk) % len(para)]

    def write(z: zipfile.ZipFile) -> None:
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            f.write(f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}">'
                    "<w:body>".encode())
            for _ in range(megabytes):
                f.write(chunk.encode())
            f.write(b"</w:body></w:document>")
    return docx_bytes(write)


# ------------------------------------------------------------------ silently wrong or empty

def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def html_pre() -> bytes:
    """A report inside ``<pre>``."""
    return f"<html><body><pre>{_escape(report_text())}</pre></body></html>".encode()


def html_gbk_declared_latin1() -> bytes:
    """A GBK page that declares ``iso-8859-1``."""
    page = ('<html><head><meta charset="iso-8859-1"></head><body><pre>'
            f"{_escape(report_text())}</pre></body></html>")
    return page.encode("gbk")


def html_bad_charset() -> bytes:
    """A UTF-8 page that declares a codec that is not a text encoding."""
    return (b'<html><head><meta charset="rot13"></head><body><p>'
            + "澄湖市生态环境局2023年度政府信息公开工作报告".encode() + b"\xff</p></body></html>")


def html_form_and_hidden() -> bytes:
    """Visible form controls and text hidden by CSS."""
    return ("<html><body><p>澄湖市生态环境局2023年度政府信息公开工作报告</p>"
            "<button>打印本页</button><select><option>2022年</option></select>"
            "<textarea>留言</textarea><noscript>请启用脚本</noscript>"
            '<p style="display:none">隐藏的广告文字</p><div hidden>另一段隐藏文字</div>'
            "<p>一、总体情况</p></body></html>").encode()


def docx_entity() -> bytes:
    """Text after an entity reference inside ``<w:t>``."""
    return docx_bytes("<w:p><w:r><w:t>前文&ent;后文</w:t></w:r></w:p>",
                      prolog='<!DOCTYPE w:document [<!ENTITY ent "实体">]>')


def docx_bad_gridspan() -> bytes:
    """A table cell with ``gridSpan="2.0"``."""
    cell = "<w:tc>{}<w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>"
    row1 = ("<w:tr>" + cell.format('<w:tcPr><w:gridSpan w:val="2.0"/></w:tcPr>', "合并")
            + cell.format("", "甲") + "</w:tr>")
    row2 = "<w:tr>" + "".join(cell.format("", t) for t in ("一", "二", "三")) + "</w:tr>"
    return docx_bytes(f"<w:p><w:r><w:t>标题</w:t></w:r></w:p><w:tbl>{row1}{row2}</w:tbl>")


def docx_bad_start() -> bytes:
    """A list whose ``w:start`` is ``abc``."""
    return _numbered("decimal", "abc")


def text_line_separators() -> bytes:
    """A report whose lines end with U+2028 only."""
    return report_text().replace("\n", "\u2028").encode()


def text_lone_nul() -> bytes:
    """A report with one NUL byte in it."""
    text = report_text()
    return (text[:100] + "\x00" + text[100:]).encode()


ATTACKS: dict[str, Callable[[], bytes]] = {
    "html: rowspan=0 + 50,000 empty rows": html_rowspan0_empty_rows,
    "html: 1,000 colspan=1000 rowspan=0 + 50,000 rows": html_wide_rowspan0,
    "html: 20,000 nested tables": html_nested_tables,
    "html: 100,000 nested divs": html_nested_divs,
    "html: report in <pre>": html_pre,
    "html: GBK page declaring iso-8859-1": html_gbk_declared_latin1,
    "html: charset=rot13": html_bad_charset,
    "html: form controls, hidden text": html_form_and_hidden,
    "docx: upperRoman start 10^9": lambda: docx_roman_start(10**9),
    "docx: upperRoman start 10^12": docx_roman_start,
    "docx: upperLetter start 10^12": docx_letter_start,
    "docx: zip bomb, 200 MB document.xml": docx_zip_bomb,
    "docx: entity inside w:t": docx_entity,
    'docx: gridSpan="2.0"': docx_bad_gridspan,
    'docx: numbering start="abc"': docx_bad_start,
    "text: lines ended by U+2028": text_line_separators,
    "text: one NUL byte": text_lone_nul,
}
"""Every attack of issue 19 by name; the reports inside are synth seed 20 (pipe_rows, 2021)."""
