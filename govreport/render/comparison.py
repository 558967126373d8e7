"""A comparison of two reports as an HTML page (or a fragment of a larger page)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from govreport.comparison import (
    SHINGLE,
    Change,
    Comparison,
    CrossCheck,
    ParagraphComparison,
    SectionComparison,
    Side,
    YearFindings,
)
from govreport.labels import TABLES
from govreport.render.page import bar, esc, number, page, percent
from govreport.validate import Finding

__all__ = ["comparison_html", "comparison_page", "highlight", "side_name"]

_MARKS = {"repeated": "重复", "changed": "修改", "added": "新增", "removed": "删除"}
_SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}
_CHECK_STATUS = {True: ("ok", "相符"), False: ("bad", "不符"), None: ("na", "无法核对")}


def side_name(side: Side) -> str:
    """"平潭综合实验区 2023年" for a report, with what it lacks said plainly."""
    year = f"{side.year}年" if side.year is not None else "年度不明"
    return f"{side.agency or '机关不明'} {year}"


def _year(side: Side) -> str:
    return f"{side.year}年" if side.year is not None else "年度不明"


def highlight(text: str, repeated: Sequence[tuple[int, int]],
              figures: Sequence[tuple[int, int]]) -> str:
    """``text`` as HTML, repeated passages in ``<mark class="rep">``, changed figures in ``fig``."""
    cuts = {0, len(text)}
    for a, b in (*repeated, *figures):
        cuts.update((a, b))
    points = sorted(c for c in cuts if 0 <= c <= len(text))
    out: list[str] = []
    for a, b in itertools.pairwise(points):
        piece = esc(text[a:b])
        if any(s <= a and b <= e for s, e in figures):
            out.append(f'<mark class="fig">{piece}</mark>')
        elif any(s <= a and b <= e for s, e in repeated):
            out.append(f'<mark class="rep">{piece}</mark>')
        else:
            out.append(piece)
    return "".join(out)


def _paragraph(p: ParagraphComparison) -> str:
    old = (highlight(p.old, p.old_repeated, p.old_figures) if p.old is not None
           else '<span class="empty">（无）</span>')
    new = (highlight(p.new, p.new_repeated, p.new_figures) if p.new is not None
           else '<span class="empty">（无）</span>')
    similarity = f" · 相似度 {percent(p.similarity)}" if p.mark == "changed" else ""
    return (f'<div class="pair {p.mark}" data-mark="{p.mark}">'
            f'<div class="old"><span class="tag">{_MARKS[p.mark]}{similarity}</span>{old}</div>'
            f'<div class="new"><span class="tag">{_MARKS[p.mark]}</span>{new}</div></div>')


def _attr(value: float | None) -> str:
    return "" if value is None else str(value)


def _section_rows(sections: Sequence[SectionComparison], prefix: str) -> str:
    rows = []
    for i, s in enumerate(sections):
        counts = s.counts
        measure = {"text": "文字", "table": "表格", None: "—"}[s.measure]
        rows.append(
            f'<tr data-kind="{s.kind}" data-repetition="{_attr(s.repetition)}">'
            f'<td><a href="#{prefix}sec{i}">{esc(s.title)}</a></td>'
            f'<td>{bar(s.repetition)} <span class="muted small">{measure}</span></td>'
            f"<td>{percent(s.text_repetition)}</td><td>{percent(s.table_repetition)}</td>"
            + "".join(f'<td class="num">{counts[m]}</td>' for m in _MARKS) + "</tr>")
    head = ("<tr><th>部分</th><th>重复率</th><th>文字重复率</th><th>表格重复率</th>"
            + "".join(f"<th>{label}段落</th>" for label in _MARKS.values()) + "</tr>")
    return f'<table class="sections">{head}{"".join(rows)}</table>'


def _section(i: int, s: SectionComparison, c: Comparison, prefix: str) -> str:
    titles = ""
    if s.old_title != s.new_title:
        absent = "（无此部分）"
        titles = (f'<p class="muted small">{_year(c.old)}标题：{esc(s.old_title or absent)}；'
                  f'{_year(c.new)}标题：{esc(s.new_title or absent)}</p>')
    body = ("".join(_paragraph(p) for p in s.paragraphs)
            or '<p class="empty">两年均无正文（仅有表格或为空）。</p>')
    head = (f'<div class="pair"><div><b>{_year(c.old)}</b></div>'
            f'<div><b>{_year(c.new)}</b></div></div>') if s.paragraphs else ""
    return (f'<section class="section" id="{prefix}sec{i}" data-kind="{s.kind}">'
            f"<h3>{esc(s.title)} <span class=\"muted small\">重复率 {percent(s.repetition)}"
            f"</span></h3>{titles}{head}{body}</section>")


def _changes(changes: Sequence[Change], c: Comparison) -> str:
    rows = []
    for table in TABLES:
        group = [x for x in changes if x.table == table]
        if not group:
            continue
        rows.append(f'<tr><th colspan="4">{esc(TABLES[table])}</th></tr>')
        for x in group:
            cls = "changed" if x.changed else "same"
            rows.append(
                f'<tr class="{cls}" data-key="{esc(x.key)}" data-old="{number(x.old)}" '
                f'data-new="{number(x.new)}" data-difference="{number(x.difference)}">'
                f'<td title="{esc(x.key)}">{esc(x.label)}</td><td class="num">{number(x.old)}</td>'
                f'<td class="num">{number(x.new)}</td>'
                f'<td class="num">{number(x.difference, signed=True)}</td></tr>')
    if not rows:
        return '<p class="empty">两份报告都没有可比较的表格数值。</p>'
    return ('<p class="toolbar noprint"><label><input type="checkbox" id="show-all"> '
            "显示未变化的数值</label></p>"
            f'<table class="changes"><tr><th>项目</th><th class="num">{_year(c.old)}</th>'
            f'<th class="num">{_year(c.new)}</th><th class="num">变化</th></tr>'
            f'{"".join(rows)}</table>')


def _checks(checks: Sequence[CrossCheck]) -> str:
    if not checks:
        return '<p class="empty">新一年的报告没有可做跨年核对的表格。</p>'
    rows = []
    for x in checks:
        cls, word = _CHECK_STATUS[x.ok]
        rows.append(f'<tr class="check" data-code="{x.code}" data-ok="{str(x.ok).lower()}">'
                    f'<td>{x.code}</td><td class="{cls}">{word}</td>'
                    f"<td>{esc(x.formula)}</td>"
                    f'<td class="small muted">{esc(x.message_zh)}</td></tr>')
    return ('<table class="checks"><tr><th>代码</th><th>结果</th><th>公式与数值</th>'
            "<th>说明</th></tr>"
            f'{"".join(rows)}</table>')


def _finding(x: Finding) -> str:
    where = f' <span class="muted small">第{x.line}行</span>' if x.line else ""
    return f"<li>{esc(x.message_zh)}{where}</li>"


def findings_html(f: YearFindings, heading: str) -> str:
    """One year's failed findings, grouped by table (each table named), then by code."""
    if not f.tables:
        body = '<p class="ok">未发现问题。</p>'
    else:
        parts = []
        for t in f.tables:
            codes: dict[str, list[Finding]] = {}
            for x in t.findings:
                codes.setdefault(x.code, []).append(x)
            items = "".join(
                f'<li data-code="{esc(code)}" data-count="{len(group)}"><b>{esc(code)}</b> '
                f'<span class="{"bad" if group[0].severity == "error" else "warn"}">'
                f"{_SEVERITY[group[0].severity]}</span> ×{len(group)}"
                f'<ul>{"".join(_finding(x) for x in group)}</ul></li>'
                for code, group in sorted(codes.items()))
            parts.append(f'<div class="table-findings" data-table="{t.table}">'
                         f"<h4>{esc(t.name)}（{len(t.findings)}）</h4><ul>{items}</ul></div>")
        body = "".join(parts)
    note = (f'<p class="muted small">另有 {f.not_checkable} 项因缺少数值无法核对。</p>'
            if f.not_checkable else "")
    return f'<div class="findings"><h3>{esc(heading)}</h3>{body}{note}</div>'


