"""PDF files: ruled tables become grids, the text around them text lines.

Read with pdfium (the ``pypdfium2`` package), page by page, top to bottom:

* characters with their boxes, and the ruling lines of the page's drawn paths
  (:mod:`govreport.sources.pdf_page`: a glyph inside a marked-content span
  with ``/ActualText`` reads as that text, as LibreOffice writes a character
  its font lacks; white paragraph shading is not a ruling);
* tables are found from their ruling lines (:mod:`govreport.sources.pdf_ruling`
  makes the cells, :mod:`govreport.sources.pdf_tables` says how merged cells
  are placed, how running text swallowed into a table is put back, and how a
  table over a page break is stitched): a table that runs to the foot of one
  page and goes on at the head of the next, with no text between, is one table;
* a one-column box (a caption row alone at a page foot, a framed paragraph)
  is a table only when it is stitched to one; otherwise its lines are text;
* lines of running text are the page's text outside the tables; spaces a PDF
  puts between two CJK characters (justified text) are dropped, and a line
  that is only a page number in the page's top or bottom margin goes to
  ``Document.chrome``, as do a running header line above a table continued
  from the page before and the table's header rows repeated overleaf.

A PDF of more than ``Limits.max_pdf_pages`` pages raises
:class:`~govreport.limits.LimitExceeded` before any page is read; a page whose
rulings would make more than ``Limits.max_pdf_grid_cells`` cells is read as
text, with a ``pdf-grid-limit`` diagnostic; a PDF without any text (a scan:
out of scope, there is no OCR) gives a ``no-text-layer`` diagnostic; an
encrypted PDF that needs a password, or a file pdfium cannot open, raises
:class:`~govreport.errors.InputError`.

The document-information title (``/Title``) is kept in :attr:`Document.titles
<govreport.model.Document.titles>` as ``"pdf-title"``. pdfium decodes UTF-16
with either byte-order mark (WPS writes little-endian) and reads other bytes
as PDFDocEncoding: a title of GB18030 or UTF-8 bytes read so is decoded again
from those bytes.

Limits: only ruled tables are found (a table drawn without lines reads as
text); a row broken over a page break stays two rows; a table wider than the
page keeps the cells whose rulings pdfium gives, and text beyond them reads as
text lines; scanned pages are not read (no OCR).
"""

from __future__ import annotations

import bisect
import ctypes
import re
import threading
from collections.abc import Iterator
from typing import Any

import attrs

from govreport.errors import InputError, MissingExtra
from govreport.limits import DEFAULT_LIMITS, LimitExceeded, Limits
from govreport.model import Diagnostic, Document, TextLine
from govreport.sources._common import DocumentBuilder
from govreport.sources.pdf_page import Char, PageContent, read_page, text_lines
from govreport.sources.pdf_ruling import (
    Table,
    cell_lines,
    chars_in,
    find_cells,
    grid_cells,
    merge_edges,
    tables_of,
)
from govreport.sources.pdf_tables import Part, clean, stitch

__all__ = ["read_pdf"]

_PAGE_NUMBER = re.compile(
    r"^[-—–\s]*(?:第\s*\d+\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|\d+)[-—–\s]*$")
_MARGIN = 0.08  # share of the page height where page numbers stand
_CELL_LINES = 2  # lines of text a lone ruled cell may hold to be a caption row
# pdfium must not be called from two threads at once (pypdfium2's docs): a
# threaded caller reads one PDF at a time; processes are not held up.
_PDFIUM = threading.Lock()


def _raw() -> Any:
    try:
        import pypdfium2.raw as raw  # type: ignore[import-untyped]  # no py.typed
    except ImportError:
        raise MissingExtra(".pdf", "pdf") from None
    return raw


def _open(raw: Any, data: bytes) -> tuple[Any, Any]:
    """The pdfium document of ``data``, and the buffer it reads (kept alive with it)."""
    buffer = ctypes.create_string_buffer(data, len(data))
    document = raw.FPDF_LoadMemDocument64(buffer, len(data), None)
    if not document:
        error = raw.FPDF_GetLastError()
        if error == raw.FPDF_ERR_PASSWORD:
            raise InputError("the PDF is encrypted: it needs a password to be read, "
                             "save an unprotected copy")
        if error == raw.FPDF_ERR_SECURITY:
            raise InputError("the PDF uses a security handler that is not supported")
        raise InputError("the PDF is damaged: pdfium cannot open it"
                         + (" (not a PDF file)" if error == raw.FPDF_ERR_FORMAT else ""))
    return document, buffer


