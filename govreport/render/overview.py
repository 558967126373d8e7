"""The corpus overview as HTML: a site (index plus one page per comparison) or one page."""

from __future__ import annotations

import os
from collections import Counter

from govreport.overview import INDICATORS, Agency, Entry, Overview, Pair
from govreport.render.comparison import comparison_html, findings_html
from govreport.render.page import esc, line_chart, page

__all__ = ["overview_pages"]


def _pair_name(index: int, pair: Pair) -> str:
    return f"compare-{index:03d}-{pair.old}-{pair.new}"


def _file(path: str) -> str:
    return os.path.basename(path) or path


def _report_anchor(entry: Entry) -> str:
    return "r-" + "".join(c if c.isalnum() else "-" for c in _file(entry.path))


def _cell(entries: list[Entry] | None) -> str:
    if not entries:
        return '<td class="missing" data-status="missing" title="未找到该年度报告">未公开</td>'
    readable = [e for e in entries if e.ok]
    if not readable:
        reasons = "；".join(f"{_file(e.path)}：{e.error or e.status}" for e in entries)
        return (f'<td class="failed" data-status="failed" title="{esc(reasons)}">'
                f"无法读取</td>")
    links = []
    for e in readable:
        failed = e.findings.failed if e.findings else 0
        note = f"<br><span class=\"bad small\">{failed} 问题</span>" if failed else ""
        links.append(f'<a href="#{_report_anchor(e)}" title="{esc(_file(e.path))}">'
                     f"已公开</a>{note}")
    extra = f"<br><span class=\"small\">×{len(entries)}</span>" if len(entries) > 1 else ""
    return f'<td class="published" data-status="published">{"<br>".join(links)}{extra}</td>'


def _matrix(ov: Overview) -> str:
    head = "<tr><th>机关</th>" + "".join(f"<th>{y}</th>" for y in ov.years) + "</tr>"
    rows = []
    for i, a in enumerate(ov.agencies):
        years = a.years()
        names = "、".join(a.names) if a.names else a.key
        rows.append(f'<tr data-agency="{esc(a.key)}"><th class="agency">'
                    f'<a href="#agency-{i}">{esc(names)}</a></th>'
                    + "".join(_cell(years.get(y)) for y in ov.years) + "</tr>")
    return f'<table class="matrix">{head}{"".join(rows)}</table>'


def _agency(i: int, a: Agency, links: dict[int, str]) -> str:
    charts = "".join(line_chart(ind.name, a.series(ind)) for ind in INDICATORS)
    pairs = "".join(f'<li><a class="pair-link" href="{links[id(p)]}">{p.old} → {p.new}</a>：'
                    f"文字重复率 {_pc(p.comparison.summary.repetition)}，"
                    f"表格重复率 {_pc(p.comparison.summary.table_repetition)}，"
                    f"跨年核对不符 {p.comparison.summary.checks_failed} 项</li>"
                    for p in a.pairs)
    reports = []
    for e in a.entries:
        if e.report is None or e.findings is None:
            continue
        r = e.report
        codes = Counter(f.code for t in e.findings.tables for f in t.findings)
        summary = "、".join(f"{c}×{n}" for c, n in sorted(codes.items())) or "无"
        reports.append(
            f'<details id="{_report_anchor(e)}" class="report"><summary>{r.year}年 · '
            f"{esc(r.agency or '机关不明')} · {esc(_file(e.path))} · 模板 {r.template} · "
            f"问题：{esc(summary)}</summary>"
            f"{findings_html(e.findings, f'{r.year}年度报告自身问题（按表格）')}</details>")
    names = "、".join(a.names) if a.names else a.key
    return (f'<section class="agency" id="agency-{i}" data-agency="{esc(a.key)}">'
            f"<h2>{esc(names)}</h2><div class=\"charts\">{charts}</div>"
            + (f"<h3>相邻年度对比</h3><ul>{pairs}</ul>" if pairs else "")
            + f"<h3>各年度报告</h3>{''.join(reports)}</section>")


def _pc(x: float | None) -> str:
    return "—" if x is None else f"{round(x * 100)} %"


def _agency_name(e: Entry) -> str:
    return e.report.agency if e.report is not None and e.report.agency else "机关不明"


def _apart(ov: Overview) -> str:
    out = ["<h2>无法读取的文件</h2>"]
    if ov.failed:
        out.append('<table class="failed-files"><tr><th>文件</th><th>状态</th><th>原因</th></tr>'
                   + "".join(f"<tr><td>{esc(e.path)}</td><td>{esc(e.status)}</td>"
                             f"<td>{esc(e.error or '')}</td></tr>" for e in ov.failed)
                   + "</table>")
    else:
        out.append('<p class="ok">全部文件均已读取。</p>')
    if ov.undated:
        out.append("<h2>未写明年度的报告</h2><ul>" + "".join(
            f"<li>{esc(e.path)}（{esc(_agency_name(e))}）</li>" for e in ov.undated) + "</ul>")
    return "".join(out)


def overview_pages(ov: Overview, *, single: bool = False) -> dict[str, str]:
    """The pages of the overview: ``{"index.html": …, "compare-….html": …}``.

    With ``single`` one page holds everything (``{"index.html": …}``), the
    comparisons folded into it.
    """
    links: dict[int, str] = {}
    pages: dict[str, str] = {}
    embedded: list[str] = []
    n = 0
    for a in ov.agencies:
        for p in a.pairs:
            name = _pair_name(n, p)
            n += 1
            title = f"{'、'.join(a.names) or a.key} {p.old}—{p.new}"
            if single:
                links[id(p)] = f"#{name}"
                embedded.append(f'<details id="{name}" class="embedded-comparison"><summary>'
                                f"{esc(title)} 对比</summary>"
                                f"{comparison_html(p.comparison, prefix=name + '-')}</details>")
            else:
                links[id(p)] = f"{name}.html"
                pages[f"{name}.html"] = page(
                    f"{title} 对比", '<p class="noprint"><a href="index.html">← 总览</a></p>'
                    + comparison_html(p.comparison))
    readable = sum(1 for a in ov.agencies for e in a.entries if e.ok) + len(ov.undated)
    body = (f"<h1>政府信息公开工作年度报告总览</h1><p class=\"muted\">共 {readable} 份报告可读取，"
            f"{len(ov.failed)} 个文件无法读取；{len(ov.agencies)} 个机关，"
            f"{ov.years[0] if ov.years else '—'}—{ov.years[-1] if ov.years else '—'} 年。</p>"
            f"<h2>公开情况（机关 × 年度）</h2>{_matrix(ov)}"
            '<p class="muted small">已公开：可读取的报告（点击查看问题）；'
            "未公开：未找到该年度的报告；无法读取：文件存在但无法解析（悬停查看原因）。</p>"
            + "".join(_agency(i, a, links) for i, a in enumerate(ov.agencies))
            + _apart(ov)
            + ("<h2>相邻年度对比</h2>" + "".join(embedded) if embedded else ""))
    pages["index.html"] = page("政府信息公开工作年度报告总览", body)
    return pages
