"""Canonical indicators: one name for one quantity, whatever era the report is from.

A 2021 report states the applications it received in Table B (本年新收政府信息公开申请数量),
a 2015 report in the statistics table (受理依申请公开信息总数), a 2010 report in a
sentence ("全年共受理政府信息公开申请12件"). :data:`INDICATORS` names each such
quantity once (``applications.received``) and says, per era, which table cell,
statistics row or prose figure feeds it; :func:`report_values` reads a
:class:`~govreport.model.Report` into :class:`IndicatorValue` items under those names.

Rules (docs/panel.md):

* sources are tried in order: the template table, then the 2014 statistics
  table, then the prose; the first that *states* the value gives it, and a
  later source that states another value is a :class:`Disagreement`;
* a value no source states is absent; a source that has the cell but cannot
  read it (a blank cell, an uncertain split) gives ``None``, never 0;
* an indicator summed from several rows (不予公开 = its eight reasons) is
  ``None`` unless every row is stated;
* a prose figure is used only when it is exact (not "1000余条") and the
  report's prose gives that indicator one value only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from functools import cache
from operator import attrgetter
from typing import Any, Literal, NamedTuple, Union

from attrs import frozen

from govreport.model import ProseFigure, Report, Section, Statistics2014, StatisticsRow, Value

__all__ = [
    "APPLICANTS",
    "BY_NAME",
    "INDICATORS",
    "Disagreement",
    "Indicator",
    "IndicatorValue",
    "Source",
    "report_values",
]

Number = Union[int, Decimal]
Source = Literal["table", "statistics", "prose"]
"""Where a value came from: a 2019/2021 template table, the 2014-era statistics table, or a
figure stated in the text."""

APPLICANTS: tuple[str, ...] = ("natural_person", "commercial_enterprise", "research_institution",
                               "social_welfare_org", "legal_service_org", "other_org", "total")
"""Table B's applicant columns, ``total`` (总计) last."""


@frozen
class Indicator:
    """One canonical quantity and what feeds it in each era.

    ``tables`` maps a table form (``"applications_2021"``, ``"proactive_2019"``,
    ``"review_litigation"`` …) to the attribute paths in that table whose values
    are added up: rows of Table B for an indicator with ``applicants`` (each
    applicant column read on its own), cells otherwise. ``statistics`` are
    indicator names of the 2014 statistics table's rows, the first present
    one used. ``prose`` is the ``what`` of the prose figures that feed it, and
    ``prose_only`` a regex the figure's sentence must match (group ``n`` the
    figure) when only one wording of that figure means this quantity;
    ``prose_none`` a regex of a clause that states there were none
    ("未收到政府信息公开申请"), a 0 from the prose.
    """

    name: str
    zh: str
    unit: str
    applicants: bool = False
    tables: Mapping[str, tuple[str, ...]] = {}
    statistics: tuple[str, ...] = ()
    prose: str | None = None
    prose_only: re.Pattern[str] | None = None
    prose_none: re.Pattern[str] | None = None
    en: str = ""


class IndicatorValue(NamedTuple):
    """One value of one indicator in one report (``applicant`` is ``""`` without columns)."""

    indicator: str
    applicant: str
    value: Number | None
    unit: str
    source: Source
    line: int | None


@frozen
class Disagreement:
    """Two sources of one report that state different values for one indicator."""

    indicator: str
    applicant: str
    used: Number
    used_source: Source
    used_line: int | None
    other: Number
    other_source: Source
    other_line: int | None


# --------------------------------------------------------------------------- the table

_B = ("applications_2021", "applications_2019")


def _b(*rows: str, only: tuple[str, ...] = _B) -> dict[str, tuple[str, ...]]:
    return dict.fromkeys(only, rows)


_WITHHELD = ("state_secret", "prohibited_by_law", "security_stability", "third_party",
             "internal_affairs", "process_info", "enforcement_file", "admin_inquiry")
_UNABLE = ("not_held", "needs_creation", "unclear")
_NOT_PROCESSED = ("complaint", "duplicate", "publication", "excessive", "confirmation")
_OTHER = ("no_correction", "fee_unpaid", "misc")
_OUTCOMES = ("upheld", "corrected", "other", "pending", "total")
_OUTCOMES_ZH = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
_REVIEW_STATS = {"upheld": "admin_review_upheld", "corrected": "admin_review_corrected",
                 "other": "admin_review_other", "total": "admin_review"}
_LITIGATION_STATS = {"upheld": "litigation_upheld", "corrected": "litigation_corrected",
                     "other": "litigation_other", "total": "litigation"}
_C = "review_litigation"

