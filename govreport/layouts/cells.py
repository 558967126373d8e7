"""Layouts with one table cell per line: rows rebuilt from what each cell is.

* ``line_cells``: every cell on a line of its own, single line breaks, an
  empty cell an empty line (``1``, five empty lines, ``1`` is 1, five blanks,
  1). Rows written as pipe rows (``a | b | c |``) may stand among them: a page
  whose first table is one cell per line and the next one pipe rows.
* ``para_cells``: every cell a paragraph of its own, a blank line between
  paragraphs; an empty cell is an extra blank paragraph or a lone space.

The text keeps no row borders, so rows are rebuilt from the cells' meaning
to the table forms (:mod:`govreport.layouts.vocabulary`): a row label after a
number starts a row, a label after a label (三、本年度办理结果 then
（一）予以公开) stays in it, column headers make a header row, a number after
a header starts a data row. A label broken over two cells (``商业`` /
``企业``, ``（三）`` / ``不予公开``) is joined when neither piece is a label
and the two together are.

Where blank lines leave a cell's position open, no position is guessed: in
``para_cells`` a run of blank lines is either separators and empty
paragraphs (``2k + 1`` lines for ``k`` empty cells, as word processors write
them) or one line per empty cell; a page whose runs are all odd is read the
first way, a page with an even run the second. A row that then holds more
cells than any form gives its label keeps its label only, and the document
says why (``ambiguous-blanks``): its values are ``None``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import compress, pairwise
from operator import not_, or_
from typing import NamedTuple

from govreport.layouts.grids import joined, nonblank, per_lines, text_line
from govreport.layouts.pipe import pipe_lines, pipe_row_cells
from govreport.layouts.vocabulary import (
    Meaning,
    count_kinds,
    data_width,
    finished,
    join_broken,
    meaning,
    merge_label_rows,
    printed_labels,
)
from govreport.model import Block, Cell, Diagnostic, Document, Grid, GridRow
from govreport.numbering import SUB_MARK, TOP_MARK

__all__ = ["LineCells", "ParaCells"]

# Longer lines are sentences, not cells (the longest template label has 38 characters).
_LONGEST_CELL = 80
# The mean line of a cell page is short (labels, numbers, empty cells); of a page
# of sentences or of pipe rows, long.
_MEAN_LINE = 16
# A unit between a row label and its number: 条, 件, 人次, 万元.
_UNIT = 4
# A heading or a sentence ends a table; a label never looks like either.
_HEADING = re.compile(rf"^(?:{TOP_MARK}|{SUB_MARK})\S")
_SENTENCE_END = ("。", "；", ";", "：", ":")
_LABELS = ("row", "column", "caption", "note")
_EMPTY = Meaning("blank")
_MIN_VALUES = 3
_MIN_LABELS = 3


class _Line(NamedTuple):
    """A non-blank line of a table region: a cell, or a whole pipe row."""

    at: int  # 0-based line index
    text: str
    meaning: Meaning | None  # None for a pipe row
    end: int = -1  # the last line of a cell over several lines (a label written vertically)

    @property
    def last(self) -> int:
        """The line the cell ends on."""
        return self.end if self.end >= 0 else self.at


class _Stats(NamedTuple):
    labels: int  # single-cell lines that are template labels
    values: int  # single-cell lines that are numbers
    pipes: int  # pipe rows
    adjacent: int  # a number right after a number
    separated: int  # a number two lines after a number
    blank: int  # blank lines

    @property
    def lines(self) -> bool:
        """One cell per line (else per paragraph).

        Numbers follow each other, or, when numbers seldom do (one number a
        row), blank lines are fewer than cells.
        """
        if self.adjacent >= 2 or self.separated >= 3:
            return self.adjacent >= 2 and 3 * self.adjacent >= self.separated
        return 5 * self.blank < 4 * (self.labels + self.values)


def _is_pipe_row(s: str) -> bool:
    return "|" in s and (s.count("|") >= 2 or (s.endswith("|") and len(s) > 1))


@per_lines
def _stats(lines: Sequence[str]) -> _Stats | None:
    """What the cell layouts look at; ``None`` when the page cannot be one of them.

    Detection runs on every page, so the counts are made with C loops (map,
    compress) over flags of the lines; only a label seen for the first time
    costs a lookup in the forms' vocabularies.
    """
    text = joined(lines)
    if "\t" in text:  # the tab layouts'
        return None
    # Cells make short lines: a page of sentences is no cell page. Pipe rows
    # among the cells (a page of both) are left out of the mean.
    piped = pipe_lines(lines)
    if piped and 2 * len(piped) > nonblank(lines):  # a page of pipe rows or pipe cells
        return None
    if len(text) - sum(map(len, piped)) > _MEAN_LINE * (len(lines) - len(piped)):
        return None
    # A byte per line, 1 for a number alone: what follows counts in C.
    digits = bytes(map(str.isdigit, lines))
    numbers = digits.count(1)
    if numbers < _MIN_VALUES:  # numbers alone on lines
        return None
    # Labels written as the template prints them are found by a set lookup;
    # only a page with fewer of them asks the vocabularies about every line.
    labels = sum(map(printed_labels().__contains__, lines))
    values = numbers
    if labels < _MIN_LABELS:
        blank = list(map(not_, lines))
        others = list(compress(lines, map(not_, map(or_, digits, blank))))
        others = list(compress(others, map(_LONGEST_CELL.__ge__, map(len, others))))
        kinds = count_kinds(list(map(str.strip, others)))
        labels = kinds["row"] + kinds["column"] + kinds["caption"] + kinds["note"]
        values += kinds["value"]
        if labels < _MIN_LABELS:
            return None
    # Numbers on consecutive lines (one cell per line): a run of n numbers
    # holds n - 1 such pairs. Numbers one line apart (a blank line between
    # paragraphs, or a label between rows): with every 1 doubled, no two
    # matches of 1 0 1 share a byte, so a plain count finds them all.
    runs = digits.count(b"\x00\x01") + (digits[:1] == b"\x01")
    adjacent = numbers - runs
    separated = digits.replace(b"\x01", b"\x01\x01").count(b"\x01\x00\x01")
    return _Stats(labels, values, len(piped), adjacent, separated, lines.count(""))


def _vertical(region: list[_Line], step: int) -> list[_Line]:
    """A label written vertically, a character a line (三 / 、 / 本 / 年 …), as one cell.

    Three or more single characters on consecutive lines (``step`` apart)
    that are no numbers are one label broken by a narrow column.
    """
    out: list[_Line] = []
    i = 0
    while i < len(region):
        j = i
        while j < len(region) and _single(region[j]) and (
                j == i or region[j].at - region[j - 1].at == step):
            j += 1
        if j - i >= 3:
            text = "".join(item.text.strip() for item in region[i:j])
            out.append(_Line(region[i].at, text, meaning(text), region[j - 1].at))
            i = j
        else:
            out.append(region[i])
            i += 1
    return out


def _single(item: _Line) -> bool:
    """A line of one character that is no number: a piece of a vertical label."""
    return item.meaning is not None and item.meaning.kind == "text" and len(item.text.strip()) == 1


def _ends_table(s: str, m: Meaning) -> bool:
    """Whether a line that is no cell of the table ends it (a heading, a sentence)."""
    if m.kind != "text":
        return False
    return _HEADING.match(s) is not None or s.endswith(_SENTENCE_END) or len(s) > 60


class _Reader:
    """Reads one page of a cell layout; ``paragraphs`` says which."""

    def __init__(self, lines: Sequence[str], name: str, paragraphs: bool) -> None:
        self.lines = lines
        self.name = name
        self.paragraphs = paragraphs
        self.blocks: list[Block] = []
        self.diagnostics: list[Diagnostic] = []
        self.word_processor = True

    def read(self) -> Document:
        lines = self.lines
        region: list[_Line] = []
        for i, line in enumerate(lines):
            s = line.strip()
            if not s:
                # In paragraphs a lone space is an empty paragraph: a cell.
                if region and self.paragraphs and line:
                    region.append(_Line(i, "", _EMPTY))
                continue
            if _is_pipe_row(s):
                region.append(_Line(i, line, None))
                continue
            m = meaning(s)
            if region:
                if _ends_table(s, m) and not self._numbers_follow(i):
                    self._grid(region)
                    region = []
                    self.blocks.append(text_line(line, i + 1))
                else:
                    region.append(_Line(i, line, m))
            elif m.kind in _LABELS or (m.kind == "text" and self._starts_broken(i)):
                region.append(_Line(i, line, m))
            else:
                self.blocks.append(text_line(line, i + 1))
        if region:
            self._grid(region)
        return finished(self.blocks, self.name, self.diagnostics)

    def _numbers_follow(self, i: int) -> bool:
        """Whether line ``i``, numbered like a heading, is a row label: a number follows it.

        A row the forms do not know (四、政府信息公开专栏访问量, then 人次, then
        20315) is followed by its number, perhaps after a unit; a heading by
        text or by the next table's labels.
        """
        if self.lines[i].strip().endswith(_SENTENCE_END):
            return False
        following = [line.strip() for line in self.lines[i + 1:i + 8] if line.strip()][:2]
        kinds = [meaning(t).kind if len(t) <= _LONGEST_CELL else "text" for t in following]
        if kinds[:1] == ["value"]:
            return True
        return kinds == ["note", "value"] or (
            kinds == ["text", "value"] and len(following[0]) <= _UNIT)

    def _starts_broken(self, i: int) -> bool:
        nxt = next((j for j in range(i + 1, min(i + 4, len(self.lines)))
                    if self.lines[j].strip()), None)
        return nxt is not None and join_broken(self.lines[i], self.lines[nxt])

    def _grid(self, region: list[_Line]) -> None:
        if all(item.meaning is not None and item.meaning.kind != "value" for item in region):
            # No number at all: labels standing as headings or in a sentence, not a table.
            self.blocks.extend(text_line(self.lines[item.at], item.at + 1) for item in region
                               if item.text.strip())
            return
        region = _vertical(region, 2 if self.paragraphs else 1)
        # The blank lines before each line of the region.
        runs = [0, *(cur.at - prev.last - 1 for prev, cur in pairwise(region))]
        # Word processors write each paragraph, empty ones too, followed by a
        # blank line: runs of 2k + 1 lines. A single even run rules that out.
        self.word_processor = all(r % 2 == 1 for r in runs[1:] if r > 0)
        rows: list[list[Cell]] = []
        row: list[Cell] = []
        counted: set[int] = set()  # rows whose blanks were counted from blank runs
        previous: str | None = None
        skip = -1
        for k, item in enumerate(region):
            if k == skip:
                continue
            if item.meaning is None:  # a pipe row among the cells
                if row:
                    rows.append(row)
                row = []
                rows.append(list(pipe_row_cells(item.text, item.at + 1)))
                previous = "value"
                continue
            blanks = self._blanks(runs[k]) if k else 0
            if blanks and row and _starts_row(previous, "blank"):
                rows.append(row)
                row = []
            if blanks and (row or rows):
                row.extend(Cell("", item.at - blanks + b + 1, 1) for b in range(blanks))
                if self.paragraphs and runs[k] > 1:
                    counted.add(len(rows))
                previous = "blank"
            text = item.text.strip()
            m = item.meaning
            nxt = region[k + 1] if k + 1 < len(region) else None
            if (nxt is not None and nxt.meaning is not None and m.kind == "text"
                    and self._blanks(runs[k + 1]) == 0
                    and join_broken(text, nxt.text.strip())):
                # One label broken over two cells with nothing between them.
                text += nxt.text.strip()
                m = meaning(text)
                skip = k + 1
            if _starts_row(previous, m.kind) and row:
                rows.append(row)
                row = []
            column = len(item.text) - len(item.text.lstrip()) + 1
            row.append(Cell(text, item.at + 1, column))
            # A unit beside a row's label (the 2014 statistics table) is of the label.
            previous = "row" if m.kind == "note" and previous in ("row", "text") else m.kind
        if row:
            rows.append(row)
        grid_rows = merge_label_rows([self._checked(r, i in counted) for i, r in enumerate(rows)
                                      if r])
        grid_rows = self._short_data_rows(grid_rows)
        if grid_rows:
            self.blocks.append(Grid(tuple(grid_rows), grid_rows[0].line,
                                    max(c.line for c in grid_rows[-1].cells)))

    def _short_data_rows(self, rows: list[GridRow]) -> list[GridRow]:
        """Rows of numbers without a label (Table C's) with fewer cells than their header's table.

        Blank lines lost leave such a row short, and the forms would split
        its digits to fill it: it is dropped, its text kept in the diagnostic.
        """
        out: list[GridRow] = []
        header: GridRow | None = None
        for row in rows:
            kinds = [meaning(c.text).kind for c in row.cells]
            if "value" not in kinds or any(k not in ("value", "blank") for k in kinds):
                header = row if any(k in _LABELS for k in kinds) else header
                out.append(row)
                continue
            width = data_width(tuple(c.text for c in header.cells)) if header else None
            if width is not None and len(row.cells) < width:
                self.diagnostics.append(Diagnostic(
                    "ambiguous-blanks", f"a row of {len(row.cells)} numbers under a header of "
                    f"{width} columns: blank lines lost leave their places open; its values "
                    "are None", row.line, raw=" | ".join(c.text for c in row.cells)))
                continue
            out.append(row)
        return out

    def _blanks(self, run: int) -> int:
        """The empty cells a run of ``run`` blank lines between two cells stands for."""
        if not self.paragraphs or run == 0:
            return run
        # Lone-space lines are region lines of their own: runs hold only empty lines.
        if self.word_processor:
            return (run - 1) // 2
        return run - 1

    def _checked(self, cells: list[Cell], counted: bool) -> GridRow:
        """The row, or its labels alone when its cells cannot be placed for sure.

        A row with more cells than its label's row holds, where blank lines
        were counted into cells, or with fewer (blank lines lost), gives no
        values: which cell is which is not known.
        """
        row = GridRow(tuple(cells), cells[0].line)
        labels = 0
        while labels < len(cells) and meaning(cells[labels].text).kind not in ("value", "blank"):
            labels += 1
        if labels == 0 or labels == len(cells):
            return row
        last = meaning(cells[labels - 1].text)
        widths = [w for w in last.widths if w > 0]
        if last.kind != "row" or not widths:
            return row
        values = cells[labels:]
        filled = [i for i, c in enumerate(values) if c.text.strip()]
        if not filled:
            return row
        if counted and filled[-1] >= max(widths):
            why = f"more cells than its {max(widths)} columns"
        elif len(values) < min(widths):
            why = f"{len(values)} cells for {min(widths)} columns (blank lines lost?)"
        else:
            return row
        self.diagnostics.append(Diagnostic(
            "ambiguous-blanks", f"the blank lines of row {cells[labels - 1].text!r} leave its "
            f"cells' places open ({why}); its values are None", row.line,
            raw=" | ".join(c.text for c in cells)))
        return GridRow(tuple(cells[:labels]), row.line)


def _starts_row(previous: str | None, kind: str) -> bool:
    """Whether a cell of ``kind`` after one of ``previous`` opens a new row."""
    if previous is None:
        return False
    if kind == "caption" or previous == "caption":
        return True
    if kind == "row":
        return previous != "row"
    if kind == "note" and previous == "row":
        return False  # a unit beside its row's label (the 2014 statistics table)
    if kind in ("column", "note"):
        return previous not in ("column", "note", "text")
    if kind == "text":
        return previous in ("value", "blank")
    # a number or a blank: a header row never holds one
    return previous in ("column", "note")


class LineCells:
    """One table cell per line, an empty line for an empty cell."""

    name = "line_cells"
    description = "one cell per line, single line breaks, an empty line for an empty cell"

    def score(self, lines: Sequence[str]) -> float:
        """Share of non-blank lines that are cells (or pipe rows), when cells follow each other."""
        stats = _stats(lines)
        if stats is None or not stats.lines:
            return 0.0
        return min(0.9, (stats.labels + stats.values + stats.pipes) / (len(lines) - stats.blank))

    def read(self, lines: Sequence[str]) -> Document:
        """Rebuild rows from the cells of each table region."""
        return _Reader(lines, self.name, paragraphs=False).read()


class ParaCells:
    """One table cell per paragraph, a blank line between paragraphs."""

    name = "para_cells"
    description = ("one cell per paragraph, blank lines between; an extra blank paragraph "
                   "or a lone space is an empty cell")

    def score(self, lines: Sequence[str]) -> float:
        """Share of non-blank lines that are cells, when blank lines separate them."""
        stats = _stats(lines)
        if stats is None or stats.lines:
            return 0.0
        return min(0.9, (stats.labels + stats.values + stats.pipes) / (len(lines) - stats.blank))

    def read(self, lines: Sequence[str]) -> Document:
        """Rebuild rows from the paragraphs of each table region."""
        return _Reader(lines, self.name, paragraphs=True).read()
