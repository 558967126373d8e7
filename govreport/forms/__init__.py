"""Table forms: which grid rows make which template table, and reading them.

Rows are sorted into tables by their labels, not by where they stand: each
row goes to the table kind whose vocabulary knows its labels, rows without a
known label follow their neighbours, and consecutive rows of one kind in one
section make one table (a table broken by a page break comes back together).
Within a kind, the form (2019 or 2021) is chosen by the rows only it has, then
by the report's year, then the newest.

The forms are those of :mod:`govreport.registry`: govreport's own and any
plugin's, declared as ``govreport.forms`` entry points. A table fills the
``Report`` field named by its kind when that field takes its class, else it
goes to ``Report.extra_tables`` (:func:`place_tables`).
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from operator import itemgetter
from typing import Any

import attrs
from attrs import frozen

from govreport import registry
from govreport.forms.base import (
    Form,
    Label,
    SplitRow,
    TableResult,
    parse_tokens,
    split_row,
)
from govreport.model import Diagnostic, Grid, Report

__all__ = [
    "Form",
    "Label",
    "Tables",
    "available",
    "place_tables",
    "read_tables",
    "register_form",
    "report_slot",
]


def register_form(form: Form) -> Form:
    """Add a table form in this process; forms of one kind compete for that kind's tables.

    Plugins are declared as ``govreport.forms`` entry points instead (see
    :mod:`govreport.registry`); this is for tests and notebooks. The last
    registration of a name wins.
    """
    return registry.register(form)


def available() -> tuple[Form, ...]:
    """Every registered table form (built-ins first, then plugins), loaded on first use."""
    return registry.forms()


def report_slot(form: Form) -> str | None:
    """The :class:`Report` field a table of ``form`` fills; ``None``: ``Report.extra_tables``.

    A table goes to the field named by its form's kind when that field's type
    admits the table's class (``applications`` takes ``Applications2021``);
    any other table, a plugin's own or a new version of a template table,
    goes to ``Report.extra_tables``.
    """
    field = attrs.fields_dict(Report).get(form.kind)
    if field is not None and form.table in typing.get_args(field.type):
        return form.kind
    return None


def place_tables(by_kind: Mapping[str, object]) -> tuple[dict[str, Any], tuple[Any, ...]]:
    """Split tables read by kind into Report fields and ``Report.extra_tables``."""
    slots: dict[str, Any] = {}
    extra: list[Any] = []
    forms = {f.table: f for f in available()}
    for table in by_kind.values():
        form = forms.get(type(table))
        slot = report_slot(form) if form is not None else None
        if slot is not None:
            slots[slot] = table
        else:
            extra.append(table)
    return slots, tuple(extra)


@frozen
class Tables:
    """The tables read from a report, by kind, with the forms that read them and the diagnostics."""

    by_kind: dict[str, object]
    forms: dict[str, Form]
    diagnostics: tuple[Diagnostic, ...]


LabelKeys = tuple[tuple[str | None, str], ...]
"""A row's labels as (numbering, key without numbering)."""


@lru_cache(maxsize=4)  # a new entry only when a form registers
def _vocabulary(forms: tuple[Form, ...]) -> tuple[dict[str, Form],
                                                   Callable[[LabelKeys], str | None]]:
    """The forms by kind, and the kind a row's labels make, for these registered forms."""
    # One vocabulary per kind: forms of a kind share their classifier.
    kinds: dict[str, Form] = {}
    for form in forms:
        kinds.setdefault(form.kind, form)
    vocabularies = tuple((kind, form.classify) for kind, form in kinds.items())

    # Template labels repeat in every report: a row's kind is worked out once
    # per label sequence. One cache per set of forms, so that a form
    # registered later counts and the key is the labels alone.
    @lru_cache(maxsize=4096)  # bounded: memory stays flat over a corpus (docs/corpus.md)
    def kind_of_labels(labels: LabelKeys) -> str | None:
        best, best_hits, tie = None, 0, False
        for kind, classify in vocabularies:
            h = sum(1 for number, k in labels if classify(number, k) is not None)
            if h > best_hits:
                best, best_hits, tie = kind, h, False
            elif h == best_hits and h:
                tie = True
        return None if tie else best

    return kinds, kind_of_labels


_NUMBERING_AND_KEY = itemgetter(1, 2)


def _segments(grids: Sequence[tuple[int, Grid]], kind_of_labels: Callable[[LabelKeys], str | None]
              ) -> list[tuple[str | None, int, list[SplitRow]]]:
    """Consecutive rows of one kind within one section, as (kind, section, rows)."""
    segments: list[tuple[str | None, int, list[SplitRow]]] = []
    for section, grid in grids:
        for row in grid.rows:
            split = split_row(row)
            if split is None:
                continue
            kind = kind_of_labels(tuple(map(_NUMBERING_AND_KEY, split.labels)))
            if segments and segments[-1][1] == section and kind in (None, segments[-1][0]):
                segments[-1][2].append(split)
            elif segments and segments[-1][1] == section and segments[-1][0] is None:
                segments[-1] = (kind, section, [*segments[-1][2], split])
            else:
                segments.append((kind, section, [split]))
    return segments


def _choose(kind: str, token_types: set[str], year: int | None) -> list[Form]:
    forms = [f for f in available() if f.kind == kind]
    # Newest template first on a tie, whatever order the forms registered in.
    return sorted(forms, key=lambda f: (-len(f.markers & token_types),
                                        not (year is not None and year in f.years),
                                        -f.years.start, f.name))


def read_tables(grids: Sequence[tuple[int, Grid]], year: int | None) -> Tables:
    """Read the template tables from grids, each given with the index of its section."""
    kinds, kind_of_labels = _vocabulary(available())
    diags: list[Diagnostic] = []
    by_kind: dict[str, object] = {}
    forms: dict[str, Form] = {}
    failed: set[str] = set()  # kinds none of whose forms read their table
    for kind, _section, rows in _segments(grids, kind_of_labels):
        first = rows[0].row.line
        if kind is None:
            diags.append(Diagnostic("unknown-table", "a table that is none of the template's "
                                    "tables; kept raw in its section", first,
                                    raw=" | ".join(rows[0].row.texts)))
            continue
        if kind in forms or kind in failed:
            diags.append(Diagnostic("duplicate-table", f"a second {kind} table; the first is "
                                    "used and this one is kept raw in its section", first))
            continue
        form0 = kinds[kind]
        lexed = form0.lex(rows)
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
                forms[kind] = form
                diags.extend(result.diagnostics)
                break
            failure = failure or result
        else:
            failed.add(kind)
            if failure is not None:
                diags.append(failure)
    return Tables(by_kind, forms, tuple(diags))
