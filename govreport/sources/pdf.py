"""PDF files: ruled tables become grids, the text around them text lines.

Read with pdfplumber, page by page, top to bottom:

* tables are found from their ruling lines; pdfplumber gives each merged cell
  once, at its top-left grid position, and ``None`` at the others. Each
  ``None`` is resolved to its anchor by the cells' boxes: covered from the
  left (colspan) it is dropped, covered from above (rowspan) it becomes one
  empty cell, as :mod:`govreport.sources._common` describes;
* a table that runs to the foot of one page and goes on at the head of the
  next, with no text between, is one table: its rows are stitched together;
* lines of running text are the page's text outside the tables; spaces a PDF
  puts between two CJK characters (justified text) are dropped, and a line
  that is only a page number in the page's top or bottom margin is dropped.

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

from govreport.errors import MissingExtra
from govreport.model import Document
from govreport.sources._common import DocumentBuilder, join_parts

__all__ = ["read_pdf"]

_WIDE = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_CJK_GAP = re.compile(f"(?<=[{_WIDE}]) +(?=[{_WIDE}])")
_PAGE_NUMBER = re.compile(
    r"^[-—–\s]*(?:第\s*\d+\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|\d+)[-—–\s]*$")
_MARGIN = 0.08  # share of the page height where page numbers stand
_EPS = 1.0  # points; cell edges of one grid line differ by rounding only


def _clean(text: str) -> str:
    return _CJK_GAP.sub("", text).strip()


class _Part:
    """A table as found on one page: placed rows, and its cells at the top and the foot.

    A merged cell broken by a page break is drawn as two cells, one on each page,
    and the PDF writer may put its text in either: ``top`` and ``foot`` let
    :func:`_stitch` put the two back together.
    """

    def __init__(self, table: Any) -> None:
        texts: list[list[str | None]] = table.extract()
        column_x = [c.bbox[0] for c in table.columns]
        bottom = table.bbox[3]
        anchors: list[tuple[float, float, float, float]] = []
        self.rows: list[list[tuple[int, str]]] = []
        # (x0, x1, row index, index in row) of the cells of the first row / touching the foot.
        self.top: list[tuple[float, float, int, int]] = []
        self.foot: list[tuple[float, float, int, int]] = []
        for i, row in enumerate(table.rows):
            top = row.bbox[1]
            placed: list[tuple[int, str]] = []
            last_anchor: tuple[float, float, float, float] | None = None
            for j, cell in enumerate(row.cells):
                if cell is not None:
                    anchors.append(cell)
                    text = texts[i][j] if j < len(texts[i]) else None
                    if i == 0:
                        self.top.append((cell[0], cell[2], i, len(placed)))
                    if cell[3] > bottom - _EPS:
                        self.foot.append((cell[0], cell[2], i, len(placed)))
                    placed.append((j + 1, join_parts(_clean(t) for t in (text or "").split("\n"))))
                    last_anchor = cell
                    continue
                x = column_x[j]
                above = next((a for a in reversed(anchors)
                              if a[0] - _EPS <= x < a[2] - _EPS
                              and a[1] < top - _EPS < a[3] - _EPS), None)
                if above is None or above is last_anchor:
                    continue  # covered from the left, or nothing there at all
                # Covered from above: one empty cell per covering anchor.
                placed.append((j + 1, ""))
                last_anchor = above
            self.rows.append(placed)


def _stitch(rows: list[list[tuple[int, str]]], foot: list[tuple[float, float, int, int]],
            part: _Part) -> None:
    """Append ``part`` to the table ``rows`` that ended at the foot of the previous page.

    A cell of the part's first row standing exactly below an empty cell at the
    previous foot is the same merged cell: its text goes up to where the cell
    starts, as the forms expect a row group's label on its first row.
    """
    for x0, x1, r, k in part.top:
        match = [(fr, fk) for fx0, fx1, fr, fk in foot
                 if abs(fx0 - x0) < 2 * _EPS and abs(fx1 - x1) < 2 * _EPS]
        if len(match) != 1:
            continue
        fr, fk = match[0]
        column, text = part.rows[r][k]
        if text and not rows[fr][fk][1]:
            rows[fr][fk] = (rows[fr][fk][0], text)
            part.rows[r][k] = (column, "")
    rows.extend(part.rows)


def _is_data_table(table: Any) -> bool:
    return len(table.columns) > 1 and len(table.rows) > 0


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


def read_pdf(data: bytes) -> Document:
    """Read a PDF file into a Document.

    Raises:
        MissingExtra: pdfplumber is not installed (``pip install 'govreport[pdf]'``).

    """
    try:
        import pdfplumber
    except ImportError:
        raise MissingExtra(".pdf", "pdf") from None
    out = DocumentBuilder("pdf")
    # Rows of the last table, when nothing has come after it yet: a table at the
    # head of the next page continues it.
    pending: list[list[tuple[int, str]]] = []
    pending_at_foot = False
    foot: list[tuple[float, float, int, int]] = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        titles = _pdf_titles(pdf)
        for page in pdf.pages:
            height = float(page.height)
            tables = [t for t in page.find_tables() if _is_data_table(t)]
            boxes = [t.bbox for t in tables]

            def outside(obj: dict[str, Any], boxes: list[Any] = boxes) -> bool:
                if obj.get("object_type") != "char":
                    return True
                cx = (obj["x0"] + obj["x1"]) / 2
                cy = (obj["top"] + obj["bottom"]) / 2
                return not any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)

            items: list[tuple[float, int, Any]] = []
            for line in page.filter(outside).extract_text_lines(strip=True):
                text = _clean(line["text"])
                in_margin = (line["top"] < height * _MARGIN
                             or line["bottom"] > height * (1 - _MARGIN))
                if not text or (in_margin and _PAGE_NUMBER.match(text)):
                    continue
                items.append((float(line["top"]), 1, text))
            for t in tables:
                items.append((float(t.bbox[1]), 0, t))
            items.sort(key=lambda item: (item[0], item[1]))
            for index, (_top, kind, payload) in enumerate(items):
                if kind == 1:
                    if pending:
                        out.grid(pending)
                        pending = []
                    out.text(payload)
                    continue
                part = _Part(payload)
                if index == 0 and pending_at_foot and pending:
                    _stitch(pending, foot, part)
                else:
                    if pending:
                        out.grid(pending)
                    pending = list(part.rows)
                # Only a table that is the page's last item can go on overleaf.
                pending_at_foot = index == len(items) - 1
                if pending_at_foot:
                    # The cells at the foot, with their rows numbered within ``pending``.
                    shift = len(pending) - len(part.rows)
                    foot = [(x0, x1, r + shift, k) for x0, x1, r, k in part.foot]
            if items and items[-1][1] == 1:
                pending_at_foot = False
    if pending:
        out.grid(pending)
    return attrs.evolve(out.document(), titles=titles)
