"""The arithmetic the templates imply (domain.md §1.7), stated once.

Two parts of govreport use it: :mod:`govreport.validate` reports where a
report breaks a relation, and the digit splitter for the crawler layout
(:mod:`govreport.forms.digits`) keeps only the splits of run-together digits
that satisfy the relations. Relations are written over flat keys (the keys
of ``fields.tsv``), so both sides speak of the same cells.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from functools import cache, lru_cache
from typing import Literal

from attrs import frozen

from govreport.model import Statistics2014, StatisticsRow, Value

__all__ = [
    "APPLICANT_COLUMNS",
    "OUTCOME_ROWS",
    "PARTITIONS",
    "PREVIOUS",
    "Relation",
    "Severity",
    "evaluate",
    "relations",
    "series_relations",
    "statistics_cells",
    "statistics_columns",
    "statistics_keys",
    "statistics_relations",
    "sum_of",
]

Severity = Literal["error", "warning", "info"]
Number = int | Decimal

APPLICANT_COLUMNS = (
    "natural_person",
    "commercial_enterprise",
    "research_institution",
    "social_welfare_org",
    "legal_service_org",
    "other_org",
)
"""Table B's six applicant columns; ``total`` is their sum (B2)."""

_OUTCOMES_COMMON = (
    "granted",
    "partially_granted",
    "withheld_state_secret",
    "withheld_prohibited_by_law",
    "withheld_security_stability",
    "withheld_third_party",
    "withheld_internal_affairs",
    "withheld_process_info",
    "withheld_enforcement_file",
    "withheld_admin_inquiry",
    "unable_not_held",
    "unable_needs_creation",
    "unable_unclear",
    "not_processed_complaint",
    "not_processed_duplicate",
    "not_processed_publication",
    "not_processed_excessive",
    "not_processed_confirmation",
)

OUTCOME_ROWS: dict[str, tuple[str, ...]] = {
    "applications_2021": (*_OUTCOMES_COMMON, "other_no_correction", "other_fee_unpaid",
                          "other_misc"),
    "applications_2019": (*_OUTCOMES_COMMON, "other_handling"),
}
"""The leaf outcome rows of Table B whose sum is （七）总计 (B3), per form."""

_CASE_GROUPS = {"review": "C1", "litigation_direct": "C2", "litigation_after_review": "C3"}
_CASE_PARTS = ("upheld", "corrected", "other", "pending")


@frozen(cache_hash=True)  # the digit splitter keys its caches on tuples of relations
class Relation:
    """``sum(left) op sum(right)`` over flat keys, with its stable code.

    ``op`` is ``"=="`` or ``"<="``. ``severity`` is what breaking it means:
    an ``error`` is a relation the template states or implies for every
    honest report; a ``warning`` or ``info`` one that reports legitimately
    break (documents lapse, filers read a column differently).
    """

    code: str
    severity: Severity
    left: tuple[str, ...]
    right: tuple[str, ...]
    op: Literal["==", "<="] = "=="
    zh: str = ""
    en: str = ""

    @property
    def keys(self) -> tuple[str, ...]:
        """Every key the relation reads, left then right."""
        return self.left + self.right


def _applications(form: str) -> tuple[Relation, ...]:
    p = "applications."
    out: list[Relation] = []
    columns = (*APPLICANT_COLUMNS, "total")
    for c in columns:
        out.append(Relation(
            "B1", "error",
            (f"{p}new_received.{c}", f"{p}carried_over.{c}"),
            (f"{p}total_concluded.{c}", f"{p}carried_forward.{c}"),
            zh=f"{c}列：本年新收 + 上年结转 = 办理结果总计 + 结转下年度",
            en=f"column {c}: new + carried over = total concluded + carried forward"))
    rows = ("new_received", "carried_over", *OUTCOME_ROWS[form], "total_concluded",
            "carried_forward")
    for r in rows:
        out.append(Relation(
            "B2", "error", (f"{p}{r}.total",), tuple(f"{p}{r}.{c}" for c in APPLICANT_COLUMNS),
            zh=f"{r}行：总计 = 各类申请人之和",
            en=f"row {r}: total = sum of the applicant columns"))
    for c in columns:
        out.append(Relation(
            "B3", "error", (f"{p}total_concluded.{c}",),
            tuple(f"{p}{r}.{c}" for r in OUTCOME_ROWS[form]),
            zh=f"{c}列：（七）总计 = 各项办理结果之和",
            en=f"column {c}: total concluded = sum of the outcome rows"))
    for c in columns:
        out.append(Relation(
            "B5", "error", (f"{p}total_concluded.{c}",),
            (f"{p}new_received.{c}", f"{p}carried_over.{c}"), op="<=",
            zh=f"{c}列：办理结果总计不超过本年新收与上年结转之和",
            en=f"column {c}: total concluded ≤ new + carried over"))
    return tuple(out)


def _review() -> tuple[Relation, ...]:
    return tuple(
        Relation(code, "error", (f"{g}.total",), tuple(f"{g}.{part}" for part in _CASE_PARTS),
                 zh=f"{g}：总计 = 维持 + 纠正 + 其他结果 + 尚未审结",
                 en=f"{g}: total = upheld + corrected + other + pending")
        for g, code in _CASE_GROUPS.items())


