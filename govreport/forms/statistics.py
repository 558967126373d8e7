"""The 2014 statistics table: 政府信息公开情况统计表 (国办发〔2014〕32号, domain.md §3.3).

Reports for 2014–2018 (and some later ones) append it as 统计指标 | 单位 |
统计数, or as 指标名称 | 计量单位 | 本年度 | 历年累计. Its rows are open-ended:
reports use other and older indicator sets, so any row with a label, a unit
and numbers is a row. A known label gets its indicator's canonical name
(``received``, ``replies_agreed`` …); an unknown one is kept with
``indicator=None``.

The grammar (``grammars/statistics_2014.lark``) nests the rows by their
numbering (一、 > （一） > 1. > （1）, 其中 items under the row above), which
gives the relations between rows: an item is at most its total, and the
totals the domain knows to be partitions are the sum of their items
(:func:`govreport.arithmetic.statistics_relations`). Crawler text runs the
two value columns together (``346085376``); those digits are split by the
same relations, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

import attrs
from attrs import frozen
from lark import Token, Transformer

from govreport.arithmetic import statistics_keys, statistics_relations
from govreport.forms.base import (
    Form,
    Label,
    LexedRows,
    SplitRow,
    TableResult,
    align,
    has_text,
    read_value,
)
from govreport.forms.digits import Pending, is_fused, solve
from govreport.frozen import quick_init
from govreport.grammar import token
from govreport.model import Cell, Diagnostic, RawRow, Statistics2014, StatisticsRow, Value
from govreport.normalize import CellKind, key, split_number
from govreport.numbering import SUB_MARK, TOP_MARK

__all__ = ["INDICATORS", "ITEMS", "STATISTICS_2014", "UNITS", "classify", "indicator_of"]

UNITS = frozenset({"条", "件", "次", "篇", "个", "人", "人次", "元", "万元", "项", "份", "起",
                   "户", "场", "期", "天", "日", "%", "——", "—", "-", "--", "/"})
"""What the unit column holds; a dash marks a group row with no figure of its own."""
_MONEY = frozenset({"元", "万元", "%"})
_DASH_UNITS = frozenset({"——", "—", "-", "--", "/"})

# Indicators of the 2014 table (domain.md §3.3, the suggested field names) and
# the wordings reports use for them, as match keys without numbering.
INDICATORS: dict[str, str] = {
    # 一、主动公开情况
    "主动公开情况": "proactive",
    "主动公开政府信息数": "items_published",
    "主动公开政府信息": "items_published",
    "主动公开文件数": "items_published",
    "主动公开信息数": "items_published",
    "主动公开规范性文件数": "normative_docs_published",
    "制发规范性文件总数": "normative_docs_issued",
    "通过不同渠道和方式公开政府信息的情况": "by_channel",
    "政府公报公开政府信息数": "gazette",
    "政府公报公开数": "gazette",
    "政府网站公开政府信息数": "website",
    "政府网站公开数": "website",
    "网站公开数": "website",
    "网站公开": "website",
    "政府公报公开": "gazette",
    "政务微博公开政府信息数": "weibo",
    "政务微信公开政府信息数": "wechat",
    "其他方式公开政府信息数": "other_channels",
    # 二、回应解读情况
    "回应解读情况": "response",
    "回应公众关注热点或重大舆情数": "hot_topics_responded",
    "通过不同渠道和方式回应解读的情况": "response_by_channel",
    "参加或举办新闻发布会总次数": "press_conferences",
    "主要负责同志参加新闻发布会次数": "press_conferences_by_principal",
    "政府网站在线访谈次数": "online_interviews",
    "主要负责同志参加政府网站在线访谈次数": "online_interviews_by_principal",
    "政策解读稿件发布数": "policy_interpretations",
    "微博微信回应事件数": "social_media_responses",
    "其他方式回应事件数": "other_responses",
    # 三、依申请公开情况
    "依申请公开情况": "requests",
    "收到申请数": "received",
    "受理依申请公开信息总数": "received",
    "受理政府信息依申请公开总数": "received",
    "受理依申请公开申请总数": "received",
    "申请总数": "received",
    "当面申请数": "received_in_person",
    "传真申请数": "received_fax",
    "网络申请数": "received_online",
    "网上申请数": "received_online",
    "信函申请数": "received_letter",
    "信函、传真申请数": "received_letter_fax",
    "电子邮件申请数": "received_email",
    "其他形式申请数": "received_other",
    "其它形式申请数": "received_other",
    "申请办结数": "concluded",
    "按时办结数": "concluded_on_time",
    "延期办结数": "concluded_extended",
    "申请答复数": "replies",
    "对申请的答复总数": "replies",
    "对申请的答复数": "replies",
    "属于已主动公开范围数": "replies_already_public",
    "同意公开答复数": "replies_agreed",
    "同意部分公开答复数": "replies_partially_agreed",
    "不同意公开答复数": "replies_not_agreed",
    "不予公开答复数": "replies_not_agreed",
    "否决公开答复数": "replies_not_agreed",
    "其他类型答复数": "replies_other",
    "不属于本行政机关公开数": "replies_not_this_agency",
    "申请信息不存在数": "replies_not_exist",
    "告知作出更改补充数": "replies_told_to_amend",
    "告知通过其他途径办理数": "replies_told_other_channel",
    # 四、五 行政复议 and 行政诉讼; 六、举报投诉; 七、收费
    "行政复议数量": "admin_review",
    "行政复议数": "admin_review",
    "行政诉讼数量": "litigation",
    "行政诉讼数": "litigation",
    "行政申诉数": "admin_appeals",
    "举报投诉数量": "complaints",
    "接受行政诉讼、举报数": "complaints",
    "依申请公开信息收取的费用": "request_fees",
    "政府信息公开收费减免金额": "fees_waived",
    # 八、机构建设和保障经费; 九、会议和培训
    "机构建设和保障经费情况": "staffing",
    "政府信息公开工作专门机构数": "staffing_offices",
    "设置政府信息公开查阅点数": "staffing_reading_points",
    "从事政府信息公开工作人员数": "staff",
    "政府信息公开专项经费": "staffing_budget",
    "政府信息公开会议和培训情况": "training",
    "召开政府信息公开工作会议或专题会议数": "training_meetings",
    "举办各类培训班数": "training_courses",
    "接受培训人员数": "training_trainees",
}
"""Label key (no numbering, no 其中, no note in brackets) → indicator name."""

ITEMS: dict[str, str] = {
    "维持具体行政行为数": "upheld",
    "维持具体行政行为或者驳回原告诉讼请求数": "upheld",
    "被依法纠错数": "corrected",
    "其他情形数": "other",
    "涉及国家秘密": "state_secret",
    "涉及商业秘密": "commercial_secret",
    "涉及个人隐私": "privacy",
    "危及国家安全、公共安全、经济安全和社会稳定": "security_stability",
    "不是《条例》所指政府信息": "not_government_info",
    "法律法规规定的其他情形": "other_legal",
    "专职人员数": "full_time",
    "兼职人员数": "part_time",
}
"""Items named after the row they belong to: 被依法纠错数 under 行政复议数量 is
``admin_review_corrected``, under 行政诉讼数量 ``litigation_corrected``."""

# Column headers: what each names.
_COLUMNS: dict[str, str] = {
    "统计指标": "indicator",
    "指标名称": "indicator",
    "指标": "indicator",
    "单位": "unit",
    "计量单位": "unit",
    "统计数": "value",
    "本年度": "value",
    "本年": "value",
    "本期": "value",
    "本期实际": "value",
    "本年累计": "cumulative",
    "历年累计": "cumulative",
    "累计": "cumulative",
}
_YEAR_COLUMN = re.compile(r"(?:19|20)\d{2}年度?")
_YEARS = range(2000, 2040)

_OF = re.compile(r"^其中[:：]?")
_NOTE = re.compile(r"\([^()]*\)$")
_H1 = re.compile(f"^{TOP_MARK}")
_H2 = re.compile(f"^{SUB_MARK}")
_P = re.compile(r"^(?:\(\d{1,2}\)|[①②③④⑤⑥⑦⑧⑨⑩])")


# Labels repeat in every report: each key is taken apart once.
@lru_cache(maxsize=4096)  # bounded: memory stays flat over a corpus (docs/corpus.md)
def _strip(k: str) -> tuple[bool, str | None, str]:
    """A label key as (其中 item?, numbering, the rest without a closing note in brackets)."""
    rest = _OF.sub("", k)
    of = rest != k
    number, rest = split_number(rest)
    return of, number, _NOTE.sub("", rest) or rest


@lru_cache(maxsize=4096)
def classify(number: str | None, k: str) -> Label | None:
    """The meaning of a label key in the statistics table, or ``None``.

    Column headers are ``column`` labels, units ``note`` labels (so a row
    with a unit counts as this table's even when its label is unknown), and
    known indicators ``row`` labels.
    """
    if number is None and k in _COLUMNS:
        return Label("column", _COLUMNS[k])
    if number is None and _YEAR_COLUMN.fullmatch(k):
        return Label("column", "value")
    if number is None and k in UNITS - _DASH_UNITS:
        return Label("note", "unit")
    _, _, rest = _strip(k)
    name = INDICATORS.get(rest) or ITEMS.get(rest)
    return Label("row", name) if name is not None else None


@lru_cache(maxsize=4096)  # bounded, as _strip
def indicator_of(label: str, parent: str | None = None) -> str | None:
    """The indicator a row label names, given the indicator of the row it belongs to.

    >>> indicator_of("其中：1、政府网站公开数")
    'website'
    >>> indicator_of("（二）被依法纠错数", "admin_review")
    'admin_review_corrected'
    """
    _, _, rest = _strip(key(label))
    if rest in INDICATORS:
        return INDICATORS[rest]
    if rest in ITEMS and parent is not None:
        return f"{parent}_{ITEMS[rest]}"
    return None


# The labels as printed, for the crawler layout to find the table in running text.
LABELS: tuple[str, ...] = (
    *(k for k in _COLUMNS if len(k) > 2), "统计数",
    *(f"{y}年度" for y in _YEARS),
    *INDICATORS, *(k for k in ITEMS if len(k) > 5),
)


# --------------------------------------------------------------------------- lexing


@quick_init
@frozen
class _Row:
    """A table row as the grammar's token carries it."""

    label: str
    number: str | None
    of: bool
    unit: Cell | None
    cells: tuple[Cell, ...]
    line: int


@quick_init
@frozen
class _Header:
    names: tuple[str, ...]  # what each header cell names: indicator, unit, value, cumulative
    texts: tuple[str, ...]
    line: int


@lru_cache(maxsize=4096)  # bounded, as _strip
def _style(k: str) -> str:
    """The grammar's token for a label key, by how it is numbered."""
    rest = _OF.sub("", k)
    of = rest != k
    if of:
        return "ROW_OF_N" if split_number(rest)[0] is not None else "ROW_OF"
    if _H1.match(rest):
        return "ROW_H1"
    if _H2.match(rest):
        return "ROW_H2"
    if _P.match(rest):
        return "ROW_P"
    return "ROW_N" if split_number(rest)[0] is not None else "ROW_PLAIN"


def _lex(rows: Iterable[SplitRow]) -> LexedRows:
    out: list[Token] = []
    header: _Header | None = None
    for split in rows:
        line = split.row.line
        labels = [(cell, classify(number, k)) for cell, number, k in split.labels]
        roles = [lab.role if lab is not None else None for _, lab in labels]
        # A header row: column names only, one unknown ("上年度") among known ones.
        if roles.count("column") >= 2 and set(roles) <= {"column", None} and not split.values:
            names = tuple(lab.name if lab is not None else
                          "cumulative" if "累计" in cell.text else "value" for cell, lab in labels)
            texts = tuple(cell.text.strip() for cell, _ in labels)
            header = _Header(names, texts, line)
            out.append(token("HEADER", header))
            continue
        if not split.labels:
            out.append(token("DATA", _Row("", None, False, None, split.values, line)))
            continue
        cells = [cell for cell, _, _ in split.labels]
        unit: Cell | None = None
        values = split.values
        if len(cells) > 1 and key(cells[-1].text) in UNITS:
            unit = cells.pop()
        elif header is not None and "unit" in header.names:
            n = sum(1 for name in header.names if name in ("value", "cumulative"))
            if len(values) == n + 1:
                unit, values = values[0], values[1:]  # a dash, or a blank unit cell
        elif values and key(values[0].text) in _DASH_UNITS and not any(
                c.text.strip() for c in values[1:]):
            unit, values = values[0], values[1:]
        # Label cells before the row's own label are its groups (三、… | （一）…).
        for cell in cells:
            k = key(cell.text)
            of, number, _ = _strip(k)
            last = cell is cells[-1]
            row = _Row(cell.text.strip(), number, of, unit if last else None,
                       values if last else (), line)
            out.append(token(_style(k), row))
    return LexedRows(tuple(out), ())


# --------------------------------------------------------------------------- nesting


@quick_init
@frozen
class _Node:
    row: _Row
    children: tuple[Any, ...]


class _Nest(Transformer[Token, TableResult]):
    """Turns the grammar's nesting into nodes; the form reads them into rows."""

    def __init__(self, form: _StatisticsForm) -> None:
        super().__init__()
        self.form = form

    @staticmethod
    def _node(children: list[Any]) -> _Node:
        first, *rest = children
        return _Node(first.value, tuple(rest))

    def h1(self, children: list[Any]) -> _Node:
        return self._node(children)

    def h2(self, children: list[Any]) -> _Node:
        return self._node(children)

    def n(self, children: list[Any]) -> _Node:
        return self._node(children)

    def p(self, children: list[Any]) -> _Node:
        return self._node(children)

    def plain(self, children: list[Any]) -> _Node:
        return self._node(children)

    def of(self, children: list[Token]) -> list[_Node]:
        return [_Node(c.value, ()) for c in children]

    def start(self, children: list[Any]) -> TableResult:
        return self.form.assemble(children)


# --------------------------------------------------------------------------- the form


def _kind(unit: str | None, cells: Sequence[Cell]) -> CellKind:
    # Money and rates may have decimals; every other figure is a count.
    if unit in _MONEY and any("." in c.text for c in cells):
        return "amount"
    return "count"


def _group(unit: str | None, cells: Sequence[Cell]) -> bool:
    """A row with no figure of its own: a dash for its unit, or no cells at all."""
    blank = not has_text(cells)
    return blank and (unit is None or key(unit) in _DASH_UNITS)


class _StatisticsForm(Form):
    """The statistics table: open-ended rows, nested by their numbering."""

    def __init__(self) -> None:
        super().__init__(
            "statistics_2014",
            Statistics2014,
            kind="statistics",
            classify=classify,
            markers=frozenset(),
            years=range(2008, 2100),
            fixed_columns=False,
            labels=LABELS,
            description="政府信息公开情况统计表 (国办发〔2014〕32号): indicator, unit, values",
        )
        self._transformer = _Nest(self)

    def lex(self, rows: Iterable[SplitRow]) -> LexedRows:
        """Name each row by how its label is numbered; every labelled row is a row."""
        return _lex(rows)

    def assemble(self, items: list[Any]) -> TableResult:
        """Read the nested rows into a :class:`Statistics2014`."""
        diags: list[Diagnostic] = []
        found: list[tuple[_Row, int | None]] = []
        headers: list[_Header] = []
        extra: list[RawRow] = []

        def walk(nodes: Iterable[Any], parent: int | None) -> None:
            for item in nodes:
                if isinstance(item, list):
                    walk(item, parent)
                elif isinstance(item, _Node):
                    found.append((item.row, parent))
                    walk(item.children, len(found) - 1)
                elif isinstance(item, Token) and isinstance(item.value, _Header):
                    headers.append(item.value)
                elif isinstance(item, Token) and isinstance(item.value, _Row):
                    data: _Row = item.value
                    if has_text(data.cells):
                        extra.append(RawRow(tuple(c.text for c in data.cells), data.line,
                                            "numbers without a label"))
                        diags.append(Diagnostic(
                            "extra-row", "a row of numbers without a label in the statistics "
                            "table; kept in extra_rows", data.line))

        walk(items, None)
        header = headers[0] if headers else None
        columns = tuple(t for t, name in zip(header.texts, header.names, strict=True)
                        if name in ("value", "cumulative")) if header else ()
        n = len(columns) or max((len([c for c in r.cells if c.text.strip()])
                                 for r, _ in found), default=0)
        rows, pending_at = self._rows(found, n, diags)
        table = Statistics2014(columns=columns, rows=tuple(rows), extra_rows=tuple(extra))
        if pending_at:
            table = self._split(table, pending_at, diags)
        return TableResult(table, tuple(diags))

    def _rows(self, found: Sequence[tuple[_Row, int | None]], n: int,
              diags: list[Diagnostic]) -> tuple[list[StatisticsRow], dict[int, tuple[Cell, ...]]]:
        rows: list[StatisticsRow] = []
        fused: dict[int, tuple[Cell, ...]] = {}
        for i, (data, parent) in enumerate(found):
            parent_indicator = rows[parent].indicator if parent is not None else None
            unit = (data.unit.text.strip() or None) if data.unit is not None else None
            indicator = indicator_of(data.label, parent_indicator)
            if _group(unit, data.cells):
                rows.append(StatisticsRow(label=data.label, number=data.number,
                                          indicator=indicator, unit=unit, line=data.line,
                                          parent=parent))
                continue
            path = f"statistics.{indicator or f'row{i + 1}'}"
            aligned, reason = align(data.cells, n)
            kind = _kind(unit, data.cells)
            if aligned is None and is_fused(data.cells, n):
                fused[i] = tuple(c for c in data.cells if c.text.strip())
                values = tuple(Value(note="fused") for _ in range(n))
            elif aligned is None:
                raw = " | ".join(c.text for c in data.cells)
                diags.append(Diagnostic(
                    "ambiguous-cells", f"cannot tell which cell of {path} is which ({reason}); "
                    "its values are None", data.line, raw=raw, path=path))
                values = tuple(Value(raw=raw, line=data.line, note="ambiguous")
                               for _ in range(n))
            else:
                values = tuple(read_value(cell, kind, path, diags) for cell in aligned)
            rows.append(StatisticsRow(label=data.label, number=data.number, indicator=indicator,
                                      unit=unit, values=values, line=data.line, parent=parent))
        return rows, fused

    def _split(self, table: Statistics2014, fused: dict[int, tuple[Cell, ...]],
               diags: list[Diagnostic]) -> Statistics2014:
        """Split run-together digits by the table's relations (S1–S3)."""
        keys = statistics_keys(table)
        pending = [Pending(tuple((k, _kind(table.rows[i].unit, cells)) for k in keys[i]),
                           cells, table.rows[i].line or 0) for i, cells in fused.items()]
        known = {k: v.value for i, row in enumerate(table.rows) if i not in fused
                 for k, v in zip(keys[i], row.values, strict=False)}
        solution = solve(statistics_relations(table), pending, known)
        diags.extend(solution.diagnostics)
        rows = list(table.rows)
        for i in fused:
            rows[i] = attrs.evolve(rows[i], values=tuple(solution.values[k] for k in keys[i]))
        return attrs.evolve(table, rows=tuple(rows))


STATISTICS_2014 = _StatisticsForm()
"""The form of the 2014 statistics table (kind ``statistics``, ``Report.statistics``)."""
