"""What every table form shares: rows lexed by label, cells aligned, values read.

A *form* is one table of one template (``applications_2021`` …): a grammar in
``grammars/<form>.lark``, a label vocabulary, and the attrs class it fills.
The grid's rows become tokens named by their normalised label (the label
decides the token, the value cells ride along); the grammar states which rows
in which order and nesting make the table; the transformer, generated from
the form's attrs class, fills it as the LALR parser reduces.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from functools import cached_property, lru_cache
from typing import Any, Literal, cast

import attrs
from attrs import frozen
from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedInput

from govreport.arithmetic import Relation, evaluate
from govreport.errors import GovReportError
from govreport.forms.digits import Pending, is_fused, is_short, relation_keys, solve
from govreport.frozen import quick_init
from govreport.grammar import Traversable, build_parser, token
from govreport.grammar import parse_tokens as run_parser
from govreport.model import Cell, Diagnostic, GridRow, RawRow, Value
from govreport.normalize import CellKind, key, parse_cell, split_number

__all__ = [
    "Form",
    "Label",
    "RowData",
    "RowResult",
    "SplitRow",
    "TableResult",
    "align",
    "has_text",
    "kind_of",
    "lex_rows",
    "read_value",
    "split_row",
]

Role = Literal["row", "column", "caption", "note"]


@frozen
class Label:
    """What a label cell means in a table kind: a row, a column header or a caption."""

    role: Role
    name: str


Classifier = Callable[[str | None, str], Label | None]
"""Maps a label's (numbering, key without numbering) to its meaning, or None."""


@quick_init
@frozen
class RowData:
    """The value a row token carries: its label as written and its value cells."""

    label: str | None
    cells: tuple[Cell, ...]
    line: int
    columns: tuple[str, ...] = ()


@quick_init
@frozen
class RowResult:
    """A row the grammar placed: the field it fills and the row that fills it."""

    field: str
    row: RowData | None
    columns: tuple[str, ...] | None = None


@frozen
class TableResult:
    """A filled table and what the form had to say about it."""

    table: Any
    diagnostics: tuple[Diagnostic, ...]


# A number, or several run together ("2648-18538", a signed change fused with its neighbours).
# One sign per group, so a long run that fails to match cannot backtrack
# through every way of cutting it into groups (a fuzzer's 30-second input).
_NUMERIC = re.compile(r"^[+-]?[\d.,]+(?:[+-][\d.,]+)*(?:万元|元|件|条|次|个|项)?$")
_DASH = frozenset({"-", "--", "—", "——", "–", "―", "/", "\\", "无", "─"})


def _is_value_text(k: str) -> bool:
    return k in _DASH or _NUMERIC.match(k) is not None


@quick_init
@frozen
class SplitRow:
    """A grid row cut into its label cells (with their keys) and its value cells."""

    row: GridRow
    labels: tuple[tuple[Cell, str | None, str], ...]
    values: tuple[Cell, ...]


def split_row(row: GridRow) -> SplitRow | None:
    """Cut ``row`` after its last leading non-numeric cell; ``None`` for an empty row.

    Leading empty cells (a label column merged away) are skipped; a number
    ends the labels.
    """
    cells = row.cells
    labels: list[tuple[Cell, str | None, str]] = []
    last_label = -1
    for i, cell in enumerate(cells):
        reading = _reading(cell.text)
        if reading is _BLANK:
            continue
        if reading is _VALUE:
            break
        labels.append((cell, *reading))
        last_label = i
    else:
        if not labels:
            return None  # blank
    return SplitRow(row, tuple(labels), cells[last_label + 1:])


_BLANK = (None, "")
_VALUE = (None, "0")


@lru_cache(maxsize=8192)  # bounded: memory stays flat over a corpus (docs/corpus.md)
def _reading(text: str) -> tuple[str | None, str]:
    """A cell's text as split_row reads it: ``_BLANK``, ``_VALUE`` or (numbering, key).

    Labels and small numbers repeat in every report: each is read once.
    """
    k = key(text)
    if not k:
        return _BLANK
    if _is_value_text(k):
        return _VALUE
    return split_number(k)


@frozen
class LexedRows:
    """A table's rows as tokens, plus the rows no label explained."""

    tokens: tuple[Token, ...]
    unknown: tuple[RawRow, ...]


