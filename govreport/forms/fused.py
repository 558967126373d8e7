"""Splitting run-together digits by the template's arithmetic.

Crawler text loses the borders between cells, so a row of Table B can
arrive as ``640020470`` for seven values. The template fixes how many values
each row holds and how they relate (:mod:`govreport.arithmetic`), and cells
never start with a 0 unless they are 0, so most runs can be split in only
one way. This module enumerates the splits a row allows, keeps the
combinations of rows that satisfy every hard relation, and gives a value only
where all surviving candidates agree; it never picks one of several.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from functools import lru_cache

import attrs
from attrs import frozen

from govreport.arithmetic import Relation, evaluate, relations
from govreport.model import Cell, Diagnostic, Value
from govreport.normalize import CellKind

__all__ = ["Pending", "Solution", "candidates", "is_fused", "pieces", "relation_keys", "solve"]

Number = int | Decimal

MAX_ROW_CANDIDATES = 5000
"""A row with more splits than this is left unsplit (``None``)."""
MAX_NODES = 200_000
"""Search budget for combining rows; past it, every undecided cell is ``None``."""
MAX_SOLUTIONS = 64
_SHOWN = 4  # candidates listed in a diagnostic

_PIECE = re.compile(r"[+-]?\d[\d.]*(?:万元|元)?")
_FUSED_CELL = re.compile(r"(?:[+-]?\d[\d.]*(?:万元|元)?)+")
_COUNT = re.compile(r"0|[1-9]\d*")
_SIGNED = re.compile(r"[+-]?(?:0|[1-9]\d*)")
_AMOUNT = re.compile(r"(?:0|[1-9]\d*)(?:\.\d+)?(?:万元|元)?")
_LEADING_ZERO = re.compile(r"[+-]?0\d")
_NOT_DIGIT = re.compile(r"[^\d]")
_TEN_THOUSAND = Decimal(10000)


@frozen
class Pending:
    """Value cells that hold more values than cells: targets in column order."""

    targets: tuple[tuple[str, CellKind], ...]  # (flat key, kind of the column)
    cells: tuple[Cell, ...]
    line: int
    field: str | None = None  # the table's row field, when the row is one row of it


@frozen
class Solution:
    """What the solver decided: a Value for every target key, and why."""

    values: dict[str, Value]
    diagnostics: tuple[Diagnostic, ...]


def is_fused(cells: Sequence[Cell], n: int) -> bool:
    """True when ``cells`` are digit runs that could hold ``n`` values between them."""
    if len(cells) >= n:
        return False
    texts = [t for t in (c.text.strip() for c in cells) if t]
    if not texts or not all(_FUSED_CELL.fullmatch(t) for t in texts):
        return False
    return sum(len(_NOT_DIGIT.sub("", t)) for t in texts) >= n


def pieces(cells: Sequence[Cell]) -> list[tuple[str, Cell, int]]:
    """The runs of a row's cells, a sign starting a run of its own: (text, cell, offset)."""
    out: list[tuple[str, Cell, int]] = []
    for cell in cells:
        for m in _PIECE.finditer(cell.text):
            out.append((m[0], cell, m.start()))
    return out


def _valid(part: str, kind: CellKind) -> bool:
    if kind == "amount":
        return bool(_AMOUNT.fullmatch(part))
    if kind == "signed":
        return bool(_SIGNED.fullmatch(part))
    return bool(_COUNT.fullmatch(part))


def _number(part: str, kind: CellKind) -> tuple[Number, str | None]:
    if kind == "amount":
        unit = next((u for u in ("万元", "元") if part.endswith(u)), None)
        amount = Decimal(part[: -len(unit)] if unit else part)
        return (amount / _TEN_THOUSAND if unit == "元" else amount), unit
    return int(part), None


def _piece_splits(text: str, kinds: Sequence[CellKind]) -> Iterator[tuple[str, ...]]:
    """Ways to cut ``text`` into ``len(kinds)`` parts, each valid for its column."""
    if len(kinds) == 1:
        if _valid(text, kinds[0]):
            yield (text,)
        return
    # Cutting left to right and checking each part at once prunes early: a
    # part starting with 0 can only be "0".
    for cut in range(1, len(text) - len(kinds) + 2):
        head = text[:cut]
        if not _valid(head, kinds[0]):
            if _LEADING_ZERO.match(head):
                break  # no longer part can be valid either
            continue
        for rest in _piece_splits(text[cut:], kinds[1:]):
            yield (head, *rest)


