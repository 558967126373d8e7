"""Ruled tables of a PDF page as placed rows, and tables continued overleaf.

What a word processor draws is not always a table:

* WPS and Word paint white (or coloured) paragraph shading as filled
  rectangles without a border; their edges are not ruling lines, and taken as
  such they turn the running text above a table into one-column "rows" of it.
  Only stroked lines and rectangles, and filled rectangles thin enough to be
  a drawn line, are rulings (:func:`govreport.sources.pdf_page.ruling_edges`);
* a one-column row of running text or a numbered heading at the top or the
  foot of a table is text, put back in reading order (:meth:`Part.prose`);
* a table drawn over a page break is one table: a merged cell broken by the
  break keeps its text on its first row, a label whose text the break cut in
  two (``（四）无`` / ``法提供``) is joined again, and header rows repeated at
  the head of the page are taken out (:func:`stitch`); a caption row left alone
  at a page foot is a single ruled cell, which the table finder makes no table of
  (:meth:`Part.of_cell`).

The table finder (:mod:`govreport.sources.pdf_ruling`) gives each merged
cell once, at its top-left grid position, and ``None`` at the others. Each
``None`` is resolved to its anchor by the cells' boxes: covered from the left
(colspan) it is dropped, covered from above (rowspan) it becomes one empty
cell, as :mod:`govreport.sources._common`
describes.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from govreport.sources._common import join_parts

if TYPE_CHECKING:
    from govreport.sources.pdf_ruling import Table

__all__ = ["Part", "cell_text", "clean", "stitch"]

_WIDE = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_CJK_GAP = re.compile(f"(?<=[{_WIDE}]) +(?=[{_WIDE}])")
_EPS = 1.0  # points; cell edges of one grid line differ by rounding only
# A numbered heading: 一、 （一） 1. 1、 — the start of a new label, never a continuation.
_NUMBERED = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*、"
                       r"|[（(]\s*[一二三四五六七八九十\d]+\s*[）)]|\d+\s*[.．、](?!\d))")
_TOP_HEADING = re.compile(r"^\s*[一二三四五六七八九十]+\s*、")
_SENTENCE = re.compile(r"[。；;！？]|[，,].*[，,。]")
_HAS_WIDE = re.compile(f"[{_WIDE}]")
_SHORT = 2  # characters after its number that no row label of the forms stops at


def clean(text: str) -> str:
    """Drop the spaces a PDF puts between two CJK characters (justified text)."""
    return _CJK_GAP.sub("", text).strip()


def cell_text(text: str) -> str:
    """A cell's text as the table finder extracts it, its lines joined."""
    return join_parts(clean(t) for t in text.split("\n"))


def _is_prose(text: str) -> bool:
    # A numbered top heading (二、主动公开…), or a sentence of running text.
    return bool(_TOP_HEADING.match(text)) or (len(text) >= 20 and bool(_SENTENCE.search(text)))


