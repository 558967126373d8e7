"""Deterministic synthetic annual reports (政府信息公开工作年度报告) for tests and benchmarks.

Everything here is invented: agency names, prose and numbers. Only the fixed text of the
national templates (国办公开办函〔2019〕60号 and 〔2021〕30号: section headings, table captions,
row and column labels) is reproduced, with the harmless variations real reports show:
full- or half-width brackets and punctuation, straight or curly quotes, stray spaces inside
short header labels, a full stop after a heading, blank lines between paragraphs or not.

Usage::

    text, expected = generate(7, "tab_rows", "2021")
    expected["agency"], expected["year"]          # the made-up agency and the report year
    expected["values"]["applications.total_concluded.total"]

``generate`` returns ``(text, expected)``, where ``expected`` has the shape of the seed
``*.expected.json`` files: ``agency``, ``year``, ``template``, ``sections`` (top-level titles
without the ``一、`` prefix or a trailing ``。``) and ``values`` (the canonical fields.tsv keys of
the template mapped to ``int``, ``Decimal`` or ``None``; ``{}`` for the free-form template).
``dump_expected`` writes it as JSON, Decimals as numbers.

Templates: ``"2021"``, ``"2019"`` and ``"freeform"`` (a pre-2019 report without tables).

Layouts, each copying how the tables reached the text in one seed report:

* ``pipe_rows`` (seed 000): one row per line, cells joined by ``" | "``, the row closed by
  ``" |"``; a row with fewer cells than the grid has columns gets ``" " + "|" * missing``
  (``"行政许可 | 229 | ||"``). The last row of a table, and now and then another row, has no
  such run.
* ``pipe_cells`` (seed 003): a line holding only ``"|"`` opens a row, then one line per cell
  ending in ``" |"``; the run of missing cells follows the last cell (``"229 | ||"``).
* ``tab_cells`` (seed 001, a Word export): one line per cell starting with a TAB, a blank line
  after each row; a horizontally merged cell is one line, a cell covered by a cell above
  (rowspan) is a line holding only a TAB. Optional: ``表一``-style captions, a header cell broken
  over a blank line (``"\\t结果\\n\\n维持"``), blanks written as NBSP, values padded with an
  ideographic space or NBSP.
* ``tab_rows`` (seed 004, PDF text): one row per line, cells joined by TABs, every grid column
  present (merged and covered cells give empty cells). Table B has the seed's column shift:
  rows whose label spans the label columns read ``label, "", 7 values, ""``; rows with a
  level-2 label read ``"" or group, "" or item-group, item, 7 values``. Optional: a page break
  in Table A after which trailing empty cells are dropped, the last rows of Table B flattened
  (``"3. 其他\\t\\t0…\\t"``), ``总计`` raised into the first header row, PDF spacing such as
  ``"(一) 予以公开"`` and ``"1. 属于国家秘密"``.
* ``prose``: no tables at all; only with the ``freeform`` template.

``crawled(seed, template, style)`` gives the ``tab_rows`` report as crawler page text (the
``fused`` layout): one line, label cells run together, each table row either *glued* (its value
cells run together) or *spaced* (single spaces between values); ``style`` chooses every row
glued, every row spaced, each table switching part-way, or each row drawn on its own. It also
returns, for each table row, its keys, style and blank cells.

``TEXT_LAYOUTS`` are report text as page readers and crawlers extract it (issue 21), described
above ``_text_table``: ``line_cells``, ``para_cells``, ``pipe_cells_closed``, ``pipe_split``,
``pipe_loose`` and ``mixed``, now and then with labels as people alter them (a year inside a
header, filling instructions in a label, an inner space, headers cut short, a caption without
its item number, a row the template does not have). ``DETECTED`` names the layout govreport
should detect for each; ``excerpt`` cuts a 0.8–1 KB stretch of whole lines from a report.

A blank cell (``None``) is rendered as an empty cell. Only the standard library is used and all
randomness comes from the ``random.Random`` passed in, so a seed always gives the same text.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeAlias

__all__ = [
    "AGENCIES",
    "ALL_LAYOUTS",
    "APPLICANT_COLUMNS",
    "CRAWL_STYLES",
    "DETECTED",
    "EXPECTED_SECTION_TITLES",
    "LAYOUTS",
    "TEMPLATES",
    "TEXT_LAYOUTS",
    "CrawledRow",
    "Value",
    "crawl",
    "crawled",
    "dump_expected",
    "excerpt",
    "field_keys",
    "generate",
    "random_values",
    "render",
]

Value: TypeAlias = int | Decimal | None

TEMPLATES: tuple[str, ...] = ("2021", "2019", "freeform")
LAYOUTS: tuple[str, ...] = ("pipe_rows", "pipe_cells", "tab_cells", "tab_rows", "prose")
#: Layouts of report text as page readers and crawlers extract it (issue 21); kept apart from
#: LAYOUTS so the corpus benchmark built on LAYOUTS keeps measuring the same reports.
TEXT_LAYOUTS: tuple[str, ...] = (
    "line_cells",
    "para_cells",
    "pipe_cells_closed",
    "pipe_split",
    "pipe_loose",
    "mixed",
)
ALL_LAYOUTS: tuple[str, ...] = LAYOUTS + TEXT_LAYOUTS
#: The layout govreport should detect for text generated in each layout.
DETECTED: dict[str, str] = {
    **{layout: layout for layout in LAYOUTS},
    "line_cells": "line_cells",
    "para_cells": "para_cells",
    "pipe_cells_closed": "pipe_cells",
    "pipe_split": "pipe_rows",
    "pipe_loose": "pipe_rows",
    "mixed": "line_cells",
}

_GOV_SECTIONS = (
    "总体情况",
    "主动公开政府信息情况",
    "收到和处理政府信息公开申请情况",
    "政府信息公开行政复议、行政诉讼情况",
    "存在的主要问题及改进情况",
    "其他需要报告的事项",
)
_FREEFORM_SECTIONS = (
    "概述",
    "主动公开政府信息情况",
    "依申请公开政府信息情况",
    "政府信息公开的收费及减免情况",
    "因政府信息公开申请行政复议、提起行政诉讼的情况",
    "存在的主要问题及改进措施",
)
EXPECTED_SECTION_TITLES: dict[str, tuple[str, ...]] = {
    "2021": _GOV_SECTIONS,
    "2019": _GOV_SECTIONS,
    "freeform": _FREEFORM_SECTIONS,
}

#: Made-up agencies; none of these places exists.
AGENCIES: tuple[str, ...] = (
    "青禾县市场监督管理局",
    "云栖区公安分局",
    "澄湖市生态环境局",
    "岚溪县自然资源局",
    "望月镇人民政府",
    "鹿鸣区人民政府办公室",
    "霁川市交通运输局",
    "北汀县卫生健康委员会",
    "玉衡市人力资源和社会保障局",
    "桐舟新区住房和城乡建设局",
)

_YEARS: dict[str, tuple[int, int]] = {
    "2021": (2021, 2025),
    "2019": (2019, 2020),
    "freeform": (2009, 2018),
}
_NUMERALS = "一二三四五六七八九十"

# --------------------------------------------------------------------------- template tables

# Table A: (caption, column labels after 信息内容, rows of (row label, item, fields)).
_ABlock: TypeAlias = tuple[str, tuple[str, ...], tuple[tuple[str, str, tuple[str, ...]], ...]]
_A_WIDTH = 4
_ITEMS_19 = ("prior_items", "net_change", "decisions")
_A_BLOCKS: dict[str, tuple[_ABlock, ...]] = {
    "2021": (
        (
            "第二十条第（一）项",
            ("本年制发件数", "本年废止件数", "现行有效件数"),
            (
                ("规章", "rules", ("issued", "repealed", "in_force")),
                ("行政规范性文件", "normative_documents", ("issued", "repealed", "in_force")),
            ),
        ),
        ("第二十条第（五）项", ("本年处理决定数量",), (("行政许可", "licensing", ("decisions",)),)),
        (
            "第二十条第（六）项",
            ("本年处理决定数量",),
            (
                ("行政处罚", "penalties", ("decisions",)),
                ("行政强制", "coercion", ("decisions",)),
            ),
        ),
        (
            "第二十条第（八）项",
            ("本年收费金额（单位：万元）",),
            (("行政事业性收费", "fees", ("amount_10k_yuan",)),),
        ),
    ),
    "2019": (
        (
            "第二十条第（一）项",
            ("本年新制作数量", "本年新公开数量", "对外公开总数量"),
            (
                ("规章", "rules", ("newly_made", "newly_published", "total_published")),
                (
                    "规范性文件",
                    "normative_documents",
                    ("newly_made", "newly_published", "total_published"),
                ),
            ),
        ),
        (
            "第二十条第（五）项",
            ("上一年项目数量", "本年增/减", "处理决定数量"),
            (
                ("行政许可", "licensing", _ITEMS_19),
                ("其他对外管理服务事项", "other_services", _ITEMS_19),
            ),
        ),
        (
            "第二十条第（六）项",
            ("上一年项目数量", "本年增/减", "处理决定数量"),
            (("行政处罚", "penalties", _ITEMS_19), ("行政强制", "coercion", _ITEMS_19)),
        ),
        (
            "第二十条第（八）项",
            ("上一年项目数量", "本年增/减"),
            (("行政事业性收费", "fees", ("prior_items", "net_change")),),
        ),
        (
            "第二十条第（九）项",
            ("采购项目数量", "采购总金额"),
            (("政府集中采购", "procurement", ("projects", "amount_10k_yuan")),),
        ),
    ),
}

# Table B. The label area is three grid columns wide; each row names what stands in each:
# a label, _COVERED (the cell of a row above spans down over it) or _SPAN (the label to the
# left spans over it).
_COVERED = "<covered>"
_SPAN = "<span>"
_BOTH = ("2019", "2021")
_B_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
_B_ORG_LABELS = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
_B_ROWS: tuple[tuple[str, tuple[str, str, str], tuple[str, ...]], ...] = (
    ("new_received", ("一、本年新收政府信息公开申请数量", _SPAN, _SPAN), _BOTH),
    ("carried_over", ("二、上年结转政府信息公开申请数量", _SPAN, _SPAN), _BOTH),
    ("granted", ("三、本年度办理结果", "（一）予以公开", _SPAN), _BOTH),
    (
        "partially_granted",
        (_COVERED, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", _SPAN),
        _BOTH,
    ),
    ("withheld_state_secret", (_COVERED, "（三）不予公开", "1.属于国家秘密"), _BOTH),
    ("withheld_prohibited_by_law", (_COVERED, _COVERED, "2.其他法律行政法规禁止公开"), _BOTH),
    ("withheld_security_stability", (_COVERED, _COVERED, "3.危及“三安全一稳定”"), _BOTH),
    ("withheld_third_party", (_COVERED, _COVERED, "4.保护第三方合法权益"), _BOTH),
    ("withheld_internal_affairs", (_COVERED, _COVERED, "5.属于三类内部事务信息"), _BOTH),
    ("withheld_process_info", (_COVERED, _COVERED, "6.属于四类过程性信息"), _BOTH),
    ("withheld_enforcement_file", (_COVERED, _COVERED, "7.属于行政执法案卷"), _BOTH),
    ("withheld_admin_inquiry", (_COVERED, _COVERED, "8.属于行政查询事项"), _BOTH),
    ("unable_not_held", (_COVERED, "（四）无法提供", "1.本机关不掌握相关政府信息"), _BOTH),
    ("unable_needs_creation", (_COVERED, _COVERED, "2.没有现成信息需要另行制作"), _BOTH),
    ("unable_unclear", (_COVERED, _COVERED, "3.补正后申请内容仍不明确"), _BOTH),
    ("not_processed_complaint", (_COVERED, "（五）不予处理", "1.信访举报投诉类申请"), _BOTH),
    ("not_processed_duplicate", (_COVERED, _COVERED, "2.重复申请"), _BOTH),
    ("not_processed_publication", (_COVERED, _COVERED, "3.要求提供公开出版物"), _BOTH),
    ("not_processed_excessive", (_COVERED, _COVERED, "4.无正当理由大量反复申请"), _BOTH),
    (
        "not_processed_confirmation",
        (_COVERED, _COVERED, "5.要求行政机关确认或重新出具已获取信息"),
        _BOTH,
    ),
    (
        "other_no_correction",
        (
            _COVERED,
            "（六）其他处理",
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        ),
        ("2021",),
    ),
    (
        "other_fee_unpaid",
        (
            _COVERED,
            _COVERED,
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        ),
        ("2021",),
    ),
    ("other_misc", (_COVERED, _COVERED, "3.其他"), ("2021",)),
    ("other_handling", (_COVERED, "（六）其他处理", _SPAN), ("2019",)),
    ("total_concluded", (_COVERED, "（七）总计", _SPAN), _BOTH),
    ("carried_forward", ("四、结转下年度继续办理", _SPAN, _SPAN), _BOTH),
)
APPLICANT_COLUMNS: tuple[str, ...] = (
    "natural_person",
    "commercial_enterprise",
    "research_institution",
    "social_welfare_org",
    "legal_service_org",
    "other_org",
    "total",
)
_ORG_COLUMNS = APPLICANT_COLUMNS[1:6]
# Rows that keep their 总计 when a report fills that column only on the summary rows.
_B_SUMMARY_ROWS = ("new_received", "carried_over", "total_concluded", "carried_forward")
# How often each outcome turns up, roughly as in published reports.
_OUTCOME_WEIGHTS: dict[str, int] = {
    "granted": 40,
    "partially_granted": 8,
    "withheld_state_secret": 1,
    "withheld_prohibited_by_law": 2,
    "withheld_security_stability": 1,
    "withheld_third_party": 3,
    "withheld_internal_affairs": 2,
    "withheld_process_info": 2,
    "withheld_enforcement_file": 2,
    "withheld_admin_inquiry": 2,
    "unable_not_held": 18,
    "unable_needs_creation": 4,
    "unable_unclear": 2,
    "not_processed_complaint": 4,
    "not_processed_duplicate": 3,
    "not_processed_publication": 1,
    "not_processed_excessive": 1,
    "not_processed_confirmation": 1,
    "other_no_correction": 3,
    "other_fee_unpaid": 1,
    "other_misc": 4,
    "other_handling": 8,
}

# Table C.
_C_GROUPS = ("review", "litigation_direct", "litigation_after_review")
_C_FIELDS = ("upheld", "corrected", "other", "pending", "total")
_C_LABELS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


def _b_rows(template: str) -> list[tuple[str, tuple[str, str, str]]]:
    """Table B data rows of ``template`` as (row key, label positions)."""
    return [(key, labels) for key, labels, templates in _B_ROWS if template in templates]


def field_keys(template: str) -> list[str]:
    """The fields.tsv keys of ``template``, in the order the tables show them."""
    _check_template(template)
    if template == "freeform":
        return []
    keys = [
        f"proactive.{item}.{name}"
        for _, _, rows in _A_BLOCKS[template]
        for _, item, names in rows
        for name in names
    ]
    keys += [
        f"applications.{row}.{column}"
        for row, _ in _b_rows(template)
        for column in APPLICANT_COLUMNS
    ]
    keys += [f"{group}.{name}" for group in _C_GROUPS for name in _C_FIELDS]
    return keys


def _check_template(template: str) -> None:
    if template not in TEMPLATES:
        raise ValueError(f"unknown template {template!r} (known: {', '.join(TEMPLATES)})")


def _check_combination(layout: str, template: str) -> None:
    _check_template(template)
    if layout not in ALL_LAYOUTS:
        raise ValueError(f"unknown layout {layout!r} (known: {', '.join(ALL_LAYOUTS)})")
    if (layout == "prose") != (template == "freeform"):
        raise ValueError("the prose layout goes with the freeform template, and only with it")


# --------------------------------------------------------------------------- values


def _count(rng: random.Random) -> int:
    """A count of decisions: often zero, sometimes in the millions."""
    tier = rng.random()
    if tier < 0.25:
        return 0
    if tier < 0.6:
        return rng.randint(1, 99)
    if tier < 0.88:
        return rng.randint(100, 9_999)
    return rng.randint(10_000, 2_000_000)


def _amount(rng: random.Random, *, zero: float) -> Decimal:
    """An amount in 万元 with up to two decimals; zero with probability ``zero``."""
    if rng.random() < zero:
        return Decimal(0)
    whole = rng.randint(0, 30_000)
    places = rng.choice((0, 1, 2))
    if places == 0:
        return Decimal(max(whole, 1))
    fraction = rng.randint(1, 10**places - 1)
    return Decimal(f"{whole}.{fraction:0{places}d}")


def _items(rng: random.Random) -> tuple[int, int, int]:
    """2019 item counts: last year's items, the signed change, and this year's decisions."""
    prior = rng.choice((0, rng.randint(1, 60), rng.randint(60, 3_000)))
    change = 0 if rng.random() < 0.4 else rng.randint(-prior, prior // 2 + 5)
    # Some filers write prior + change as the decisions (seed 001's 行政处罚), most do not.
    decisions = prior + change if rng.random() < 0.3 else _count(rng)
    return prior, change, decisions


def _put(values: dict[str, Value], item: str, names: Sequence[str], numbers: Sequence[int]) -> None:
    for name, number in zip(names, numbers, strict=True):
        values[f"proactive.{item}.{name}"] = number


def _random_table_a_2021(rng: random.Random) -> dict[str, Value]:
    values: dict[str, Value] = {}
    names = ("issued", "repealed", "in_force")
    if rng.random() < 0.7:  # few agencies may make 规章 at all
        _put(values, "rules", names, (0, 0, 0))
    else:
        issued = rng.randint(0, 3)
        _put(values, "rules", names, (issued, rng.randint(0, 2), issued + rng.randint(0, 40)))
    issued = rng.randint(0, 25)
    documents = (issued, rng.randint(0, 10), issued + rng.randint(0, 150))
    _put(values, "normative_documents", names, documents)
    for item in ("licensing", "penalties", "coercion"):
        values[f"proactive.{item}.decisions"] = _count(rng)
    values["proactive.fees.amount_10k_yuan"] = _amount(rng, zero=0.35)
    return values


def _random_table_a_2019(rng: random.Random) -> dict[str, Value]:
    values: dict[str, Value] = {}
    names = ("newly_made", "newly_published", "total_published")
    for item in ("rules", "normative_documents"):
        if item == "rules" and rng.random() < 0.7:
            _put(values, item, names, (0, 0, 0))
        else:
            made = rng.randint(0, 20)
            published = rng.randint(0, made)
            _put(values, item, names, (made, published, published + rng.randint(0, 120)))
    for item in ("licensing", "other_services", "penalties", "coercion"):
        _put(values, item, _ITEMS_19, _items(rng))
    prior = rng.randint(0, 12)
    _put(values, "fees", ("prior_items", "net_change"), (prior, rng.randint(-prior, 3)))
    projects = 0 if rng.random() < 0.3 else rng.randint(1, 400)
    values["proactive.procurement.projects"] = projects
    values["proactive.procurement.amount_10k_yuan"] = (
        _amount(rng, zero=0.0) if projects else Decimal(0)
    )
    return values


def _concluded(rng: random.Random, column: str) -> int:
    """How many applications of one applicant column were concluded in the year."""
    if column != "natural_person":
        return rng.randint(1, 12)
    tier = rng.random()
    if tier < 0.3:
        return rng.randint(0, 9)
    if tier < 0.7:
        return rng.randint(10, 120)
    if tier < 0.95:
        return rng.randint(120, 900)
    return rng.randint(900, 5_000)


def _random_table_b(rng: random.Random, template: str, blanks: bool) -> dict[str, Value]:
    rows = [key for key, _ in _b_rows(template)]
    outcomes = rows[2:-2]  # between 二、上年结转 and （七）总计
    modes: set[str] = set()
    if blanks:
        while not modes:
            modes = {m for m in ("org", "carried_forward", "total") if rng.random() < 0.5}
    quiet = rng.random() < 0.1  # a table of zeros, as agencies with no applications file
    table: dict[str, dict[str, int]] = {row: {} for row in rows}
    for column in APPLICANT_COLUMNS[:-1]:
        active = column == "natural_person" or ("org" not in modes and rng.random() < 0.35)
        concluded = _concluded(rng, column) if active and not quiet else 0
        present = [row for row in outcomes if row == "granted" or rng.random() < 0.3]
        weights = [_OUTCOME_WEIGHTS[row] for row in present]
        spread = Counter(rng.choices(present, weights, k=concluded))
        for row in outcomes:
            table[row][column] = spread[row]
        carried_over = rng.randint(0, concluded // 8)
        carried_forward = 0 if "carried_forward" in modes else rng.randint(0, concluded // 6)
        table["total_concluded"][column] = concluded
        table["carried_over"][column] = carried_over
        table["carried_forward"][column] = carried_forward
        table["new_received"][column] = concluded + carried_forward - carried_over
    values: dict[str, Value] = {}
    for row in rows:
        cells = table[row]
        cells["total"] = sum(cells.values())
        for column in APPLICANT_COLUMNS:
            blank = (
                ("org" in modes and column in _ORG_COLUMNS)
                or ("carried_forward" in modes and row == "carried_forward")
                or ("total" in modes and column == "total" and row not in _B_SUMMARY_ROWS)
            )
            values[f"applications.{row}.{column}"] = None if blank else cells[column]
    return values


def _random_table_c(rng: random.Random) -> dict[str, Value]:
    values: dict[str, Value] = {}
    for group in _C_GROUPS:
        if rng.random() < 0.6:
            parts = [0, 0, 0, 0]
        else:
            parts = [rng.randint(0, 5), rng.randint(0, 2), rng.randint(0, 3), rng.randint(0, 3)]
        for name, number in zip(_C_FIELDS, [*parts, sum(parts)], strict=True):
            values[f"{group}.{name}"] = number
    return values


def random_values(
    rng: random.Random, template: str, blanks: bool = False, *, table_b: str | None = None
) -> dict[str, Value]:
    """Values for every fields.tsv key of ``template`` that satisfy the template arithmetic.

    Every Table B row's 总计 is the sum of its six applicant columns, the outcome rows add up
    to （七）总计 in each column, 一 + 二 = （七） + 四 in each column, and each Table C total is
    the sum of its four outcomes. Counts are ints, amounts Decimals in 万元 with up to two
    decimals; 2019 ``net_change`` values may be negative.

    With ``blanks`` some cells are ``None`` the way real reports leave them empty: the five
    法人或其他组织 columns on every row, the whole 四、结转下年度继续办理 row, or 总计 on all
    but the summary rows. Blanked org columns and carried-forward cells are zeros before
    blanking, so the arithmetic still holds when blank is read as 0.

    ``table_b`` draws Table B in the form of another template (a 2021 report whose Table B
    keeps the single （六）其他处理 row of 2019): its keys are those of that form.
    """
    _check_template(template)
    if template == "freeform":
        return {}
    values = _random_table_a_2021(rng) if template == "2021" else _random_table_a_2019(rng)
    values.update(_random_table_b(rng, table_b or template, blanks))
    values.update(_random_table_c(rng))
    return values


# --------------------------------------------------------------------------- style

_HALF_BRACKETS = str.maketrans("（）", "()")
_HALF_PUNCTUATION = str.maketrans("：，；", ":,;")
_STRAIGHT_QUOTES = str.maketrans("“”", '""')
_PDF_NUMBERING = re.compile(r"^([（(][一二三四五六七八九十][）)]|\d+\.)")


@dataclass(frozen=True)
class _Style:
    """The harmless choices one report makes, drawn once per report."""

    layout: str
    half_brackets: bool
    half_punctuation: bool
    straight_quotes: bool
    spaced_headers: bool  # "商业 企业", "结果 维持"
    blank_lines: bool  # a blank line between paragraphs
    heading_stop: bool  # "一、总体情况。"
    title_form: int
    own_line_subheads: bool  # "（一）主动公开" on its own line, the sentence below
    amount_unit: str  # how the 2019 procurement amount is written: "", "万元" or "元"
    positive_sign: bool  # "+1301" rather than "1301"
    # tab_cells
    captions: bool  # 表一, 表二, 表三 above the tables
    broken_header: bool  # "\t结果\n\n维持"
    nbsp_blanks: bool
    padded_values: bool  # "\u30000", "0\xa0"
    # tab_rows
    pdf_spacing: bool  # "(一) 予以公开", "1. 属于国家秘密"
    page_break: bool  # Table A columns collapse after a page break
    flattened_tail: bool  # the last rows of Table B lose their leading empty cells
    total_raised: bool  # 总计 in the first header row of Table B
    # the text layouts (TEXT_LAYOUTS)
    altered: bool = False  # labels as people alter them (see _alter)
    broken_words: bool = False  # header words broken over two cells: 商业 / 企业
    lone_space: bool = False  # para_cells: an empty cell is a lone space, not an empty paragraph
    single_blank: bool = False  # para_cells: an empty paragraph is one blank line, no separator
    mixed_c: bool = False  # mixed: Table C as pipe rows too

    def label(self, text: str) -> str:
        """``text`` (template wording) as this report writes it."""
        if self.half_brackets:
            text = text.translate(_HALF_BRACKETS)
        if self.half_punctuation:
            text = text.translate(_HALF_PUNCTUATION)
        if self.straight_quotes:
            text = text.translate(_STRAIGHT_QUOTES)
        if self.pdf_spacing:
            text = _PDF_NUMBERING.sub(r"\1 ", text)
            text = re.sub(r"(?<=\S)([（(]区分)", r" \1", text).replace(",", ", ")
        return text

    def prose(self, text: str) -> str:
        """A sentence of prose with this report's bracket and punctuation widths."""
        if self.half_brackets:
            text = text.translate(_HALF_BRACKETS)
        if self.half_punctuation:
            text = text.translate(_HALF_PUNCTUATION)
        return text

    def heading(self, number: int, title: str) -> str:
        """A top-level heading such as ``二、主动公开政府信息情况``."""
        return f"{_NUMERALS[number]}、{title}{'。' if self.heading_stop else ''}"


