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
* An attribute that is not the number it should be (``gridSpan="2.0"``,
  ``w:start="abc"``), or a list start outside Word's 0–32767, is taken as
  absent, with a ``docx-attribute`` diagnostic, rather than refusing the file.
  An entity reference inside ``<w:t>`` is kept as written (``&name;``, not
  expanded) with a ``docx-entity`` diagnostic, and the text after it is read.
* Before python-docx unzips anything, the parts' unzipped sizes are checked
  against :attr:`~govreport.Limits.max_unzipped_bytes` and
  :attr:`~govreport.Limits.max_zip_ratio` (a zip bomb raises ``LimitExceeded``).
* The file's title property (``docProps/core.xml``) is kept in
  :attr:`Document.titles <govreport.model.Document.titles>` as ``"docx-title"``.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from typing import Any

import attrs

from govreport.errors import MissingExtra
from govreport.limits import DEFAULT_LIMITS, LimitExceeded, Limits
from govreport.model import Diagnostic, Document
from govreport.sources._common import ZIP_ERRORS, DocumentBuilder, join_parts

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


# Word's list numbers run to 32767; past these, letters and Roman numerals (which
# grow with the number) are written in digits.
_MAX_LIST_NUMBER, _MAX_LETTERS, _MAX_ROMAN = 32767, 780, 3999
# A part this small cannot be a zip bomb however well it compresses.
_RATIO_FLOOR = 1024 * 1024


def _letters(n: int) -> str:
    # Word repeats the letter: 27 is AA.
    if not 0 < n <= _MAX_LETTERS:
        return str(n)
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _roman(n: int) -> str:
    if not 0 < n <= _MAX_ROMAN:
        return str(n)
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


class _Numbers:
    """Reads numeric attributes; one that is not a number in range counts as absent."""

    def __init__(self, out: DocumentBuilder) -> None:
        self.out = out
        self.bad: dict[str, list[str]] = {}

    def __call__(self, value: str | None, what: str, default: int,
                 top: int = _MAX_LIST_NUMBER) -> int:
        if value is None:
            return default
        text = value.strip()
        if text.isascii() and text.isdigit() and len(text) <= 6 and int(text) <= top:
            return int(text)
        self.bad.setdefault(what, []).append(value[:40])
        return default

    def report(self) -> None:
        """One diagnostic per attribute found bad, its values in ``raw``."""
        for what, values in self.bad.items():
            self.out.diagnostics.append(_bad_attribute(what, values))


def _bad_attribute(what: str, values: list[str]) -> Diagnostic:
    return Diagnostic("docx-attribute", f"{len(values)} {what} values are not numbers Word "
                      "accepts; each was taken as absent (its default)", None,
                      raw=" ".join(values))


class _Numbering:
    """Automatic paragraph numbers: the lists of numbering.xml and their counters."""

    def __init__(self, numbering: Any, styles: Any, number: _Numbers) -> None:
        self.number = number
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
                    levels[number(lvl.get(f"{_W}ilvl"), "w:ilvl", 0)] = (
                        number(_val(lvl, f"{_W}start"), "w:start", 1), fmt,
                        _val(lvl, f"{_W}lvlText") or "")
                self.levels[abstract.get(f"{_W}abstractNumId", "")] = levels
            for num in numbering.iterfind(f"{_W}num"):
                overrides = {
                    number(o.get(f"{_W}ilvl"), "w:ilvl", 0):
                        number(_val(o, f"{_W}startOverride"), "w:startOverride", 1)
                    for o in num.iterfind(f"{_W}lvlOverride")
                    if o.find(f"{_W}startOverride") is not None}
                self.nums[num.get(f"{_W}numId", "")] = (
                    _val(num, f"{_W}abstractNumId") or "", overrides)
        if styles is not None:
            for style in styles.iterfind(f"{_W}style"):
                num_pr = style.find(f"{_W}pPr/{_W}numPr")
                if num_pr is not None:
                    self.style_num[style.get(f"{_W}styleId", "")] = (
                        _val(num_pr, f"{_W}numId") or "",
                        number(_val(num_pr, f"{_W}ilvl"), "w:ilvl", 0))

    def label(self, p: Any) -> str:
        """The number Word shows before paragraph ``p`` (``""`` for none), counting it."""
        ppr = p.find(f"{_W}pPr")
        if ppr is None:
            return ""
        num_pr = ppr.find(f"{_W}numPr")
        if num_pr is not None:
            num_id = _val(num_pr, f"{_W}numId") or ""
            ilvl = self.number(_val(num_pr, f"{_W}ilvl"), "w:ilvl", 0)
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