class Part:
    """A table as found on one page: placed rows, and where its cells stand.

    A merged cell broken by a page break is drawn as two cells, one on each page,
    and the PDF writer may put its text in either, or part in each: :attr:`top`
    and :attr:`foot` let :func:`stitch` put them together.
    """

    def __init__(self, rows: list[list[tuple[int, str]]],
                 boxes: list[list[tuple[float, float, float]]], row_tops: list[float]) -> None:
        self.rows = rows
        # Per placed cell: (x0, x1, bottom) of its box; a cell covered from above
        # has no box of its own (bottom -1: it never stands at the foot).
        self.boxes = boxes
        self.row_tops = row_tops

    @classmethod
    def of_table(cls, table: Table) -> Part:
        """The part of a table the table finder found."""
        texts: list[list[str | None]] = table.extract()
        column_x = table.lefts
        anchors: list[tuple[float, float, float, float]] = []
        rows: list[list[tuple[int, str]]] = []
        boxes: list[list[tuple[float, float, float]]] = []
        row_tops: list[float] = []
        for i, row in enumerate(table.rows):
            top = row.bbox[1]
            placed: list[tuple[int, str]] = []
            placed_boxes: list[tuple[float, float, float]] = []
            last_anchor: tuple[float, float, float, float] | None = None
            for j, cell in enumerate(row.cells):
                if cell is not None:
                    anchors.append(cell)
                    text = texts[i][j] if j < len(texts[i]) else None
                    placed.append((j + 1, cell_text(text or "")))
                    placed_boxes.append((float(cell[0]), float(cell[2]), float(cell[3])))
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
                placed_boxes.append((float(above[0]), float(above[2]), -1.0))
                last_anchor = above
            rows.append(placed)
            boxes.append(placed_boxes)
            row_tops.append(float(top))
        return cls(rows, boxes, row_tops)

    @classmethod
    def of_cell(cls, box: tuple[float, float, float, float], text: str) -> Part:
        """A ruled box holding one cell, of which the table finder makes no table.

        A caption row alone at a page foot, or a framed note.
        """
        return cls([[(1, cell_text(text))]], [[(box[0], box[2], box[3])]], [box[1]])

    @property
    def top_y(self) -> float:
        """Where the table starts on its page."""
        return self.row_tops[0] if self.row_tops else 0.0

    @property
    def top(self) -> list[tuple[float, float, int, int]]:
        """(x0, x1, row, index in row) of the first row's cells."""
        if not self.rows:
            return []
        return [(x0, x1, 0, k) for k, (x0, x1, _) in enumerate(self.boxes[0])]

    def spans_down(self, row: int, index: int) -> bool:
        """Whether the cell reaches below its row: a merged row-group label."""
        bottom = self.boxes[row][index][2]
        # A row's box takes in the merged cells starting on the row:
        # the row ends where the next one starts.
        if row + 1 < len(self.row_tops):
            return bottom > self.row_tops[row + 1] + _EPS
        return False

    @property
    def foot(self) -> list[tuple[float, float, int, int]]:
        """(x0, x1, row, index in row) of the cells that reach the table's foot."""
        bottom = max((b for row in self.boxes for _, _, b in row), default=0.0)
        return [(x0, x1, r, k) for r, row in enumerate(self.boxes)
                for k, (x0, x1, b) in enumerate(row) if b > bottom - _EPS]

    @property
    def one_column(self) -> bool:
        """No row has two cells: a box around text, or a caption row alone."""
        return all(len(row) <= 1 for row in self.rows)

    def prose(self) -> tuple[list[tuple[float, str]], list[tuple[float, str]]]:
        """Take out the one-column rows of running text at the table's top and foot.

        Returns the (top, text) lines taken from above the table's first real
        row and from below its last. A one-column row counts when it, or a row
        further out, is a numbered top heading or a sentence: a caption row
        (第二十条第（一）项) next to the table stays.
        """
        single = [len(row) == 1 for row in self.rows]

        def cut(indexes: list[int]) -> int:
            # How many of the rows at ``indexes`` (outermost first) are text.
            count = 0
            for n, i in enumerate(indexes):
                if not single[i]:
                    break
                if _is_prose(self.rows[i][0][1]):
                    count = n + 1
            return count

        size = len(self.rows)
        n_lead = cut(list(range(size)))
        # A one-column box keeps what follows its last sentence (a caption row).
        n_trail = 0 if all(single) else cut(list(range(size - 1, -1, -1)))
        lead = [(self.row_tops[i], self.rows[i][0][1]) for i in range(n_lead)]
        trail = [(self.row_tops[i], self.rows[i][0][1]) for i in range(size - n_trail, size)]
        keep = slice(n_lead, size - n_trail)
        self.rows, self.boxes = self.rows[keep], self.boxes[keep]
        self.row_tops = self.row_tops[keep]
        return lead, trail

    def text_lines(self) -> list[str]:
        """The rows' texts, for a one-column part read as text."""
        return [text for row in self.rows for _, text in row if text]


def _cut_short(text: str) -> bool:
    # A numbered label ended a character or two after its number: （四）无.
    m = _NUMBERED.match(text)
    return m is not None and 0 < len(text) - m.end() <= _SHORT


def _continues(above: str, below: str) -> bool:
    # A label the page break cut in two: two pieces of words, the second no new item.
    return (bool(_HAS_WIDE.search(above)) and bool(_HAS_WIDE.search(below))
            and not _NUMBERED.match(below) and not above.endswith(("。", "；", ";")))


def stitch(rows: list[list[tuple[int, str]]], foot: list[tuple[float, float, int, int]],
           part: Part) -> list[str]:
    """Append ``part`` to the table ``rows`` that ended at the foot of the previous page.

    A cell of the part's first row standing exactly below a cell at the
    previous foot is the same merged cell broken by the page: its text goes up
    to where the cell starts, as the forms expect a row group's label on its
    first row; when both pieces hold words, the lower one starts no new
    numbered item and either spans several rows or follows a numbered label
    cut a character or two after its number, they are one label cut by the
    break and are joined.

    Header rows the word processor repeats at the head of each page (the
    table's own first rows, again) are not appended: their texts are returned.
    """
    repeated = 0
    while (repeated < min(len(rows), len(part.rows) - 1)
           and part.rows[repeated] == rows[repeated] and any(t for _, t in rows[repeated])):
        repeated += 1
    dropped = [t for row in part.rows[:repeated] for _, t in row if t]
    if repeated:
        part.rows, part.boxes = part.rows[repeated:], part.boxes[repeated:]
        part.row_tops = part.row_tops[repeated:]
    for x0, x1, r, k in part.top:
        match = [(fr, fk) for fx0, fx1, fr, fk in foot
                 if abs(fx0 - x0) < 2 * _EPS and abs(fx1 - x1) < 2 * _EPS]
        if len(match) != 1:
            continue
        fr, fk = match[0]
        column, text = part.rows[r][k]
        above = rows[fr][fk][1]
        # Joined only where the lower piece is a merged cell going on over rows,
        # or the upper one a numbered label cut short: a row that moved overleaf
        # whole has a label of its own.
        if text and (not above or ((part.spans_down(r, k) or _cut_short(above))
                                   and _continues(above, text))):
            rows[fr][fk] = (rows[fr][fk][0], join_parts((above, text)))
            part.rows[r][k] = (column, "")
    rows.extend(part.rows)
    return dropped