def _draw_style(rng: random.Random, layout: str) -> _Style:
    tab_cells = layout == "tab_cells"
    tab_rows = layout == "tab_rows"
    return _Style(
        layout=layout,
        half_brackets=rng.random() < 0.5,
        half_punctuation=rng.random() < 0.5,
        straight_quotes=rng.random() < 0.25,
        spaced_headers=rng.random() < 0.5,
        blank_lines=tab_cells or rng.random() < (0.7 if layout in ("tab_rows", "prose") else 0.3),
        heading_stop=rng.random() < 0.2,
        title_form=rng.randrange(3),
        own_line_subheads=rng.random() < 0.3,
        amount_unit=rng.choice(("", "万元", "元")),
        positive_sign=rng.random() < 0.5,
        captions=tab_cells and rng.random() < 0.5,
        broken_header=tab_cells and rng.random() < 0.5,
        nbsp_blanks=tab_cells and rng.random() < 0.5,
        padded_values=tab_cells and rng.random() < 0.5,
        pdf_spacing=tab_rows and rng.random() < 0.6,
        page_break=tab_rows and rng.random() < 0.5,
        flattened_tail=tab_rows and rng.random() < 0.5,
        total_raised=tab_rows and rng.random() < 0.5,
        **(_text_style(rng, layout) if layout in TEXT_LAYOUTS else {}),
    )


