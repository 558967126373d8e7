"""Cells and tables from a page's ruling lines, the way pdfplumber's table finder makes them.

1. Edges of one orientation closer than a few points are snapped to their
   mean position, and collinear edges that touch or nearly touch are joined;
   what stays shorter than a few points is no ruling.
2. Where a plumb edge crosses (or nearly reaches) a level one is a corner.
3. A cell is the smallest rectangle from a corner to corners right of it and
   below it whose four sides are drawn.
4. Cells sharing a corner are one table; a table of one cell is a lone box
   (a caption row at a page foot, a framed note) which the reader judges.

A table's rows are its cells grouped by their top, each placed in the columns
by its left edge: a column a merged cell covers gets ``None`` there.

The steps and their tolerances follow pdfplumber's lattice table finder (MIT
licence), so that tables read as they did when govreport read PDFs with it.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Sequence
from typing import NamedTuple

from govreport.sources.pdf_page import Char, Edge, cluster, text_lines

__all__ = ["Table", "chars_in", "find_cells", "grid_cells", "merge_edges", "tables_of"]

_SNAP = 3.0  # points; rulings closer than this are one
_JOIN = 3.0  # points; collinear rulings parted by less are one
_MIN_LENGTH = 3.0  # points; a shorter ruling is a tick, not a side
_CROSS = 3.0  # points; how near a plumb and a level ruling must come to make a corner

Box = tuple[float, float, float, float]  # x0, top, x1, bottom


def _snap(values: list[float]) -> dict[float, float]:
    groups = cluster(values, _SNAP)
    sums: dict[int, list[float]] = {}
    for value in values:
        sums.setdefault(groups[value], []).append(value)
    means = {g: sum(v) / len(v) for g, v in sums.items()}
    return {value: means[groups[value]] for value in set(values)}


def merge_edges(edges: Sequence[Edge]) -> list[Edge]:
    """Snap, join and drop the ticks, as the module's docstring says."""
    level = [e for e in edges if e.orientation == "h" and e.x1 - e.x0 >= 1]
    plumb = [e for e in edges if e.orientation == "v" and e.bottom - e.top >= 1]
    out: list[Edge] = []
    at_y = _snap([e.top for e in level])
    at_x = _snap([e.x0 for e in plumb])
    lines: dict[tuple[str, float], list[tuple[float, float]]] = {}
    for e in level:
        lines.setdefault(("h", at_y[e.top]), []).append((e.x0, e.x1))
    for e in plumb:
        lines.setdefault(("v", at_x[e.x0]), []).append((e.top, e.bottom))
    for (orientation, position), spans in sorted(lines.items()):
        spans.sort()
        joined = [list(spans[0])]
        for start, end in spans[1:]:
            if start <= joined[-1][1] + _JOIN:
                joined[-1][1] = max(joined[-1][1], end)
            else:
                joined.append([start, end])
        for start, end in joined:
            if end - start < _MIN_LENGTH:
                continue
            if orientation == "h":
                out.append(Edge("h", start, position, end, position))
            else:
                out.append(Edge("v", position, start, position, end))
    return out


