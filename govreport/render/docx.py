"""A comparison as a Word document (the ``docx`` extra: python-docx)."""

from __future__ import annotations

import itertools
import os
from typing import Any

from govreport.comparison import Comparison, ParagraphComparison
from govreport.errors import MissingExtra
from govreport.labels import TABLES
from govreport.render.comparison import side_name
from govreport.render.page import number, percent

__all__ = ["write_comparison_docx"]

_MARKS = {"repeated": "重复", "changed": "修改", "added": "新增", "removed": "删除"}
_REPEATED = (0xFF, 0xF1, 0xA8)


def _runs(paragraph: Any, text: str, repeated: tuple[tuple[int, int], ...],
          figures: tuple[tuple[int, int], ...], highlight: Any) -> None:
    cuts = sorted({0, len(text), *(x for s in (*repeated, *figures) for x in s)})
    for a, b in itertools.pairwise(cuts):
        run = paragraph.add_run(text[a:b])
        if any(s <= a and b <= e for s, e in figures):
            run.bold = True
            run.font.highlight_color = highlight.PINK
        elif any(s <= a and b <= e for s, e in repeated):
            run.font.highlight_color = highlight.YELLOW


def _pair(doc: Any, p: ParagraphComparison, old_year: str, new_year: str, highlight: Any) -> None:
    if p.old is not None:
        para = doc.add_paragraph(f"[{_MARKS[p.mark]} · {old_year}] ")
        _runs(para, p.old, p.old_repeated, p.old_figures, highlight)
    if p.new is not None:
        para = doc.add_paragraph(f"[{_MARKS[p.mark]} · {new_year}] ")
        _runs(para, p.new, p.new_repeated, p.new_figures, highlight)


def write_comparison_docx(c: Comparison, path: str | os.PathLike[str]) -> None:
    """Write the comparison to ``path`` as a .docx file.

    Raises:
        MissingExtra: python-docx is not installed (``pip install 'govreport[docx]'``).

    """
    try:
        import docx
        from docx.enum.text import WD_COLOR_INDEX
    except ImportError:
        raise MissingExtra("Word (.docx) output", "docx") from None
    old_year = f"{c.old.year}年" if c.old.year is not None else "旧"
    new_year = f"{c.new.year}年" if c.new.year is not None else "新"
    doc = docx.Document()
    doc.add_heading(f"{side_name(c.old)} 与 {new_year} 报告对比", level=0)
    s = c.summary
    doc.add_paragraph(f"文字重复率 {percent(s.repetition)}；"
                      f"表格重复率 {percent(s.table_repetition)}；"
                      f"变化的数值 {s.changed_values} 项（共比较 {s.compared_values} 项）；"
                      f"跨年核对相符 {s.checks_passed} 项，不符 {s.checks_failed} 项。")
    doc.add_heading("各部分重复率", level=1)
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("部分", "重复率", "文字重复率", "表格重复率"),
                          strict=True):
        cell.text = text
    for sec in c.sections:
        row = table.add_row().cells
        for cell, text in zip(row, (sec.title, percent(sec.repetition),
                                    percent(sec.text_repetition),
                                    percent(sec.table_repetition)), strict=True):
            cell.text = text
    doc.add_heading("表格数值变化", level=1)
    changed = [x for x in c.changes if x.changed]
    if changed:
        table = doc.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, ("项目", old_year, new_year, "变化"),
                              strict=True):
            cell.text = text
        for key, name in TABLES.items():
            group = [x for x in changed if x.table == key]
            if not group:
                continue
            head = table.add_row().cells
            head[0].merge(head[-1]).text = name
            for x in group:
                row = table.add_row().cells
                for cell, text in zip(row, (x.label, number(x.old), number(x.new),
                                            number(x.difference, signed=True)), strict=True):
                    cell.text = text
    else:
        doc.add_paragraph("无变化。")
    doc.add_heading("跨年核对", level=1)
    for check in c.checks:
        word = {True: "相符", False: "不符", None: "无法核对"}[check.ok]
        doc.add_paragraph(f"{check.code} {word}：{check.formula}", style="List Bullet")
    doc.add_heading("各年度自身问题（按表格）", level=1)
    for year, found in zip((old_year, new_year), c.findings, strict=True):
        doc.add_heading(year, level=2)
        if not found.tables:
            doc.add_paragraph("未发现问题。")
        for t in found.tables:
            doc.add_paragraph(t.name).runs[0].bold = True
            for f in t.findings:
                doc.add_paragraph(f"{f.code} {f.message_zh}", style="List Bullet")
    doc.add_heading("逐段对比", level=1)
    for sec in c.sections:
        doc.add_heading(f"{sec.title}（重复率 {percent(sec.repetition)}）", level=2)
        for p in sec.paragraphs:
            _pair(doc, p, old_year, new_year, WD_COLOR_INDEX)
    doc.save(os.fspath(path))