def _text_style(rng: random.Random, layout: str) -> dict[str, bool]:
    # Drawn only for the text layouts, so the older layouts' reports stay as they were.
    return {
        "altered": rng.random() < 0.5,
        "broken_words": layout in ("line_cells", "para_cells", "mixed") and rng.random() < 0.5,
        "lone_space": layout == "para_cells" and rng.random() < 0.5,
        "mixed_c": layout == "mixed" and rng.random() < 0.5,
        "single_blank": layout == "para_cells" and rng.random() < 0.3,
    }


class _Cells:
    """Renders values as cell text for one report."""

    def __init__(
        self, values: Mapping[str, Value], style: _Style, rng: random.Random, marks: bool = False
    ) -> None:
        self.values = values
        self.style = style
        self.rng = rng
        self.marks = marks  # wrap each value cell in its key (for crawl(), which strips them)

    def __call__(self, key: str, *, pad: bool = False) -> str:
        """The text of the cell holding ``key``; ``pad`` allows stray spaces around it."""
        text = self._text(key, pad=pad)
        return f"{_MARK_OPEN}{key}{_MARK_KEY}{text}{_MARK_CLOSE}" if self.marks else text

    def _text(self, key: str, *, pad: bool) -> str:
        value = self.values[key]
        if value is None:
            return "\xa0" if self.style.nbsp_blanks and self.rng.random() < 0.7 else ""
        if key.endswith(".net_change") and isinstance(value, int) and value > 0:
            text = f"+{value}" if self.style.positive_sign else str(value)
        elif key == "proactive.procurement.amount_10k_yuan" and isinstance(value, Decimal):
            if self.style.amount_unit == "元":
                text = f"{int(value * 10_000)}元"
            else:
                text = f"{value}{self.style.amount_unit}"
        else:
            text = str(value)
        if pad and self.style.padded_values and self.rng.random() < 0.5:
            text = self.rng.choice((f"\u3000{text}", f"\xa0{text}", f"{text}\u3000"))
        return text

    def spaced(self, label: str) -> str:
        """A short header label, now and then with a stray space inside (``商业 企业``)."""
        if self.style.spaced_headers and len(label) > 2 and self.rng.random() < 0.5:
            cut = self.rng.randint(1, len(label) - 1)
            return f"{label[:cut]} {label[cut:]}"
        return label