def candidates(runs: Sequence[str], kinds: Sequence[CellKind],
               limit: int = MAX_ROW_CANDIDATES) -> list[tuple[str, ...]] | None:
    """Every way to share ``runs`` out over columns of ``kinds``, in order.

    Each run gives at least one value; a value never spans two runs. ``None``
    when there are more than ``limit`` ways (too many to be of use).

    >>> candidates(["000023"], ["count"] * 5)
    [('0', '0', '0', '0', '23')]
    >>> candidates(["2648", "-18"], ["count", "signed"])
    [('2648', '-18')]
    """
    out: list[tuple[str, ...]] = []

    def walk(i: int, col: int, acc: tuple[str, ...]) -> bool:
        if i == len(runs):
            if col == len(kinds):
                out.append(acc)
            return len(out) <= limit
        left_runs = len(runs) - i - 1
        most = len(kinds) - col - left_runs
        # The last run takes all the columns left; no run takes more values than digits.
        for take in range(most if left_runs == 0 else 1, most + 1):
            if take > len(runs[i].rstrip("万元")):
                break
            for parts in _piece_splits(runs[i], kinds[col:col + take]):
                if not walk(i + 1, col + take, acc + parts):
                    return False
        return True

    if not walk(0, 0, ()):
        return None
    return out


# --------------------------------------------------------------------------- solving


def solve(form: str, pending: Sequence[Pending], known: Mapping[str, Number | None],
          hard: Sequence[Relation] | None = None) -> Solution:
    """Split the pending rows of one table so that the form's hard relations hold.

    ``known`` holds the values of the table's other cells (``None`` for a
    blank one: a relation that needs it cannot decide anything). ``hard``
    replaces the form's error relations for a table whose relations depend
    on its rows (the open-ended 2014 statistics table).

    Each row's splits are first filtered by the relations within the row
    (its total, B2 or C1–C3); then the rows are combined under the relations
    between rows (B1, B3, B5). A cell gets a value only when every surviving
    combination gives it the same one. When no combination survives, the
    report contradicts itself somewhere: rows then keep only what their own
    digits and their own arithmetic settle.
    """
    rules = _errors(form) if hard is None else _Rules(tuple(hard))
    diags: list[Diagnostic] = []
    values: dict[str, Value] = {}
    rows: list[_Row] = []
    for p in pending:
        row = _Row.of(p, rules)
        if row is None:
            raw = _raw(p)
            diags.append(Diagnostic("unsplittable", f"{_row_name(p)}: cannot split {raw!r} into "
                                    f"{len(p.targets)} values; its values are None",
                                    p.line, raw=raw, path=_row_name(p)))
            values.update({key: Value(raw=raw, line=p.line, note="unsplittable")
                           for key, _ in p.targets})
            continue
        rows.append(row)
    keys_of = [r.keys for r in rows]
    usable = _usable(rules.relations, keys_of, known)
    # Rows no relation reaches are settled on their own; searching them with
    # the others would only multiply the combinations.
    bound = {k for rel in usable for k in rel.keys}
    linked = [i for i, keys in enumerate(keys_of) if bound & set(keys)]
    found, complete = _search([rows[i].numbers for i in linked], [keys_of[i] for i in linked],
                              usable, known)
    codes = ", ".join(sorted({rel.code for rel in usable}))
    for i, row in enumerate(rows):
        if i not in linked:
            shown, reason = row.local, "nothing in the template relates its values to others"
            how = "by the number of digits alone"
        elif complete and found:
            at = linked.index(i)
            shown = sorted({row.local[s[at]] for s in found})
            reason = "several splits satisfy the table's arithmetic"
            how = f"by the template's arithmetic ({codes})"
        else:
            shown = row.local
            trouble = ("there are too many combinations to check" if not complete else
                       f"no split satisfies the table's arithmetic ({codes}); the report "
                       "contradicts itself somewhere")
            reason = trouble
            how = ("by the number of digits alone" if len(row.options) == 1 else
                   f"by its own row's arithmetic ({row.codes}), although {trouble}")
        if len(shown) == 1:
            if len(row.options) == 1:
                how = "by the number of digits alone"
            diags.append(Diagnostic(
                "inferred-split", f"{_row_name(row.pending)}: {_raw(row.pending)!r} read as "
                f"{'|'.join(shown[0])}, split {how}", row.pending.line,
                raw=_raw(row.pending), path=_row_name(row.pending)))
            values.update(_values(row.pending, shown[0], "inferred"))
        else:
            _ambiguous(row.pending, shown or row.options, reason, diags, values)
    return Solution(values, tuple(diags))


