"""PDF files: ruled tables become grids, the text around them text lines.

Read with pdfplumber, page by page, top to bottom:

* tables are found from their ruling lines (:mod:`govreport.sources.pdf_tables`
  says which lines are rulings, how merged cells are placed, how running text
  swallowed into a table is put back, and how a table over a page break is
  stitched): a table that runs to the foot of one page and goes on at the head
  of the next, with no text between, is one table;
* a one-column box (a caption row alone at a page foot, a framed paragraph)
  is a table only when it is stitched to one; otherwise its lines are text;
* lines of running text are the page's text outside the tables; spaces a PDF
  puts between two CJK characters (justified text) are dropped, and a line
  that is only a page number in the page's top or bottom margin goes to
  ``Document.chrome``, as do a running header line above a table continued
  from the page before and the table's header rows repeated overleaf;
* a glyph inside a marked-content span with ``/ActualText`` reads as that
  text: LibreOffice writes a character its font lacks as a blank glyph whose
  text is only there.

A page whose rulings would make more than ``Limits.max_pdf_grid_cells`` cells
is read as text, with a ``pdf-grid-limit`` diagnostic; a PDF without any text
(a scan) gives a ``no-text-layer`` diagnostic; an encrypted PDF that needs a
password raises :class:`~govreport.errors.InputError`.

The document-information title (``/Title``) is kept in :attr:`Document.titles
<govreport.model.Document.titles>` as ``"pdf-title"``: WPS writes it as UTF-16
with a little-endian byte-order mark, which pdfminer does not decode, so the
raw bytes are decoded here.

Limits: only ruled tables are found (a table drawn without lines reads as
text); a row broken over a page break stays two rows; text outside the page
box (a table wider than the page) is lost.
"""

from __future__ import annotations

import io
import re
from typing import Any

import attrs

from govreport.errors import InputError, MissingExtra
from govreport.limits import DEFAULT_LIMITS, Limits
from govreport.model import Diagnostic, Document, TextLine
from govreport.sources._common import DocumentBuilder
from govreport.sources.pdf_tables import Part, clean, grid_cells, ruled_page, stitch

__all__ = ["read_pdf"]

_PAGE_NUMBER = re.compile(
    r"^[-—–\s]*(?:第\s*\d+\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|\d+)[-—–\s]*$")
_MARGIN = 0.08  # share of the page height where page numbers stand
_CELL_LINES = 2  # lines of text a lone ruled cell may hold to be a caption row


def _actual_text_device() -> type:
    """The page device of pdfplumber, reading a span's ``/ActualText`` as its glyphs' text."""
    from pdfminer.psparser import PSLiteral
    from pdfminer.utils import decode_text
    from pdfplumber.page import PDFPageAggregatorWithMarkedContent

    class Device(PDFPageAggregatorWithMarkedContent):
        actual: list[str | None]
        pending = False

        def begin_tag(self, tag: PSLiteral, props: Any = None) -> None:
            super().begin_tag(tag, props)
            text = props.get("ActualText") if isinstance(props, dict) else None
            if isinstance(text, bytes):
                text = decode_text(text)
            self.actual = getattr(self, "actual", [])
            self.actual.append(text if isinstance(text, str) else None)
            self.pending = isinstance(text, str)

        def end_tag(self) -> None:
            super().end_tag()
            if getattr(self, "actual", None):
                self.actual.pop()
            self.pending = False

        def render_char(self, *args: Any, **kwargs: Any) -> float:
            adv: float = super().render_char(*args, **kwargs)
            actual = getattr(self, "actual", None)
            if actual and actual[-1] is not None and self.cur_item._objs:
                if self.pending and actual[-1]:
                    # LTChar keeps its text in ``_text``; there is no setter.
                    setattr(self.cur_item._objs[-1], "_text", actual[-1])  # noqa: B010
                else:
                    # The span's text was given with its first glyph.
                    self.cur_item._objs.pop()
                self.pending = False
            return adv

    return Device


def _lay_out(page: Any, device_class: type) -> None:
    # pdfplumber builds a page's layout on first use and caches it in
    # ``_layout``; building it here with the device above is the only hook.
    from pdfminer.pdfinterp import PDFPageInterpreter

    device = device_class(page.pdf.rsrcmgr, pageno=page.page_number, laparams=page.pdf.laparams)
    PDFPageInterpreter(page.pdf.rsrcmgr, device).process_page(page.page_obj)
    page._layout = device.get_result()