# --------------------------------------------------------------------------- grids


@dataclass(frozen=True)
class _Cell:
    """One cell of a table as the source document had it.

    ``span`` is the number of grid columns it covers; a ``covered`` cell is only the
    continuation of a cell in a row above that spans down over this row.
    """

    text: str
    span: int = 1
    covered: bool = False


@dataclass(frozen=True)
class _Grid:
    """A table: its number of grid columns and its rows of cells."""

    width: int
    rows: list[list[_Cell]]


def _spread(texts: Sequence[str], width: int) -> list[_Cell]:
    """Cells for ``texts`` where the last one spans what is left of ``width``."""
    *head, last = texts
    return [*(_Cell(t) for t in head), _Cell(last, width - len(head))]


def _grid_a(template: str, style: _Style, cells: _Cells) -> _Grid:
    rows: list[list[_Cell]] = []
    for caption, headers, items in _A_BLOCKS[template]:
        rows.append([_Cell(style.label(caption), _A_WIDTH)])
        rows.append(_spread([style.label("信息内容"), *map(style.label, headers)], _A_WIDTH))
        for label, item, names in items:
            texts = [cells(f"proactive.{item}.{name}", pad=True) for name in names]
            rows.append(_spread([label, *texts], _A_WIDTH))
    return _Grid(_A_WIDTH, rows)


