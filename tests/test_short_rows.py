"""Rows short of cells in layouts that keep cell borders are never read wrong.

PDF and page extraction drop blank cells (``行政许可 | 12 |`` for three
values) and run two values into one cell (``| 12 3 |``, ``| 123 |``). A row
so damaged may be split only where the split is certain; elsewhere its values
are None with a diagnostic. The reports come from :mod:`shortrows`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from shortrows import SHORT_LAYOUTS, damaged
from synth import generate

import govreport

# Layouts that show every cell of a row, blank or not: a row with fewer
# filled cells than columns is damaged, never padded on purpose.
UNPADDED = ("tab_cells", "line_cells", "para_cells", "pipe_cells_closed", "pipe_split",
            "pipe_loose")


def _wrong(text: str, exp: dict[str, Any]) -> tuple[dict[str, tuple[Any, Any]], int, int]:
    """Values read but not the truth, and how many of the filled values were read."""
    flat = govreport.flatten(govreport.parse(text))
    wrong = {k: (flat.get(k), v) for k, v in exp["values"].items()
             if flat.get(k) is not None and (v is None or Decimal(str(flat[k])) != Decimal(str(v)))}
    filled = [k for k, v in exp["values"].items() if v is not None]
    return wrong, sum(flat.get(k) is not None for k in filled), len(filled)


@pytest.mark.parametrize("layout", SHORT_LAYOUTS)
def test_values_run_together_with_a_space_are_never_wrong(layout: str) -> None:
    # "| 0 0 |": the row's empty end cells no longer tell its blanks, and
    # each cell after the joined one would sit one column left.
    read = filled = 0
    for seed in range(16):
        text, exp, damage = damaged(seed, layout, ("2021", "2019")[seed % 2],
                                    blanks=seed % 4 != 0, modes=("glue",), joints=(" ",))
        assert damage
        wrong, r, f = _wrong(text, exp)
        assert wrong == {}, (seed, wrong)
        read, filled = read + r, filled + f
    assert read > 0.5 * filled  # a joined cell is split where that is certain


@pytest.mark.parametrize("layout", UNPADDED)
def test_dropped_and_run_together_cells_are_never_wrong(layout: str) -> None:
    for seed in range(16):
        text, exp, damage = damaged(seed, layout, ("2021", "2019")[seed % 2],
                                    blanks=seed % 4 != 0)
        assert damage
        wrong, _, _ = _wrong(text, exp)
        assert wrong == {}, (seed, wrong)


def test_a_short_row_nothing_checks_is_not_split_by_its_digits() -> None:
    # 规章 with 新制发 12, 新废止 blank (dropped), 现行有效 3: three digits for
    # three columns, but 1|2|3 would be three wrong values.
    text, _ = generate(3, "tab_cells", "2021")
    text = text.replace("\t规章\n\t0\u3000\n\t0\n\t0\n", "\t规章\n\t12\n\t3\n", 1)
    report = govreport.parse(text)
    flat = govreport.flatten(report)
    assert [flat[f"proactive.rules.{k}"] for k in ("issued", "repealed", "in_force")] == \
        [None, None, None]
    assert any(d.code == "ambiguous-split" and d.path == "proactive.rules"
               for d in report.diagnostics)


def test_a_glued_cell_does_not_move_the_cells_after_it() -> None:
    # "0 | 0 0 | 7 | 66 |" in a row padded with empty cells: the 7 and 66
    # must not land one column left of where they belong.
    text, exp = generate(3, "pipe_rows", "2021")
    text = text.replace("(一)予以公开 | 59 | 0 | 0 | 0 | 0 | 7 | 66 | |",
                        "(一)予以公开 | 59 | 0 | 0 | 0 0 | 7 | 66 | |", 1)
    assert "0 0 | 7" in text
    report = govreport.parse(text)
    flat = govreport.flatten(report)
    keys = [k for k in exp["values"] if k.startswith("applications.granted.")]
    # The row adds up (B2) and its runs give exactly seven values: split, right.
    assert [flat[k] for k in keys] == [exp["values"][k] for k in keys] == [59, 0, 0, 0, 0, 7, 66]


def test_a_glued_cell_in_a_row_with_a_blank_gives_none() -> None:
    # "59 | 0 | 0 0 | 7 |  |": six values in a row of seven whose 总计 is
    # empty; which cell is blank the text cannot say.
    text, _ = generate(3, "pipe_rows", "2021")
    text = text.replace("(一)予以公开 | 59 | 0 | 0 | 0 | 0 | 7 | 66 | |",
                        "(一)予以公开 | 59 | 0 | 0 0 | 0 | 7 |  | |", 1)
    flat = govreport.flatten(govreport.parse(text))
    assert {flat[k] for k in flat if k.startswith("applications.granted.")} == {None}


def test_a_total_moved_into_the_cell_before_it_gives_none() -> None:
    # One 0 dropped: read with its empty end cell as the blank 总计, 66 would
    # be 其他 and 7 法律服务机构; the last value being the sum of the others
    # tells the total moved.
    text, _ = generate(3, "pipe_rows", "2021")
    text = text.replace("(一)予以公开 | 59 | 0 | 0 | 0 | 0 | 7 | 66 | |",
                        "(一)予以公开 | 59 | 0 | 0 | 0 | 7 | 66 | |", 1)
    report = govreport.parse(text)
    flat = govreport.flatten(report)
    assert {flat[k] for k in flat if k.startswith("applications.granted.")} == {None}
    assert any(d.code == "ambiguous-cells" and d.path == "applications.granted"
               for d in report.diagnostics)