# The total of proactively published items, as the free-form reports state it: a clause
# that opens with the year ("2018年全区主动公开政府信息2069条", "今年，我区…共公布政府信息
# 2599条"). Counts of a kind of information ("机构职能类信息211条"), of part of the
# agency ("其中，区直各部门…1592条") or of one channel do not match.
_PROACTIVE_TOTAL = re.compile(
    r"(?:^|[，,；;：:。])\s*(?:(?:19|20)\d{2}年度?|全年|今年|本年度?)[，,]?"
    r"[^，,；;：:。其\d]{0,30}?(?:主动公开|公布|发布)[^，,；;：:。其\d]{0,20}?政府信息"
    r"(?:共计?|合计)?\s*(?P<n>\d+)\s*条")


# "There were no applications", as pre-2019 reports say it ("2017年未收到有关政府信息公开
# 申请", "我局没有受理信息公开申请", "没有接到群众主动要求公开政府信息的申请"). Only
# words that do not narrow the applications may stand between the verb and 申请: "未收到
# 涉及国家秘密的申请" says nothing of the others. A clause about reviews, lawsuits or
# other channels ("未收到有关政府信息公开行政复议的申请") is not about applications.
_NO_APPLICATIONS = re.compile(
    r"(?:没有|未|无)(?:接到|收到|受理|接受)(?:过)?"
    r"(?:有关|任何|群众|公民|法人|或|和|其他组织|主动|要求|提出|各类|的)*"
    r"(?:政府信息公开|信息公开|依申请公开|公开政府信息|公开信息)(?:的)?申请")
_NOT_APPLICATIONS = ("复议", "诉讼", "信箱", "热线", "咨询", "信访", "留言", "来信", "投诉")


def _applications() -> list[Indicator]:
    out = [
        Indicator("applications.received", "本年新收政府信息公开申请数量", "件", True,
                  _b("new_received"), ("received",), "applications.received",
                  prose_none=_NO_APPLICATIONS, en="applications received this year"),
        Indicator("applications.carried_over", "上年结转政府信息公开申请数量", "件", True,
                  _b("carried_over"), (), "applications.carried_over",
                  en="applications carried over from last year"),
        Indicator("applications.granted", "予以公开", "件", True, _b("granted"),
                  ("replies_agreed",), en="granted"),
        Indicator("applications.partially_granted", "部分公开", "件", True,
                  _b("partially_granted"), ("replies_partially_agreed",),
                  en="partially granted"),
        Indicator("applications.withheld", "不予公开", "件", True,
                  _b(*(f"withheld_{w}" for w in _WITHHELD)), ("replies_not_agreed",),
                  en="withheld (the eight reasons added up)"),
    ]
    out.append(Indicator("applications.unable", "无法提供", "件", True,
                         _b(*(f"unable_{u}" for u in _UNABLE)), en="unable to provide"))
    out.append(Indicator("applications.not_processed", "不予处理", "件", True,
                         _b(*(f"not_processed_{n}" for n in _NOT_PROCESSED)),
                         en="not processed"))
    out.append(Indicator("applications.other", "其他处理", "件", True,
                         {"applications_2021": tuple(f"other_{o}" for o in _OTHER),
                          "applications_2019": ("other_handling",)},
                         en="other handling"))
    out += [
        Indicator("applications.concluded", "办理结果总计", "件", True, _b("total_concluded"),
                  ("concluded", "replies"), "applications.concluded",
                  en="concluded (every outcome)"),
        Indicator("applications.carried_forward", "结转下年度继续办理", "件", True,
                  _b("carried_forward"), (), "applications.carried_forward",
                  en="carried forward to next year"),
        Indicator("applications.already_public", "属于已主动公开范围数", "件", True, {},
                  ("replies_already_public",), en="answered: already published (2014 table)"),
        Indicator("applications.fees.collected", "依申请公开信息收取的费用", "元", False, {},
                  ("request_fees",), en="fees charged for answering applications"),
        Indicator("applications.fees.waived", "政府信息公开收费减免金额", "元", False, {},
                  ("fees_waived",), en="fees waived"),
    ]
    return out


def _proactive() -> list[Indicator]:
    a = ("proactive_2021", "proactive_2019")
    return [
        Indicator("proactive.published", "主动公开政府信息数", "条", False, {},
                  ("items_published",), "proactive.items", _PROACTIVE_TOTAL,
                  en="items of information published proactively"),
        Indicator("proactive.licensing.decisions", "行政许可 处理决定数量", "件", False,
                  dict.fromkeys(a, ("licensing.decisions",)), en="licensing decisions"),
        Indicator("proactive.penalties.decisions", "行政处罚 处理决定数量", "件", False,
                  dict.fromkeys(a, ("penalties.decisions",)), en="penalty decisions"),
        Indicator("proactive.coercion.decisions", "行政强制 处理决定数量", "件", False,
                  dict.fromkeys(a, ("coercion.decisions",)), en="coercive-measure decisions"),
        Indicator("proactive.fees.amount", "行政事业性收费 本年收费金额", "万元", False,
                  {"proactive_2021": ("fees.amount_10k_yuan",)},
                  en="administrative fees collected (2021 table)"),
    ]