def _b_values(row: str, cells: _Cells) -> list[str]:
    return [cells(f"applications.{row}.{column}") for column in APPLICANT_COLUMNS]


def _grid_b(template: str, style: _Style, cells: _Cells) -> _Grid:
    header_label = _Cell(style.label(_B_NOTE), 3)
    under = _Cell("", 3, covered=True)
    rows = [
        [header_label, _Cell("申请人情况", 7)],
        [under, _Cell("自然人"), _Cell("法人或其他组织", 5), _Cell("总计")],
        [
            under,
            _Cell("", covered=True),
            *(_Cell(cells.spaced(label)) for label in _B_ORG_LABELS),
            _Cell("", covered=True),
        ],
    ]
    for row, labels in _b_rows(template):
        label_cells: list[_Cell] = []
        for position in labels:
            if position == _SPAN:
                left = label_cells.pop()
                label_cells.append(_Cell(left.text, left.span + 1))
            elif position == _COVERED:
                label_cells.append(_Cell("", covered=True))
            else:
                label_cells.append(_Cell(style.label(position)))
        rows.append([*label_cells, *map(_Cell, _b_values(row, cells))])
    return _Grid(10, rows)


def _grid_c(style: _Style, cells: _Cells) -> _Grid:
    outcomes = [_Cell(cells.spaced(label)) for label in _C_LABELS]
    if style.broken_header:
        # A Word export breaks "结果维持" over a blank line; only tab_cells draws this.
        outcomes[0] = _Cell("结果\n\n维持")
    values = [cells(f"{group}.{name}", pad=True) for group in _C_GROUPS for name in _C_FIELDS]
    return _Grid(
        15,
        [
            [_Cell("行政复议", 5), _Cell("行政诉讼", 10)],
            [*outcomes, _Cell("未经复议直接起诉", 5), _Cell("复议后起诉", 5)],
            [
                *(_Cell("", covered=True) for _ in _C_LABELS),
                *(_Cell(cells.spaced(label)) for _ in range(2) for label in _C_LABELS),
            ],
            [_Cell(text) for text in values],
        ],
    )


# --------------------------------------------------------------------------- layouts


def _pipe_run(grid: _Grid, row: list[_Cell]) -> str:
    """The run of ``|`` a converter leaves for the grid columns a row has no cell in."""
    missing = grid.width - sum(not cell.covered for cell in row)
    return f" {'|' * missing}" if missing else ""


def _pipe_rows(grid: _Grid, rng: random.Random) -> list[str]:
    lines: list[str] = []
    for number, row in enumerate(grid.rows, 1):
        line = " | ".join(cell.text for cell in row if not cell.covered) + " |"
        # Seed 000 drops the run on the last row of a table, and on the odd row elsewhere.
        if number < len(grid.rows) and rng.random() >= 0.05:
            line += _pipe_run(grid, row)
        lines.append(line)
    return lines


def _pipe_cells(grid: _Grid) -> list[str]:
    lines: list[str] = []
    for row in grid.rows:
        lines.append("|")
        texts = [f"{cell.text} |" for cell in row if not cell.covered]
        texts[-1] += _pipe_run(grid, row)
        lines.extend(texts)
    return lines


def _tab_cells(grid: _Grid) -> list[str]:
    lines: list[str] = []
    for row in grid.rows:
        lines.extend(f"\t{cell.text}" for cell in row)
        lines.append("")
    return lines


def _expand(row: list[_Cell]) -> list[str]:
    """One text per grid column, empty where a cell spans or is covered."""
    return [text for cell in row for text in (cell.text, *[""] * (cell.span - 1))]


def _tab_rows(grid: _Grid, rng: random.Random, *, page_break: bool) -> list[str]:
    rows = [_expand(row) for row in grid.rows]
    lines = ["\t".join(row) for row in rows]
    if page_break:
        # After a page break the PDF tool sees only the columns the rest of the table fills.
        start = rng.randrange(2, len(rows))
        width = max(max(i for i, text in enumerate(row) if text) + 1 for row in rows[start:])
        lines[start:] = ["", *("\t".join(row[:width]) for row in rows[start:])]
    return lines


def _tab_rows_b(template: str, style: _Style, cells: _Cells) -> list[str]:
    """Table B as seed 004's PDF text has it (see the module docstring)."""
    raised, lowered = ("总计", "") if style.total_raised else ("", "总计")
    orgs = [cells.spaced(label) for label in _B_ORG_LABELS]
    rows = [
        [style.label(_B_NOTE), "", "申请人情况", *[""] * 5, raised, ""],
        ["", "", "自然人", "法人或其他组织", *[""] * 4, lowered, ""],
        ["", "", "", *orgs, "", ""],
    ]
    data = _b_rows(template)
    tail = len(data) - 3 if style.flattened_tail else len(data)
    for index, (row, labels) in enumerate(data):
        values = _b_values(row, cells)
        if index >= tail:
            first = next(p for p in labels if p not in (_COVERED, _SPAN))
            rows.append([style.label(first), "", *values, ""])
        elif _SPAN in labels:
            head = ["" if p in (_COVERED, _SPAN) else style.label(p) for p in labels[:2]]
            rows.append([*head, *values, ""])
        else:
            rows.append(["" if p == _COVERED else style.label(p) for p in labels] + values)
    return ["\t".join(row) for row in rows]


# --------------------------------------------------------------------------- text layouts
#
# Report text as page readers and crawlers extract it (issue 21):
#
# * ``line_cells``: one cell per line, single line breaks, an empty cell an empty line; no TAB.
# * ``para_cells``: one cell per paragraph, a blank line after each; an empty cell an empty
#   paragraph (``""`` then the blank line, or with ``single_blank`` one blank line) or a lone
#   space.
# * ``pipe_cells_closed``: one cell per line ending in `` |``, the bars a merged cell leaves
#   (``||``, ``|||``) on lines of their own, a bare ``|`` closing each row.
# * ``pipe_split``: pipe rows, a data row's labels on one line and its numbers on the next
#   (``行政许可 |`` then ``12 | 0 | 3 |``).
# * ``pipe_loose``: pipe rows padded with an empty trailing cell (``… | 0 | |``), a row's last
#   value carried to the next line and indented (``… | 0 |`` then `` 12  ``, or ``… | 0``,
#   ``|``, `` 12  ``), a row of blanks as its label and ``| ||||``.
# * ``mixed``: Table A one cell per line, Table B pipe rows (Table C either way).
#
# With ``altered`` the labels are written as people alter them (see ``_alter``); with
# ``broken_words`` (cell layouts) some header words and a group label are broken over two
# cells (``商业`` / ``企业``, ``本年新`` / ``公开数量``, ``（三）`` / ``不予公开``).

_EXTRA_ROW = "行政征收"  # a row the template does not have


def _alter(grid: _Grid, year: int, rng: random.Random) -> _Grid:
    """Labels as people alter them; the values and their places stay the same."""
    rows: list[list[_Cell]] = []
    lost_caption = rng.random() < 0.5
    for row in grid.rows:
        cells = list(row)
        texts = [c.text for c in cells]
        if texts and texts[0].startswith("第二十条第") and lost_caption and "五" in texts[0]:
            cells[0] = _Cell("第二十条第（）项", cells[0].span)  # the item number lost
        for i, cell in enumerate(cells):
            text = cell.text
            if text in ("本年制发件数", "本年处理决定数量") and rng.random() < 0.6:
                text = f"本年({year}){text[2:]}"  # a year inside a header
            elif text in ("本年新制作数量", "本年新公开数量", "本年制发件数", "本年废止件数"):
                if rng.random() < 0.3:
                    text = text[:3]  # cut short: 本年新 | 本年新
            elif text == "规章" and rng.random() < 0.5:
                text = "规章（设区的市、自治州人民政府及其部门填报，其他单位不填报，应提供相关数据）"
            elif text in ("规章", "行政许可", "行政强制") and rng.random() < 0.5:
                text = f"{text[0]} {text[1:]}"  # a label with an inner space
            cells[i] = _Cell(text, cell.span, cell.covered)
        rows.append(cells)
        if texts and texts[0] == "行政强制" and rng.random() < 0.5:
            rows.append(_spread([_EXTRA_ROW, str(rng.randint(0, 40))], grid.width))
    return _Grid(grid.width, rows)