def lex_rows(rows: Iterable[SplitRow], classify: Classifier,
             header_token: Callable[[tuple[str, ...]], str]) -> LexedRows:
    """Turn rows into row tokens by their labels.

    A row whose last row label is ``X`` becomes token ``X`` carrying its value
    cells (earlier row labels on the same row, like 三、本年度办理结果 before
    （一）予以公开, become ``X_GROUP`` tokens); a caption row becomes its
    caption token; a row of column names becomes a header token; a row of
    numbers without a label becomes ``DATA``.
    """
    out: list[Token] = []
    unknown: list[RawRow] = []
    groups: set[str] = set()
    for split in rows:
        line = split.row.line
        row_labels: list[tuple[Cell, Label]] = []
        known: list[Label] = []
        for cell, number, k in split.labels:
            lab = classify(number, k)
            if lab is not None:
                known.append(lab)
                if lab.role == "row":
                    row_labels.append((cell, lab))
        if row_labels:
            # A group label seen before is a page break repeating it; the
            # grid keeps it, the grammar need not see it twice.
            cell, lab = row_labels.pop()
            for _, group in row_labels:
                if group.name not in groups:
                    groups.add(group.name)
                    out.append(token(f"{group.name}_GROUP", RowData(None, (), line)))
            if not has_text(split.values):
                if lab.name in groups:
                    continue
                groups.add(lab.name)
            out.append(token(lab.name, RowData(cell.text, split.values, line)))
        elif known:
            captions = [lab for lab in known if lab.role == "caption"]
            if captions:
                out.append(token(captions[-1].name, RowData(None, (), line)))
            cols = tuple(lab.name for lab in known if lab.role == "column")
            if cols or not captions:
                out.append(token(header_token(cols), RowData(None, (), line, cols)))
        elif not split.labels:
            out.append(token("DATA", RowData(None, split.values, line)))
        else:
            unknown.append(RawRow(split.row.texts, line, "unrecognised row label"))
    return LexedRows(tuple(out), tuple(unknown))


def has_text(cells: Iterable[Cell]) -> bool:
    """Whether any of ``cells`` is not blank."""
    # A loop rather than any() over a generator, which costs more than the
    # check itself: every row is checked.
    for c in cells:  # noqa: SIM110
        if c.text.strip():
            return True
    return False


def align(cells: Sequence[Cell], n: int) -> tuple[tuple[Cell | None, ...] | None, str]:
    """Fit a row's value cells to its ``n`` columns.

    Merged cells leave empty cells at either end of a row (``229 | ||``, a
    label spanning two columns). Empty end cells are dropped when exactly one
    way of dropping them fits, or when every way gives the same cells. Else
    the row is ambiguous: ``(None, reason)``; the caller must not guess.
    """
    if len(cells) == n:
        return tuple(cells), ""
    if not cells:
        return (None,) * n, ""
    if len(cells) < n:
        return None, f"{len(cells)} cells for {n} columns"
    if cells[0].text.strip():
        # The usual case, a row running on into empty cells: with its first
        # cell kept, the only way left is to drop cells at the end.
        for c in cells[n:]:
            if c.text.strip():
                return None, f"{len(cells)} non-empty cells for {n} columns"
        return tuple(cells[:n]), ""
    extra = len(cells) - n
    texts = [c.text.strip() for c in cells]
    options: list[tuple[Cell, ...]] = []
    seen: set[tuple[str, ...]] = set()
    for lead in range(extra + 1):
        trail = extra - lead
        dropped = texts[:lead] + texts[len(texts) - trail:]
        if any(dropped):
            continue
        kept = tuple(cells[lead:len(cells) - trail])
        sig = tuple(texts[lead:len(cells) - trail])
        if sig not in seen:
            seen.add(sig)
            options.append(kept)
    if len(options) == 1:
        return options[0], ""
    if not options:
        return None, f"{len(cells)} non-empty cells for {n} columns"
    return None, f"{len(cells)} cells for {n} columns, empty cells at both ends"


def kind_of(column: str) -> CellKind:
    """What a column of a table class holds, from its field name."""
    if column == "net_change":
        return "signed"
    if column.startswith("amount"):
        return "amount"
    return "count"