def _proactive_2021() -> tuple[Relation, ...]:
    p = "proactive."
    return tuple(
        Relation("A3", "warning", (f"{p}{r}.issued",), (f"{p}{r}.in_force", f"{p}{r}.repealed"),
                 op="<=", zh=f"{r}：本年制发件数不超过现行有效件数与本年废止件数之和",
                 en=f"{r}: issued ≤ in force + repealed")
        for r in ("rules", "normative_documents"))


def _proactive_2019() -> tuple[Relation, ...]:
    # The template states no relation between item counts and decisions; filers
    # split on it (domain.md §2.3), so this is information only.
    p = "proactive."
    return tuple(
        Relation("A5", "info", (f"{p}{r}.prior_items", f"{p}{r}.net_change"),
                 (f"{p}{r}.decisions",),
                 zh=f"{r}：上一年项目数量 + 本年增/减 ≠ 处理决定数量（模板未规定此关系）",
                 en=f"{r}: prior items + net change = decisions (not required by the template)")
        for r in ("licensing", "other_services", "penalties", "coercion"))


@cache
def relations(form: str) -> tuple[Relation, ...]:
    """The relations among the cells of one table form (``applications_2021`` …)."""
    if form in OUTCOME_ROWS:
        return _applications(form)
    if form == "review_litigation":
        return _review()
    if form == "proactive_2021":
        return _proactive_2021()
    if form == "proactive_2019":
        return _proactive_2019()
    return ()


def sum_of(keys: Iterable[str], values: Mapping[str, Number | None]) -> Number | None:
    """The sum of the values of ``keys``; ``None`` when one of them is missing or blank."""
    total: Number = 0
    for k in keys:
        v = values.get(k)
        if v is None:
            return None
        total += v
    return total


def evaluate(relation: Relation, values: Mapping[str, Number | None]) -> bool | None:
    """Whether ``values`` satisfy ``relation``; ``None`` when a value it needs is missing.

    A key absent from ``values`` counts as missing: a relation is never
    checked against a 0 that nobody wrote.
    """
    total_left = sum_of(relation.left, values)
    total_right = sum_of(relation.right, values)
    if total_left is None or total_right is None:
        return None
    if relation.op == "<=":
        return total_left <= total_right
    return total_left == total_right


# --------------------------------------------------------------------------- 2014 statistics

PARTITIONS = frozenset({"received", "concluded", "replies", "replies_not_agreed",
                        "admin_review", "litigation", "staff"})
"""Indicators of the 2014 statistics table whose items split them without overlap.

Their total is the sum of their items (S3, domain.md §3.3). The channels of
主动公开 are not among them: one item published on several channels counts
once in the total ("不同渠道和方式公开相同信息计1条").
"""


def statistics_columns(table: Statistics2014) -> tuple[str, ...]:
    """The key names of a statistics table's value columns, in column order.

    A 累计 column is ``cumulative``, any other ``value``; a second one of a
    name gets a number (``value2``). Without a header row, the widest row
    decides how many columns there are.
    """
    n = len(table.columns) or max((len(r.values) for r in table.rows), default=0)
    names: list[str] = []
    for j in range(n):
        header = table.columns[j] if j < len(table.columns) else ""
        base = "cumulative" if "累计" in header else "value"
        seen = sum(1 for name in names if name.rstrip("0123456789") == base)
        names.append(base if not seen else f"{base}{seen + 1}")
    return tuple(names)


def _row_ids(table: Statistics2014) -> list[str]:
    # A known indicator names its row when it names only one; else the row's position.
    counts: dict[str | None, int] = {}
    for r in table.rows:
        counts[r.indicator] = counts.get(r.indicator, 0) + 1
    return [r.indicator if r.indicator is not None and counts[r.indicator] == 1
            else f"row{i + 1}" for i, r in enumerate(table.rows)]


class _Shape:
    """A statistics table seen only through what its keys and relations depend on.

    Tables of one shape (the same rows, units, nesting and columns, whatever
    their figures) share their keys and relations, worked out once: the
    tables of one agency, or of one template, repeat from report to report.
    """

    __slots__ = ("_hash", "key", "table")

    def __init__(self, table: Statistics2014) -> None:
        self.table = table
        self.key = (table.flat_prefix, table.columns, tuple(
            (r.label, r.indicator, r.unit, r.parent, len(r.values)) for r in table.rows))
        self._hash = hash(self.key)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Shape) and self.key == other.key


def statistics_keys(table: Statistics2014) -> tuple[tuple[str, ...], ...]:
    """The keys of each row's values, row by row: ``statistics.<row>.<column>``.

    ``<row>`` is the row's indicator (``received``) or, for a row the
    vocabulary does not know or one of two rows of an indicator,
    ``row<N>`` (its position, from 1).
    """
    return _keys(_Shape(table))