_BROKEN = {
    "商业企业": ("商业", "企业"),
    "科研机构": ("科研", "机构"),
    "本年新公开数量": ("本年新", "公开数量"),
    "本年新制作数量": ("本年新", "制作数量"),
    "（三）不予公开": ("（三）", "不予公开"),
    "(三)不予公开": ("(三)", "不予公开"),
}


def _cell_texts(grid: _Grid, style: _Style, rng: random.Random) -> list[list[str]]:
    """Each row's cell texts in reading order, one per cell (covered cells have none)."""
    out: list[list[str]] = []
    for row in grid.rows:
        texts: list[str] = []
        for cell in row:
            if cell.covered:
                continue
            text = cell.text.replace("\n\n", "")
            pieces = _BROKEN.get(text) if style.broken_words else None
            if pieces and rng.random() < 0.7:
                texts.extend(pieces)
            else:
                texts.append(text)
        out.append(texts)
    return out


def _line_cells(grid: _Grid, style: _Style, rng: random.Random) -> list[str]:
    return [text for row in _cell_texts(grid, style, rng) for text in row]


def _para_cells(grid: _Grid, style: _Style, rng: random.Random) -> list[str]:
    lines: list[str] = []
    for text in _line_cells(grid, style, rng):
        if text or style.lone_space:
            lines += [text or " ", ""]
        else:
            # An empty paragraph: with its own blank line, or (single_blank) as one blank line.
            lines += [""] if style.single_blank else ["", ""]
    return lines[:-1]


def _pipe_cells_closed(grid: _Grid) -> list[str]:
    lines: list[str] = []
    for row in grid.rows:
        for cell in row:
            if cell.covered:
                continue
            lines.append(f"{cell.text.replace(chr(10) * 2, '')} |")
            if cell.span > 1:
                lines.append("|" * (cell.span - 1))
        lines.append("|")
    return lines


def _values_start(row: list[_Cell]) -> int:
    """Where a data row's values begin (after its label cells), or -1 for a row of labels."""
    texts = [c.text for c in row if not c.covered]
    for i, text in enumerate(texts):
        if not text or text.lstrip("+-").replace(".", "").replace("元", "").replace(
                "万", "").isdigit():
            return i if i else -1
    return -1


def _pipe_split(grid: _Grid, rng: random.Random) -> list[str]:
    lines: list[str] = []
    for row in grid.rows:
        texts = [c.text for c in row if not c.covered]
        start = _values_start(row)
        if start > 0 and rng.random() < 0.7:
            lines.append(" | ".join(texts[:start]) + " |")
            lines.append(" | ".join(texts[start:]) + " |")
        else:
            lines.append(" | ".join(texts) + " |")
    return lines


def _pipe_loose(grid: _Grid, rng: random.Random) -> list[str]:
    lines: list[str] = []
    for row in grid.rows:
        texts = [c.text for c in row if not c.covered]
        start = _values_start(row)
        values = texts[start:] if start > 0 else []
        if values and not any(values):
            lines.append(" | ".join(texts[:start]) + " | ||||")  # a row of blanks
        elif values and values[-1] and rng.random() < 0.3:
            # The last value carried to the next line, indented; now and then the bar before
            # it on a line of its own.
            if len(texts) < 4 or rng.random() < 0.5:
                lines.append(" | ".join(texts[:-1]) + " |")
            else:
                lines += [" | ".join(texts[:-1]), "|"]
            lines.append(f" {values[-1]}  ")
        elif values and rng.random() < 0.5:
            lines.append(" | ".join(texts) + " | |")  # padded with an empty cell
        else:
            lines.append(" | ".join(texts) + " |")
    return lines


def _text_table(caption: str, grid: _Grid, style: _Style, rng: random.Random,
                year: int) -> list[str]:
    if style.altered and grid.width == _A_WIDTH:
        grid = _alter(grid, year, rng)
    layout = style.layout
    if layout == "mixed":
        layout = "pipe_split" if style.mixed_c and grid.width == 15 else "line_cells"
        if layout == "pipe_split":
            return _pipe_rows(grid, rng)
    if layout == "line_cells":
        return _line_cells(grid, style, rng)
    if layout == "para_cells":
        return _para_cells(grid, style, rng)
    if layout == "pipe_cells_closed":
        return _pipe_cells_closed(grid)
    if layout == "pipe_split":
        return _pipe_split(grid, rng)
    return _pipe_loose(grid, rng)


def excerpt(text: str, rng: random.Random, low: int = 800, high: int = 1000) -> str:
    """A stretch of whole lines of ``text`` of ``low``–``high`` bytes (UTF-8), as excerpts are."""
    lines = text.split("\n")
    size = rng.randint(low, high)
    # Start where at least ``low`` bytes remain, so every excerpt has some text.
    tail = 0
    last = len(lines) - 1
    while last > 0 and tail < low:
        tail += len(lines[last].encode("utf-8")) + 1
        last -= 1
    start = rng.randint(0, max(last, 0))
    out: list[str] = []
    total = 0
    for line in lines[start:]:
        total += len(line.encode("utf-8")) + 1
        if total > size and out:
            break
        out.append(line)
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- prose

_Blocks: TypeAlias = list[list[str]]


def _self_name(agency: str) -> str:
    """How the agency refers to itself."""
    if agency.endswith("局"):
        return "我局"
    if agency.endswith("委员会"):
        return "我委"
    return "本机关"


def _fill(rng: random.Random, choices: Sequence[str], **numbers: object) -> str:
    return rng.choice(choices).format(**numbers)


def _number(value: Value) -> str:
    return "0" if value is None else str(value)


def _overview_items(
    values: Mapping[str, Value], template: str, me: str, rng: random.Random
) -> list[tuple[str, str]]:
    """(sub-head, sentence) pairs for 一、总体情况, in the usual order."""
    proactive = [
        "全年通过门户网站发布各类信息{n}条，涉及机构职能、办事指南、执法公示等内容。",
        "围绕群众关心的办事流程和收费标准，集中更新公开事项{k}项，做到应公开尽公开。",
    ]
    if template == "2021":
        proactive.append(
            "全年公开行政许可决定{lic}件、行政处罚决定{pen}件，执法信息及时向社会公示。"
        )
    new = values["applications.new_received.total"]
    requests = ["严格落实登记、审核、答复等环节要求，所有申请均在法定期限内作出答复。"]
    if new is not None:
        requests.append("全年新收政府信息公开申请{new}件，均已依法登记并按程序办理。")
    items = [
        ("主动公开政府信息情况", proactive),
        ("依申请公开情况", requests),
        (
            "政府信息管理情况",
            [
                "坚持信息发布前保密审查和合法性审查，全年审查拟公开信息{n}条，未发生不当公开情况。",
                "动态更新政府信息公开指南和目录，{me}各科室明确专人负责信息报送。",
            ],
        ),
        (
            "政府信息公开平台建设情况",
            [
                "优化门户网站信息公开专栏，调整栏目{k}个，检索和无障碍浏览功能进一步完善。",
                "依托政务新媒体同步推送重要信息，全年推送{n}条，方便群众随时查阅。",
            ],
        ),
        (
            "监督保障情况",
            [
                "将政府信息公开工作纳入年度目标考核，组织专题业务培训{t}次。",
                "主动接受社会监督，本年度未发生因政府信息公开工作被责任追究的情况。",
            ],
        ),
    ]
    chosen = sorted(rng.sample(range(len(items)), rng.randint(2, 3)))
    numbers = {
        "n": rng.randint(40, 2_000),
        "k": rng.randint(2, 12),
        "t": rng.randint(1, 6),
        "me": me,
        "lic": _number(values.get("proactive.licensing.decisions")),
        "pen": _number(values.get("proactive.penalties.decisions")),
        "new": _number(new),
    }
    return [(items[i][0], _fill(rng, items[i][1], **numbers)) for i in chosen]


