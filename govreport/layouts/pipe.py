"""Layouts where ``|`` separates cells.

* ``pipe_rows``: one row per line, ``a | b | c |``, merged cells leave runs of
  ``|`` (``229 | ||``).
  A row's label may stand on a line of its own above its numbers
  (``行政许可 |`` then ``12 | 0 | 3 |``), and a row's last value may be
  carried to the next line, indented (``行政许可 | 0 | 0 |`` then `` 12``).
* ``pipe_cells``: one cell per line ending in `` |``; a line holding only
  ``|`` opens (or closes) a row; a line of bars alone (``||``) is what a
  merged cell left.
"""

from __future__ import annotations

from collections.abc import Sequence

from govreport.layouts.grids import (
    GridBuilder,
    joined,
    nonblank,
    per_lines,
    text_line,
)
from govreport.layouts.vocabulary import finished, meaning, merge_label_rows
from govreport.model import Block, Cell, Document, Grid, GridRow

__all__ = ["PipeCells", "PipeRows", "pipe_lines", "pipe_row_cells"]


def _cells_part(line: str) -> str:
    # The last "|" closes the row rather than opening an empty cell.
    s = line.rstrip()
    return s[:-1] if s.endswith("|") else s


# Every byte but "|" and the newline: what the count of rows below deletes.
_NOT_BAR = bytes(b for b in range(256) if b not in b"|\n")


@per_lines
def _rows(lines: Sequence[str]) -> int:
    """How many lines hold two ``|`` or more: rows of the pipe_rows layout."""
    text = joined(lines)
    if text.count("\n") != len(lines) - 1:  # a line holding a newline
        return sum(1 for s in pipe_lines(lines) if s.count("|") >= 2)
    # Counted in C: UTF-8 has no "|" or newline byte but theirs, so with every
    # other byte deleted each line is its bars, and a line of two or more starts "||".
    bars = text.encode("utf-8", "surrogatepass").translate(None, _NOT_BAR)
    return bars.count(b"\n||") + bars.startswith(b"||")


def _most_rows(lines: Sequence[str]) -> int:
    """At most how many lines hold two ``|`` or more, from two counts in C.

    Each line with a ``|`` holds one, a row at least one more: the rows are
    no more than the bars beyond one a line. On a page of pipe cells, most
    lines holding one bar, this settles a score without counting the rows.
    """
    return joined(lines).count("|") - len(pipe_lines(lines))


def _cells(piped: tuple[str, ...]) -> int:
    """How many of the stripped pipe lines ``piped`` end in ``|`` (a lone ``|`` too)."""
    text = "\n".join(piped)
    if text.count("\n") == len(piped) - 1:  # no line holds a newline: count in C
        return text.count("|\n") + text.endswith("|")
    return sum(1 for s in piped if s.endswith("|"))


@per_lines
def pipe_lines(lines: Sequence[str]) -> tuple[str, ...]:
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
        """Share of non-blank lines that are pipe rows (0 when lone ``|`` lines open the rows)."""
        bound = _most_rows(lines)
        if bound < 3 or pipe_lines(lines).count("|") * 2 > bound:
            return 0.0  # as below, without counting the rows line by line
        rows = _rows(lines)
        # A lone "|" may stand before a row's last value, carried to the next line; a page
        # whose rows are opened by lone "|" has more of them than rows with two bars.
        if rows < 3 or pipe_lines(lines).count("|") * 2 > rows:
            return 0.0
        return rows / nonblank(lines)

    def read(self, lines: Sequence[str]) -> Document:
        """Each pipe line is a row; a run of them (blank lines allowed) is a grid."""
        blocks: list[Block] = []
        grid = GridBuilder()
        last_row = -1
        for i, line in enumerate(lines):
            cells = _row_text(line)
            if cells is not None:
                grid.add_cells(cells, "|", i + 1)
                grid.end_row()
                last_row = i
                continue
            text = line.strip()
            if not text:
                continue
            if text == "|" and i == last_row + 1 and i + 1 < len(lines) \
                    and lines[i + 1][:1].isspace() and _carried(grid.rows, lines[i + 1].strip()):
                # The row's last bar alone on a line, its value on the next. The
                # bar ending the line above then separated an empty cell, not closed the row.
                if lines[last_row].rstrip().endswith("|"):
                    row = grid.rows[-1]
                    grid.rows[-1] = GridRow((*row.cells, Cell("", last_row + 1,
                                                              len(lines[last_row]) + 1)), row.line)
                last_row = i
                continue
            if i == last_row + 1 and line[:1].isspace() and _carried(grid.rows, text):
                # The row's last value, carried to the next line.
                row = grid.rows[-1]
                column = len(line) - len(line.lstrip()) + 1
                grid.rows[-1] = GridRow((*row.cells, Cell(text, i + 1, column)), row.line)
                continue
            grid.finish(blocks)
            blocks.append(text_line(line, i + 1))
        grid.finish(blocks)
        return finished([_merged(b) for b in blocks], self.name)


