"""Nothing lost: every non-whitespace character of the input ends up in the Report.

The architecture's invariant (shared/spec/architecture.md): every character is
in some field, section text, raw grid cell, chrome or diagnostic. Two checks:

* **multiset**: for every character, its count in the input is at most its
  count over all the strings of the Report (attrs objects walked recursively);
* **in order, per line** (text layouts other than ``fused``): each input line's
  text, without white space, stands in one piece inside one string of the
  Report (a title, preamble, heading, section text, chrome line, diagnostic),
  or, for a table row, in order inside its grid's cells read row by row.

Both sides are folded with :data:`FOLD` (NFKC), the library's own matching
normalisation, so a full-width digit kept as written still counts for the
half-width one. The cell separators of the pipe layouts (``|`` on table lines)
are structure, not content, and are not counted.

The "input" of a web page is its visible text (text nodes outside ``<head>``,
``<script>``, ``<style>`` … — what :mod:`govreport.sources.html` skips is not
report text); of a Word file every ``<w:t>`` of the body; of a PDF every
character pdfium sees on its pages. Those get the multiset check.
"""

from __future__ import annotations

import io
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from conftest import FIXTURES, SHARED
from synth import TEXT_LAYOUTS, generate

import govreport
from govreport.model import Cell, Grid, Report, Section, TextLine

CORPUS = SHARED / "corpus"


try:
    from govreport.normalize import to_simplified as _simplified
except ImportError:  # a build without the Traditional → Simplified table
    def _simplified(text: str) -> str:
        return text


def _fold(text: str) -> str:
    return _simplified(unicodedata.normalize("NFKC", text))


FOLD: Callable[[str], str] = _fold
"""The normalisation both sides are compared under: NFKC, then Traditional →
Simplified, since mirror pages are converted before parsing."""

# line_cells and para_cells read pipe rows standing among their cells (a page of both).
_SEPARATORS = {"pipe_rows": "|", "pipe_cells": "|", "line_cells": "|", "para_cells": "|"}


def report_strings(obj: Any) -> Iterator[str]:
    """Every string held anywhere in a Report (``source``, the file name, excepted)."""
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, (tuple, list)):
        for item in obj:
            yield from report_strings(item)
    elif isinstance(obj, dict):
        for item in obj.values():
            yield from report_strings(item)
    elif attrs.has(type(obj)):
        for f in attrs.fields(type(obj)):
            if not (isinstance(obj, Report) and f.name == "source"):
                yield from report_strings(getattr(obj, f.name))


def _chars(text: str) -> Counter[str]:
    return Counter(c for c in FOLD(text) if not c.isspace())


def _squeeze(text: str) -> str:
    return "".join(c for c in FOLD(text) if not c.isspace())


def _grids(report: Report) -> Iterator[Grid]:
    yield from report.preamble_grids

    def walk(sections: Iterable[Section]) -> Iterator[Grid]:
        for s in sections:
            yield from s.grids
            yield from walk(s.subsections)
    yield from walk(report.sections)


def input_lines(text: str) -> list[str]:
    """The input's lines, numbered as the pipeline numbers them (a leading BOM is no text)."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _table_lines(report: Report) -> dict[int, Grid]:
    out: dict[int, Grid] = {}
    for grid in _grids(report):
        for n in range(grid.line, grid.end_line + 1):
            out[n] = grid
    return out


def _structure(report: Report, line: str, n: int, tables: dict[int, Grid]) -> str:
    """The line without the layout's cell separators, which are structure, not content."""
    sep = _SEPARATORS.get(report.layout)
    # pipe_cells opens every row with a line holding only "|", even a row that never comes.
    if sep and (n in tables or (report.layout == "pipe_cells" and line.rstrip() == sep)):
        return line.replace(sep, " ")
    return line


def lost_chars(text: str, report: Report) -> Counter[str]:
    """Characters of ``text`` (with their shortfall) that no string of the report holds."""
    have: Counter[str] = Counter()
    for s in report_strings(report):
        have.update(_chars(s))
    need: Counter[str] = Counter()
    tables = _table_lines(report)
    for n, line in enumerate(input_lines(text), 1):
        need.update(_chars(_structure(report, line, n, tables)))
    return need - have


def _grid_text(grid: Grid) -> str:
    return "".join(_squeeze(c.text) for row in grid.rows for c in row.cells)


# Diagnostics of govreport.clean: the text removed from a line before parsing
# (glosses, markup, mojibake, advertising) is in their ``raw``, so the rest of
# the line stands in one piece without it.
CLEANING_CODES = frozenset({"pinyin-gloss", "markup", "mojibake", "spam"})


def _cleaned_away(report: Report) -> list[str]:
    pieces = {_squeeze(p) for d in report.diagnostics
              if d.code in CLEANING_CODES and d.raw for p in d.raw.split(" ")}
    pieces.discard("")
    return sorted(pieces, key=len, reverse=True)


def lost_lines(text: str, report: Report) -> list[tuple[int, str]]:
    """Input lines whose text does not stand, in one piece and in order, in the report."""
    removed = _cleaned_away(report)
    pieces = {_squeeze(s) for s in report_strings(report)}
    pieces.discard("")
    for grid in _grids(report):
        pieces.add(_grid_text(grid))
    haystack = "\x00".join(pieces)  # one string: a line may not span two pieces
    tables = _table_lines(report)
    out: list[tuple[int, str]] = []
    for n, line in enumerate(input_lines(text), 1):
        line = _structure(report, line, n, tables)
        want = _squeeze(line)
        for piece in removed:
            if piece in want:
                want = want.replace(piece, "\x00")
        if want and not all(part in haystack for part in want.split("\x00")):
            out.append((n, line))
    return out