def grid_cells(edges: Sequence[Edge]) -> int:
    """How many cells the page's rulings could make: distinct rows times distinct columns.

    Finding the cells costs more than this number grows; a real report's page
    stays near a thousand.
    """
    rows = {int(e.top // _SNAP) for e in edges if e.orientation == "h"}
    columns = {int(e.x0 // _SNAP) for e in edges if e.orientation == "v"}
    return len(rows) * len(columns)


def find_cells(edges: Sequence[Edge]) -> list[Box]:
    """Every cell the merged edges draw, top to bottom, left to right."""
    level = sorted((e for e in edges if e.orientation == "h"), key=lambda e: e.top)
    plumb = [e for e in edges if e.orientation == "v"]
    heights = [e.top for e in level]
    # corner → indices of the level and of the plumb edges through it
    corners: dict[tuple[float, float], tuple[set[int], set[int]]] = {}
    for i, v in enumerate(plumb):
        # The level edges at a height the plumb one reaches.
        for j in range(bisect.bisect_left(heights, v.top - _CROSS),
                       bisect.bisect_right(heights, v.bottom + _CROSS)):
            h = level[j]
            if h.x0 - _CROSS <= v.x0 <= h.x1 + _CROSS:
                hs, vs = corners.setdefault((v.x0, h.top), (set(), set()))
                hs.add(j)
                vs.add(i)
    below: dict[float, list[tuple[float, float]]] = {}
    right: dict[float, list[tuple[float, float]]] = {}
    for point in sorted(corners):
        below.setdefault(point[0], []).append(point)
        right.setdefault(point[1], []).append(point)
    by_x = {x: {p: n for n, p in enumerate(points)} for x, points in below.items()}
    by_y = {y: {p: n for n, p in enumerate(points)} for y, points in right.items()}

    def plumb_joins(a: tuple[float, float], b: tuple[float, float]) -> bool:
        return bool(corners[a][1] & corners[b][1])

    def level_joins(a: tuple[float, float], b: tuple[float, float]) -> bool:
        return bool(corners[a][0] & corners[b][0])

    cells: list[Box] = []
    for point in sorted(corners):
        x, y = point
        column = below[x][by_x[x][point] + 1:]
        row = right[y][by_y[y][point] + 1:]
        cell = None
        for down in column:
            if not plumb_joins(point, down):
                continue
            for across in row:
                if not level_joins(point, across):
                    continue
                corner = (across[0], down[1])
                if (corner in corners and plumb_joins(corner, across)
                        and level_joins(corner, down)):
                    cell = (x, y, corner[0], corner[1])
                    break
            if cell:
                break
        if cell:
            cells.append(cell)
    return cells


def tables_of(cells: Sequence[Box]) -> tuple[list[list[Box]], list[Box]]:
    """The cells grouped into tables by shared corners, and the lone cells."""
    remaining = list(cells)
    groups: list[list[Box]] = []
    while remaining:
        group = [remaining.pop(0)]
        seen = set(_corners(group[0]))
        grown = True
        while grown:
            grown = False
            rest = []
            for cell in remaining:
                corners = _corners(cell)
                if any(c in seen for c in corners):
                    group.append(cell)
                    seen.update(corners)
                    grown = True
                else:
                    rest.append(cell)
            remaining = rest
        groups.append(group)
    groups.sort(key=lambda g: min((c[1], c[0]) for c in g))
    return [g for g in groups if len(g) > 1], [g[0] for g in groups if len(g) == 1]


def _corners(box: Box) -> tuple[tuple[float, float], ...]:
    x0, top, x1, bottom = box
    return ((x0, top), (x0, bottom), (x1, top), (x1, bottom))


def chars_in(chars: Sequence[Char], box: Box) -> list[Char]:
    """The characters whose middle is in ``box`` (its right and bottom sides excluded)."""
    x0, top, x1, bottom = box
    return [c for c in chars if x0 <= c.mx < x1 and top <= c.my < bottom]


class Row(NamedTuple):
    """A table's row: its cells placed by column (``None`` where a merged cell covers), box."""

    cells: list[Box | None]
    bbox: Box


class Table:
    """A table as its cells; rows and columns as pdfplumber places them."""

    def __init__(self, cells: list[Box], chars: Sequence[Char]) -> None:
        self.cells = cells
        # By their middle's height, for picking a row's by bisection.
        inside = sorted((c.my, n, c) for n, c in enumerate(chars_in(chars, self.bbox)))
        self._middles = [m for m, _, _ in inside]
        self._chars = [c for _, _, c in inside]

    @property
    def bbox(self) -> Box:
        """The box around all cells."""
        return (min(c[0] for c in self.cells), min(c[1] for c in self.cells),
                max(c[2] for c in self.cells), max(c[3] for c in self.cells))

    @functools.cached_property
    def lefts(self) -> list[float]:
        """Where the table's columns start: every cell's left edge, once."""
        return sorted({c[0] for c in self.cells})

    @functools.cached_property
    def rows(self) -> list[Row]:
        """Cells grouped by their top, placed in the columns by their left edge."""
        grouped: dict[float, dict[float, Box]] = {}
        for cell in self.cells:
            grouped.setdefault(cell[1], {})[cell[0]] = cell
        out = []
        for _, by_left in sorted(grouped.items()):
            present = list(by_left.values())
            out.append(Row([by_left.get(x) for x in self.lefts],
                           (min(c[0] for c in present), min(c[1] for c in present),
                            max(c[2] for c in present), max(c[3] for c in present))))
        return out

    def extract(self) -> list[list[str | None]]:
        """Each placed cell's text, a line break between its lines; ``None`` where covered."""
        out: list[list[str | None]] = []
        for row in self.rows:
            _, top, _, bottom = row.bbox
            cells = sorted((c for c in row.cells if c is not None), key=lambda c: c[0])
            lefts = [c[0] for c in cells]
            held: dict[Box, list[Char]] = {c: [] for c in cells}
            for char in self._chars[bisect.bisect_left(self._middles, top):
                                    bisect.bisect_left(self._middles, bottom)]:
                # The cells of a row stand side by side: the one left of the middle.
                n = bisect.bisect_right(lefts, char.mx) - 1
                if n >= 0:
                    cell = cells[n]
                    if char.mx < cell[2] and cell[1] <= char.my < cell[3]:
                        held[cell].append(char)
            out.append([None if cell is None else cell_lines(held[cell]) for cell in row.cells])
        return out


def cell_lines(chars: Sequence[Char]) -> str:
    """The characters' text, line by line."""
    return "\n".join(text for _, _, text in text_lines(chars))