def _open(pdfplumber: Any, data: bytes) -> Any:
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    try:
        return pdfplumber.open(io.BytesIO(data))
    except Exception as e:
        cause = e.args[0] if e.args and isinstance(e.args[0], Exception) else e
        if isinstance(cause, PDFPasswordIncorrect) or isinstance(e, PDFPasswordIncorrect):
            raise InputError("the PDF is encrypted: it needs a password to be read, "
                             "save an unprotected copy") from None
        raise


def _parts(page: Any) -> list[tuple[Any, Part]]:
    """The page's ruled tables, and its ruled single cells holding a line or two, with boxes.

    A single cell is a caption row left alone at a page foot, or a framed note;
    a page border or a framed paragraph is not one, and is read as text.
    """
    finder = page.debug_tablefinder()
    tables = [t for t in finder.tables if t.rows and t.columns]
    out = [(t.bbox, Part.of_table(t)) for t in tables]
    in_tables = {cell for t in tables for cell in t.cells}
    for cell in finder.cells:
        if cell in in_tables or any(_overlap(cell, t.bbox) for t in tables):
            continue
        text = page.crop(cell, strict=False).extract_text()
        if text.strip() and text.count("\n") < _CELL_LINES:
            out.append((cell, Part.of_cell(cell, text)))
    return out


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


def _pdf_titles(pdf: Any) -> tuple[tuple[str, str], ...]:
    """The PDF's document-information title, if it has a readable one."""
    try:
        from pdfminer.pdftypes import resolve1

        for info in pdf.doc.info:
            value = resolve1(info.get("Title"))
            text = _info_text(value) if isinstance(value, bytes) else (
                value.strip() if isinstance(value, str) else None)
            if text:
                return (("pdf-title", text),)
    except Exception:  # a damaged info dictionary costs the title, never the document
        return ()
    return ()


def read_pdf(data: bytes, limits: Limits | None = None) -> Document:
    """Read a PDF file into a Document.

    Raises:
        MissingExtra: pdfplumber is not installed (``pip install 'govreport[pdf]'``).
        InputError: the PDF is encrypted and needs a password.

    """
    try:
        import pdfplumber
    except ImportError:
        raise MissingExtra(".pdf", "pdf") from None
    max_cells = (limits or DEFAULT_LIMITS).max_pdf_grid_cells
    device = _actual_text_device()
    out = DocumentBuilder("pdf")
    diagnostics: list[Diagnostic] = []
    titles: tuple[tuple[str, str], ...] = ()
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

    with _open(pdfplumber, data) as pdf:
        titles = _pdf_titles(pdf)
        for page in pdf.pages:
            _lay_out(page, device)
            height = float(page.height)
            chars += len(page.chars)
            if not page.chars and page.images:
                scanned_pages.append(page.page_number)  # a scanned page; a blank one is not
            ruled = ruled_page(page)
            cells = grid_cells(ruled)
            if cells > max_cells:
                diagnostics.append(Diagnostic(
                    "pdf-grid-limit",
                    f"page {page.page_number}: its ruling lines make {cells:,} cells, over the "
                    f"limit max_pdf_grid_cells={max_cells:,}; the page is read as text",
                    line=out.line + 1))
                parts: list[tuple[Any, Part]] = []
            else:
                parts = _parts(ruled)
            boxes = [box for box, _ in parts]

            def outside(obj: dict[str, Any], boxes: list[Any] = boxes) -> bool:
                if obj.get("object_type") != "char":
                    return True
                cx = (obj["x0"] + obj["x1"]) / 2
                cy = (obj["top"] + obj["bottom"]) / 2
                return not any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)

            # (top, kind, payload): kind 0 a table part, 1 a text line.
            items: list[tuple[float, int, Any]] = []
            for line in page.filter(outside).extract_text_lines(strip=True):
                text = clean(line["text"])
                in_margin = (line["top"] < height * _MARGIN
                             or line["bottom"] > height * (1 - _MARGIN))
                if not text:
                    continue
                if in_margin and _PAGE_NUMBER.match(text):
                    chrome.append(TextLine(text, out.line))
                    continue
                items.append((float(line["top"]), 1, text))
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