def _value_fields(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in attrs.fields(cls) if f.type is Value)


class _FormTransformer(Transformer[Token, TableResult]):
    """Callbacks shared by all forms; per-form subclasses add one per row field."""

    form: Form

    def __getattr__(self, name: str) -> Callable[[list[Any]], list[Any]]:
        # Rules imported from another grammar arrive namespaced (common__rule).
        if "__" in name.strip("_"):
            return getattr(self, name.rsplit("__", 1)[1])  # type: ignore[no-any-return]
        # Grammar rules named block_* and group_* need no method of their own.
        if name.startswith("block_"):
            return self._block
        if name.startswith("group_"):
            return self._group
        raise AttributeError(name)

    def _block(self, children: list[Any]) -> list[Any]:
        header = next((c for c in children if isinstance(c, Token) and c.value.columns), None)
        out: list[Any] = []
        for c in _flatten(children):
            if isinstance(c, RowResult) and header is not None:
                c = RowResult(c.field, c.row, header.value.columns)
            out.append(c)
        return out

    def _group(self, children: list[Any]) -> list[Any]:
        return _flatten(children)

    def start(self, children: list[Any]) -> TableResult:
        return self.form.assemble(_flatten(children))


def _flatten(items: Iterable[Any]) -> list[Any]:
    out: list[Any] = []
    for item in items:
        if isinstance(item, list):
            out += _flatten(item)
        else:
            out.append(item)
    return out


