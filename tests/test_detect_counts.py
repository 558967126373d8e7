"""Detection's counts in C give what counting line by line gives.

The pipe, TAB and crawler layouts count over the joined text or its UTF-8
bytes for speed (docs/performance.md); the scores must be those of the plain
definitions, whatever the lines hold: ideographic spaces, lone surrogates,
bars and TABs anywhere, newlines inside a line.
"""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from govreport.layouts import crawler, grids, pipe, tab

_PIECES = ["|", "||", " |", "| ", "\t", "\t\t", " ", "\u3000", "\n", "a", "中", "1", "\ud800", ""]
LINES = st.lists(st.lists(st.sampled_from(_PIECES), max_size=6).map("".join),
                 max_size=30).map(tuple)
# Pages of TAB-indented cells, some of them empty.
INDENTED = st.lists(st.tuples(st.sampled_from(["\t", "\t", ""]),
                              st.lists(st.sampled_from(_PIECES), max_size=3).map("".join))
                    .map("".join), min_size=5, max_size=30).map(tuple)


def _nonblank(lines: Sequence[str]) -> int:
    return sum(1 for line in lines if line.strip())


def _pipe_rows(lines: Sequence[str]) -> float:
    piped = [s.strip() for s in lines if "|" in s]
    rows = sum(1 for s in piped if s.count("|") >= 2)
    if rows < 3 or piped.count("|") * 2 > rows:
        return 0.0
    return rows / _nonblank(lines)


def _pipe_cells(lines: Sequence[str]) -> float:
    piped = [s.strip() for s in lines if "|" in s]
    opens = piped.count("|")
    if opens < 3 or opens * 2 <= sum(1 for s in piped if s.count("|") >= 2):
        return 0.0
    cells = sum(1 for s in piped if s != "|" and s.endswith("|"))
    return (opens + cells) / _nonblank(lines)


def _tab_cells(lines: Sequence[str]) -> float:
    leading = sum(1 for line in lines if line.startswith("\t"))
    if not any("\t" in line for line in lines) or leading < 5:
        return 0.0
    indented = [line for line in lines if line.startswith("\t")]
    cells = sum(1 for line in indented if "\t" not in line[1:].strip())
    if cells < 5:
        return 0.0
    return cells / (_nonblank(lines) + sum(map(str.isspace, indented)))


@settings(max_examples=400, deadline=None)
@given(LINES)
def test_pipe_scores_count_as_line_by_line(lines: tuple[str, ...]) -> None:
    if not _nonblank(lines):
        return
    assert pipe.PipeRows().score(lines) == _pipe_rows(lines)
    assert pipe.PipeCells().score(lines) == _pipe_cells(lines)


@settings(max_examples=400, deadline=None)
@given(st.one_of(LINES, INDENTED))
def test_tab_cells_score_counts_as_line_by_line(lines: tuple[str, ...]) -> None:
    assert grids.nonblank(lines) == _nonblank(lines)
    # A line holding a newline is a line apart only for the line-by-line count.
    if _nonblank(lines) and all("\n" not in line for line in lines):
        assert tab.TabCells().score(lines) == _tab_cells(lines)


@settings(max_examples=400, deadline=None)
@given(LINES, st.integers(1, 12))
def test_long_line_found_as_measured(lines: tuple[str, ...], length: int) -> None:
    assert crawler._any_line(lines, length) == (max(map(len, lines), default=0) >= length)