def _pages(raw: Any, document: Any) -> Iterator[PageContent]:
    """Each page's content, every page closed as soon as it is read."""
    for number in range(raw.FPDF_GetPageCount(document)):
        page = raw.FPDF_LoadPage(document, number)
        if not page:
            raise InputError(f"the PDF is damaged: page {number + 1} cannot be read")
        try:
            content = read_page(raw, page)
        finally:
            raw.FPDF_ClosePage(page)
        yield content


def _parts(chars: list[Char], tables: list[list[tuple[float, float, float, float]]],
           lone: list[tuple[float, float, float, float]]) -> list[tuple[Any, Part]]:
    """The page's ruled tables, and its ruled single cells holding a line or two, with boxes.

    A single cell is a caption row left alone at a page foot, or a framed note;
    a page border or a framed paragraph is not one, and is read as text.
    """
    found = [Table(cells, chars) for cells in tables]
    out = [(t.bbox, Part.of_table(t)) for t in found]
    boxes = [t.bbox for t in found]
    for cell in lone:
        if any(_overlap(cell, box) for box in boxes):
            continue
        text = cell_lines(chars_in(chars, cell))
        if text.strip() and text.count("\n") < _CELL_LINES:
            out.append((cell, Part.of_cell(cell, text)))
    return out


def _outside(chars: list[Char], boxes: list[Any]) -> list[Char]:
    """The characters whose middle is in none of the boxes (sides included)."""
    if not boxes:
        return chars
    order = sorted(range(len(chars)), key=lambda n: chars[n].my)
    heights = [chars[n].my for n in order]
    inside: set[int] = set()
    for x0, top, x1, bottom in boxes:
        inside.update(n for n in order[bisect.bisect_left(heights, top):
                                       bisect.bisect_right(heights, bottom)]
                      if x0 <= chars[n].mx <= x1)
    return [c for n, c in enumerate(chars) if n not in inside]


def _overlap(a: Any, b: Any) -> bool:
    return bool(a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])


_MAX_INFO = 1000  # bytes of a title property read; a title is short
_CONTROL = re.compile(r"[\x00-\x1f\x7f\ufeff\ufffd]")


def _info_text(raw: bytes) -> str | None:
    """A document-information string: UTF-16 by its byte-order mark, else UTF-8, else GB18030."""
    raw = raw[:_MAX_INFO]
    if raw.startswith((b"\xfe\xff", b"\xff\xfe")):
        text = raw[2:].decode("utf-16-be" if raw[0] == 0xFE else "utf-16-le", errors="replace")
    else:
        for codec in ("utf-8", "gb18030", "latin-1"):
            try:
                text = raw.decode(codec)
                break
            except UnicodeDecodeError:
                continue
    text = _CONTROL.sub("", text).strip()
    return text or None


def _pdf_titles(raw: Any, document: Any) -> tuple[tuple[str, str], ...]:
    """The PDF's document-information title, if it has a readable one."""
    size = raw.FPDF_GetMetaText(document, b"Title", None, 0)
    if size <= 2:
        return ()
    buffer = ctypes.create_string_buffer(size)
    raw.FPDF_GetMetaText(document, b"Title", buffer, size)
    text = buffer.raw[:size - 2].decode("utf-16-le", errors="replace")
    if any("\x80" <= c <= "\xff" for c in text) and all(c <= "\xff" for c in text):
        # Bytes pdfium took for PDFDocEncoding: a Chinese title in GB18030 or UTF-8.
        text = _info_text(text.encode("latin-1")) or ""
    text = _CONTROL.sub("", text[:_MAX_INFO]).strip()
    return (("pdf-title", text),) if text else ()


def read_pdf(data: bytes, limits: Limits | None = None) -> Document:
    """Read a PDF file into a Document.

    Raises:
        MissingExtra: pypdfium2 is not installed (``pip install 'govreport[pdf]'``).
        InputError: the PDF is encrypted and needs a password, or is damaged.
        LimitExceeded: the PDF has more pages than ``Limits.max_pdf_pages``.

    """
    raw = _raw()
    with _PDFIUM:
        return _read(raw, data, limits or DEFAULT_LIMITS)


