"""Word .docx files: body paragraphs become text lines, tables become grids.

Opened with python-docx and read from its XML, in body order:

* ``w:gridSpan`` merges cells across columns, ``w:vMerge`` down rows (and the
  legacy ``w:hMerge``); ``w:gridBefore`` leaves grid columns empty at the start
  of a row. Merged cells are handed over as :mod:`govreport.sources._common`
  describes.
* A paragraph numbered automatically (``w:numPr`` on the paragraph or its
  style) gets its number written in front of its text, from the list's level
  format in ``numbering.xml`` (``%1、`` with ``chineseCounting`` gives 一、), so
  headings numbered by Word read like typed ones.
* A line break inside a paragraph (``w:br``) starts a new text line; inside a
  cell it is joined like a broken cell of a text layout.
* A table holding another table, or with a single column, is page layout:
  its paragraphs are read as running text.
* The file's title property (``docProps/core.xml``) is kept in
  :attr:`Document.titles <govreport.model.Document.titles>` as ``"docx-title"``.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import Any

import attrs

from govreport.errors import MissingExtra
from govreport.model import Document
from govreport.sources._common import DocumentBuilder, join_parts

__all__ = ["read_docx"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC, _R = f"{_W}p", f"{_W}tbl", f"{_W}tr", f"{_W}tc", f"{_W}r"
_T, _TAB, _BR, _CR = f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"
_VAL = f"{_W}val"
# Containers whose content is in the flow as if they were not there.
_TRANSPARENT = frozenset({f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}ins",
                          f"{_W}smartTag", f"{_W}hyperlink", f"{_W}fldSimple",
                          f"{_W}moveTo"})

_CN = "〇一二三四五六七八九"
_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def _chinese(n: int, digits: str = _CN, ten: str = "十", hundred: str = "百") -> str:
    if n <= 0 or n >= 1000:
        return str(n)
    h, rest = divmod(n, 100)
    t, u = divmod(rest, 10)
    out = f"{digits[h]}{hundred}" if h else ""
    if t:
        out += ("" if t == 1 and not h else digits[t]) + ten
    elif h and u:
        out += "零" if digits is _CN else digits[0]
    if u:
        out += digits[u]
    return out


def _letters(n: int) -> str:
    # Word repeats the letter: 27 is AA.
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else str(n)


def _roman(n: int) -> str:
    out = ""
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"),
                       (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
                       (4, "IV"), (1, "I")):
        while n >= value:
            out += sym
            n -= value
    return out


_FORMATS: dict[str, Callable[[int], str]] = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "decimalFullWidth": lambda n: str(n).translate({ord(c): 0xFF10 + int(c) for c in "0123456789"}),
    "chineseCounting": _chinese,
    "chineseCountingThousand": _chinese,
    "taiwaneseCountingThousand": _chinese,
    "japaneseCounting": _chinese,
    "ideographDigital": lambda n: "".join(_CN[int(d)] for d in str(n)),
    "chineseLegalSimplified": lambda n: _chinese(n, _LEGAL, "拾", "佰"),
    "ideographTraditional": lambda n: _STEMS[n - 1] if 0 < n <= 10 else str(n),
    "decimalEnclosedCircle": lambda n: _CIRCLED[n - 1] if 0 < n <= 20 else str(n),
    "decimalEnclosedCircleChinese": lambda n: _CIRCLED[n - 1] if 0 < n <= 20 else str(n),
    "upperLetter": _letters,
    "lowerLetter": lambda n: _letters(n).lower(),
    "upperRoman": _roman,
    "lowerRoman": lambda n: _roman(n).lower(),
}
_FORMATS["decimalFullWidth2"] = _FORMATS["decimalFullWidth"]


def _val(el: Any, path: str) -> str | None:
    found = el.find(path)
    return None if found is None else found.get(_VAL)


class _Numbering:
    """Automatic paragraph numbers: the lists of numbering.xml and their counters."""

    def __init__(self, numbering: Any, styles: Any) -> None:
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.style_num: dict[str, tuple[str, int]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.started: set[str] = set()
        if numbering is not None:
            for abstract in numbering.iterfind(f"{_W}abstractNum"):
                levels: dict[int, tuple[int, str, str]] = {}
                for lvl in abstract.iterfind(f"{_W}lvl"):
                    fmt = _val(lvl, f"{_W}numFmt") or "decimal"
                    if lvl.find(f"{_W}isLgl") is not None:
                        fmt = "decimal"
                    levels[int(lvl.get(f"{_W}ilvl", "0"))] = (
                        int(_val(lvl, f"{_W}start") or "1"), fmt,
                        _val(lvl, f"{_W}lvlText") or "")
                self.levels[abstract.get(f"{_W}abstractNumId", "")] = levels
            for num in numbering.iterfind(f"{_W}num"):
                overrides = {
                    int(o.get(f"{_W}ilvl", "0")): int(_val(o, f"{_W}startOverride") or "1")
                    for o in num.iterfind(f"{_W}lvlOverride")
                    if o.find(f"{_W}startOverride") is not None}
                self.nums[num.get(f"{_W}numId", "")] = (
                    _val(num, f"{_W}abstractNumId") or "", overrides)
        if styles is not None:
            for style in styles.iterfind(f"{_W}style"):
                num_pr = style.find(f"{_W}pPr/{_W}numPr")
                if num_pr is not None:
                    self.style_num[style.get(f"{_W}styleId", "")] = (
                        _val(num_pr, f"{_W}numId") or "", int(_val(num_pr, f"{_W}ilvl") or "0"))

    def label(self, p: Any) -> str:
        """The number Word shows before paragraph ``p`` (``""`` for none), counting it."""
        ppr = p.find(f"{_W}pPr")
        if ppr is None:
            return ""
        num_pr = ppr.find(f"{_W}numPr")
        if num_pr is not None:
            num_id = _val(num_pr, f"{_W}numId") or ""
            ilvl = int(_val(num_pr, f"{_W}ilvl") or "0")
        else:
            style = _val(ppr, f"{_W}pStyle")
            if style is None or style not in self.style_num:
                return ""
            num_id, ilvl = self.style_num[style]
        if num_id in ("", "0") or num_id not in self.nums:
            return ""
        abstract, overrides = self.nums[num_id]
        levels = self.levels.get(abstract, {})
        if ilvl not in levels:
            return ""
        counters = self.counters.setdefault(abstract, {})
        if num_id not in self.started:
            # A list instance with a start override restarts its abstract list.
            self.started.add(num_id)
            for level, start in overrides.items():
                counters[level] = start - 1
        start, _, text = levels[ilvl]
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [lv for lv in counters if lv > ilvl]:
            del counters[deeper]
        if levels[ilvl][1] in ("bullet", "none"):
            return ""
        for level in range(9):
            marker = f"%{level + 1}"
            if marker in text:
                lv_start, lv_fmt, _ = levels.get(level, (1, "decimal", ""))
                n = counters.get(level, lv_start)
                text = text.replace(marker, _FORMATS.get(lv_fmt, str)(n))
        return text


def _runs_text(p: Any) -> list[str]:
    """A paragraph's text, one string per line (``w:br`` / ``w:cr`` break lines)."""
    lines = [""]
    for el in p.iter(_T, _TAB, _BR, _CR):
        if el.tag == _T:
            lines[-1] += el.text or ""
        elif el.tag == _TAB:
            lines[-1] += " "
        elif el.get(f"{_W}type") in (None, "textWrapping"):
            lines.append("")
    return lines


