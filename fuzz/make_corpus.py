"""Write the fuzzer's seed corpus: small generated reports (tests/synth.py), never real ones.

Usage: ``python fuzz/make_corpus.py DIR``. One file per layout and template, as
UTF-8 and as GB18030, plus a crawler-style one-line report, a few odd inputs,
and the generated web pages, Word files and PDFs of tests/fixtures/sources
(small documents rendered from tests/synth.py): the pages, and each Word
file's ``document.xml`` (which the target wraps back into a .docx), are cut
to a few KB so mutations reach every part; the Word and PDF files are whole.
Hostile pages and Word files of tests/hostile.py, at small sizes, are seeds too.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "tests" / "fixtures" / "sources"
sys.path.insert(0, str(ROOT / "tests"))

import hostile
from synth import generate

COMBINATIONS = [(layout, template) for template in ("2021", "2019")
                for layout in ("pipe_rows", "pipe_cells", "tab_cells", "tab_rows")]
COMBINATIONS.append(("prose", "freeform"))
MAX_SEED_BYTES = 12_000


def small_document_xml() -> bytes:
    """A Word body with a heading numbered by Word and a table with merged cells."""
    def cell(text: str, props: str = "") -> str:
        return f"<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"
    rows = [cell("项目", '<w:vMerge w:val="restart"/>')
            + cell("本年新增", '<w:gridSpan w:val="2"/>'),
            cell("", "<w:vMerge/>") + cell("12") + cell("3")]
    body = ('<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>'
            "<w:r><w:t>总体情况</w:t></w:r></w:p><w:tbl>"
            + "".join(f"<w:tr>{r}</w:tr>" for r in rows) + "</w:tbl>")
    return (f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{hostile.W_NS}">'
            f"<w:body>{body}</w:body></w:document>").encode()


def small_pdf() -> bytes:
    """A one-page PDF with a line of text and a ruled two-by-two table."""
    stream = (b"BT /F1 12 Tf 72 760 Td (Report 2021) Tj ET\n"
              b"72 700 m 272 700 l 72 680 m 272 680 l 72 660 m 272 660 l "
              b"72 700 m 72 660 l 172 700 m 172 660 l 272 700 m 272 660 l S\n"
              b"BT /F1 10 Tf 80 686 Td (total) Tj 100 0 Td (12) Tj ET\n"
              b"BT /F1 10 Tf 80 666 Td (new) Tj 100 0 Td (3) Tj ET\n")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>stream\n" % len(stream) + stream + b"endstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    pdf = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return pdf + b"trailer << /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)


def seeds() -> dict[str, bytes]:
    """Seed inputs by file name."""
    out: dict[str, bytes] = {}
    for i, (layout, template) in enumerate(COMBINATIONS):
        text, _ = generate(i, layout, template)
        out[f"{layout}_{template}.txt"] = text.encode("utf-8")[:MAX_SEED_BYTES]
        out[f"{layout}_{template}.gb18030.txt"] = text.encode("gb18030")[:MAX_SEED_BYTES]
    text, _ = generate(99, "tab_rows", "2021")
    # Crawler text: the whole report on one line, cells run together.
    out["fused_2021.txt"] = "".join(text.replace("\t", "").split("\n")).encode("utf-8")
    rows = "".join(f"<tr><td>{ln.replace(chr(9), '</td><td>')}</td></tr>"
                   for ln in text.split("\n") if "\t" in ln)
    out["page.html"] = (f"<html><body><p>{text.split(chr(10))[0]}</p><table>{rows}</table>"
                        "</body></html>").encode()
    out["odd_bom.txt"] = b"\xef\xbb\xbf\xe4\xb8\x80\xe3\x80\x81\r\n|\r\n0 |"
    out["odd_pdf.bin"] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
    out["odd_zip.bin"] = b"PK\x03\x04\x14\x00\x00\x00"
    for path in sorted(SOURCES.glob("synth_*.*")):
        data = path.read_bytes()
        if path.suffix == ".html":
            out[path.name] = data[:MAX_SEED_BYTES]
        elif path.suffix in (".docx", ".pdf") and "blanks" in path.name:
            out[path.name] = data  # whole: a cut zip or PDF is only a damaged file
    out["small.document.xml"] = small_document_xml()
    out["small_table.pdf"] = small_pdf()
    out["hostile_rowspan.html"] = hostile.html_rowspan0_empty_rows(20, 50)
    out["hostile_nested.html"] = hostile.html_nested_tables(30)
    out["hostile_form.html"] = hostile.html_form_and_hidden()
    out["hostile_gbk_latin1.html"] = hostile.html_gbk_declared_latin1()[:MAX_SEED_BYTES]
    out["hostile_roman.docx"] = hostile.docx_roman_start(10**9)
    out["hostile_entity.docx"] = hostile.docx_entity()
    out["hostile_gridspan.docx"] = hostile.docx_bad_gridspan()
    return out


def main(argv: list[str]) -> int:
    """Write the seeds into the directory named on the command line."""
    if len(argv) != 2:
        print("usage: make_corpus.py DIR", file=sys.stderr)
        return 2
    target = Path(argv[1])
    target.mkdir(parents=True, exist_ok=True)
    for name, data in seeds().items():
        (target / name).write_bytes(data)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