def _read(raw: Any, data: bytes, limits: Limits) -> Document:
    out = DocumentBuilder("pdf")
    diagnostics: list[Diagnostic] = []
    # Rows of the last table, when nothing has come after it yet: a table at the
    # head of the next page continues it.
    pending: list[list[tuple[int, str]]] = []
    pending_one_column = False
    pending_at_foot = False
    foot: list[tuple[float, float, int, int]] = []
    chars = 0
    scanned_pages: list[int] = []
    # Page numbers, running headers, header rows repeated overleaf: not report
    # text, but kept (nothing of the input is lost).
    chrome: list[TextLine] = []

    def flush() -> None:
        nonlocal pending
        if pending_one_column:
            for row in pending:
                for _, text in row:
                    out.text(text)
        elif pending:
            out.grid(pending)
        pending = []

    document, _buffer = _open(raw, data)
    try:
        count = raw.FPDF_GetPageCount(document)
        if count > limits.max_pdf_pages:
            raise LimitExceeded("max_pdf_pages", limits.max_pdf_pages, count,
                                "a PDF of {} pages")
        titles = _pdf_titles(raw, document)
        for number, page in enumerate(_pages(raw, document), 1):
            height = page.height
            chars += len(page.chars)
            if not page.chars and page.images:
                scanned_pages.append(number)  # a scanned page; a blank one is not
            cells = grid_cells(page.edges)
            parts: list[tuple[Any, Part]] = []
            if cells > limits.max_pdf_grid_cells:
                diagnostics.append(Diagnostic(
                    "pdf-grid-limit",
                    f"page {number}: its ruling lines make {cells:,} cells, over the "
                    f"limit max_pdf_grid_cells={limits.max_pdf_grid_cells:,}; the page is "
                    "read as text",
                    line=out.line + 1))
            else:
                tables, lone = tables_of(find_cells(merge_edges(page.edges)))
                parts = _parts(page.chars, tables, lone)
            outside = _outside(page.chars, [box for box, _ in parts])

            # (top, kind, payload): kind 0 a table part, 1 a text line.
            items: list[tuple[float, int, Any]] = []
            for top, bottom, line in text_lines(outside):
                text = clean(line)
                in_margin = top < height * _MARGIN or bottom > height * (1 - _MARGIN)
                if not text:
                    continue
                if in_margin and _PAGE_NUMBER.match(text):
                    chrome.append(TextLine(text, out.line))
                    continue
                items.append((top, 1, text))
            for _box, part in parts:
                lead, trail = part.prose()
                items.extend((top, 1, text) for top, text in lead + trail if text)
                if part.rows:
                    items.append((part.top_y, 0, part))
            items.sort(key=lambda item: (item[0], item[1]))
            if pending_at_foot and pending:
                # A running header above the table that goes on overleaf is page
                # chrome: it does not part the table from its first page.
                head = 0
                while (head < len(items) and items[head][1] == 1
                       and items[head][0] < height * _MARGIN):
                    head += 1
                if head and head < len(items) and items[head][1] == 0:
                    chrome.extend(TextLine(text, out.line) for _, _, text in items[:head])
                    items = items[head:]
            for index, (_top, kind, payload) in enumerate(items):
                if kind == 1:
                    flush()
                    out.text(payload)
                    continue
                part = payload
                if index == 0 and pending_at_foot and pending:
                    chrome.extend(TextLine(t, out.line) for t in stitch(pending, foot, part))
                    pending_one_column = pending_one_column and part.one_column
                else:
                    flush()
                    pending = list(part.rows)
                    pending_one_column = part.one_column
                # Only a table that is the page's last item can go on overleaf.
                pending_at_foot = index == len(items) - 1
                if pending_at_foot:
                    # The cells at the foot, with their rows numbered within ``pending``.
                    shift = len(pending) - len(part.rows)
                    foot = [(x0, x1, r + shift, k) for x0, x1, r, k in part.foot]
            if not items or items[-1][1] == 1:
                pending_at_foot = False
    finally:
        raw.FPDF_CloseDocument(document)
    flush()
    if not chars:
        diagnostics.append(Diagnostic(
            "no-text-layer",
            "the PDF has no text layer (scanned pages?): nothing can be read from it "
            "without OCR"))
    elif scanned_pages:
        diagnostics.append(Diagnostic(
            "no-text-layer",
            f"page(s) {', '.join(map(str, scanned_pages))} of the PDF are images without "
            "a text layer (scanned?): their content is not read"))
    return attrs.evolve(out.document(), diagnostics=tuple(diagnostics), titles=titles,
                        chrome=tuple(chrome))