class Form:
    """One table of one template: its grammar, vocabulary and attrs class.

    Args:
        name: the form's name, also its grammar file ``grammars/<name>.lark``.
        table: the attrs class the form fills (its fields are the rows).
        classify: the label vocabulary.
        markers: tokens only this form's version of the table has; they pick
            the form when several forms read the same table kind.
        years: the report years the template was in force, for ties.
        templates: the national templates (``"2019"``, ``"2021"``) whose
            report has this table; a report's template is inferred from
            them, and :func:`govreport.check` asks a report of that
            template for the form's table. Empty for a plugin's table.
        header_token: names a header row's token from its column names.
        fixed_columns: the table's columns never vary (Table B, Table C).
        labels: the label texts of the template as printed (rows, column
            headers, captions), for layouts that must find labels inside
            running text; forms of one kind may share them.
        relations: the arithmetic among the table's cells, over flat keys;
            :func:`govreport.check` reports a finding for each, under the
            relation's own code, and its errors split run-together digits.
        series_relations: the arithmetic between this year's table and the
            agency's report of the year before (keys of that year carry
            :data:`govreport.arithmetic.PREVIOUS`), for
            :func:`govreport.check_series` and :func:`govreport.compare`.
        grammars: the folder holding ``<name>.lark`` (a plugin's
            ``importlib.resources.files(...)``); default govreport's grammars.
        description: one line for ``govreport layouts``; default the first
            line of the table class's docstring.

    """

    def __init__(
        self,
        name: str,
        table: type,
        *,
        kind: str,
        classify: Classifier,
        markers: frozenset[str],
        years: range,
        templates: frozenset[str] = frozenset(),
        header_token: Callable[[tuple[str, ...]], str] = lambda cols: "HEADER",
        fixed_columns: bool = True,
        labels: tuple[str, ...] = (),
        relations: Sequence[Relation] = (),
        series_relations: Sequence[Relation] = (),
        grammars: Traversable | None = None,
        description: str | None = None,
    ) -> None:
        self.name = name
        self.table = table
        self.kind = kind
        self.classify = classify
        self.markers = markers
        self.years = years
        self.templates = templates
        self.header_token = header_token
        self.fixed_columns = fixed_columns
        self.labels = labels
        self.relations = tuple(relations)
        self.series_relations = tuple(series_relations)
        # What splitting run-together digits may rely on: the relations every
        # honest table satisfies, this form's own (a plugin's included).
        self.hard_relations = tuple(r for r in self.relations if r.severity == "error")
        self.grammars = grammars
        doc = (table.__doc__ or "").strip().splitlines()
        self.description = description if description is not None else (doc[0] if doc else "")
        self.prefix: str = table.flat_prefix  # type: ignore[attr-defined]
        self.rows: dict[str, type] = {
            f.name: f.type for f in attrs.fields(table)
            if isinstance(f.type, type) and attrs.has(f.type)
        }
        self._specs = {name: _RowSpec(cls, f"{self.prefix}{name}")
                       for name, cls in self.rows.items()}
        methods: dict[str, Any] = {"form": self}
        for field_name in self.rows:
            methods[field_name] = _field_callback(field_name)
        self._transformer = type(f"{name}_transformer", (_FormTransformer,), methods)()

    def lex(self, rows: Iterable[SplitRow]) -> LexedRows:
        """Turn a table's rows into the tokens of the form's grammar.

        By default rows are tokens named by their labels (:func:`lex_rows`);
        a form whose rows are open-ended names them by their shape instead.
        """
        return lex_rows(rows, self.classify, self.header_token)

    def parser(self) -> Lark:
        """The form's LALR parser (built once per process)."""
        return build_parser(self.name, self._transformer, self.grammars)

    def row_tokens(self) -> dict[str, str]:
        """Each row field of the table class and the grammar token of its row.

        Derived, never spelled out: the token is the field's name upper-cased
        (``granted`` → ``GRANTED``), and the grammar has a rule of the field's
        name placing it. A form whose grammar does not place rows by their
        labels returns ``{}``.
        """
        return {f: f.upper() for f in self.rows}

    def grammar_problems(self) -> list[str]:
        """Where the form's table class and its grammar disagree (empty: they agree).

        Checked when the grammar loads (the first table the form reads), so a
        row spelt differently in the model and in the grammar fails at once
        instead of leaving its values ``None``.
        """
        parser = self.parser()
        rules = {rule.origin.name.rsplit("__", 1)[-1] for rule in parser.rules}
        terminals = {sym.name.rsplit("__", 1)[-1]
                     for rule in parser.rules for sym in rule.expansion if sym.is_term}
        problems: list[str] = []
        for field_name, token_name in self.row_tokens().items():
            if field_name not in rules:
                problems.append(f"no rule {field_name!r} for the row {self.prefix}{field_name}")
            if token_name not in terminals:
                problems.append(f"no token {token_name} for the row {self.prefix}{field_name}")
        return problems

    @cached_property
    def _terminals(self) -> dict[str, str]:
        problems = self.grammar_problems()
        if problems:
            raise GovReportError(f"table form {self.name!r}: its grammar does not match "
                                 f"{self.table.__name__}: " + "; ".join(problems))
        # Terminals imported from a shared grammar are namespaced by Lark
        # (applications_common__GRANTED); tokens are named without it.
        names = {sym.name for rule in self.parser().rules for sym in rule.expansion if sym.is_term}
        return {n.rsplit("__", 1)[-1]: n for n in names}

    def parse(self, tokens: Sequence[Token]) -> TableResult:
        """Fill the table from row tokens; raises lark's UnexpectedInput on misplaced rows."""
        names = self._terminals
        typed = [t if names.get(t.type, t.type) == t.type else token(names[t.type], t.value)
                 for t in tokens]
        # The inline transformer makes parse() return a TableResult, not a tree.
        return cast(TableResult, run_parser(self.parser(), typed))

    # -- assembling ----------------------------------------------------------

    def assemble(self, items: list[Any]) -> TableResult:
        """Build the attrs table from the rows the grammar placed."""
        diags: list[Diagnostic] = []
        rows: dict[str, Any] = {}
        first: dict[str, RowData] = {}
        extra: list[RawRow] = []
        pending: list[Pending] = []
        short: list[str] = []  # rows whose digits are too few for their columns
        unsure: list[str] = []  # rows with fewer filled cells than columns, placed all the same
        for item in items:
            if isinstance(item, Token):
                data: RowData = item.value
                if item.type.endswith("_GROUP") or item.type in ("DATA",) or not data.cells:
                    continue
                if has_text(data.cells):
                    # A group heading with numbers: a subtotal the template does not have.
                    extra.append(RawRow((data.label or "", *(c.text for c in data.cells)),
                                        data.line, "subtotal row not in the template"))
                    diags.append(Diagnostic(
                        "extra-row", f"row {data.label!r} is not part of the {self.name} "
                        "template; kept in extra_rows", data.line, raw=data.label))
                continue
            if not isinstance(item, RowResult) or item.row is None:
                continue
            if item.field in rows and _cell_texts(first[item.field]) == _cell_texts(item.row):
                continue  # the same row again, as a page break repeats it
            if item.field in rows:
                # Two rows for one field: neither can be trusted over the other.
                diags.append(Diagnostic("duplicate-row", f"row {item.field} appears twice; "
                                        "its values are None", item.row.line, raw=item.row.label))
                spec = self._specs[item.field]
                rows[item.field] = spec.build(item.row, {
                    f: Value(note="ambiguous") for f in spec.fields})
                # Nor may the solver split the first one, or lean on it for the others.
                pending = [p for p in pending if p.field != item.field]
                continue
            rows[item.field] = self._build_row(item, diags, pending, short, unsure)
            first[item.field] = item.row
        if pending:
            rows = self._split_fused(rows, pending, diags, short)
        if unsure:
            rows = self._check_placed(rows, first, unsure, diags)
        for field_name in self.rows:
            if field_name not in rows:
                diags.append(Diagnostic(
                    "missing-row", f"no row for {self.prefix}{field_name} in the {self.name} "
                    "table; its values are None", None, path=f"{self.prefix}{field_name}"))
        table = self.table(**rows, extra_rows=tuple(extra))
        return TableResult(table, tuple(diags))

    def _split_fused(self, rows: dict[str, Any], pending: list[Pending],
                     diags: list[Diagnostic], short: Sequence[str] = ()) -> dict[str, Any]:
        """Give the rows whose digits ran together the values the solver settles on."""
        # Only the cells the form's relations read can help the solver.
        needed = relation_keys(self.hard_relations)
        known: dict[str, Any] = {}
        for field_name, row in rows.items():
            if isinstance(row, _Fused):
                continue
            for f, _, path in self._specs[field_name].columns:
                if path in needed:
                    known[path] = getattr(row, f).value
        blanks = f"{', '.join(short)} has too few digits for its columns" if short else None
        solution = solve(self.hard_relations, pending, known, blanks=blanks)
        diags.extend(solution.diagnostics)
        out = dict(rows)
        values = solution.values
        for p in pending:
            assert p.field is not None
            spec = self._specs[p.field]
            fused: _Fused = out[p.field]
            out[p.field] = spec.build(fused.data, {
                column: values[key] for column, (key, _) in zip(fused.columns, p.targets,
                                                                strict=True)})
        return out

    def _check_placed(self, rows: dict[str, Any], data: dict[str, RowData],
                      unsure: Sequence[str], diags: list[Diagnostic]) -> dict[str, Any]:
        """None for the rows in ``unsure`` that break their own arithmetic where they are.

        A row with fewer filled cells than columns is read as if its empty
        cells were its blanks; had the extraction dropped a blank cell, or run
        two values into one, its values sit in the wrong columns. The form's
        hard relations tell: one they break is no longer trusted to be the
        report's own mistake. A relation between rows is asked only when the
        row is the one unsure row it reads.
        """
        if not self.hard_relations:
            return rows
        values: dict[str, Any] = {}
        for field_name, row in rows.items():
            for f, _, path in self._specs[field_name].columns:
                values[path] = getattr(row, f).value
        out = dict(rows)
        owner = {path: field_name for field_name in dict.fromkeys(unsure)
                 for _, _, path in self._specs[field_name].columns}
        for field_name in dict.fromkeys(unsure):
            spec = self._specs[field_name]
            mine = {path for _, _, path in spec.columns}
            # A relation between rows that fails is blamed on this row only
            # when no other row it reads is unsure: else it may be any of them.
            broken = sorted({r.code for r in self.hard_relations
                             if not mine.isdisjoint(r.keys)
                             and all(owner.get(k, field_name) == field_name for k in r.keys)
                             and evaluate(r, values) is False})
            shifted = _total_moved(self.hard_relations, [path for _, _, path in spec.columns],
                                   values)
            if not broken and not shifted:
                continue
            row = data[field_name]
            why = (f"breaks the table's arithmetic ({', '.join(broken)})" if broken else
                   f"leaves its total blank while its last value is the sum of the others "
                   f"({shifted})")
            diags.append(Diagnostic(
                "ambiguous-cells", f"{spec.path} has fewer filled cells than columns and, read "
                f"so, {why}: a blank cell may have been dropped or two values run together; "
                "its values are None", row.line,
                raw=" | ".join(c.text for c in row.cells), path=spec.path))
            out[field_name] = spec.build(row, {f: Value(note="ambiguous") for f in spec.fields})
        return out

    def _build_row(self, item: RowResult, diags: list[Diagnostic],
                   pending: list[Pending], short: list[str], unsure: list[str]) -> Any:
        spec = self._specs[item.field]
        fields = spec.fields
        data = item.row
        assert data is not None
        columns = fields
        path = spec.path
        if item.columns and not self.fixed_columns and item.columns != fields:
            if set(item.columns) <= set(fields) and len(item.columns) == len(fields):
                columns = item.columns
            elif not set(item.columns) <= set(fields):
                diags.append(Diagnostic(
                    "column-mismatch", f"the header's columns {list(item.columns)} do not fit "
                    f"{path} ({list(fields)}); its values are None", data.line, path=path))
                return spec.build(data, {f: Value(note="column mismatch") for f in fields})
        cells = data.cells
        aligned, reason = align(cells, len(columns))
        if aligned is not None and _run_together(cells, len(columns)):
            # Its cells were placed by taking the empty ones at its end for
            # blanks; with two values in one cell, a blank may as well have
            # been dropped before it, and every cell after may be misplaced.
            cells = tuple(c for c in cells if c.text.strip())
            aligned, reason = None, (f"{len(cells)} cells for {len(columns)} columns, one "
                                     "holding values run together")
        columns_read = spec.columns if columns is fields else spec.columns_of(columns)
        if aligned is None and is_fused(cells, len(columns)):
            targets = spec.targets if columns is fields else _targets(columns_read)
            pending.append(Pending(targets, tuple(c for c in cells if c.text.strip()),
                                   data.line, item.field))
            return _Fused(data, columns)
        if aligned is None:
            if is_short(cells, len(columns)):
                short.append(path)
            raw = " | ".join(c.text for c in data.cells)
            diags.append(Diagnostic(
                "ambiguous-cells", f"cannot tell which cell of {path} is which ({reason}); "
                "its values are None", data.line, raw=raw, path=path))
            return spec.build(data, {f: Value(note="ambiguous") for f in fields})
        values = _read_values(columns_read, aligned, diags)
        if _filled(aligned) < len(columns) and _filled(data.cells) > 0:
            unsure.append(item.field)
        if columns is fields:
            return spec.build_ordered(data, values)
        return spec.build(data, dict(zip(columns, values, strict=True)))