@frozen
class _Row:
    """A pending row's splits: all that fit the columns, and those its own relations allow."""

    pending: Pending
    keys: list[str]
    options: list[tuple[str, ...]]
    local: list[tuple[str, ...]]
    numbers: list[tuple[Number, ...]]  # of ``local``
    codes: str

    @classmethod
    def of(cls, p: Pending, rules: _Rules) -> _Row | None:
        runs = tuple(r for r, _, _ in pieces(p.cells))
        keys = tuple(key for key, _ in p.targets)
        split = _splits(runs, tuple(k for _, k in p.targets), keys, rules)
        if split is None:
            return None
        options, local, numbers, codes = split
        return cls(p, list(keys), options, local, numbers, codes)


_Splits = tuple[list[tuple[str, ...]], list[tuple[str, ...]], list[tuple[Number, ...]], str]


# Bounded low: an entry can hold thousands of splits (MAX_ROW_CANDIDATES).
@lru_cache(maxsize=1024)
def _splits(runs: tuple[str, ...], kinds: tuple[CellKind, ...], keys: tuple[str, ...],
            rules: _Rules) -> _Splits | None:
    """A row's splits, those its own relations allow, their numbers and those relations' codes.

    Cached like :func:`_candidates`: template rows repeat the same runs in every report.
    Callers must not change the lists.
    """
    options = _candidates(runs, kinds)
    if not options:
        return None
    own = _own(rules, keys)
    local: list[tuple[str, ...]] = []
    numbers: list[tuple[Number, ...]] = []
    counts = all(k == "count" for k in kinds)
    for option in options:
        row: tuple[Number, ...] = (
            tuple(map(int, option)) if counts  # most rows: no units, no decimals
            else tuple(_number(part, k)[0] for part, k in zip(option, kinds, strict=True)))
        if own:
            assigned = dict(zip(keys, row, strict=True))
            if not all(evaluate(r, assigned) is not False for r in own):
                continue
        local.append(option)
        numbers.append(row)
    return options, local, numbers, ", ".join(sorted({r.code for r in own}))


@frozen(eq=False)
class _Rules:
    """A form's hard relations; hashed by identity, as the cache of each row's own needs."""

    relations: tuple[Relation, ...]
    keys: frozenset[str] = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "keys", frozenset(k for r in self.relations for k in r.keys))


@lru_cache(maxsize=64)
def _errors(form: str) -> _Rules:
    return _Rules(tuple(r for r in relations(form) if r.severity == "error"))


def relation_keys(form: str) -> frozenset[str]:
    """The flat keys :func:`solve` may read from ``known`` for ``form``; others are ignored."""
    return _errors(form).keys





@lru_cache(maxsize=1024)  # bounded low: an entry can hold thousands of splits
def _candidates(runs: tuple[str, ...], kinds: tuple[CellKind, ...]
                ) -> list[tuple[str, ...]] | None:
    # Template rows repeat the same runs ("0000000") in every report.
    return candidates(runs, kinds)


@lru_cache(maxsize=1024)
def _own(rules: _Rules, keys: tuple[str, ...]) -> list[Relation]:
    """The row's own relations (its total).

    Those reaching other rows are the search's, so a contradiction elsewhere
    cannot empty this row.
    """
    mine = set(keys)
    return [r for r in rules.relations if mine.issuperset(r.keys)]


def _raw(p: Pending) -> str:
    return " ".join(c.text for c in p.cells)


def _ambiguous(p: Pending, shown: Sequence[tuple[str, ...]], reason: str,
               diags: list[Diagnostic], values: dict[str, Value]) -> None:
    name, raw = _row_name(p), _raw(p)
    listed = " or ".join("|".join(o) for o in shown[:_SHOWN])
    more = f" (and {len(shown) - _SHOWN} more)" if len(shown) > _SHOWN else ""
    diags.append(Diagnostic(
        "ambiguous-split", f"{name}: {raw!r} could be {listed}{more}: {reason}; values "
        "on which the candidates differ are None", p.line, raw=raw, path=name))
    values.update(_agreed(p, shown))


def _row_name(p: Pending) -> str:
    return _name(p.targets)


@lru_cache(maxsize=1024)  # the template's rows, in every report
def _name(targets: tuple[tuple[str, CellKind], ...]) -> str:
    first = targets[0][0]
    return first.rsplit(".", 1)[0] if len({k.rsplit(".", 1)[0] for k, _ in targets}) == 1 \
        else f"{first}…{targets[-1][0]}"


def _locate(p: Pending, parts: Sequence[str]) -> list[tuple[str, Cell, int]]:
    """Each part with the cell it came from and its offset there."""
    runs = pieces(p.cells)
    out: list[tuple[str, Cell, int]] = []
    i, consumed = 0, 0
    for part in parts:
        text, cell, offset = runs[i]
        out.append((part, cell, offset + consumed))
        consumed += len(part)
        if consumed >= len(text):
            i, consumed = i + 1, 0
    return out


