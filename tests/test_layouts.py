"""Layout detection and grid rebuilding, on small made-up inputs."""

from __future__ import annotations

import pytest

import govreport
from govreport import layouts
from govreport.model import Grid, TextLine

PIPE_ROWS = """标题
行政许可 | 229 | ||
行政处罚 | 1123 | ||
行政强制 | 221 | ||
后文
"""

PIPE_CELLS = """标题
|
信息内容 |
本年处理决定数量 | ||
|
行政许可 |
229 | ||
|
行政处罚 |
1123 | ||
后文
"""

TAB_CELLS = "标题\n\n\t信息内容\n\t本年\n\n处理决定数量\n\n\t行政许可\n\t229\n\n\t行政处罚\n\t1123\n\n\n后文\n"

TAB_ROWS = "标题\n信息内容\t本年处理决定数量\t\t\n行政许可\t229\t\t\n\n行政处罚\t1123\n后文\n"


def _grids(doc: govreport.Document) -> list[Grid]:
    return [b for b in doc.blocks if isinstance(b, Grid)]


@pytest.mark.parametrize(("text", "name"), [
    (PIPE_ROWS, "pipe_rows"), (PIPE_CELLS, "pipe_cells"),
    (TAB_CELLS, "tab_cells"), (TAB_ROWS, "tab_rows"), ("标题\n一、总体情况\n正文。\n", "prose"),
])
def test_detection(text: str, name: str) -> None:
    assert govreport.read_document(text).layout == name


def test_pipe_rows_cells_and_columns() -> None:
    doc = govreport.read_document(PIPE_ROWS)
    (grid,) = _grids(doc)
    assert [r.texts for r in grid.rows] == [
        ("行政许可", "229", "", ""), ("行政处罚", "1123", "", ""), ("行政强制", "221", "", "")]
    assert grid.rows[1].cells[1].line == 3
    assert grid.rows[1].cells[1].column == 8  # "行政处罚 | " then the cell
    assert [b.text for b in doc.blocks if isinstance(b, TextLine)] == ["标题", "后文"]


def test_pipe_cells_rows_open_on_a_lone_bar() -> None:
    (grid,) = _grids(govreport.read_document(PIPE_CELLS))
    assert [r.texts for r in grid.rows] == [
        ("信息内容", "本年处理决定数量", "", ""), ("行政许可", "229", "", ""),
        ("行政处罚", "1123", "", "")]


def test_pipe_cells_empty_cell_is_not_a_row_opener() -> None:
    text = "标题\n|\n行政许可 |\n |\n229 |\n|\n行政处罚 |\n1 |\n2 |\n后文\n"
    (grid,) = _grids(govreport.read_document(text, layout="pipe_cells"))
    assert [r.texts for r in grid.rows] == [("行政许可", "", "229"), ("行政处罚", "1", "2")]


def test_tab_cells_glue_a_cell_broken_over_a_blank_line() -> None:
    (grid,) = _grids(govreport.read_document(TAB_CELLS))
    assert [r.texts for r in grid.rows] == [
        ("信息内容", "本年处理决定数量"), ("行政许可", "229"), ("行政处罚", "1123")]


def test_tab_rows_survive_a_page_break() -> None:
    (grid,) = _grids(govreport.read_document(TAB_ROWS))
    assert len(grid.rows) == 3
    assert grid.rows[2].texts == ("行政处罚", "1123")


def test_layout_can_be_forced() -> None:
    doc = govreport.read_document(PIPE_ROWS, layout="prose")
    assert doc.layout == "prose" and not _grids(doc)


def test_unknown_layout_is_a_clear_error() -> None:
    with pytest.raises(govreport.GovReportError, match="unknown layout 'nope'"):
        govreport.read_document(PIPE_ROWS, layout="nope")


def test_registry_lists_builtins() -> None:
    assert {"pipe_rows", "pipe_cells", "tab_cells", "tab_rows", "prose"} <= set(
        layouts.available())