@lru_cache(maxsize=256)  # bounded: memory stays flat over a corpus
def _keys(shape: _Shape) -> tuple[tuple[str, ...], ...]:
    table = shape.table
    columns = statistics_columns(table)
    return tuple(tuple(f"{table.flat_prefix}{rid}.{column}"
                       for column, _ in zip(columns, row.values, strict=False))
                 for rid, row in zip(_row_ids(table), table.rows, strict=True))


def statistics_cells(table: Statistics2014) -> dict[str, Value]:
    """Every cell of a statistics table under its key (see :func:`statistics_keys`)."""
    return {k: v for keys, row in zip(statistics_keys(table), table.rows, strict=True)
            for k, v in zip(keys, row.values, strict=False)}


def _name(row: StatisticsRow) -> str:
    return row.indicator or row.label.strip()


def statistics_relations(table: Statistics2014) -> tuple[Relation, ...]:
    """The relations among the cells of one statistics table (S1–S3, all warnings).

    Its rows are open-ended, so the relations follow the rows found: this
    year's value is at most the cumulative one (S1); an item is at most the
    row it is an item of (S2); the total of a row whose items split it
    (:data:`PARTITIONS`) is their sum (S3). Pre-2019 figures are often
    inconsistent, so none of them is an error.
    """
    return _relations(_Shape(table))


@lru_cache(maxsize=256)  # bounded: memory stays flat over a corpus
def _relations(shape: _Shape) -> tuple[Relation, ...]:
    table = shape.table
    p = table.flat_prefix
    ids = _row_ids(table)
    columns = statistics_columns(table)
    cumulative = next((c for c in columns if c.startswith("cumulative")), None)
    current = next((c for c in columns if c.startswith("value")), None)
    out: list[Relation] = []
    items: dict[int, list[int]] = {}
    for i, row in enumerate(table.rows):
        if row.parent is not None:
            items.setdefault(row.parent, []).append(i)
        if cumulative and current and row.values:
            out.append(Relation(
                "S1", "warning", (f"{p}{ids[i]}.{current}",), (f"{p}{ids[i]}.{cumulative}",),
                op="<=", zh=f"{row.label.strip()}：本年度数不超过历年累计数",
                en=f"{_name(row)}: this year's value ≤ the cumulative value"))
    for parent, kids in items.items():
        total = table.rows[parent]
        if not total.values:
            continue  # a group heading has no figure of its own
        # An item in another unit (人 under 万元) is no part of the total.
        parts = [k for k in kids if table.rows[k].values
                 and (table.rows[k].unit == total.unit or None in (table.rows[k].unit, total.unit))]
        for j, column in enumerate(columns[:len(total.values)]):
            header = table.columns[j] if j < len(table.columns) else column
            for k in parts:
                out.append(Relation(
                    "S2", "warning", (f"{p}{ids[k]}.{column}",), (f"{p}{ids[parent]}.{column}",),
                    op="<=", zh=f"{header}列：{table.rows[k].label.strip()}不超过"
                    f"{total.label.strip()}",
                    en=f"column {header}: {_name(table.rows[k])} ≤ {_name(total)}"))
            if total.indicator in PARTITIONS and len(parts) >= 2:
                out.append(Relation(
                    "S3", "warning", (f"{p}{ids[parent]}.{column}",),
                    tuple(f"{p}{ids[k]}.{column}" for k in parts),
                    zh=f"{header}列：{total.label.strip()} = 其中各项之和",
                    en=f"column {header}: {_name(total)} = the sum of its items"))
    return tuple(out)


# --------------------------------------------------------------------------- across years

PREVIOUS = "previous:"
"""Prefix of a key that names the previous year's cell in :func:`series_relations`."""


def _series_applications() -> tuple[Relation, ...]:
    p = "applications."
    return tuple(
        Relation("B6", "warning", (f"{p}carried_over.{c}",),
                 (f"{PREVIOUS}{p}carried_forward.{c}",),
                 zh=f"{c}列：本年“上年结转”等于上一年报告的“结转下年度”",
                 en=f"column {c}: carried over this year = carried forward in last year's report")
        for c in (*APPLICANT_COLUMNS, "total"))


def _series_proactive_2021() -> tuple[Relation, ...]:
    # in_force(Y) = in_force(Y-1) + issued(Y) - repealed(Y), moved so both sides are sums.
    # Documents also lapse (有效期届满) and get re-counted, hence only a warning.
    p = "proactive."
    return tuple(
        Relation("A2", "warning", (f"{p}{r}.in_force", f"{p}{r}.repealed"),
                 (f"{PREVIOUS}{p}{r}.in_force", f"{p}{r}.issued"),
                 zh=f"{r}：现行有效件数 = 上一年现行有效件数 + 本年制发件数 − 本年废止件数",
                 en=f"{r}: in force = last year's in force + issued − repealed")
        for r in ("rules", "normative_documents"))


@cache
def series_relations(form: str) -> tuple[Relation, ...]:
    """The relations between a table of year Y and the same agency's report for Y−1.

    ``form`` is the form of year Y's table. Keys of year Y−1 carry the
    :data:`PREVIOUS` prefix, so :func:`evaluate` takes one mapping holding
    both years.
    """
    if form in OUTCOME_ROWS:
        return _series_applications()
    if form == "proactive_2021":
        return _series_proactive_2021()
    return ()
