"""Which national template a report follows: 2019, 2021, or none (free-form).

The tables decide when they could be read (their forms are of one template
or the other). When they could not be — a layout the parser does not read
yet, a table lost in a PDF — the report still shows its template: the
template's own section headings (三、收到和处理政府信息公开申请情况) and the
captions and header words of its tables (第二十条第（一）项, 本年制发件数),
which pre-2019 reports never use. Those words decide the template then, and
the ``missing-table`` / ``table-structure`` diagnostics say why its values
are ``None``; the version is the one their words show, else the year's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, cast

from govreport.model import Grid, Section, Template
from govreport.outline import Outline

if TYPE_CHECKING:
    from govreport.forms.base import Form

__all__ = ["infer_template"]

# Words only the 2019 and 2021 templates use (the 2008 条例's reports say
# "依申请公开", "因政府信息公开申请行政复议、提起行政诉讼"); white space removed.
_TEMPLATED = re.compile(
    r"收到和处理政府信息公开申请"
    r"|第二十条第[（(][一二三四五六七八九十]+[)）]项"
    r"|政府信息公开(?:工作)?(?:被申请)?行政复议[、和及与,，]?(?:提起)?行政诉讼"
    r"|本年新收政府信息公开申请数量|上年结转政府信息公开申请数量")
# Header words of Table A that differ between the two (domain.md §2.6).
_VERSION_2019 = re.compile(r"本年新制作数量|本年新公开数量|对外公开总数量|第二十条第[（(]九[)）]项"
                           r"|政府集中采购|其他对外管理服务事项")
_VERSION_2021 = re.compile(r"本年制发件数|本年废止件数|现行有效件数|本年处理决定数量|本年收费金额")
_WS = re.compile(r"\s+")
# Free text is searched only this far into each section: captions and headers
# stand near the start, and a long report's prose is not worth reading twice.
_SPAN = 4000


def _texts(out: Outline) -> Iterator[str]:
    yield out.preamble[:_SPAN]
    for grid in out.preamble_grids:
        yield from _cells(grid)
    stack: list[Section] = list(out.sections)
    while stack:
        section = stack.pop()
        yield section.title
        yield section.text[:_SPAN]
        for grid in section.grids:
            yield from _cells(grid)
        stack.extend(section.subsections)


def _cells(grid: Grid) -> Iterator[str]:
    for row in grid.rows:
        yield "".join(c.text for c in row.cells)


def infer_template(forms: Mapping[str, Form], year: int | None, out: Outline) -> Template:
    """The report's template from its table forms, else its headings' and captions' words.

    ``forms`` maps a table kind to the form that read it; a form belonging
    to one template only (:attr:`Form.templates <govreport.forms.Form>`)
    decides.
    A report whose year is before 2019 is templated only by its tables'
    forms: its words may quote the 2019 条例. Without forms, words or a year
    that show the version, a report is free-form.
    """
    for form in forms.values():
        if len(form.templates) == 1:
            [only] = form.templates
            return cast(Template, only)
    if any(form.templates for form in forms.values()) and year is not None and year >= 2019:
        return "2021" if year >= 2021 else "2019"
    if year is not None and year < 2019:
        return "freeform"
    texts = [_WS.sub("", t) for t in _texts(out)]
    if not any(_TEMPLATED.search(t) for t in texts):
        return "freeform"
    v2019 = any(_VERSION_2019.search(t) for t in texts)
    v2021 = any(_VERSION_2021.search(t) for t in texts)
    if v2019 != v2021:
        return "2019" if v2019 else "2021"
    if year is not None:
        return "2021" if year >= 2021 else "2019"
    return "freeform"