def _runs_text(p: Any, entities: list[str]) -> list[str]:
    """A paragraph's text, one string per line (``w:br`` / ``w:cr`` break lines).

    An entity reference left unexpanded inside ``w:t`` is kept as written and
    added to ``entities``; the text after it is the reference's tail.
    """
    lines = [""]
    for el in p.iter(_T, _TAB, _BR, _CR):
        if el.tag == _T:
            if len(el):
                entities.extend(child.text or "" for child in el)
                lines[-1] += "".join(el.itertext())
            else:
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
    def __init__(self, out: DocumentBuilder, numbering: _Numbering) -> None:
        self.numbering = numbering
        self.number = numbering.number
        self.out = out
        self.entities: list[str] = []

    def paragraph_lines(self, p: Any) -> list[str]:
        lines = _runs_text(p, self.entities)
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
            column = self.number(_val(tr, f"{_W}trPr/{_W}gridBefore"), "w:gridBefore", 0)
            row: list[tuple[int, str]] = []
            for tc in _cells(tr):
                tcpr = tc.find(f"{_W}tcPr")
                span = self.number(_val(tcpr, f"{_W}gridSpan"), "w:gridSpan",
                                   1) if tcpr is not None else 1
                vmerge = tcpr.find(f"{_W}vMerge") if tcpr is not None else None
                hmerge = tcpr.find(f"{_W}hMerge") if tcpr is not None else None
                if hmerge is not None and hmerge.get(_VAL) != "restart":
                    column += max(span, 1)  # the continuation of the cell to its left
                    continue
                # A vMerge without val="restart" continues the cell above: no text of its own.
                covered = vmerge is not None and vmerge.get(_VAL) != "restart"
                row.append((column + 1, "" if covered else self.cell_text(tc)))
                column += max(span, 1)
            self.out.spend(len(row))
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


def _check_zip(data: bytes, limits: Limits) -> None:
    """Refuse a zip bomb from its directory, before anything is unzipped.

    Python's zipfile stops unzipping a part at the size its directory states,
    so the stated sizes are the ones that count.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            parts = z.infolist()
    except ZIP_ERRORS:
        return  # python-docx says what is wrong with it
    total = sum(p.file_size for p in parts)
    if total > limits.max_unzipped_bytes:
        raise LimitExceeded("max_unzipped_bytes", limits.max_unzipped_bytes, total,
                            "a Word file whose parts unzip to {} bytes")
    for p in parts:
        ratio = p.file_size // max(p.compress_size, 1)
        if p.file_size >= _RATIO_FLOOR and ratio > limits.max_zip_ratio:
            raise LimitExceeded("max_zip_ratio", limits.max_zip_ratio, ratio,
                                f"the part {p.filename} of a Word file, which unzips to "
                                f"{p.file_size:,} bytes, {{}} times its zipped size,")


def read_docx(data: bytes, *, limits: Limits | None = None) -> Document:
    """Read a Word .docx file into a Document.

    Raises:
        MissingExtra: python-docx is not installed (``pip install 'govreport[docx]'``).
        LimitExceeded: a zip bomb (``limits.max_unzipped_bytes``,
            ``limits.max_zip_ratio``), or tables of more than ``limits.max_cells``.

    """
    try:
        import docx
        from docx.opc.constants import RELATIONSHIP_TYPE
    except ImportError:
        raise MissingExtra(".docx", "docx") from None
    limits = limits or DEFAULT_LIMITS
    _check_zip(data, limits)
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
    out = DocumentBuilder("docx", limits.max_cells)
    number = _Numbers(out)
    reader = _Reader(out, _Numbering(numbering, styles, number))
    reader.body(document.element.body)
    number.report()
    if reader.entities:
        out.warn("docx-entity", f"{len(reader.entities)} entity references inside the text were "
                 "not expanded (Word never writes them); they are kept as written",
                 raw=" ".join(reader.entities))
    return attrs.evolve(out.document(), titles=_docx_titles(document))
