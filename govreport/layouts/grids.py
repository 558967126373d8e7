"""Building blocks shared by the text layouts: a grid under construction."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from itertools import compress
from typing import TypeVar

from govreport.model import Block, Cell, Document, Grid, GridRow, TextLine

__all__ = ["GridBuilder", "blank", "joined", "nonblank", "per_lines", "read_row_per_line",
           "spaces", "split_cells", "text_line"]


def blank(line: str) -> bool:
    """True for a line with nothing but white space."""
    return not line.strip()


def text_line(line: str, number: int) -> TextLine:
    """A text block for a non-table line."""
    return TextLine(line.strip(), number)


_T = TypeVar("_T")


def per_lines(compute: Callable[[Sequence[str]], _T]) -> Callable[[Sequence[str]], _T]:
    """Keep ``compute(lines)`` for the last tuple of lines it was asked about.

    Detection asks every layout about the same lines, so what their scores
    share is worked out once. Only tuples are kept: they cannot change.
    """
    last: tuple[Sequence[str], _T] | None = None

    @functools.wraps(compute)
    def cached(lines: Sequence[str]) -> _T:
        nonlocal last
        seen = last
        if seen is not None and seen[0] is lines:
            return seen[1]
        value = compute(lines)
        if isinstance(lines, tuple):
            last = (lines, value)
        return value

    return cached


@per_lines
def nonblank(lines: Sequence[str]) -> int:
    """How many of ``lines`` hold more than white space."""
    # Counted with C loops; "".isspace() is False, so empty lines are counted apart.
    return len(lines) - lines.count("") - len(spaces(lines))


@per_lines
def spaces(lines: Sequence[str]) -> list[str]:
    """The lines of white space only, empty ones apart (few: kept for a second look)."""
    return list(compress(lines, map(str.isspace, lines)))


@per_lines
def joined(lines: Sequence[str]) -> str:
    """``lines`` joined by newlines, for a quick look for a character in all of them."""
    return "\n".join(lines)


class GridBuilder:
    """Collects rows of cells and hands back a :class:`Grid` (or nothing)."""

    def __init__(self) -> None:
        self.rows: list[GridRow] = []
        self._cells: list[Cell] = []
        self._row_line = 0

    def add_cell(self, text: str, line: int, column: int) -> None:
        """Append a cell to the row being built (starting one if needed)."""
        if not self._cells:
            self._row_line = line
        self._cells.append(Cell(text.strip(), line, column))

    def add_cells(self, line: str, sep: str, number: int, offset: int = 0) -> None:
        """Append the ``sep``-separated cells of ``line`` (see :func:`split_cells`)."""
        # One loop without a call per cell: tables make most of a report's cells.
        cells = self._cells
        if not cells:
            self._row_line = number
        column = offset + 1
        if sep not in line:  # one cell (a cell per line), the most common row
            text = line.lstrip()
            cells.append(Cell(text.rstrip(), number, column + len(line) - len(text)))
            return
        step = len(sep)
        for part in line.split(sep):
            text = part.lstrip()
            width = len(part)
            # The column is where the cell's text starts, past its padding.
            cells.append(Cell(text.rstrip(), number, column + width - len(text)))
            column += width + step

    def extend_last_cell(self, text: str) -> bool:
        """Glue ``text`` to the last cell (a cell broken over lines); False if none."""
        target = self._cells or (list(self.rows[-1].cells) if self.rows else [])
        if not target:
            return False
        last = target[-1]
        joined = Cell(last.text + text.strip(), last.line, last.column)
        if self._cells:
            self._cells[-1] = joined
        else:
            prev = self.rows[-1]
            self.rows[-1] = GridRow((*prev.cells[:-1], joined), prev.line)
        return True

    def end_row(self) -> None:
        """Close the row being built, if any."""
        if self._cells:
            self.rows.append(GridRow(tuple(self._cells), self._row_line))
            self._cells = []

    def finish(self, into: list[Block]) -> None:
        """Close the grid and append it to ``into`` when it has rows."""
        self.end_row()
        if self.rows:
            into.append(Grid(tuple(self.rows), self.rows[0].line, _last_line(self.rows[-1])))
        self.rows = []


def _last_line(row: GridRow) -> int:
    return max(c.line for c in row.cells)


def split_cells(line: str, sep: str, number: int, builder: GridBuilder, offset: int = 0) -> None:
    """Add the ``sep``-separated cells of ``line`` to ``builder`` with their columns."""
    builder.add_cells(line, sep, number, offset)


def read_row_per_line(lines: Sequence[str], layout: str, row_text: Callable[[str], str | None],
                      sep: str) -> Document:
    """Read a layout with one table row per line.

    ``row_text`` gives the part of a line holding its ``sep``-separated cells,
    or ``None`` for a line that is not a table row. Blank lines do not end a
    grid (page breaks); any other line does.
    """
    blocks: list[Block] = []
    grid = GridBuilder()
    for number, line in enumerate(lines, 1):
        cells = row_text(line)
        if cells is not None:
            grid.add_cells(cells, sep, number)
            grid.end_row()
        else:
            text = line.strip()
            if text:
                grid.finish(blocks)
                blocks.append(TextLine(text, number))
    grid.finish(blocks)
    return Document(tuple(blocks), layout)