def _children(parent: Any, tags: tuple[str, ...]) -> Iterator[Any]:
    """The children of ``parent`` with one of ``tags``, through content controls and the like."""
    for child in parent:
        if child.tag in tags:
            yield child
        elif child.tag in _TRANSPARENT:
            yield from _children(child, tags)


def _flow(parent: Any) -> Iterator[Any]:
    """The paragraphs and tables of a body or cell."""
    return _children(parent, (_P, _TBL))


def _rows(parent: Any) -> Iterator[Any]:
    return _children(parent, (_TR,))


def _cells(tr: Any) -> Iterator[Any]:
    return _children(tr, (_TC,))


class _Reader:
    def __init__(self, numbering: _Numbering) -> None:
        self.numbering = numbering
        self.out = DocumentBuilder("docx")

    def paragraph_lines(self, p: Any) -> list[str]:
        lines = _runs_text(p)
        label = self.numbering.label(p)
        if label:
            lines[0] = label + lines[0].lstrip()
        return lines

    def cell_text(self, tc: Any) -> str:
        parts: list[str] = []
        for block in _flow(tc):
            if block.tag == _P:
                parts.extend(self.paragraph_lines(block))
            else:
                parts.extend(self.cell_text(c) for tr in _rows(block) for c in _cells(tr))
        return join_parts(parts)

    def is_data_table(self, tbl: Any) -> bool:
        if any(True for _ in tbl.iter(_TBL) if _ is not tbl):
            return False
        return any(sum(1 for _ in _cells(tr)) > 1 for tr in _rows(tbl))

    def table(self, tbl: Any) -> None:
        rows: list[list[tuple[int, str]]] = []
        for tr in _rows(tbl):
            column = int(_val(tr, f"{_W}trPr/{_W}gridBefore") or "0")
            row: list[tuple[int, str]] = []
            for tc in _cells(tr):
                tcpr = tc.find(f"{_W}tcPr")
                span = int(_val(tcpr, f"{_W}gridSpan") or "1") if tcpr is not None else 1
                vmerge = tcpr.find(f"{_W}vMerge") if tcpr is not None else None
                hmerge = tcpr.find(f"{_W}hMerge") if tcpr is not None else None
                if hmerge is not None and hmerge.get(_VAL) != "restart":
                    column += max(span, 1)  # the continuation of the cell to its left
                    continue
                # A vMerge without val="restart" continues the cell above: no text of its own.
                covered = vmerge is not None and vmerge.get(_VAL) != "restart"
                row.append((column + 1, "" if covered else self.cell_text(tc)))
                column += max(span, 1)
            rows.append(row)
        self.out.grid(rows)

    def body(self, parent: Any) -> None:
        for block in _flow(parent):
            if block.tag == _P:
                for line in self.paragraph_lines(block):
                    self.out.text(line)
            elif self.is_data_table(block):
                self.table(block)
            else:
                # Page layout: its cells' paragraphs are running text.
                for tr in _rows(block):
                    for tc in _cells(tr):
                        self.body(tc)


def _docx_titles(document: Any) -> tuple[tuple[str, str], ...]:
    """The Word file's title property, if it has one."""
    try:
        title = document.core_properties.title
    except Exception:  # a damaged core.xml costs the title, never the document
        return ()
    title = " ".join(str(title or "").split())
    return (("docx-title", title[:200]),) if title else ()


def read_docx(data: bytes) -> Document:
    """Read a Word .docx file into a Document.

    Raises:
        MissingExtra: python-docx is not installed (``pip install 'govreport[docx]'``).

    """
    try:
        import docx
        from docx.opc.constants import RELATIONSHIP_TYPE
    except ImportError:
        raise MissingExtra(".docx", "docx") from None
    document = docx.Document(io.BytesIO(data))
    part = document.part
    try:
        numbering = part.part_related_by(RELATIONSHIP_TYPE.NUMBERING).element  # type: ignore[attr-defined]
    except KeyError:
        numbering = None
    try:
        styles = part.part_related_by(RELATIONSHIP_TYPE.STYLES).element  # type: ignore[attr-defined]
    except KeyError:
        styles = None
    reader = _Reader(_Numbering(numbering, styles))
    reader.body(document.element.body)
    return attrs.evolve(reader.out.document(), titles=_docx_titles(document))
