"""The page shell every page shares: CSS, a small script, escaping, figures and SVG charts."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape
from typing import Union

__all__ = ["esc", "line_chart", "number", "page", "percent"]

Number = Union[int, Decimal]

_CSS = """
:root{--fg:#1d2733;--muted:#5b6877;--line:#d5dbe3;--bg:#f6f8fa;--ok:#1a7f37;--bad:#c62828;
--warn:#b26a00;--rep:#fff1a8;--fig:#ffc4c4;--add:#e3f6e8;--del:#fde8e8;--chg:#eef3ff}
*{box-sizing:border-box}
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",
"WenQuanYi Micro Hei",sans-serif;color:var(--fg);margin:0;padding:1.5rem 2rem;line-height:1.6;
background:#fff;font-size:15px}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.2rem;margin:2rem 0 .5rem;
border-bottom:2px solid var(--line);padding-bottom:.25rem}
h3{font-size:1.05rem;margin:1.2rem 0 .4rem}
.muted{color:var(--muted)}.small{font-size:.85rem}
table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}
th,td{border:1px solid var(--line);padding:.25rem .5rem;vertical-align:top;text-align:left}
th{background:var(--bg)}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.cards{display:flex;flex-wrap:wrap;gap:.75rem;margin:1rem 0}
.card{border:1px solid var(--line);border-radius:6px;padding:.5rem 1rem;min-width:9rem;
background:var(--bg)}
.card b{display:block;font-size:1.4rem}
.bar{display:inline-block;width:6rem;height:.6rem;background:#e6e9ee;border-radius:3px;
vertical-align:middle;margin-right:.4rem;overflow:hidden}
.bar i{display:block;height:100%;background:#6d8fb8}
.ok{color:var(--ok)}.bad{color:var(--bad)}.warn{color:var(--warn)}.na{color:var(--muted)}
mark.rep{background:var(--rep)}mark.fig{background:var(--fig);font-weight:600}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:0;border:1px solid var(--line);margin:.3rem 0}
.pair>div{padding:.4rem .6rem;white-space:pre-wrap;word-break:break-all}
.pair>div+div{border-left:1px solid var(--line)}
.pair .tag{display:block;font-size:.75rem;color:var(--muted)}
.pair.added>div.new{background:var(--add)}.pair.removed>div.old{background:var(--del)}
.pair.changed{background:var(--chg)}
.empty{color:var(--muted);font-style:italic}
.matrix td{text-align:center;min-width:3.2rem;font-size:.8rem}
.matrix td.published{background:#d8f0dd}.matrix td.missing{background:#f1f1f1;color:#8a8a8a}
.matrix td.failed{background:#fbd5d5}.matrix th.agency{text-align:left;white-space:nowrap}
.charts{display:flex;flex-wrap:wrap;gap:1rem}.chart{border:1px solid var(--line);padding:.4rem}
.chart svg text{font-size:10px;fill:#444}
.toolbar{margin:.5rem 0}
@media print{body{padding:0;font-size:11pt}.toolbar,.noprint{display:none}
details{display:block}details>summary{list-style:none}
tr.same{display:table-row!important}h2{page-break-after:avoid}.pair{page-break-inside:avoid}}
"""

_SCRIPT = """
document.addEventListener('DOMContentLoaded',function(){
  var t=document.getElementById('show-all');
  if(t){var f=function(){document.querySelectorAll('tr.same').forEach(function(r){
    r.style.display=t.checked?'':'none';});};t.addEventListener('change',f);f();}
  window.addEventListener('beforeprint',function(){
    document.querySelectorAll('details').forEach(function(d){d.open=true;});});
});
"""


def esc(text: object) -> str:
    """Text made safe for HTML."""
    return escape(str(text), quote=True)


def number(value: Number | None, *, signed: bool = False) -> str:
    """A figure as shown: ``—`` for a blank, a sign for a difference when asked."""
    if value is None:
        return "—"
    if signed and value > 0:
        return f"+{value}"
    return str(value)


def percent(value: float | None) -> str:
    """A share in [0, 1] as a whole percentage ("42 %"), ``—`` when unknown."""
    return "—" if value is None else f"{round(value * 100)} %"


def bar(value: float | None) -> str:
    """A small horizontal bar for a share in [0, 1], then the percentage."""
    width = 0 if value is None else round(value * 100)
    return f'<span class="bar"><i style="width:{width}%"></i></span>{percent(value)}'


def page(title: str, body: str) -> str:
    """A whole self-contained HTML page."""
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
            f"<title>{esc(title)}</title><style>{_CSS}</style>"
            f"<script>{_SCRIPT}</script></head><body>\n{body}\n</body></html>\n")


def line_chart(title: str, points: Sequence[tuple[int, Number | None]], *,
               width: int = 300, height: int = 150) -> str:
    """An inline SVG line chart of one indicator over the years; a blank year leaves a gap."""
    known = [(y, v) for y, v in points if v is not None]
    left, right, top, bottom = 42, 10, 18, 22
    head = (f'<figure class="chart" data-indicator="{esc(title)}">'
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-label="{esc(title)}">'
            f'<text x="{left}" y="12" font-weight="bold">{esc(title)}</text>')
    if not known:
        return head + f'<text x="{left}" y="{height // 2}">无数据</text></svg></figure>'
    years = [y for y, _ in points]
    y0, y1 = min(years), max(years)
    top_value = max(float(v) for _, v in known)
    low_value = min(0.0, min(float(v) for _, v in known))
    span_x = max(y1 - y0, 1)
    span_y = (top_value - low_value) or 1.0
    plot_w, plot_h = width - left - right, height - top - bottom

    def xy(year: int, value: Number) -> tuple[float, float]:
        x = left + (year - y0) / span_x * plot_w
        y = top + plot_h - (float(value) - low_value) / span_y * plot_h
        return round(x, 1), round(y, 1)

    parts = [head,
             f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" '
             'stroke="#999"/>',
             f'<text x="{left - 4}" y="{top + 4}" text-anchor="end">{top_value:g}</text>',
             f'<text x="{left - 4}" y="{top + plot_h}" text-anchor="end">{low_value:g}</text>',
             f'<text x="{left}" y="{height - 6}">{y0}</text>',
             f'<text x="{width - right}" y="{height - 6}" text-anchor="end">{y1}</text>']
    run: list[str] = []
    runs: list[list[str]] = []
    for year, value in points:
        if value is None:
            if run:
                runs.append(run)
            run = []
            continue
        x, y = xy(year, value)
        run.append(f"{x},{y}")
    if run:
        runs.append(run)
    for r in runs:
        if len(r) > 1:
            parts.append(f'<polyline fill="none" stroke="#2f6db5" stroke-width="2" '
                         f'points="{" ".join(r)}"/>')
    for year, value in known:
        x, y = xy(year, value)
        parts.append(f'<circle cx="{x}" cy="{y}" r="3" fill="#2f6db5" data-year="{year}" '
                     f'data-value="{value}"><title>{year}年：{value}</title></circle>')
    parts.append("</svg></figure>")
    return "".join(parts)