def _cases() -> list[Indicator]:
    out: list[Indicator] = []
    for o, zh in zip(_OUTCOMES, _OUTCOMES_ZH, strict=True):
        out.append(Indicator(f"review.{o}", f"行政复议 {zh}", "件", False,
                             {_C: (f"review.{o}",)},
                             (_REVIEW_STATS[o],) if o in _REVIEW_STATS else (),
                             "review.total" if o == "total" else None,
                             en=f"administrative reviews: {o}"))
    for o, zh in zip(_OUTCOMES, _OUTCOMES_ZH, strict=True):
        out.append(Indicator(f"litigation.{o}", f"行政诉讼 {zh}（未经复议直接起诉 + 复议后起诉）",
                             "件", False,
                             {_C: (f"litigation_direct.{o}", f"litigation_after_review.{o}")},
                             (_LITIGATION_STATS[o],) if o in _LITIGATION_STATS else (),
                             "litigation.total" if o == "total" else None,
                             en=f"lawsuits: {o}"))
    for part, part_zh in (("direct", "未经复议直接起诉"), ("after_review", "复议后起诉")):
        out += [Indicator(f"litigation.{part}.{o}", f"行政诉讼 {part_zh} {zh}", "件", False,
                          {_C: (f"litigation_{part}.{o}",)}, en=f"lawsuits ({part}): {o}")
                for o, zh in zip(_OUTCOMES, _OUTCOMES_ZH, strict=True)]
    return out


INDICATORS: tuple[Indicator, ...] = (*_applications(), *_proactive(), *_cases())
"""Every canonical indicator, in the order the panel lists them (docs/panel.md)."""

BY_NAME: dict[str, Indicator] = {i.name: i for i in INDICATORS}
"""The indicators by name."""

# --------------------------------------------------------------------------- reading


# Statistics units as multiples of the indicator's unit, for amounts.
_MONEY: dict[tuple[str, str], Decimal] = {("元", "元"): Decimal(1), ("万元", "元"): Decimal(10000),
                                          ("万元", "万元"): Decimal(1),
                                          ("元", "万元"): Decimal("0.0001")}


Getter = Callable[[Any], Value]


@cache  # one entry per indicator and table form
def _getters(name: str, form: str) -> tuple[tuple[str, tuple[Getter, ...]], ...]:
    """For each applicant column (``""`` without), the getters of the cells added up."""
    ind = BY_NAME[name]
    paths = ind.tables[form]
    columns = APPLICANTS if ind.applicants else ("",)
    return tuple((a, tuple(attrgetter(f"{p}.{a}" if a else p) for p in paths)) for a in columns)


def _read(getters: tuple[Getter, ...], table: object) -> tuple[Number | None, int | None]:
    if len(getters) == 1:
        cell = getters[0](table)
        return cell.value, cell.line
    cells = [g(table) for g in getters]
    line = next((c.line for c in cells if c.line is not None), None)
    total: Number = 0
    for c in cells:
        if c.value is None:
            return None, line
        total += c.value
    return total, line


_YEAR = re.compile(r"(?:19|20)\d{2}")
_OTHER_PERIODS = ("累计", "上年", "去年", "上一年", "同比", "增减")


def _this_year(table: Statistics2014, year: int | None) -> int | None:
    """The index of this year's value column, when exactly one header can be it.

    Not a cumulative column (历年累计), nor last year's, nor one naming another year
    than the report's; ``None`` when none or several remain.
    """
    found = [i for i, text in enumerate(table.columns)
             if not any(w in text for w in _OTHER_PERIODS)
             and all(int(y) == year for y in _YEAR.findall(text))]
    return found[0] if len(found) == 1 else None


def _statistics(ind: Indicator, table: Statistics2014,
                column: int | None) -> tuple[Number | None, int | None] | None:
    row: StatisticsRow | None = None
    for name in ind.statistics:
        row = table.row(name)
        if row is not None:
            break
    if row is None:
        return None
    # Without a header, one value column is this year's; with two, which is which is unsaid.
    index = column if table.columns else (0 if len(row.values) == 1 else None)
    if index is None or index >= len(row.values):
        return None, row.line
    cell = row.values[index]
    value = cell.value
    if value is not None and ind.unit in ("元", "万元"):
        factor = _MONEY.get((row.unit or "", ind.unit))
        if factor is None:
            return None, row.line  # an amount in a unit not said: not guessed
        value = value * factor
        if isinstance(value, Decimal) and value == value.to_integral_value():
            value = int(value)
    return value, cell.line if cell.line is not None else row.line