def pipe_row_cells(line: str, number: int) -> tuple[Cell, ...]:
    """The cells of one pipe row (``a | b | c |``) on line ``number``."""
    builder = GridBuilder()
    builder.add_cells(_cells_part(line), "|", number)
    builder.end_row()
    return builder.rows[0].cells


def _carried(rows: list[GridRow], text: str) -> bool:
    """Whether a number alone on a line is the last value of the row above.

    Only for a row of numbers alone (Table C's) or a row whose label the
    forms know and which has fewer values than that label's row holds, so a
    page number never joins a full row.
    """
    if not rows or meaning(text).kind != "value":
        return False
    cells = rows[-1].cells
    kinds = [meaning(c.text).kind for c in cells]
    labels = 0
    while labels < len(cells) and kinds[labels] not in ("value", "blank"):
        labels += 1
    if labels == 0:
        return all(k == "value" for k in kinds)
    head = meaning(cells[labels - 1].text)
    widths = [w for w in head.widths if w > 0]
    if head.kind != "row" or not widths:
        return False
    values = list(cells[labels:])
    while values and not values[-1].text.strip():
        values.pop()
    return len(values) < max(widths)


def _merged(block: Block) -> Block:
    if not isinstance(block, Grid):
        return block
    rows = merge_label_rows(list(block.rows))
    if len(rows) == len(block.rows):
        return block
    return Grid(tuple(rows), block.line, block.end_line)


def _opens_cells(lines: Sequence[str], number: int) -> bool:
    """Whether the cell line ``number`` (1-based) opens a row closed by a later lone ``|``.

    Only a label opens a row: cells before the first lone ``|`` that start
    with a number are the end of a row whose start the text does not have
    (an excerpt), and stay text.
    """
    first = _cells_part(lines[number - 1]).split("|", 1)[0].strip()
    if meaning(first).kind in ("value", "blank"):
        return False
    for line in lines[number:number + 40]:
        s = line.strip()
        if s == "|":
            return True
        if s and not s.endswith("|"):
            return False
    return False


class PipeCells:
    """A lone ``|`` opens (or closes) a row; each line ending in ``|`` holds a cell."""

    name = "pipe_cells"
    description = "one cell per line ending in ' |', '|' alone on a line opening or closing a row"

    def score(self, lines: Sequence[str]) -> float:
        """Share of non-blank lines that open a row or hold a cell."""
        piped = pipe_lines(lines)
        opens = piped.count("|")
        if opens < 3 or (opens * 2 <= _most_rows(lines) and opens * 2 <= _rows(lines)):
            return 0.0
        # Lines ending in "|": the lone "|" opening rows and the cells.
        return _cells(piped) / nonblank(lines)

    def read(self, lines: Sequence[str]) -> Document:
        """Rows run from one lone ``|`` to the next; any other line ends the grid."""
        blocks: list[Block] = []
        grid = GridBuilder()
        in_grid = False
        after_label = False
        for number, line in enumerate(lines, 1):
            s = line.strip()
            # "|" at the start of the line opens (or closes) a row; " |" is an empty cell.
            if line.rstrip() == "|":
                grid.end_row()
                in_grid = True
                after_label = False
            elif s.endswith("|") and (in_grid or _opens_cells(lines, number)):
                in_grid = True
                if after_label and len(s) > 1 and not s.strip("|"):
                    # The bars a label spanning columns left: no cells of the row.
                    continue
                part = _cells_part(line)
                grid.add_cells(part, "|", number)
                last = part.rsplit("|", 1)[-1].strip()
                after_label = bool(last) and meaning(last).kind not in ("value", "blank")
            elif not s:
                continue
            else:
                grid.finish(blocks)
                in_grid = after_label = False
                blocks.append(text_line(line, number))
        grid.finish(blocks)
        return finished([_merged(b) for b in blocks], self.name)