def _problems(me: str, rng: random.Random) -> list[str]:
    problem = rng.choice(
        (
            "一是政策解读形式还不够丰富，图表、音视频等方式运用较少；"
            "二是个别栏目更新频率不高，信息时效性有待提升。",
            "工作中仍存在一些不足：基层工作人员业务水平参差不齐，"
            "依申请公开答复文书的规范性还需加强。",
            "主动公开的深度和广度与群众期待相比仍有差距，部分信息公开后缺少跟踪解读。",
        )
    )
    remedy = rng.choice(
        (
            "下一步，{me}将建立栏目定期巡查机制，丰富解读形式，并通过集中培训、"
            "案例交流等方式提升工作人员能力。",
            "针对上述问题，{me}将细化公开目录，完善答复文书模板，加强与业务科室的协同配合。",
        )
    ).format(me=me)
    return [problem, remedy]


def _subsection_blocks(items: Sequence[tuple[str, str]], style: _Style) -> _Blocks:
    blocks = []
    for number, (title, sentence) in enumerate(items):
        head = style.label(f"（{_NUMERALS[number]}）{title}")
        text = style.prose(sentence)
        blocks.append([head, text] if style.own_line_subheads else [f"{head}。{text}"])
    return blocks


def _title(agency: str, year: int, style: _Style) -> str:
    return (
        f"{agency}{year}年度政府信息公开工作报告",
        f"{agency}{year}年政府信息公开工作年度报告",
        f"{agency} {year} 年政府信息公开工作年度报告",
    )[style.title_form]


def _report_blocks(
    values: Mapping[str, Value],
    template: str,
    agency: str,
    year: int,
    style: _Style,
    rng: random.Random,
    table_b: str,
    marks: bool = False,
) -> _Blocks:
    me = _self_name(agency)
    cells = _Cells(values, style, rng, marks)
    titles = EXPECTED_SECTION_TITLES[template]
    blocks: _Blocks = [[_title(agency, year, style)], [style.heading(0, titles[0])]]
    if rng.random() < 0.6:
        intro = rng.choice(
            (
                "{year}年，{agency}认真落实《中华人民共和国政府信息公开条例》，"
                "把政府信息公开作为服务群众的重要抓手，各项工作稳步推进。",
                "{year}年，{me}围绕年度重点任务，坚持依法公开、便民高效，"
                "持续完善工作机制，政府信息公开工作总体运行平稳。",
            )
        ).format(year=year, agency=agency, me=me)
        blocks.append([style.prose(intro)])
    blocks += _subsection_blocks(_overview_items(values, template, me, rng), style)

    def table(caption: str, grid: _Grid, *, page_break: bool = False) -> list[str]:
        if style.layout in TEXT_LAYOUTS:
            return _text_table(caption, grid, style, rng, year)
        if style.layout == "pipe_rows":
            return _pipe_rows(grid, rng)
        if style.layout == "pipe_cells":
            return _pipe_cells(grid)
        if style.layout == "tab_rows":
            return _tab_rows(grid, rng, page_break=page_break)
        lines = _tab_cells(grid)
        return [caption, "", *lines] if style.captions else lines

    blocks.append([style.heading(1, titles[1])])
    blocks.append(table("表一", _grid_a(template, style, cells), page_break=style.page_break))

    blocks.append([style.heading(2, titles[2])])
    totals = [values[f"applications.{row}.total"] for row in _B_SUMMARY_ROWS]
    if all(total is not None for total in totals) and rng.random() < 0.5:
        sentence = (
            "全年收到政府信息公开申请{}件，上年结转{}件，本年度办结{}件，结转下年度继续办理{}件。"
        )
        blocks.append([style.prose(sentence.format(*totals))])
    if style.layout == "tab_rows":
        blocks.append(_tab_rows_b(table_b, style, cells))
    elif style.layout == "mixed":
        blocks.append(_pipe_rows(_grid_b(table_b, style, cells), rng))
    else:
        blocks.append(table("表二", _grid_b(table_b, style, cells)))

    blocks.append([style.heading(3, titles[3])])
    blocks.append(table("表三", _grid_c(style, cells)))

    blocks.append([style.heading(4, titles[4])])
    blocks += [[style.prose(text)] for text in _problems(me, rng)]
    blocks.append([style.heading(5, titles[5])])
    other = (
        (
            "本年度{me}未收取政府信息公开信息处理费。",
            "本年度未收取信息处理费，无其他需要报告的事项。",
        )
        if template == "2021"
        else ("本年度无其他需要报告的事项。", "{me}本年度无其他需要报告的事项。")
    )
    blocks.append([style.prose(rng.choice(other).format(me=me))])
    return blocks


def _freeform_blocks(agency: str, year: int, style: _Style, rng: random.Random) -> _Blocks:
    me = _self_name(agency)
    titles = EXPECTED_SECTION_TITLES["freeform"]
    blocks: _Blocks = [[_title(agency, year, style)]]
    if rng.random() < 0.6:
        blocks.append(
            [
                style.prose(
                    f"本报告根据《中华人民共和国政府信息公开条例》要求编制，所列数据的统计期限为"
                    f"{year}年1月1日至{year}年12月31日。"
                )
            ]
        )
    website = rng.randint(30, 3_000)
    other_ways = rng.randint(0, 500)
    granted, partial, refused, missing = (rng.randint(0, n) for n in (40, 6, 4, 8))
    received = granted + partial + refused + missing
    if received:
        requests = (
            f"全年共受理政府信息公开申请{received}件，全部按期答复。其中同意公开{granted}件，"
            f"同意部分公开{partial}件，不予公开{refused}件，"
            f"信息不存在或不属于本机关公开范围的{missing}件。"
        )
    else:
        requests = "本年度未收到政府信息公开申请。"
    reviews, suits = rng.choice(((0, 0), (0, 0), (rng.randint(1, 3), rng.randint(0, 2))))
    if reviews or suits:
        appeals = (
            f"本年度发生因政府信息公开申请行政复议{reviews}件，提起行政诉讼{suits}件，"
            "均已依法处理完毕。"
        )
    else:
        appeals = "本年度未发生因政府信息公开申请行政复议或提起行政诉讼的情况。"
    sections = (
        [
            f"{year}年，{me}按照条例要求健全工作制度，明确专人负责，政府信息公开工作有序开展。",
            "坚持以公开为常态，重点做好财政资金、行政执法和公共服务等领域的信息公开。",
        ],
        [
            f"全年主动公开政府信息{website + other_ways}条，其中通过门户网站公开{website}条，"
            f"通过公开栏、宣传资料等其他方式公开{other_ways}条。"
        ],
        [requests],
        ["本年度未收取政府信息公开检索、复制、邮寄等费用，也未发生减免情况。"],
        [appeals],
        _problems(me, rng),
    )
    for number, (title, paragraphs) in enumerate(zip(titles, sections, strict=True)):
        blocks.append([style.heading(number, title)])
        blocks += [[style.prose(text)] for text in paragraphs]
    return blocks


