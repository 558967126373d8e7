"""The arithmetic the templates imply (domain.md §1.7), stated once.

Two parts of govreport use it: :mod:`govreport.validate` reports where a
report breaks a relation, and the fused-cell solver of the crawler layout
(:mod:`govreport.forms.fused`) keeps only the splits of run-together digits
that satisfy the relations. Relations are written over flat keys (the keys
of ``fields.tsv``), so both sides speak of the same cells.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from functools import cache
from typing import Literal

from attrs import frozen

__all__ = [
    "APPLICANT_COLUMNS",
    "OUTCOME_ROWS",
    "PREVIOUS",
    "Relation",
    "Severity",
    "evaluate",
    "relations",
    "series_relations",
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


@frozen
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


def evaluate(relation: Relation, values: Mapping[str, Number | None]) -> bool | None:
    """Whether ``values`` satisfy ``relation``; ``None`` when a value it needs is missing.

    A key absent from ``values`` counts as missing: a relation is never
    checked against a 0 that nobody wrote.
    """
    total_left: Number = 0
    total_right: Number = 0
    for k in relation.left:
        v = values.get(k)
        if v is None:
            return None
        total_left += v
    for k in relation.right:
        v = values.get(k)
        if v is None:
            return None
        total_right += v
    if relation.op == "<=":
        return total_left <= total_right
    return total_left == total_right


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
