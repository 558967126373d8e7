"""Table forms: which grid rows make which template table, and reading them.

Rows are sorted into tables by their labels, not by where they stand: each
row goes to the table kind whose vocabulary knows its labels, rows without a
known label follow their neighbours, and consecutive rows of one kind in one
section make one table (a table broken by a page break comes back together).
Within a kind, the form (2019 or 2021) is chosen by the rows only it has, then
by the report's year.
"""

from __future__ import annotations

from collections.abc import Sequence

from attrs import frozen

from govreport.forms.applications import APPLICATIONS_2019, APPLICATIONS_2021
from govreport.forms.base import (
    Form,
    SplitRow,
    TableResult,
    hits,
    lex_rows,
    parse_tokens,
    split_row,
)
from govreport.forms.proactive import PROACTIVE_2019, PROACTIVE_2021
from govreport.forms.review import REVIEW_LITIGATION
from govreport.model import Diagnostic, Grid

__all__ = ["FORMS", "Form", "Tables", "read_tables", "register_form"]

FORMS: list[Form] = []


def register_form(form: Form) -> Form:
    """Add a table form; forms of one kind compete for that kind's tables."""
    FORMS.append(form)
    return form


for _form in (PROACTIVE_2021, PROACTIVE_2019, APPLICATIONS_2021, APPLICATIONS_2019,
              REVIEW_LITIGATION):
    register_form(_form)


@frozen
class Tables:
    """The tables read from a report, by kind, with the diagnostics of reading them."""

    by_kind: dict[str, object]
    forms: dict[str, str]
    diagnostics: tuple[Diagnostic, ...]


def _kinds() -> dict[str, Form]:
    # One vocabulary per kind: forms of a kind share their classifier.
    kinds: dict[str, Form] = {}
    for form in FORMS:
        kinds.setdefault(form.kind, form)
    return kinds


def _row_kind(split: SplitRow, kinds: dict[str, Form]) -> str | None:
    best, best_hits, tie = None, 0, False
    for kind, form in kinds.items():
        h = hits(split, form.classify)
        if h > best_hits:
            best, best_hits, tie = kind, h, False
        elif h == best_hits and h:
            tie = True
    return None if tie else best


def _segments(grids: Sequence[tuple[int, Grid]], kinds: dict[str, Form]
              ) -> list[tuple[str | None, int, list[SplitRow]]]:
    """Consecutive rows of one kind within one section, as (kind, section, rows)."""
    segments: list[tuple[str | None, int, list[SplitRow]]] = []
    for section, grid in grids:
        for row in grid.rows:
            split = split_row(row)
            if split is None:
                continue
            kind = _row_kind(split, kinds)
            if segments and segments[-1][1] == section and kind in (None, segments[-1][0]):
                segments[-1][2].append(split)
            elif segments and segments[-1][1] == section and segments[-1][0] is None:
                segments[-1] = (kind, section, [*segments[-1][2], split])
            else:
                segments.append((kind, section, [split]))
    return segments


def _choose(kind: str, token_types: set[str], year: int | None) -> list[Form]:
    forms = [f for f in FORMS if f.kind == kind]
    return sorted(forms, key=lambda f: (-len(f.markers & token_types),
                                        not (year is not None and year in f.years)))


def read_tables(grids: Sequence[tuple[int, Grid]], year: int | None) -> Tables:
    """Read the template tables from grids, each given with the index of its section."""
    kinds = _kinds()
    diags: list[Diagnostic] = []
    by_kind: dict[str, object] = {}
    forms: dict[str, str] = {}
    for kind, _section, rows in _segments(grids, kinds):
        first = rows[0].row.line
        if kind is None:
            diags.append(Diagnostic("unknown-table", "a table that is none of the template's "
                                    "tables; kept raw in its section", first,
                                    raw=" | ".join(rows[0].row.texts)))
            continue
        if kind in by_kind or kind in forms:
            diags.append(Diagnostic("duplicate-table", f"a second {kind} table; the first is "
                                    "used and this one is kept raw in its section", first))
            continue
        form0 = kinds[kind]
        lexed = lex_rows(rows, form0.classify, form0.header_token)
        for raw in lexed.unknown:
            diags.append(Diagnostic("unrecognised-row", f"a row of the {kind} table with a "
                                    "label the template does not have; kept raw",
                                    raw.line, raw=" | ".join(raw.cells)))
        token_types = {t.type for t in lexed.tokens}
        failure: Diagnostic | None = None
        for form in _choose(kind, token_types, year):
            result = parse_tokens(form, lexed.tokens)
            if isinstance(result, TableResult):
                by_kind[kind] = result.table
                forms[kind] = form.name
                diags.extend(result.diagnostics)
                break
            failure = failure or result
        else:
            forms[kind] = ""
            if failure is not None:
                diags.append(failure)
    return Tables(by_kind, {k: v for k, v in forms.items() if v}, tuple(diags))
