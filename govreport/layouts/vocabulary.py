"""What a cell's text means to the table forms, for layouts that must find rows.

Layouts that lose a table's row structure (one cell per line or per
paragraph, a row's label on one line and its numbers on the next) rebuild
rows from what each cell is: a row label, a column header, a caption, a
number, a blank. The meaning comes from the registered forms' own
vocabularies (``Form.classify``), so a plugin's form is seen as well.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Literal

import attrs

from govreport import registry
from govreport.model import Block, Diagnostic, Document, Grid, GridRow, Value
from govreport.normalize import key, split_number

__all__ = ["Kind", "Meaning", "count_kinds", "cut_last_row", "data_width", "finished", "is_value",
           "join_broken", "meaning", "merge_label_rows", "printed_labels"]

Kind = Literal["blank", "value", "row", "column", "caption", "note", "text"]
"""What a cell is: blank, a number (or dash), a known label of some role, or other text."""

# The forms' own test for a value cell (forms.base): numbers, several run
# together, a unit, or a dash standing for "none".
_NUMERIC = re.compile(r"^[+-]?[\d.,]+(?:[+-][\d.,]+)*(?:万元|元|件|条|次|个|项)?$")
_DASH = frozenset({"-", "--", "—", "——", "–", "―", "/", "\\", "无", "─", "空"})


@attrs.frozen
class Meaning:
    """A cell's kind and, for a row label, how many values its row can hold."""

    kind: Kind
    widths: frozenset[int] = frozenset()


_BLANK = Meaning("blank")
_VALUE = Meaning("value")
_TEXT = Meaning("text")


def is_value(k: str) -> bool:
    """Whether a cell's key is a number (or a dash), as the table forms read it."""
    return k in _DASH or _NUMERIC.match(k) is not None


def meaning(text: str) -> Meaning:
    """What the cell ``text`` is to the registered forms."""
    meanings, kinds = _caches()
    found = meanings.get(text)
    if found is None:
        if len(meanings) >= _CACHE_SIZE:  # bounded: memory stays flat over a corpus
            meanings.clear()
            kinds.clear()
        found = meanings[text] = _meaning(text, registry.forms())
        kinds[text] = found.kind
    return found


def count_kinds(texts: Sequence[str]) -> Counter[str | None]:
    """How many of ``texts`` are of each kind; a C loop over a cache for known texts."""
    kinds = _caches()[1]
    found: list[str | None] = list(map(kinds.get, texts))
    if None in found:
        found = [kind if kind is not None else meaning(text).kind
                 for kind, text in zip(found, texts, strict=True)]
    return Counter(found)


def printed_labels() -> frozenset[str]:
    """The forms' labels as printed, with full- and half-width punctuation, for set lookups."""
    return _printed(registry.forms())


_WIDE = str.maketrans("():,;", "（）：，；")


@lru_cache(maxsize=4)  # a new entry only when a form registers
def _printed(forms: tuple[Any, ...]) -> frozenset[str]:
    labels = {label for form in forms for label in form.labels if label.strip()}
    # Row labels come numbered: 一、… (一)… 1.…
    numbered = {f"{number}{label}" for number in _NUMBERS for label in labels}
    labels |= numbered
    return frozenset(labels | {label.translate(_WIDE) for label in labels})


_NUMBERS = (*(f"{n}、" for n in "一二三四"), *(f"({n})" for n in "一二三四五六七"),
            *(f"{n}." for n in range(1, 9)))


def _caches() -> tuple[dict[str, Meaning], dict[str, str]]:
    """The meanings and kinds of texts seen, for the forms registered now."""
    forms = registry.forms()
    caches = _CACHE.get(forms)
    if caches is None:
        # A form registered since the last call: its labels count from now on.
        _CACHE.clear()
        caches = _CACHE[forms] = ({}, {})
    return caches


_CACHE: dict[tuple[Any, ...], tuple[dict[str, Meaning], dict[str, str]]] = {}
_CACHE_SIZE = 8192


def _meaning(text: str, forms: tuple[Any, ...]) -> Meaning:
    k = key(text)
    if not k:
        return _BLANK
    if is_value(k):
        return _VALUE
    number, rest = split_number(k)
    roles: set[str] = set()
    widths: set[int] = set()
    for form in forms:
        label = form.classify(number, rest)
        if label is None:
            continue
        roles.add(label.role)
        if label.role == "row":
            widths.add(_width(form, label.name))
    if not roles:
        return _TEXT
    # A label that is a row for one form and a header for another (总计) is
    # what the forms decide together; a row counts first, it starts a row.
    for role in ("row", "caption", "column", "note"):
        if role in roles:
            return Meaning(role, frozenset(widths))
    return _TEXT  # pragma: no cover - every role is listed above


def _width(form: Any, token: str) -> int:
    """How many values a row of ``token`` holds in ``form`` (0 for a group heading)."""
    cls = form.rows.get(token.lower())
    if cls is None:
        return 0
    return sum(1 for f in attrs.fields(cls) if f.type is Value)


def join_broken(first: str, second: str) -> bool:
    """Whether two cells are one label broken in two (``商业`` / ``企业``).

    Only when the first is no label by itself and the two together are one.
    """
    a = meaning(first)
    if a.kind != "text":
        return False
    b = meaning(second)
    if b.kind in ("blank", "value"):
        return False
    return meaning(first.strip() + second.strip()).kind not in ("text", "blank", "value")