# Two numbers in one cell: digits split by spaces, or a run that starts with 0
# and goes on (no value is written so, "03" is 0 and 3).
_TWO_IN_ONE = re.compile(r"\d[\s\u3000]+[+-]?\d|(?<![\d.])0\d")


def _total_moved(relations: Sequence[Relation], keys: Sequence[str],
                 values: dict[str, Any]) -> str | None:
    """The code of a row's own total that reads as moved into the cell before it, or None.

    ``总计 | blank`` with the last filled value the sum of the others is what a
    row looks like when a blank cell was dropped before its total.
    """
    mine = set(keys)
    for r in relations:
        if r.op != "==" or len(r.left) != 1 or not mine.issuperset(r.keys) \
                or values.get(r.left[0]) is not None:
            continue
        parts = [values.get(k) for k in keys if k in r.right]
        filled = [v for v in parts if v is not None]
        # Zeros add up to zero anyway: only where a blank sits among them.
        gap = bool(filled) and max(i for i, v in enumerate(parts) if v is not None) >= len(filled)
        if len(filled) >= 2 and (filled[-1] or gap) and filled[-1] == sum(filled[:-1]):
            return r.code
    return None


def _filled(cells: Sequence[Cell | None]) -> int:
    return sum(1 for c in cells if c is not None and c.text.strip())


