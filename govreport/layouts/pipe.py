"""Layouts where ``|`` separates cells.

* ``pipe_rows``: one row per line, ``a | b | c |``, merged cells leave runs of
  ``|`` (``229 | ||``).
* ``pipe_cells``: a line holding only ``|`` opens a row, then one cell per
  line ending in `` |``.
"""

from __future__ import annotations

from collections.abc import Sequence

from govreport.layouts.grids import (
    GridBuilder,
    joined,
    nonblank,
    per_lines,
    read_row_per_line,
    text_line,
)
from govreport.model import Block, Document

__all__ = ["PipeCells", "PipeRows"]


def _cells_part(line: str) -> str:
    # The last "|" closes the row rather than opening an empty cell.
    s = line.rstrip()
    return s[:-1] if s.endswith("|") else s


@per_lines
def _pipe_lines(lines: Sequence[str]) -> tuple[str, ...]:
    """The lines holding a ``|``, stripped; the others count only as text."""
    if "|" not in joined(lines):
        return ()
    return tuple([line.strip() for line in lines if "|" in line])


def _row_text(line: str) -> str | None:
    s = line.strip()
    if s != "|" and (s.count("|") >= 2 or (s.endswith("|") and len(s) > 1)):
        return _cells_part(line)
    return None


class PipeRows:
    """One table row per line, cells separated by ``|``."""

    name = "pipe_rows"
    description = "one row per line, cells split by ' | ', merged cells left as runs of '|'"

    def score(self, lines: Sequence[str]) -> float:
        """Share of non-blank lines that are pipe rows (0 when rows are opened by a lone ``|``)."""
        piped = _pipe_lines(lines)
        if piped.count("|") >= 3:
            return 0.0
        rows = sum(1 for s in piped if s.count("|") >= 2)
        if rows < 3:
            return 0.0
        return rows / nonblank(lines)

    def read(self, lines: Sequence[str]) -> Document:
        """Each pipe line is a row; a run of them (blank lines allowed) is a grid."""
        return read_row_per_line(lines, self.name, _row_text, "|")


class PipeCells:
    """A lone ``|`` opens a row; each following line ending in ``|`` holds its cells."""

    name = "pipe_cells"
    description = "'|' alone on a line opens a row, then one cell per line ending in ' |'"

    def score(self, lines: Sequence[str]) -> float:
        """Share of non-blank lines that open a row or hold a cell."""
        piped = _pipe_lines(lines)
        opens = piped.count("|")
        if opens < 3:
            return 0.0
        cells = sum(1 for s in piped if s != "|" and s.endswith("|"))
        return (opens + cells) / nonblank(lines)

    def read(self, lines: Sequence[str]) -> Document:
        """Rows run from one lone ``|`` to the next; any other line ends the grid."""
        blocks: list[Block] = []
        grid = GridBuilder()
        in_grid = False
        for number, line in enumerate(lines, 1):
            s = line.strip()
            # "|" at the start of the line opens a row; " |" is an empty cell.
            if line.rstrip() == "|":
                grid.end_row()
                in_grid = True
            elif in_grid and s.endswith("|"):
                grid.add_cells(_cells_part(line), "|", number)
            elif not s:
                continue
            else:
                grid.finish(blocks)
                in_grid = False
                blocks.append(text_line(line, number))
        grid.finish(blocks)
        return Document(tuple(blocks), self.name)