# --------------------------------------------------------------------------- public API


def render(
    values: Mapping[str, Value],
    *,
    layout: str,
    template: str,
    agency: str,
    year: int,
    rng: random.Random,
    table_b: str | None = None,
    marks: bool = False,
) -> str:
    """The full text of a report holding ``values`` in ``layout`` (see the module docstring).

    ``table_b``: the template whose form Table B has (``values`` must hold its keys).
    ``marks`` wraps each value cell in its key, for :func:`crawl`.
    """
    _check_combination(layout, template)
    style = _draw_style(rng, layout)
    if template == "freeform":
        blocks = _freeform_blocks(agency, year, style, rng)
    else:
        blocks = _report_blocks(values, template, agency, year, style, rng, table_b or template,
                                marks)
    separator = "\n\n" if style.blank_lines else "\n"
    return separator.join("\n".join(block) for block in blocks) + "\n"


def generate(
    seed: int, layout: str, template: str, *, blanks: bool = False, table_b: str | None = None
) -> tuple[str, dict[str, Any]]:
    """A made-up report and what a careful reader takes from it.

    Returns ``(text, expected)``; ``expected`` has the seed ``*.expected.json`` shape
    (``agency``, ``year``, ``template``, ``sections``, ``values``). ``table_b`` gives
    Table B the form of another template (``"2019"`` in a 2021 report); ``values`` then has
    that form's Table B keys, as ``govreport.flatten`` gives them.
    """
    return _generate(seed, layout, template, blanks, table_b, marks=False)


def _generate(
    seed: int, layout: str, template: str, blanks: bool, table_b: str | None, *, marks: bool
) -> tuple[str, dict[str, Any]]:
    _check_combination(layout, template)
    if table_b is not None and (table_b not in _BOTH or template not in _BOTH):
        raise ValueError("table_b is a template with tables, for a template with tables")
    rng = random.Random(seed)
    agency = rng.choice(AGENCIES)
    year = rng.randint(*_YEARS[template])
    values = random_values(rng, template, blanks, table_b=table_b)
    text = render(values, layout=layout, template=template, agency=agency, year=year, rng=rng,
                  table_b=table_b, marks=marks)
    expected = {
        "agency": agency,
        "year": year,
        "template": template,
        "sections": list(EXPECTED_SECTION_TITLES[template]),
        "values": values,
    }
    return text, expected


def _json_number(value: object) -> int | float:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def dump_expected(expected: Mapping[str, Any]) -> str:
    """``expected`` as JSON in the seed files' format (Decimals as numbers)."""
    return json.dumps(expected, ensure_ascii=False, indent=1, default=_json_number) + "\n"


# --------------------------------------------------------------------------- crawler text

_MARK_OPEN, _MARK_KEY, _MARK_CLOSE = "\ue000", "\ue001", "\ue002"
_MARKED = re.compile(f"{_MARK_OPEN}([^{_MARK_KEY}]*){_MARK_KEY}([^{_MARK_CLOSE}]*){_MARK_CLOSE}")
CRAWL_STYLES: tuple[str, ...] = ("glued", "spaced", "switch", "scattered")


@dataclass(frozen=True)
class CrawledRow:
    """A table row of crawled text: its value keys in order, how it was written, its blanks.

    ``style`` is ``"glued"`` (cells run together, so blank cells leave no trace) or
    ``"spaced"`` (value cells split by single spaces); ``blanks`` the keys of its blank
    cells; ``table`` numbers the report's tables from 0.
    """

    keys: tuple[str, ...]
    style: str
    blanks: frozenset[str]
    table: int


def crawled(
    seed: int,
    template: str,
    style: str = "switch",
    *,
    blanks: bool = False,
    table_b: str | None = None,
) -> tuple[str, dict[str, Any], list[CrawledRow]]:
    """A made-up report as crawler page text, and what a careful reader takes from it.

    The report of ``generate(seed, "tab_rows", template, blanks=blanks)`` is put on one
    line the way a crawler pulls it off a page: no line breaks and no cell borders, so
    label cells run together and so do the value cells of a *glued* row
    (``（一）予以公开270020130``), while a *spaced* row keeps single spaces between its
    values (``（六）其他处理4 0 0 0 0 0 4``). ``style`` decides which rows are which:

    * ``"glued"`` or ``"spaced"``: every row;
    * ``"switch"``: each table switches part-way, glued rows then spaced ones or the
      other way round, at a row drawn at random (possibly the first or past the last);
    * ``"scattered"``: each row drawn on its own.

    Blank cells vanish from a glued row; in a spaced row they leave nothing, or a double
    space. Returns ``(text, expected, rows)``; ``rows`` describes each table data row.
    """
    if style not in CRAWL_STYLES:
        raise ValueError(f"unknown crawl style {style!r} (known: {', '.join(CRAWL_STYLES)})")
    marked, expected = _generate(seed, "tab_rows", template, blanks, table_b, marks=True)
    rng = random.Random(f"crawl {seed} {style}")
    text, rows = crawl(marked, rng, style)
    return text, expected, rows


def crawl(marked: str, rng: random.Random, style: str) -> tuple[str, list[CrawledRow]]:
    """Crawler text of a ``tab_rows`` report rendered with value marks (see :func:`crawled`)."""
    tables: list[list[str]] = []
    pieces: list[tuple[str, int | None]] = []  # text, or a table row by its index in tables
    open_table = False
    for line in marked.split("\n"):
        if "\t" in line:
            if not open_table:
                tables.append([])
                open_table = True
            pieces.append(("", len(tables) - 1))
            tables[-1].append(line)
        elif line.strip():
            open_table = False
            pieces.append((line.strip(), None))
    styles = [_row_styles(len(rows), rng, style) for rows in tables]
    blank_gap = rng.random() < 0.5  # a blank cell of a spaced row leaves a double space
    out: list[str] = []
    crawled_rows: list[CrawledRow] = []
    seen = [0] * len(tables)
    for text, table in pieces:
        if table is None:
            out.append(text)
            continue
        line = tables[table][seen[table]]
        row_style = styles[table][seen[table]]
        seen[table] += 1
        rendered, keys, blank = _crawl_row(line, row_style, blank_gap, rng)
        if out and rng.random() < 0.3:
            out.append(" ")  # a space where the crawler met a cell border
        out.append(rendered)
        if keys:
            crawled_rows.append(CrawledRow(keys, row_style, blank, table))
    return "".join(out), crawled_rows


def _row_styles(n: int, rng: random.Random, style: str) -> list[str]:
    if style in ("glued", "spaced"):
        return [style] * n
    if style == "scattered":
        return [rng.choice(("glued", "spaced")) for _ in range(n)]
    cut = rng.randint(0, n)
    first, then = ("glued", "spaced") if rng.random() < 0.5 else ("spaced", "glued")
    return [first] * cut + [then] * (n - cut)


def _crawl_row(
    line: str, style: str, blank_gap: bool, rng: random.Random
) -> tuple[str, tuple[str, ...], frozenset[str]]:
    keys: list[str] = []
    blank: set[str] = set()
    labels: list[str] = []
    values: list[str] = []
    for cell in line.split("\t"):
        m = _MARKED.fullmatch(cell.strip())
        if m is None:
            if cell.strip():
                labels.append(cell.strip())
            continue
        key, text = m[1], m[2].strip(" \u3000\xa0")
        keys.append(key)
        if not text:
            blank.add(key)
        values.append(text)
    if style == "glued":
        return "".join(labels) + "".join(values), tuple(keys), frozenset(blank)
    label = (" " if rng.random() < 0.3 else "").join(labels)
    filled = [v for v in values if v or blank_gap]
    gap = " " if label and filled and rng.random() < 0.4 else ""
    return label + gap + " ".join(filled), tuple(keys), frozenset(blank)