def _run_together(cells: Sequence[Cell], n: int) -> bool:
    """Whether a row with fewer filled cells than its ``n`` columns has two values in a cell."""
    filled = [c for c in cells if c.text.strip()]
    return len(filled) < n and any(_TWO_IN_ONE.search(c.text.strip()) for c in filled)


class _Fused:
    """Stands for a row whose digits ran together until the solver has split them."""

    __slots__ = ("columns", "data")

    def __init__(self, data: RowData, columns: tuple[str, ...]) -> None:
        self.data = data
        self.columns = columns  # the row's fields, in the order of the pending targets


class _RowSpec:
    """What building one row class needs, worked out once per form rather than per row."""

    def __init__(self, cls: type, path: str) -> None:
        self.cls = cls
        self.path = path
        self.fields = _value_fields(cls)
        self.columns = self.columns_of(self.fields)
        self.targets = _targets(self.columns)
        self.has_label = "label" in attrs.fields_dict(cls)
        # A class whose __init__ takes the values, then the label, is called
        # positionally: cheaper than keywords, and a report builds dozens of rows.
        params = [a.name for a in attrs.fields(cls) if a.init and not a.kw_only]
        self.ordered = params == [*self.fields, *(("label",) if self.has_label else ())]

    def columns_of(self, columns: tuple[str, ...]) -> tuple[tuple[str, CellKind, str], ...]:
        return tuple((c, kind_of(c), f"{self.path}.{c}") for c in columns)

    def build(self, data: RowData, values: dict[str, Value]) -> Any:
        if self.has_label:
            return self.cls(**values, label=data.label)
        return self.cls(**values)

    def build_ordered(self, data: RowData, values: Sequence[Value]) -> Any:
        """The row from its values in the order of ``fields``."""
        if not self.ordered:
            return self.build(data, dict(zip(self.fields, values, strict=True)))
        if self.has_label:
            return self.cls(*values, data.label)
        return self.cls(*values)