_CLAUSE = re.compile(r"[^，,。；;！!？?\n]+")
_PROSE_KINDS = frozenset({"overview", "applications"})


def _walk(section: Section) -> Iterator[Section]:
    yield section
    for sub in section.subsections:
        yield from _walk(sub)


def _none_stated(pattern: re.Pattern[str], report: Report) -> int | None:
    """The line of a clause saying there were none, in the overview or applications sections."""
    for top in report.sections:
        if top.kind not in _PROSE_KINDS:
            continue
        for section in _walk(top):
            if pattern.search(section.text) is None:  # most reports: one scan, no clause
                continue
            for clause in _CLAUSE.findall(section.text):
                if pattern.search(clause) and not any(w in clause for w in _NOT_APPLICATIONS):
                    return section.line
    return None


def _prose(ind: Indicator, figures: list[ProseFigure],
           none_line: int | None = None) -> tuple[Number | None, int | None, tuple[Number, ...]]:
    """The prose value: (value, line, every distinct exact value stated)."""
    found: dict[Number, int] = {}
    if none_line is not None:
        found[0] = none_line
    for f in figures:
        if f.approximate or f.unit == "%":
            continue
        if ind.prose_only is not None and not any(
                int(m["n"]) == f.value for m in ind.prose_only.finditer(f.sentence)):
            continue
        found.setdefault(f.value, f.line)
    if len(found) == 1:
        (value, line), = found.items()
        return value, line, (value,)
    return None, None, tuple(found)


def report_values(report: Report) -> tuple[list[IndicatorValue], list[Disagreement],
                                           list[tuple[str, tuple[Number, ...]]]]:
    """The report's values under the canonical indicators.

    Returns the values (an :class:`IndicatorValue` per indicator and applicant
    column that some source of the report has, ``value`` ``None`` where it has
    the cell but not a value), the disagreements between sources, and the
    indicators whose prose states several values (left absent).
    """
    tables: dict[str, object] = {}
    for t in (report.proactive, report.applications, report.review_litigation):
        if t is not None:
            tables[t.form] = t
    stats = report.statistics
    column = _this_year(stats, report.year) if stats is not None else None
    by_what: dict[str, list[ProseFigure]] = {}
    for f in report.figures:
        by_what.setdefault(f.what, []).append(f)
    values: list[IndicatorValue] = []
    disagreements: list[Disagreement] = []
    ambiguous: list[tuple[str, tuple[Number, ...]]] = []
    for ind in INDICATORS:
        # Each source: None when it lacks the indicator, else (value or None, line).
        table_cells: dict[str, tuple[Number | None, int | None]] | None = None
        for form in ind.tables:
            table = tables.get(form)
            if table is not None:
                table_cells = {a: _read(getters, table) for a, getters in _getters(ind.name, form)}
                break
        total_key = "total" if ind.applicants else ""
        later: list[tuple[Source, Number | None, int | None]] = []
        if stats is not None and ind.statistics:
            got = _statistics(ind, stats, column)
            if got is not None:
                later.append(("statistics", *got))
        none_line = (_none_stated(ind.prose_none, report) if ind.prose_none is not None
                     else None)
        if ind.prose is not None and (ind.prose in by_what or none_line is not None):
            value, line, distinct = _prose(ind, by_what.get(ind.prose, []), none_line)
            if len(distinct) > 1:
                ambiguous.append((ind.name, distinct))
            elif value is not None:
                later.append(("prose", value, line))
        if table_cells is not None:
            for a, (value, line) in table_cells.items():
                if a != total_key:
                    values.append(IndicatorValue(ind.name, a, value, ind.unit, "table", line))
            sources: list[tuple[Source, Number | None, int | None]] = [
                ("table", *table_cells[total_key]), *later]
        else:
            sources = later
        if not sources:
            continue
        chosen = next((s for s in sources if s[1] is not None), sources[0])
        values.append(IndicatorValue(ind.name, total_key, chosen[1], ind.unit, chosen[0],
                                     chosen[2]))
        if chosen[1] is None:
            continue
        for source, value, line in sources:
            if value is not None and value != chosen[1]:
                disagreements.append(Disagreement(ind.name, total_key, chosen[1], chosen[0],
                                                  chosen[2], value, source, line))
    return values, disagreements, ambiguous