def assert_nothing_lost(text: str, report: Report, *, ordered: bool = True) -> None:
    """Fail naming what the report lost of ``text``."""
    lost = lost_chars(text, report)
    assert not lost, f"characters lost ({report.layout}): {dict(lost.most_common(20))}"
    if ordered and report.layout != "fused":
        lines = lost_lines(text, report)
        assert not lines, f"lines not kept in one piece ({report.layout}): {lines[:5]}"


# --------------------------------------------------------------------------- the corpus


def _corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.rglob("*") if p.is_file()
                  and p.suffix in (".txt", ".html", ".docx", ".pdf"))


def _ids(paths: Iterable[Path]) -> list[str]:
    return [p.name for p in paths]


def _html_text(data: bytes) -> str:
    from selectolax.lexbor import LexborHTMLParser

    from govreport.sources.html import _SKIP, decode_html

    tree = LexborHTMLParser(decode_html(data))
    root = tree.body if tree.body is not None else tree.root
    out: list[str] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node is None:
            continue
        if node.tag == "-text":
            out.append(node.text_content or "")
            continue
        if node is not root and (node.tag in _SKIP or (node.tag or "-").startswith("-")):
            continue
        kids = []
        child = node.child
        while child is not None:
            kids.append(child)
            child = child.next
        stack.extend(reversed(kids))
    return "\n".join(out)


def _docx_text(data: bytes) -> str:
    import docx
    from docx.oxml.ns import qn

    body = docx.Document(io.BytesIO(data)).element.body
    return "\n".join(t.text or "" for t in body.iter(qn("w:t")))


def _pdf_text(data: bytes) -> str:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(data)
    try:
        return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()


_SOURCE_TEXT: dict[str, tuple[str, Callable[[bytes], str]]] = {
    ".html": ("selectolax", _html_text),
    ".docx": ("docx", _docx_text),
    ".pdf": ("pypdfium2", _pdf_text),
}


def _check_file(path: Path) -> None:
    data = path.read_bytes()
    if path.suffix in _SOURCE_TEXT:
        module, extract = _SOURCE_TEXT[path.suffix]
        pytest.importorskip(module)
        report = govreport.parse_file(path)
        assert_nothing_lost(extract(data), report, ordered=False)
        return
    report = govreport.parse_file(path)
    assert_nothing_lost(govreport.decode(data), report)


@pytest.mark.parametrize("path", _corpus_files(), ids=_ids(_corpus_files()))
def test_corpus_file_loses_nothing(path: Path) -> None:
    _check_file(path)


def test_the_corpus_is_checked(needs_shared: Path) -> None:
    # Guards the parametrisation above against an empty glob.
    assert len(_corpus_files()) >= 10


_FIXTURES = sorted([*FIXTURES.glob("*.txt"), *(FIXTURES / "fused").glob("*.txt"),
                    *(FIXTURES / "sources").glob("*.*")])
_FIXTURES = [p for p in _FIXTURES if p.suffix in (".txt", ".html", ".docx", ".pdf")]


@pytest.mark.parametrize("path", _FIXTURES, ids=_ids(_FIXTURES))
def test_fixture_loses_nothing(path: Path) -> None:
    _check_file(path)


_COMBINATIONS = [(layout, template) for template in ("2021", "2019")
                 for layout in ("pipe_rows", "pipe_cells", "tab_cells", "tab_rows",
                                *TEXT_LAYOUTS)]
_COMBINATIONS.append(("prose", "freeform"))


@pytest.mark.parametrize(("layout", "template"), _COMBINATIONS)
@pytest.mark.parametrize("seed", range(6))
def test_synthetic_report_loses_nothing(seed: int, layout: str, template: str) -> None:
    text, _ = generate(seed, layout, template, blanks=seed % 2 == 1)
    assert_nothing_lost(text, govreport.parse(text))


# --------------------------------------------------------------------------- the checker


def test_the_checker_sees_a_loss() -> None:
    text = "某局2023年政府信息公开工作年度报告\n一、总体情况\n本年无事。\n"
    report = govreport.parse(text)
    assert_nothing_lost(text, report)
    sections = (attrs.evolve(report.sections[0], text="本年事。"),)
    trimmed = attrs.evolve(report, sections=sections)
    assert lost_chars(text, trimmed) == Counter("无")
    assert lost_lines(text, trimmed) == [(3, "本年无事。")]


def test_chrome_and_diagnostics_count() -> None:
    report = Report(title=None, agency=None, year=None, template="freeform", layout="prose",
                    chrome=(TextLine("分享到", 1),),
                    diagnostics=(govreport.Diagnostic("x", "m", raw="微信"),))
    assert lost_chars("分享到 微信", report) == Counter()
    assert lost_chars("分享到 微博", report) == Counter("博")
    cell = Cell("1", 1, 1)
    assert cell.text in report_strings(attrs.evolve(report, chrome=(TextLine("1", 1),)))
