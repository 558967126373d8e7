"""Building blocks shared by the text layouts: a grid under construction."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from govreport.model import Block, Cell, Document, Grid, GridRow, TextLine

__all__ = ["GridBuilder", "blank", "read_row_per_line", "split_cells", "text_line"]


def blank(line: str) -> bool:
    """True for a line with nothing but white space."""
    return not line.strip()


def text_line(line: str, number: int) -> TextLine:
    """A text block for a non-table line."""
    return TextLine(line.strip(), number)


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
    column = offset
    for part in line.split(sep):
        # The column is where the cell's text starts, past its padding.
        pad = len(part) - len(part.lstrip())
        builder.add_cell(part, number, column + pad + 1)
        column += len(part) + len(sep)


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
            split_cells(cells, sep, number, grid)
            grid.end_row()
        elif not blank(line):
            grid.finish(blocks)
            blocks.append(text_line(line, number))
    grid.finish(blocks)
    return Document(tuple(blocks), layout)