def merge_label_rows(rows: list[GridRow]) -> list[GridRow]:
    """Join a row of labels only to the row of numbers only that follows it.

    ``行政许可 |`` then ``12 | 0 | 3 |``: a row's label and its numbers written
    on two lines. Only a row whose last label is a template row label with
    values of its own takes the numbers, so a header row never swallows a
    data row.

    A row the template does not have (``行政征收 |`` then ``10 |``) takes them
    too when it stands among data rows, never after a header.
    """
    out: list[GridRow] = []
    for row in rows:
        before = out[-2] if len(out) > 1 else None
        if out and _numbers_only(row) and _labels_only(out[-1], before):
            prev = out.pop()
            out.append(GridRow(prev.cells + row.cells, prev.line))
        else:
            out.append(row)
    return out


def _labels_only(row: GridRow, before: GridRow | None) -> bool:
    texts = [c.text for c in row.cells if c.text.strip()]
    if not texts:
        return False
    kinds = [meaning(t).kind for t in texts]
    if "value" in kinds:
        return False
    last = meaning(texts[-1])
    if last.kind == "row":
        return max(last.widths, default=0) > 0
    if any(k != "text" for k in kinds) or before is None:
        return False
    # Among data rows: the row above has a label and numbers.
    above = [meaning(c.text).kind for c in before.cells]
    return "value" in above and above[0] not in ("value", "blank")


def _numbers_only(row: GridRow) -> bool:
    kinds = [meaning(c.text).kind for c in row.cells]
    return "value" in kinds and all(k in ("value", "blank") for k in kinds)


def finished(blocks: Sequence[Block], layout: str,
             diagnostics: Sequence[Diagnostic] = ()) -> Document:
    """The document of ``blocks``, a row the end of the text cut short left without values."""
    blocks, cut = cut_last_row(blocks, layout)
    return Document(blocks, layout, diagnostics=(*diagnostics, *cut))


def cut_last_row(blocks: Sequence[Block], layout: str) -> tuple[tuple[Block, ...],
                                                                 tuple[Diagnostic, ...]]:
    """The blocks, with the values of a row the end of the text may have cut short dropped.

    An excerpt can end inside a table row. When the last thing in the text
    is a row whose label's row holds more values than it has, its cells are
    not all there, and the forms would take its digits for cells run
    together. The row keeps its labels and the document says why
    (``cut-row``); its values are ``None``.
    """
    if not blocks or not isinstance(blocks[-1], Grid) or not blocks[-1].rows:
        return tuple(blocks), ()
    grid = blocks[-1]
    row = grid.rows[-1]
    cells = row.cells
    labels = 0
    while labels < len(cells) and meaning(cells[labels].text).kind not in ("value", "blank"):
        labels += 1
    if labels == len(cells):
        return tuple(blocks), ()
    if labels == 0:
        return _cut_data_row(blocks, layout)
    last = meaning(cells[labels - 1].text)
    widths = [w for w in last.widths if w > 0]
    filled = [c for c in cells[labels:] if c.text.strip()]
    count = len(cells) - labels
    # A count some form gives the label's row is no sign of a cut (四、合计: a
    # plugin's two columns, Table B's seven).
    if last.kind != "row" or not widths or not filled or count >= max(widths) or count in widths:
        return tuple(blocks), ()
    if not any(meaning(c.text).kind in _LABEL_KINDS for r in grid.rows[:-1] for c in r.cells):
        # A table none of whose other labels a form knows (a plugin's, not
        # installed): its last row's label says nothing of its width.
        return tuple(blocks), ()
    cut = GridRow(cells[:labels], row.line)
    diag = Diagnostic("cut-row", f"the text ends inside row {cells[labels - 1].text!r} "
                      f"({count} of {max(widths)} cells, {layout}); its values "
                      "are None", row.line, raw=" | ".join(c.text for c in cells))
    return (*blocks[:-1], Grid((*grid.rows[:-1], cut), grid.line, grid.end_line)), (diag,)


def _cut_data_row(blocks: Sequence[Block], layout: str) -> tuple[tuple[Block, ...],
                                                                 tuple[Diagnostic, ...]]:
    """Drop a last row of numbers without a label (Table C's) when it has too few cells.

    Its width is that of the table whose form knows every label of the
    header above it: all the value fields of the form's table.
    """
    grid = blocks[-1]
    assert isinstance(grid, Grid)
    row = grid.rows[-1]
    header = next((r for r in reversed(grid.rows[:-1])
                   if any(meaning(c.text).kind in _LABEL_KINDS for c in r.cells)), None)
    if header is None:
        return tuple(blocks), ()
    width = data_width(tuple(c.text for c in header.cells if c.text.strip()))
    if width is None or len(row.cells) >= width:
        return tuple(blocks), ()
    diag = Diagnostic("cut-row", f"the text ends inside a row of numbers ({len(row.cells)} of "
                      f"{width} cells, {layout}); its values are None", row.line,
                      raw=" | ".join(c.text for c in row.cells))
    kept = grid.rows[:-1]
    return (*blocks[:-1], Grid(kept, grid.line, grid.end_line)), (diag,)


_LABEL_KINDS = ("row", "column", "caption", "note")


def data_width(header: tuple[str, ...]) -> int | None:
    """The cells of a data row under ``header``: the value fields of the table every label names.

    ``None`` unless exactly one width fits (the labels of no form, or of several).
    """
    header = tuple(text for text in header if text.strip())
    widths = set()
    for form in registry.forms():
        keys = [split_number(key(text)) for text in header]
        if keys and all(form.classify(number, k) is not None for number, k in keys):
            widths.add(sum(_width(form, name.upper()) for name in form.rows))
    return widths.pop() if len(widths) == 1 else None
