"""Where a report contradicts itself: :func:`check` and :func:`check_series`.

Each check gives :class:`Finding` objects with a stable code (see
docs/checks.md): the arithmetic of the template tables (B1–B5, C1–C3, A3,
A5, stated once in :mod:`govreport.arithmetic`), the kind of every cell
(A1, B4, C4), rules reported by agencies that cannot make rules (A4), figures
restated in prose against the tables (P1, P2), the template against the year
(D01, T01), sections whose table is missing (D03), and across one agency's
consecutive years (B6, A2). A plugin's table (``Report.extra_tables``) is
checked against the relations its form carries, under the plugin's codes.
The 2014 statistics table (``Report.statistics``) is checked against the
relations its rows imply (S1–S3, warnings).

A check that needs a value the report does not give (a blank cell, a missing
table, no year) is ``not_checkable``, never ``failed``: a blank is not a 0.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Literal, Union, cast

import attrs
from attrs import frozen

from govreport import registry
from govreport.arithmetic import (
    PREVIOUS,
    Relation,
    Severity,
    evaluate,
    statistics_cells,
    statistics_relations,
    sum_of,
)
from govreport.errors import SeriesError
from govreport.figures import TABLE_KEYS
from govreport.model import (
    TABLE_OF_SECTION,
    Applications2019,
    Proactive2019,
    Proactive2021,
    Report,
    ReviewLitigation,
    Table,
    Value,
    iter_values,
)

__all__ = ["CODES", "Finding", "Severity", "Status", "check", "check_series"]

Status = Literal["failed", "not_checkable", "passed"]
if TYPE_CHECKING:
    from govreport.forms.base import Form

Number = Union[int, Decimal]
Datum = Union[int, Decimal, str, None]


@frozen(kw_only=True)
class Finding:
    """One result of one check on one report.

    ``status`` is ``"failed"`` (the report breaks the rule),
    ``"not_checkable"`` (a value the rule needs is missing) or ``"passed"``
    (only returned when asked for). ``severity`` is what a failure means:
    ``error`` for what every honest report satisfies, ``warning`` for what
    reports legitimately break now and then, ``info`` for a remark.
    ``keys`` are the flat keys involved; for a relation ``actual`` is the sum
    of its left side and ``expected`` that of its right side. ``line`` and
    ``column`` locate the first involved cell (or the heading, or the prose);
    ``file`` is the report's source.
    """

    code: str
    severity: Severity
    status: Status
    keys: tuple[str, ...] = ()
    expected: Datum = None
    actual: Datum = None
    message_zh: str = ""
    message_en: str = ""
    line: int | None = None
    column: int | None = None
    file: str | None = None


CODES: dict[str, tuple[Severity, str]] = {
    "B1": ("error", "Table B, per column: new + carried over = concluded + carried forward"),
    "B2": ("error", "Table B, per row: total = sum of the six applicant columns"),
    "B3": ("error", "Table B, per column: （七）总计 = sum of the outcome rows"),
    "B4": ("error", "Table B cells are whole numbers ≥ 0"),
    "B5": ("error", "Table B, per column: concluded ≤ new + carried over"),
    "B6": ("warning", "across years: carried over = last year's carried forward"),
    "C1": ("error", "Table C review: total = upheld + corrected + other + pending"),
    "C2": ("error", "Table C direct lawsuits: total = sum of the outcomes"),
    "C3": ("error", "Table C lawsuits after review: total = sum of the outcomes"),
    "C4": ("error", "Table C cells are whole numbers ≥ 0"),
    "A1": ("error", "Table A counts are whole numbers ≥ 0, amounts ≥ 0"),
    "A2": ("warning", "across years: in force = last year's in force + issued − repealed"),
    "A3": ("warning", "Table A: issued ≤ in force + repealed"),
    "A4": ("warning", "规章 reported by an agency that cannot make rules"),
    "A5": ("info", "2019 Table A: prior items + net change = decisions (not required)"),
    "P1": ("warning", "application figures in the prose equal Table B"),
    "P2": ("warning", "行政许可 / 行政处罚 figures in 总体情况 equal Table A"),
    "D01": ("warning", "a 2019 table or label in a report for 2021 or later"),
    "T01": ("warning", "a template newer than the report's year"),
    "D03": ("warning", "a template section without its table"),
    "S1": ("warning", "2014 statistics table: this year's value ≤ the cumulative value"),
    "S2": ("warning", "2014 statistics table: an item (其中, numbered) ≤ the row it belongs to"),
    "S3": ("warning", "2014 statistics table: a total = the sum of its items (收到申请数, "
           "申请答复数 …)"),
    "O1": ("warning", "the preamble's \"本报告由…N个部分组成\" matches the sections found"),
}
"""Every finding code: its severity and what it checks (docs/checks.md says more)."""


@frozen
class _Context:
    report: Report
    cells: Mapping[str, Value]
    file: str | None


_Check = Callable[[_Context], Iterator[Finding]]


def _cells(report: Report) -> dict[str, Value]:
    # From the tables themselves rather than flatten(): a table of the other
    # template's form (a 2019 table in a 2021 report) is still checked against
    # the relations of its own form.
    return {k: v for t in report.tables for k, v in iter_values(cast(attrs.AttrsInstance, t))}


def _where(cells: Mapping[str, Value], keys: Iterable[str]) -> tuple[int | None, int | None]:
    for k in keys:
        v = cells.get(k)
        if v is not None and v.line is not None:
            return v.line, v.column
    return None, None


def _show(v: Datum) -> str:
    return "—" if v is None else str(v)


def _short(keys: Sequence[str], n: int = 3) -> str:
    return ", ".join(keys[:n]) + (f" … (+{len(keys) - n})" if len(keys) > n else "")


# --------------------------------------------------------------------------- relations


def _relation_finding(rel: Relation, values: Mapping[str, Number | None],
                      cells: Mapping[str, Value], file: str | None) -> Finding:
    ok = evaluate(rel, values)
    left, right = sum_of(rel.left, values), sum_of(rel.right, values)
    line, column = _where(cells, rel.keys)
    base = Finding(code=rel.code, severity=rel.severity, status="failed", keys=rel.keys,
                   expected=right, actual=left, line=line, column=column, file=file)
    if ok is None:
        missing = [k for k in rel.keys if values.get(k) is None]
        return attrs.evolve(base, status="not_checkable",
                            message_zh=f"{rel.zh}；无法核对：{_short(missing)} 无数值",
                            message_en=f"{rel.en}; not checkable: no value for {_short(missing)}")
    if ok:
        return attrs.evolve(base, status="passed", message_zh=f"{rel.zh}；{left} 与 {right} 相符",
                            message_en=f"{rel.en}; {left} and {right} agree")
    broken = ">" if rel.op == "<=" else "≠"
    return attrs.evolve(base, message_zh=f"{rel.zh}；报告中为 {left} {broken} {right}",
                        message_en=f"{rel.en}; the report gives {left} {broken} {right}")


def _template_forms(template: str) -> dict[str, Form]:
    """The registered form of each Report table a report of ``template`` has, by kind."""
    by_kind: dict[str, Form] = {}
    for form in registry.forms():
        if template in form.templates:
            by_kind.setdefault(form.kind, form)
    return {f.name: by_kind[f.name] for f in attrs.fields(Report) if f.name in by_kind}


def _check_relations(ctx: _Context) -> Iterator[Finding]:
    for slot, template_form in _template_forms(ctx.report.template).items():
        table: Table | None = getattr(ctx.report, slot)
        if table is None:
            # The template wants this table: its relations cannot be checked.
            for rel in template_form.relations:
                f = _relation_finding(rel, {}, {}, ctx.file)
                yield attrs.evolve(f, message_zh=f"{rel.zh}；无法核对：报告没有此表",
                                   message_en=f"{rel.en}; not checkable: the report has no "
                                              "such table")
            continue
        yield from _form_findings(table, ctx.file)


def _form_findings(table: object, file: str | None) -> Iterator[Finding]:
    # Each table is checked against the relations its own form carries: a
    # plugin's table under the codes the plugin chose, a plugin replacing a
    # built-in form with its own.
    form = registry.form(cast(str, getattr(table, "form", "")))
    if form is None:
        return
    table_cells = dict(iter_values(cast(attrs.AttrsInstance, table)))
    values = {k: v.value for k, v in table_cells.items()}
    for rel in form.relations:
        yield _relation_finding(rel, values, table_cells, file)


def _check_statistics(ctx: _Context) -> Iterator[Finding]:
    # The statistics table's rows are open-ended, so are its relations.
    table = ctx.report.statistics
    if table is None:
        return
    cells = statistics_cells(table)
    values = {k: v.value for k, v in cells.items()}
    for rel in statistics_relations(table):
        yield _relation_finding(rel, values, cells, ctx.file)


def _check_extra_tables(ctx: _Context) -> Iterator[Finding]:
    for table in ctx.report.extra_tables:
        yield from _form_findings(table, ctx.file)


# --------------------------------------------------------------------------- cell kinds

def _domain_code(table: Table) -> str:
    if isinstance(table, ReviewLitigation):
        return "C4"
    if isinstance(table, (Proactive2021, Proactive2019)):
        return "A1"
    return "B4"


def _kind_problem(key: str, v: Number) -> tuple[str, str] | None:
    """(zh, en) of what is wrong with value ``v`` of cell ``key``, or None."""
    if isinstance(v, bool):  # bool is an int to Python, never a count
        return "不是数字", "is not a number"
    if key.endswith(".net_change"):
        # 本年增/减 is signed by design (domain.md §2.3).
        if isinstance(v, int):
            return None
        return "应为整数（可带正负号）", "must be a whole number (signed)"
    if key.endswith(".amount_10k_yuan"):
        if v >= 0:
            return None
        return "金额不应为负数", "must be an amount ≥ 0"
    if isinstance(v, int) and v >= 0:
        return None
    return "应为非负整数", "must be a whole number ≥ 0"


def _check_kinds(ctx: _Context) -> Iterator[Finding]:
    for table in ctx.report.tables:
        code = _domain_code(table)
        severity, _ = CODES[code]
        blank: list[str] = []
        for key, value in iter_values(cast(attrs.AttrsInstance, table)):
            if value.value is None:
                blank.append(key)
                continue
            problem = _kind_problem(key, value.value)
            if problem is not None:
                zh, en = problem
                yield Finding(code=code, severity=severity, status="failed", keys=(key,),
                              actual=value.value, line=value.line, column=value.column,
                              file=ctx.file, message_zh=f"{key} {zh}，实为 {value.value}",
                              message_en=f"{key} {en}, but is {value.value}")
        line, column = _where(ctx.cells, blank)
        if blank:
            yield Finding(code=code, severity=severity, status="not_checkable",
                          keys=tuple(blank), line=line, column=column, file=ctx.file,
                          message_zh=f"{table.form} 中 {len(blank)} 个单元格无数值："
                                     f"{_short(blank)}",
                          message_en=f"{len(blank)} cells of {table.form} have no value: "
                                     f"{_short(blank)}")
        yield Finding(code=code, severity=severity, status="passed", file=ctx.file,
                      message_zh=f"{table.form} 其余单元格类型正确",
                      message_en=f"the other cells of {table.form} are of the right kind")


# --------------------------------------------------------------------------- rule-making power

# Who may make 规章 (立法法 art. 91–93): State Council departments and the
# governments of provinces and of districted cities. The patterns only name
# levels that certainly cannot: townships, counties and urban districts. A
# name that fits none of them is given the benefit of the doubt.
_LEVELS: tuple[tuple[str, str, str, re.Pattern[str]], ...] = (
    ("township", "乡镇、街道", "a township or sub-district",
     re.compile(r"[乡镇](?:人民)?政府|街道(?:办事处|党工委|工委)?|[乡镇]$")),
    ("county", "县级", "a county", re.compile(r"县(?!级|域)")),
    # 区 of 自治区, 新区, 开发区, 实验区, 示范区, 特别行政区, 保税区, 园区, 景区 is
    # no urban district.
    ("district", "区级", "an urban district",
     re.compile(r"(?<![治新验发范特政税园景])区(?:人民)?政府"
                r"|(?<![治新验发范特政税园景])区[\u4e00-\u9fff]*(?:局|委员会|委|办公室|办)$")),
)

_RULE_KEYS = {
    "proactive_2021": ("proactive.rules.issued", "proactive.rules.repealed",
                       "proactive.rules.in_force"),
    "proactive_2019": ("proactive.rules.newly_made", "proactive.rules.newly_published",
                       "proactive.rules.total_published"),
}


def _local_level(agency: str) -> tuple[str, str] | None:
    for _, zh, en, pattern in _LEVELS:
        if pattern.search(agency):
            return zh, en
    return None


def _check_rule_power(ctx: _Context) -> Iterator[Finding]:
    proactive = ctx.report.proactive
    if proactive is None:
        return
    keys = _RULE_KEYS[proactive.form]
    line, column = _where(ctx.cells, keys)
    base = Finding(code="A4", severity="warning", status="not_checkable", keys=keys,
                   expected=0, line=line, column=column, file=ctx.file)
    agency = ctx.report.agency
    if agency is None:
        yield attrs.evolve(base, message_zh="报告未写明机关名称，无法判断其能否制定规章",
                           message_en="the report names no agency, so whether it may make "
                                      "rules cannot be told")
        return
    level = _local_level(agency)
    values = {k: ctx.cells[k].value for k in keys}
    nonzero = [k for k, v in values.items() if v is not None and v != 0]
    if level is not None and nonzero:
        zh, en = level
        first = nonzero[0]
        yield attrs.evolve(
            base, status="failed", keys=tuple(nonzero), actual=values[first],
            line=ctx.cells[first].line, column=ctx.cells[first].column,
            message_zh=f"{agency}为{zh}机关，无权制定规章，但报告 {first} 为 {values[first]}",
            message_en=f"{agency} is {en} body and cannot make rules (规章), yet {first} is "
                       f"{values[first]}")
    elif level is not None and all(v is None for v in values.values()):
        yield attrs.evolve(base, message_zh="规章各项均无数值",
                           message_en="the 规章 row has no values")
    else:
        yield attrs.evolve(base, status="passed", message_zh="规章数量与机关层级不矛盾",
                           message_en="the 规章 counts fit the agency's level")


# --------------------------------------------------------------------------- prose


def _check_prose(ctx: _Context) -> Iterator[Finding]:
    if ctx.report.template == "freeform":
        return  # no table to compare with: the prose is the only statement
    # Read once by the parser; a report is checked against the figures it carries.
    for fig in ctx.report.figures:
        if fig.approximate or fig.what not in TABLE_KEYS:
            continue  # "近500件" cannot contradict 497
        code, key = TABLE_KEYS[fig.what]
        cell = ctx.cells.get(key)
        table = None if cell is None else cell.value
        said = f"{fig.value}{fig.unit}"
        quote = fig.sentence if len(fig.sentence) <= 60 else fig.sentence[:59] + "…"
        where_zh = f"第{fig.line}行起“{quote}”"
        where_en = f"from line {fig.line}: “{quote}”"
        located = cell is not None and cell.line is not None
        base = Finding(code=code, severity=CODES[code][0], status="not_checkable", keys=(key,),
                       expected=table, actual=fig.value, file=ctx.file,
                       line=cell.line if located and cell else fig.line,
                       column=cell.column if located and cell else None)
        if table is None:
            yield attrs.evolve(base,
                               message_zh=f"正文称 {said}（{where_zh}），表格 {key} 无数值",
                               message_en=f"the text says {said} ({where_en}); {key} has no "
                                          "value")
        elif table == fig.value:
            yield attrs.evolve(base, status="passed",
                               message_zh=f"正文 {said} 与表格 {key} 相符",
                               message_en=f"the text's {said} agrees with {key}")
        else:
            yield attrs.evolve(base, status="failed",
                               message_zh=f"正文称 {said}（{where_zh}），表格 {key} 为 {table}",
                               message_en=f"the text says {said} ({where_en}), but {key} is "
                                          f"{table}")


# --------------------------------------------------------------------------- template and year


def _first_cell(table: Table) -> tuple[int | None, int | None]:
    cells = dict(iter_values(cast(attrs.AttrsInstance, table)))
    return _where(cells, cells)


def _edition_found(year: int) -> int | None:
    """The newest template in force for a report year (None before 2019)."""
    return 2021 if year >= 2021 else 2019 if year >= 2019 else None


def _check_template_year(ctx: _Context) -> Iterator[Finding]:
    year = ctx.report.year
    for table in ctx.report.tables:
        if isinstance(table, ReviewLitigation):
            continue  # the same in 2019 and 2021
        edition = 2019 if isinstance(table, (Proactive2019, Applications2019)) else 2021
        line, column = _first_cell(table)
        d01 = Finding(code="D01", severity="warning", status="not_checkable", expected=None,
                      actual=str(edition), line=line, column=column, file=ctx.file)
        t01 = attrs.evolve(d01, code="T01")
        if year is None:
            zh = f"报告未写明年度，无法核对 {table.form} 是否适用"
            en = f"the report states no year; whether {table.form} applies cannot be told"
            yield attrs.evolve(d01, message_zh=zh, message_en=en)
            yield attrs.evolve(t01, message_zh=zh, message_en=en)
            continue
        if edition == 2019 and year >= 2021:
            yield attrs.evolve(d01, status="failed", expected="2021",
                               message_zh=f"{year}年度报告仍使用2019年试行格式（{table.form}）",
                               message_en=f"the report for {year} uses the 2019 trial form "
                                          f"({table.form}); the 2021 form applies")
        else:
            yield attrs.evolve(d01, status="passed", message_zh=f"{table.form} 适用于 {year} 年",
                               message_en=f"{table.form} fits the year {year}")
        newest = _edition_found(year)
        if newest is None or edition > newest:
            yield attrs.evolve(t01, status="failed",
                               expected=None if newest is None else str(newest),
                               message_zh=f"{year}年度报告使用了当年尚未发布的{edition}年格式"
                                          f"（{table.form}）：可能是转载，或年度有误",
                               message_en=f"the report for {year} uses the {edition} form "
                                          f"({table.form}), which did not exist yet: re-posted, "
                                          "or the year is wrong")
        else:
            yield attrs.evolve(t01, status="passed", message_zh=f"{table.form} 在 {year} 年已发布",
                               message_en=f"{table.form} existed in {year}")
    yield from _check_label(ctx)


_NORMATIVE_KEYS = ("proactive.normative_documents.issued",
                   "proactive.normative_documents.repealed",
                   "proactive.normative_documents.in_force")


def _check_label(ctx: _Context) -> Iterator[Finding]:
    proactive, year = ctx.report.proactive, ctx.report.year
    if not isinstance(proactive, Proactive2021):
        return  # a 2019 table is D01 as a whole, and its 规范性文件 is then right
    label = proactive.normative_documents.label
    line, column = _where(ctx.cells, _NORMATIVE_KEYS)
    base = Finding(code="D01", severity="warning", status="not_checkable", keys=_NORMATIVE_KEYS,
                   expected="行政规范性文件", actual=label, line=line, column=column,
                   file=ctx.file)
    if year is None or label is None:
        yield attrs.evolve(base, message_zh="缺少年度或行标签，无法核对“行政规范性文件”标签",
                           message_en="no year or no row label: the 行政规范性文件 label cannot "
                                      "be checked")
    elif year >= 2021 and "规范性文件" in label and "行政" not in label:
        yield attrs.evolve(base, status="failed",
                           message_zh=f"{year}年度报告沿用2019年格式的行标签“{label}”，"
                                      "应为“行政规范性文件”",
                           message_en=f"the report for {year} keeps the 2019 row label “{label}” "
                                      "where the 2021 form has 行政规范性文件")
    else:
        yield attrs.evolve(base, status="passed", message_zh="行标签符合2021年格式",
                           message_en="the row label fits the 2021 form")


def _check_missing_tables(ctx: _Context) -> Iterator[Finding]:
    report = ctx.report
    if report.template == "freeform" and report.year is not None and report.year < 2019:
        return  # before 2019 no table was required
    # A free-form report for 2019 or later lacks tables it should have; one
    # without a year may or may not.
    decidable = report.template != "freeform" or report.year is not None
    for section in report.sections:
        slot = TABLE_OF_SECTION.get(section.kind)
        if slot is None:
            continue
        name = f"{section.number}、{section.title}" if section.number else section.title
        base = Finding(code="D03", severity="warning", status="not_checkable", keys=(),
                       expected="table", line=section.line, file=ctx.file)
        if not decidable:
            yield attrs.evolve(base, message_zh=f"报告未写明年度，无法判断“{name}”是否应有表格",
                               message_en=f"the report states no year, so whether “{name}” "
                                          "needs a table cannot be told")
        elif getattr(report, slot) is None:
            yield attrs.evolve(base, status="failed",
                               message_zh=f"“{name}”部分缺少模板规定的表格",
                               message_en=f"section “{name}” has no table, though the template "
                                          "requires one")
        else:
            yield attrs.evolve(base, status="passed", actual="table",
                               message_zh=f"“{name}”有表格",
                               message_en=f"section “{name}” has its table")


def _check_declared_parts(ctx: _Context) -> Iterator[Finding]:
    r = ctx.report
    if r.declared_count is None:
        return
    found = len(r.sections)
    yield Finding(
        code="O1", severity=CODES["O1"][0],
        status="passed" if found == r.declared_count else "failed",
        expected=r.declared_count, actual=found,
        message_zh=f"报告称由{r.declared_count}个部分组成，实际找到{found}个",
        message_en=f"the preamble says {r.declared_count} parts; {found} sections were found",
        line=r.sections[0].line if r.sections else None, file=ctx.file)


CHECKS: tuple[_Check, ...] = (
    _check_declared_parts,
    _check_template_year,
    _check_missing_tables,
    _check_kinds,
    _check_relations,
    _check_extra_tables,
    _check_statistics,
    _check_rule_power,
    _check_prose,
)
"""The checks :func:`check` runs, in the order of their findings."""


def check(report: Report, *, include_passed: bool = False) -> list[Finding]:
    """Every place ``report`` contradicts itself or the template.

    Returns the failed and the not checkable findings, in a fixed order
    (template and year, missing tables, cell kinds, arithmetic, rule-making
    power, prose against tables); with ``include_passed`` the passed checks
    too. A report without tables (free form) gives few findings: only the
    checks that apply to it.
    """
    ctx = _Context(report, _cells(report), report.source)
    out = [f for c in CHECKS for f in c(ctx)]
    return out if include_passed else [f for f in out if f.status != "passed"]


# --------------------------------------------------------------------------- series


def check_series(reports: Iterable[Report], *, include_passed: bool = False) -> list[Finding]:
    """Checks across one agency's reports for consecutive years (B6, A2).

    The reports are ordered by year; each is compared with the report for the
    year before. For a year whose previous year is missing from ``reports``
    the checks are not checkable. Findings name the later report's file and
    cells. The caller decides that the reports are one agency's: names change
    with 机构改革, so they are not compared.

    Raises:
        SeriesError: a report states no year, or two reports are for one year
            (a :class:`GovReportError` and a ``ValueError``).

    """
    by_year: dict[int, Report] = {}
    for r in reports:
        if r.year is None:
            raise SeriesError(f"{r.source or r.agency or 'a report'}: no year; "
                             "check_series needs the year of every report")
        if r.year in by_year:
            raise SeriesError(f"two reports for {r.year}: "
                             f"{by_year[r.year].source or '?'} and {r.source or '?'}")
        by_year[r.year] = r
    out: list[Finding] = []
    years = sorted(by_year)
    for year in years[1:]:
        report = by_year[year]
        previous = by_year.get(year - 1)
        values: dict[str, Number | None] = {}
        if previous is not None:
            values.update({PREVIOUS + k: v.value for k, v in _cells(previous).items()})
        for table in report.tables:
            cells = dict(iter_values(cast(attrs.AttrsInstance, table)))
            values.update({k: v.value for k, v in cells.items()})
            form = registry.form(table.form)
            for rel in form.series_relations if form is not None else ():
                f = _relation_finding(rel, values, cells, report.source)
                if previous is None and f.status == "not_checkable":
                    f = attrs.evolve(f, message_zh=f"{rel.zh}；无法核对：缺少{year - 1}年度报告",
                                     message_en=f"{rel.en}; not checkable: no report for "
                                                f"{year - 1}")
                out.append(f)
    return out if include_passed else [f for f in out if f.status != "passed"]