def comparison_html(c: Comparison, *, prefix: str = "") -> str:
    """The comparison as an HTML fragment; ``prefix`` keeps its anchors apart in a larger page."""
    s = c.summary
    most = "、".join(next(x.title for x in c.sections if x.kind == k) for k in s.most_changed)
    largest = "".join(
        f"<li>{esc(x.label)}：{number(x.old)} → {number(x.new)}"
        f"（{number(x.difference, signed=True)}）</li>" for x in s.largest_changes)
    cards = (f'<div class="cards"><div class="card" id="{prefix}overall">文字重复率<b>'
             f'{percent(s.repetition)}</b></div><div class="card">表格重复率<b>'
             f'{percent(s.table_repetition)}</b></div><div class="card">变化的数值<b>'
             f'{s.changed_values}</b><span class="small muted">共比较 {s.compared_values} 项</span>'
             f'</div><div class="card">跨年核对<b><span class="ok">{s.checks_passed} 相符</span> · '
             f'<span class="bad">{s.checks_failed} 不符</span></b></div></div>')
    sections = "".join(_section(i, x, c, prefix) for i, x in enumerate(c.sections))
    return (f'<div class="comparison" data-old-year="{c.old.year or ""}" '
            f'data-new-year="{c.new.year or ""}">'
            f"<h1>{esc(side_name(c.old))} 与 {esc(_year(c.new))} 报告对比</h1>"
            f'<p class="muted small">旧：{esc(c.old.source or "—")}（{c.old.template}）；'
            f'新：{esc(c.new.source or "—")}（{c.new.template}）'
            + ("" if c.old.agency == c.new.agency
               else f"；新报告机关：{esc(c.new.agency or '不明')}")
            + f"</p>{cards}"
            f'<h2>摘要</h2><p>变化最大的部分：{esc(most) or "—"}</p>'
            f'<p>变化最大的数值：</p><ol class="largest">{largest or "<li>无</li>"}</ol>'
            f"<h2>各部分重复率</h2>{_section_rows(c.sections, prefix)}"
            '<p class="muted small">重复率：新一年正文中与上一年重复的比例'
            f"（去除空白、数字统一遮盖后，按 {SHINGLE} 字片段计算）；"
            "无正文的部分按表格计：两年均有数值的单元格中数值未变的比例。"
            '<mark class="rep">黄色</mark>为重复的文字，'
            '<mark class="fig">红色</mark>为变化的数字。</p>'
            f"<h2>表格数值变化</h2>{_changes(c.changes, c)}"
            f"<h2>跨年核对</h2>{_checks(c.checks)}"
            f"<h2>各年度自身问题（按表格）</h2>"
            f"{findings_html(c.findings[0], _year(c.old))}"
            f"{findings_html(c.findings[1], _year(c.new))}"
            f"<h2>逐段对比</h2>{sections}</div>")


def comparison_page(c: Comparison) -> str:
    """The comparison as a whole self-contained HTML page."""
    return page(f"{side_name(c.old)} 与 {_year(c.new)} 报告对比", comparison_html(c))
