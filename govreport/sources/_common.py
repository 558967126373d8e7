"""What the source adapters share: text joining and a Document under construction.

Every adapter hands its tables over in one representation, the one the text
layouts already give the table forms (see ``layouts/tab.py``, a Word export):

* a merged cell is **one** cell, placed at its anchor's grid column, however
  many columns it spans (a value spanning Table A's three value columns stays
  one value, and a label spanning three label columns stays one label);
* a grid position covered by a cell from a row above (rowspan, ``vMerge``) is
  one **empty** cell per covering anchor, so a row group label such as
  三、本年度办理结果 is read once, on its first row, and its later rows start
  with an empty label as the forms expect.

Provenance: blocks are numbered in reading order, one number per text line and
per table row, and that number is the ``line`` of the text line, the row and
its cells; a cell's ``column`` is its 1-based grid column (the anchor's, for a
merged cell). The table of a row is the :class:`Grid` holding it, and its row
within the table is ``row.line - grid.line + 1``.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Sequence

import attrs

from govreport.limits import LimitExceeded
from govreport.model import Block, Cell, Diagnostic, Document, Grid, GridRow, TextLine

__all__ = ["ZIP_ERRORS", "DocumentBuilder", "PlacedRow", "SpanGrid", "collapse", "join_parts"]

PlacedRow = Sequence[tuple[int, str]]
"""A table row as (1-based grid column, cell text) pairs, in reading order."""

_ASCII_WORD = re.compile(r"[0-9A-Za-z]")
# Runs of white space a renderer would collapse; NBSP and U+3000 are not among them.
_SPACES = re.compile(r"[ \t\r\n\f\v]+")
_COLLAPSIBLE = re.compile(r"[\t\r\n\f\v]|  ")

# What zipfile raises on a damaged or odd archive: besides BadZipFile, a "version
# needed" or compression it does not know (NotImplementedError, found by the fuzzer),
# and offsets that point before the start or past the end.
ZIP_ERRORS = (zipfile.BadZipFile, NotImplementedError, ValueError, EOFError, OSError)



def _wide(ch: str) -> bool:
    return ord(ch) >= 0x2E80


def _glue(left: str, right: str) -> str:
    # A break between two CJK characters is a line wrap, not a word gap (CSS Text
    # 3 removes such segment breaks); between Latin words or digits it is a gap.
    if not left or not right:
        return left + right
    a, b = left[-1], right[0]
    if a.isspace() or b.isspace() or _wide(a) or _wide(b):
        return left + right
    if _ASCII_WORD.match(a) and _ASCII_WORD.match(b):
        return f"{left} {right}"
    return left + right


def collapse(text: str) -> str:
    """Collapse runs of markup white space; a run holding a line break between CJK goes."""
    if not _COLLAPSIBLE.search(text):
        return text

    def repl(m: re.Match[str]) -> str:
        run = m[0]
        if "\n" in run or "\r" in run:
            before = text[m.start() - 1] if m.start() else ""
            after = text[m.end()] if m.end() < len(text) else ""
            if (before and _wide(before)) or (after and _wide(after)):
                return ""
        return " "
    return _SPACES.sub(repl, text)


def join_parts(parts: Iterable[str]) -> str:
    """Join the pieces of a cell broken by ``<br>`` or paragraphs into one text."""
    out = ""
    for part in parts:
        part = part.strip()
        if part:
            out = _glue(out, part)
    return out


class DocumentBuilder:
    """Collects text lines, grids and diagnostics, numbering blocks in reading order.

    ``max_cells`` bounds the cells of all its grids, covered positions included
    (:attr:`govreport.Limits.max_cells`): a few bytes of spans can ask for
    millions of them.
    """

    def __init__(self, kind: str, max_cells: int | None = None) -> None:
        self.kind = kind
        self.blocks: list[Block] = []
        self.diagnostics: list[Diagnostic] = []
        self.line = 0
        self.max_cells = max_cells
        self.cells = 0

    def text(self, text: str) -> None:
        """Add a line of running text (nothing for a blank one)."""
        text = text.strip()
        if text:
            self.line += 1
            self.blocks.append(TextLine(text, self.line))

    def spend(self, cells: int) -> None:
        """Count ``cells`` more grid cells; :class:`LimitExceeded` past ``max_cells``."""
        self.cells += cells
        if self.max_cells is not None and self.cells > self.max_cells:
            raise LimitExceeded("max_cells", self.max_cells, self.cells,
                                "tables of {} cells or more (merged cells' covered positions "
                                "included)")

    def grid(self, rows: Iterable[PlacedRow]) -> None:
        """Add a table given as placed rows (nothing when no cell holds text)."""
        built: list[GridRow] = []
        for row in rows:
            self.line += 1
            cells = tuple(Cell(text.strip(), self.line, column) for column, text in row)
            built.append(GridRow(cells, self.line))
        if any(c.text for r in built for c in r.cells):
            self.blocks.append(Grid(tuple(built), built[0].line, built[-1].line))

    def splice(self, document: Document, lines: int) -> None:
        """Add the blocks a text layout read from ``lines`` lines, numbered on from here."""
        offset = self.line
        for block in document.blocks:
            if isinstance(block, TextLine):
                self.blocks.append(attrs.evolve(block, line=block.line + offset))
                continue
            rows = tuple(GridRow(tuple(attrs.evolve(c, line=c.line + offset) for c in row.cells),
                                 row.line + offset) for row in block.rows)
            self.blocks.append(Grid(rows, block.line + offset, block.end_line + offset))
        self.diagnostics.extend(
            attrs.evolve(d, line=d.line + offset) if d.line is not None else d
            for d in document.diagnostics)
        self.line = offset + lines

    def warn(self, code: str, message: str, *, raw: str | None = None) -> None:
        """Record a diagnostic about the reading, at the current block."""
        self.diagnostics.append(Diagnostic(code, message, self.line or 1, raw=raw))

    def document(self) -> Document:
        """The blocks collected so far as a Document whose layout is the source kind."""
        return Document(tuple(self.blocks), self.kind, diagnostics=tuple(self.diagnostics))


class SpanGrid:
    """Places cells given with their spans on a grid, as the module docstring says.

    Feed it one row at a time; it remembers the cells that span down, each as
    one interval of columns and the last row it covers, so a row costs time
    in its own cells and the cells covering it, never in the columns they
    span or the rows still to come.
    """

    def __init__(self) -> None:
        self._row = 0
        # (first column, end column (exclusive), last row covered), by first column.
        self._cover: list[tuple[int, int, int]] = []

    def row(self, cells: Sequence[tuple[str, int, int]]) -> list[tuple[int, str]]:
        """Place ``(text, colspan, rowspan)`` cells; returns the row's (column, text) pairs.

        A row without cells of its own gives no cells: it holds no text,
        whatever spans over it.
        """
        self._row += 1
        if not cells:
            return []
        row = self._row
        live = [c for c in self._cover if c[2] >= row]
        out: list[tuple[int, str]] = []
        new: list[tuple[int, int, int]] = []
        column = 0
        i = 0

        def skip_covered() -> None:
            nonlocal column, i
            while i < len(live) and live[i][0] <= column:
                end = live[i][1]
                if end > column:
                    out.append((column + 1, ""))
                    column = end
                i += 1

        for text, colspan, rowspan in cells:
            skip_covered()
            out.append((column + 1, text))
            if rowspan > 1:
                new.append((column, column + colspan, row + rowspan - 1))
            column += colspan
        skip_covered()
        if new:
            live = sorted(live + new)
        self._cover = live
        return out
