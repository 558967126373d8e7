"""Layouts where TAB separates cells.

* ``tab_rows``: TAB-separated cells, one row per line (PDF text); blank lines
  inside a table are page breaks, not the table's end.
* ``tab_cells``: a Word export with one TAB-indented cell per line and a blank
  line between rows; a cell broken over lines continues on a line without a
  TAB, even across a blank line.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import repeat

from govreport.layouts.grids import (
    GridBuilder,
    joined,
    nonblank,
    read_row_per_line,
    spaces,
    text_line,
)
from govreport.layouts.vocabulary import finished
from govreport.model import Block, Document
from govreport.numbering import HEADING_START

__all__ = ["TabCells", "TabRows"]

# A line that opens a section can never continue a broken cell.
_HEADING = HEADING_START


def _tab_row(line: str) -> str | None:
    return line if "\t" in line else None


def _next_nonblank(lines: Sequence[str], start: int) -> int | None:
    for i in range(start, len(lines)):
        if lines[i].strip():
            return i
    return None


class TabRows:
    """One row per line, cells separated by TABs."""

    name = "tab_rows"
    description = "TAB-separated rows (PDF text), columns may shift at page breaks"

    def score(self, lines: Sequence[str]) -> float:
        """Share of non-blank lines holding a TAB between two pieces of text."""
        text = joined(lines)
        if "\t" not in text:
            return 0.0
        if text.count("\n") == len(lines) - 1:  # no line holds a newline
            # A row holds a TAB that does not start its line.
            leading = text.count("\n\t") + text.startswith("\t")
            if text.count("\t") - leading < 3:
                return 0.0
        rows = sum(1 for line in lines
                   if "\t" in line and line.strip()
                   and ("\t" in line.strip("\t ") or line.count("\t") >= 2))
        if rows < 3:
            return 0.0
        return rows / nonblank(lines)

    def read(self, lines: Sequence[str]) -> Document:
        """Every line with a TAB is a row; rows separated only by blank lines share a grid.

        A row is one whole line, so the end of the text cannot cut one short:
        a last row with fewer values than its label's template row (a
        plugin's table numbered like Table B's rows) keeps them.
        """
        return read_row_per_line(lines, self.name, _tab_row, "\t")


class TabCells:
    """One cell per TAB-indented line, a blank line between rows."""

    name = "tab_cells"
    description = "Word export: one TAB-indented cell per line, blank lines between rows"

    def score(self, lines: Sequence[str]) -> float:
        """Share of non-blank lines that are a single TAB-indented cell."""
        text = joined(lines)
        if "\t" not in text:  # one fast scan, before counting anything
            return 0.0
        # A cell is a line starting with a TAB, so after a newline but the first.
        leading = text.count("\n\t") + text.startswith("\t")
        if leading < 5:
            return 0.0
        if text.count("\t") == leading and text.count("\n") == len(lines) - 1:
            # No line holds a second TAB: every indented line is one cell,
            # counted in C over the whole text rather than line by line.
            cells = leading
            # An empty cell is a line of white space starting with its TAB:
            # looked for among the (few) lines of white space, in C.
            empty = sum(map(str.startswith, spaces(lines), repeat("\t")))
        else:
            indented = [line for line in lines if line.startswith("\t")]
            cells = sum(1 for line in indented if "\t" not in line[1:].strip())
            empty = sum(map(str.isspace, indented))
        if cells < 5:
            return 0.0
        # A blank TAB-indented line is an empty cell, and so not a blank line.
        return cells / (nonblank(lines) + empty)

    def read(self, lines: Sequence[str]) -> Document:
        """Rebuild rows from cell lines, gluing continuation lines to their cell."""
        blocks: list[Block] = []
        grid = GridBuilder()
        in_grid = False
        row_break = False
        last_cell_line = -10
        for i, line in enumerate(lines):
            number = i + 1
            if line.startswith("\t"):
                if row_break:
                    grid.end_row()
                    row_break = False
                grid.add_cells(line[1:], "\t", number, offset=1)
                in_grid = True
                last_cell_line = i
            elif not line.strip():
                row_break = in_grid
            elif in_grid and self._continues(lines, i, last_cell_line):
                grid.extend_last_cell(line)
                row_break = False
                last_cell_line = i
            else:
                grid.finish(blocks)
                in_grid = row_break = False
                blocks.append(text_line(line, number))
        grid.finish(blocks)
        return finished(blocks, self.name)

    @staticmethod
    def _continues(lines: Sequence[str], i: int, last_cell_line: int) -> bool:
        # A broken cell: close after a cell line (at most one blank between)
        # and followed by more cells; a heading never continues a cell.
        if i - last_cell_line > 2 or _HEADING.match(lines[i]):
            return False
        nxt = _next_nonblank(lines, i + 1)
        return nxt is not None and lines[nxt].startswith("\t")