def _targets(columns: Iterable[tuple[str, CellKind, str]]) -> tuple[tuple[str, CellKind], ...]:
    """What the solver fills for a row read in ``columns``: (flat key, kind) in column order."""
    return tuple((path, kind) for _, kind, path in columns)


def _cell_texts(row: RowData | None) -> tuple[str, ...]:
    return tuple(c.text.strip() for c in row.cells) if row is not None else ()


def _field_callback(name: str) -> Callable[[Any, list[Token]], RowResult]:
    def callback(self: _FormTransformer, children: list[Token]) -> RowResult:
        return RowResult(name, children[-1].value if children else None)
    callback.__name__ = name
    return callback


def read_value(cell: Cell | None, kind: CellKind, path: str, diags: list[Diagnostic]) -> Value:
    """The Value of a cell read as ``kind``; an unreadable cell is None with a diagnostic."""
    if cell is None:
        return Value(note="no cell")
    parsed = parse_cell(cell.text, kind)
    if parsed.problem:
        diags.append(Diagnostic("unreadable-cell", f"{path}: {parsed.problem}; value is None",
                                cell.line, cell.column, cell.text, path))
        return Value(None, cell.text, cell.line, cell.column, note="unreadable")
    value: int | Decimal | None = parsed.value
    return Value(value, cell.text, cell.line, cell.column, parsed.unit, parsed.note)


def _read_values(columns: Sequence[tuple[str, CellKind, str]], cells: Sequence[Cell | None],
                 diags: list[Diagnostic]) -> list[Value]:
    """:func:`read_value` of each cell, read as its column says: (field, kind, path)."""
    return [read_value(cell, kind, path, diags)
            for (_, kind, path), cell in zip(columns, cells, strict=True)]


def parse_tokens(form: Form, tokens: Sequence[Token]) -> TableResult | Diagnostic:
    """Parse with ``form``; a misplaced row gives a diagnostic instead of a table."""
    try:
        return form.parse(tokens)
    except UnexpectedInput as e:
        tok = getattr(e, "token", None)
        data = getattr(tok, "value", None)
        line = data.line if isinstance(data, RowData) else None
        label = data.label if isinstance(data, RowData) else None
        kind = str(getattr(tok, "type", "end of table")).rsplit("__", 1)[-1]
        return Diagnostic("table-structure", f"the rows do not follow the {form.name} template "
                          f"(unexpected {kind}); the table's "
                          "values are None", line, raw=label)
