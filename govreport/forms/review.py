"""Table C, 政府信息公开行政复议、行政诉讼情况 (one form for 2019 and 2021).

Its only data row has no label: fifteen numbers, five each for
行政复议, 未经复议直接起诉 and 复议后起诉.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import attrs
from lark import Token

from govreport.arithmetic import relations
from govreport.forms.base import Form, Label, RowData, RowResult, TableResult, align, kind_of
from govreport.forms.digits import Pending, is_fused, solve
from govreport.model import CaseOutcomes, Diagnostic, ReviewLitigation

__all__ = ["REVIEW_LITIGATION", "classify"]

_COLUMNS = {
    "行政复议": "review",
    "行政诉讼": "litigation",
    "结果维持": "upheld",
    "结果纠正": "corrected",
    "其他结果": "other",
    "尚未审结": "pending",
    "总计": "total",
    "未经复议直接起诉": "litigation_direct",
    "复议后起诉": "litigation_after_review",
}
_GROUPS = ("review", "litigation_direct", "litigation_after_review")
_PER_GROUP = 5


@lru_cache(maxsize=4096)
def classify(number: str | None, k: str) -> Label | None:
    """The meaning of a Table C label key: only column headers have labels."""
    if number is None and k in _COLUMNS:
        return Label("column", _COLUMNS[k])
    return None


class _ReviewForm(Form):
    """Splits the one data row into the three outcome groups."""

    def assemble(self, items: list[Any]) -> TableResult:
        data = [i.value for i in items if isinstance(i, Token) and i.value.cells]
        if not data:
            return super().assemble([])
        row: RowData = data[0]
        if any(d.cells != row.cells and _texts(d) != _texts(row) for d in data[1:]):
            diag = Diagnostic("ambiguous-cells", "the review and litigation table has "
                              f"{len(data)} different data rows; its values are None", row.line)
            return TableResult(super().assemble([]).table, (diag,))
        aligned, reason = align(row.cells, _PER_GROUP * len(_GROUPS))
        if aligned is None and is_fused(row.cells, _PER_GROUP * len(_GROUPS)):
            return self._split(row)
        if aligned is None:
            diag = Diagnostic("ambiguous-cells", "cannot tell which cell of the review and "
                              f"litigation row is which ({reason}); its values are None",
                              row.line, raw=" | ".join(c.text for c in row.cells))
            result = super().assemble([])
            return TableResult(result.table, (diag,))
        results: list[Any] = []
        for g, group in enumerate(_GROUPS):
            cells = tuple(c for c in aligned[g * _PER_GROUP:(g + 1) * _PER_GROUP] if c is not None)
            results.append(RowResult(group, RowData(None, cells, row.line)))
        return super().assemble(results)


    def row_tokens(self) -> dict[str, str]:
        """None: the grammar reads one row of data, split into the groups here."""
        return {}

    def _split(self, row: RowData) -> TableResult:
        # Digits run together: the three totals (C1–C3) decide the split.
        columns = [f.name for f in attrs.fields(CaseOutcomes)]
        targets = tuple((f"{g}.{c}", kind_of(c)) for g in _GROUPS for c in columns)
        cells = tuple(c for c in row.cells if c.text.strip())
        solution = solve(self.hard_relations, [Pending(targets, cells, row.line)], {})
        review, direct, after = (
            CaseOutcomes(**{c: solution.values[f"{g}.{c}"] for c in columns}) for g in _GROUPS)
        table = ReviewLitigation(review=review, litigation_direct=direct,
                                 litigation_after_review=after)
        return TableResult(table, solution.diagnostics)


def _texts(row: RowData) -> tuple[str, ...]:
    return tuple(c.text.strip() for c in row.cells)


REVIEW_LITIGATION = _ReviewForm(
    "review_litigation",
    ReviewLitigation,
    kind="review_litigation",
    classify=classify,
    markers=frozenset(),
    years=range(2019, 2100),
    templates=frozenset({"2019", "2021"}),
    labels=tuple(_COLUMNS),
    relations=relations("review_litigation"),
)