def _values(p: Pending, parts: Sequence[str], note: str) -> dict[str, Value]:
    out: dict[str, Value] = {}
    for (key, kind), (part, cell, offset) in zip(p.targets, _locate(p, parts), strict=True):
        number, unit = (int(part), None) if kind == "count" else _number(part, kind)
        out[key] = Value(number, part, cell.line, cell.column + offset, unit, note)
    return out


def _agreed(p: Pending, options: Sequence[tuple[str, ...]]) -> dict[str, Value]:
    """Values the candidates agree on (same text at the same place); None elsewhere."""
    out: dict[str, Value] = {}
    located = [_locate(p, o) for o in options]
    for i, (key, kind) in enumerate(p.targets):
        spots = {(part, cell.line, cell.column + off) for part, cell, off in
                 (loc[i] for loc in located)}
        if len(spots) == 1:
            part, line, column = next(iter(spots))
            number, unit = _number(part, kind)
            out[key] = Value(number, part, line, column, unit, "inferred")
        else:
            out[key] = Value(raw=" ".join(c.text for c in p.cells), line=p.line,
                             note="ambiguous")
    return out


def _usable(hard: Sequence[Relation], keys_of: Sequence[Sequence[str]],
            known: Mapping[str, Number | None]) -> list[Relation]:
    """The relations that touch a pending row and whose other cells are all known."""
    mine = {k for keys in keys_of for k in keys}
    return [r for r in hard if not mine.isdisjoint(r.keys)
            and all(k in mine or known.get(k) is not None for k in r.keys)]


_Check = tuple[list[tuple[int, int]], list[tuple[int, int]], Number, Number, bool]
"""A relation for the search: cells left, cells right, known sums left and right, ``<=``."""


def _compile(rel: Relation, mine: Mapping[str, tuple[int, int]],
             known: Mapping[str, Number | None]) -> _Check:
    def side(keys: Sequence[str]) -> tuple[list[tuple[int, int]], Number]:
        cells = [mine[k] for k in keys if k in mine]
        total: Number = 0
        for k in keys:
            if k not in mine:
                v = known[k]
                assert v is not None  # _usable keeps only relations whose other cells are known
                total += v
        return cells, total

    left_cells, left = side(rel.left)
    right_cells, right = side(rel.right)
    return left_cells, right_cells, left, right, rel.op == "<="


def _search(rows: Sequence[Sequence[tuple[Number, ...]]], keys_of: Sequence[Sequence[str]],
            hard: Sequence[Relation], known: Mapping[str, Number | None]
            ) -> tuple[list[tuple[int, ...]], bool]:
    """All combinations of row candidates that satisfy ``hard`` (all checkable).

    Returns (solutions as candidate indices per row, whether the search ran to
    the end). Each relation is checked as soon as its last key is assigned.
    """
    mine = {k: (r, c) for r, keys in enumerate(keys_of) for c, k in enumerate(keys)}
    order = sorted(range(len(rows)), key=lambda r: len(rows[r]))
    rank = {r: i for i, r in enumerate(order)}
    # Each relation compiled to its known sums and the (row, column) cells it
    # reads, so the search's innermost check is arithmetic on lists.
    due: dict[int, list[_Check]] = {}
    for rel in hard:
        last = max(rank[mine[k][0]] for k in rel.keys if k in mine)
        due.setdefault(last, []).append(_compile(rel, mine, known))
    chosen: list[int] = [0] * len(rows)
    solutions: list[tuple[int, ...]] = []
    nodes = 0

    def holds(check: _Check) -> bool:
        left_cells, right_cells, left, right, at_most = check
        for r, c in left_cells:
            left += rows[r][chosen[r]][c]
        for r, c in right_cells:
            right += rows[r][chosen[r]][c]
        return left <= right if at_most else left == right

    def walk(depth: int) -> bool:
        nonlocal nodes
        if depth == len(order):
            solutions.append(tuple(chosen))
            return len(solutions) < MAX_SOLUTIONS
        r = order[depth]
        for i in range(len(rows[r])):
            nodes += 1
            if nodes > MAX_NODES:
                return False
            chosen[r] = i
            if all(holds(rel) for rel in due.get(depth, ())) and not walk(depth + 1):
                return False
        return True

    # Stopping at MAX_SOLUTIONS leaves the search incomplete too: a candidate
    # not yet seen could disagree with all those found.
    return solutions, walk(0)
