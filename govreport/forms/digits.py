"""The digit splitter: run-together digits split by the table form's arithmetic.

Crawler text loses the borders between cells, so a row of Table B can
arrive as ``640020470`` for seven values. The template fixes how many values
each row holds and its form says how they relate (``Form.hard_relations``,
a plugin's form included), and cells
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
from itertools import chain

import attrs
from attrs import frozen

from govreport.arithmetic import Relation, evaluate
from govreport.model import Cell, Diagnostic, Value
from govreport.normalize import CellKind

__all__ = ["Pending", "Solution", "candidates", "is_apart", "is_fused", "is_short",
           "least_values", "pieces", "relation_keys", "solve"]

Number = int | Decimal

MAX_ROW_CANDIDATES = 5000
"""A row with more splits than this is left unsplit (``None``)."""
MAX_NODES = 200_000
"""Search budget for combining rows; past it, every undecided cell is ``None``."""
MAX_SOLUTIONS = 64
_SHOWN = 4  # candidates listed in a diagnostic

_PIECE = re.compile(r"[+-]?\d[\d.]*(?:万元|元)?")
# Runs may be apart inside one cell ("0 0"): extraction ran two cells together.
_FUSED_CELL = re.compile(r"(?:[+-]?\d[\d.]*(?:万元|元)?[\s\u3000]*)+")
_COUNT = re.compile(r"0|[1-9]\d*")
_SIGNED = re.compile(r"[+-]?(?:0|[1-9]\d*)")
_AMOUNT = re.compile(r"(?:0|[1-9]\d*)(?:\.\d+)?(?:万元|元)?")
_LEADING_ZERO = re.compile(r"[+-]?0\d")
_NOT_DIGIT = re.compile(r"[^\d]")
_TEN_THOUSAND = Decimal(10000)
_FORCED_ZEROS = re.compile(r"[+-]?(0+)(?=\d)")
_INNER_SPACE = re.compile(r"\d[\s\u3000]+[+-]?\d")


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
    digits = 0  # stays 0, below n, when every cell is blank
    for c in cells:
        count = _digits(c.text)
        if count is None:
            return False
        digits += count
    return digits >= n


def is_apart(cells: Sequence[Cell]) -> bool:
    """True when the borders between ``cells`` survived: several cells, or digits split by spaces.

    Only a row whose values all run together in one cell (crawler text) lost
    them. Where borders survive, a value missing from a short row is a blank
    cell the extraction dropped as likely as two values run together.
    """
    return len(cells) > 1 or any(_INNER_SPACE.search(c.text) for c in cells)


def least_values(cells: Sequence[Cell]) -> int:
    """The fewest values ``cells`` can hold: one per run, and each 0 that leads a run is one.

    A value never starts with 0 unless it is 0, so ``"03"`` holds two values
    and ``"000"`` three; ``"30"`` may hold one.
    """
    count = 0
    for run in _runs(tuple(c.text for c in cells))[0]:
        zeros = _FORCED_ZEROS.match(run)
        count += 1 + (len(zeros[1]) if zeros else 0)
    return count


def is_short(cells: Sequence[Cell], n: int) -> bool:
    """True when ``cells`` are digit runs too short for ``n`` values: some cells were left blank.

    Such a row tells that its table leaves cells blank, and a blank cell
    leaves no trace where digits run together (see :func:`solve`).
    """
    if len(cells) >= n:
        return False
    digits = 0
    for c in cells:
        count = _digits(c.text)
        if count is None:
            return False
        digits += count
    return 0 < digits < n


@lru_cache(maxsize=4096)  # cell texts: the template's rows repeat them ("0000000")
def _digits(text: str) -> int | None:
    """How many digits a cell holds: 0 when it is blank, None when it is not a digit run."""
    text = text.strip()
    if text and not _FUSED_CELL.fullmatch(text):
        return None
    return len(_NOT_DIGIT.sub("", text))


def pieces(cells: Sequence[Cell]) -> list[tuple[str, Cell, int]]:
    """The runs of a row's cells, a sign starting a run of its own: (text, cell, offset)."""
    runs, where = _runs(tuple(c.text for c in cells))
    return [(run, cells[i], offset) for run, (i, offset) in zip(runs, where, strict=True)]


@lru_cache(maxsize=4096)  # the template's rows repeat the same texts ("0000000")
def _runs(texts: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[tuple[int, int], ...]]:
    """The runs of cells with ``texts``, and where each starts: (cell index, offset)."""
    runs: list[str] = []
    where: list[tuple[int, int]] = []
    for i, text in enumerate(texts):
        for m in _PIECE.finditer(text):
            runs.append(m[0])
            where.append((i, m.start()))
    return tuple(runs), tuple(where)


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


def solve(hard: Sequence[Relation], pending: Sequence[Pending],
          known: Mapping[str, Number | None], blanks: str | None = None) -> Solution:
    """Split the pending rows of one table so that the ``hard`` relations hold.

    ``hard`` are the relations every honest table satisfies: a form's error
    relations (:attr:`govreport.forms.Form.hard_relations`, so a plugin's
    form splits by its own arithmetic), or those a table's rows imply (the
    open-ended 2014 statistics table). ``known`` holds the values of the
    table's other cells (``None`` for a blank one: a relation that needs it
    cannot decide anything).

    Each row's splits are first filtered by the relations within the row
    (its total, B2 or C1–C3); then the rows are combined under the relations
    between rows (B1, B3, B5). A cell gets a value only when every surviving
    combination gives it the same one. When no combination survives, the
    report contradicts itself somewhere: rows then keep only what their own
    digits and their own arithmetic settle.

    Splitting assumes that every cell of a row holds a value: a blank cell
    leaves no trace in run-together digits. So a row whose own arithmetic
    rules out every split gets no value (a blank cell is as likely as a
    wrong total), and when ``blanks`` says where the table shows blank cells
    (a row too short for its columns, see :func:`is_short`) no row is split.
    """
    rules = _rules(tuple(hard))
    diags: list[Diagnostic] = []
    values: dict[str, Value] = {}
    rows: list[tuple[Pending, _Row]] = []
    if blanks is not None:
        for p in pending:
            _blank(p, f"the table leaves cells blank ({blanks}), and a blank cell leaves "
                   "no trace where digits run together", diags, values)
        return Solution(values, tuple(diags))
    for p in pending:
        if is_apart(p.cells) and least_values(p.cells) != len(p.targets) \
                and not _own(rules, tuple(k for k, _ in p.targets)):
            # Nothing but the count of digits would place its values.
            _blank(p, f"its {len(p.cells)} cells are short of its {len(p.targets)} columns, "
                   "nothing in its row checks a split, and a blank cell dropped between "
                   "them looks the same as two values run together", diags, values)
            continue
        row = _row(tuple([c.text for c in p.cells]), p.targets, rules)
        if row is None:
            raw = _raw(p)
            diags.append(Diagnostic("unsplittable", f"{_row_name(p)}: cannot split {raw!r} into "
                                    f"{len(p.targets)} values; its values are None",
                                    p.line, raw=raw, path=_row_name(p)))
            values.update({key: Value(raw=raw, line=p.line, note="unsplittable")
                           for key, _ in p.targets})
            continue
        rows.append((p, row))
    keys_of = tuple(row.keys for _, row in rows)
    linked, known_keys, cross, codes = _plan(
        rules, keys_of, frozenset(k for k, v in known.items() if v is not None))
    found, complete = _search([rows[i][1].numbers for i in linked], known_keys, cross, known)
    by_arithmetic = f"by the template's arithmetic ({codes})"
    for i, (p, row) in enumerate(rows):
        at = linked.get(i)
        if at is None:
            shown, reason = row.local, "nothing in the template relates its values to others"
            how = "by the number of digits alone"
        elif complete and found:
            # Most tables have a single solution: nothing to gather or sort.
            shown = ([row.local[found[0][at]]] if len(found) == 1
                     else sorted({row.local[s[at]] for s in found}))
            reason = "several splits satisfy the table's arithmetic"
            how = by_arithmetic
        else:
            shown = row.local
            trouble = ("there are too many combinations to check" if not complete else
                       f"no split satisfies the table's arithmetic ({codes}); the report "
                       "contradicts itself somewhere")
            reason = trouble
            how = ("by the number of digits alone" if len(row.options) == 1 else
                   f"by its own row's arithmetic ({row.codes}), although {trouble}")
        if not row.local:
            listed = " or ".join("|".join(o) for o in row.options[:_SHOWN])
            _blank(p, f"no split satisfies its own row's arithmetic ({row.codes}), not "
                   f"{listed}: a cell may be blank, or a total wrong", diags, values)
        elif len(shown) == 1:
            if len(row.options) == 1:
                how = "by the number of digits alone"
            _inferred(p, row, shown[0], how, diags, values)
        else:
            _ambiguous(p, row, shown, reason, diags, values)
    return Solution(values, tuple(diags))


class _Row:
    """A row's texts and columns: the splits that fit them, and those its own relations allow.

    Made once per distinct row by :func:`_row` and shared by every report
    that has the row, so it holds nothing of where the row stands.
    """

    # A plain class, hashed by identity: it keys the cache of its readings.
    __slots__ = ("codes", "keys", "kinds", "local", "name", "numbers", "options", "raw", "texts")

    def __init__(self, texts: tuple[str, ...], targets: tuple[tuple[str, CellKind], ...],
                 options: list[tuple[str, ...]], local: list[tuple[str, ...]],
                 numbers: list[tuple[Number, ...]], codes: str) -> None:
        self.texts = texts  # of the pending cells
        self.keys = tuple(k for k, _ in targets)
        self.kinds = tuple(kind for _, kind in targets)
        self.options = options
        self.local = local
        self.numbers = numbers  # of ``local``
        self.codes = codes  # of its own relations
        self.raw = " ".join(texts)
        self.name = _name(targets)


# Bounded low: an entry can hold thousands of splits (MAX_ROW_CANDIDATES).
@lru_cache(maxsize=1024)
def _row(texts: tuple[str, ...], targets: tuple[tuple[str, CellKind], ...],
         rules: _Rules) -> _Row | None:
    """The splits of cells with ``texts`` over ``targets``; None when there are none.

    Cached like :func:`_candidates`: template rows repeat the same texts in every report.
    Callers must not change the lists.
    """
    keys, kinds = tuple(k for k, _ in targets), tuple(kind for _, kind in targets)
    options = _candidates(_runs(texts)[0], kinds)
    if not options:
        return None
    own = _own(rules, keys)
    local: list[tuple[str, ...]] = []
    numbers: list[tuple[Number, ...]] = []
    counts = all(k == "count" for k in kinds)
    for option in options:
        as_numbers: tuple[Number, ...] = (
            tuple(map(int, option)) if counts  # most rows: no units, no decimals
            else tuple(_number(part, k)[0] for part, k in zip(option, kinds, strict=True)))
        if own:
            assigned = dict(zip(keys, as_numbers, strict=True))
            if not all(evaluate(r, assigned) is not False for r in own):
                continue
        local.append(option)
        numbers.append(as_numbers)
    codes = ", ".join(sorted({r.code for r in own}))
    return _Row(texts, targets, options, local, numbers, codes)


@frozen(eq=False)
class _Rules:
    """A form's hard relations; hashed by identity, as the cache of each row's own needs."""

    relations: tuple[Relation, ...]
    keys: frozenset[str] = attrs.field(init=False)
    # Each relation with its keys: Relation.keys builds a new tuple per call.
    keyed: tuple[tuple[Relation, tuple[str, ...]], ...] = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "keyed", tuple((r, r.keys) for r in self.relations))
        object.__setattr__(self, "keys", frozenset(k for _, keys in self.keyed for k in keys))


@lru_cache(maxsize=64)
def _rules(relations: tuple[Relation, ...]) -> _Rules:
    # One _Rules for equal relations, so that the caches keyed on it are hit
    # by every table whose rows give the same relations.
    return _Rules(relations)


def relation_keys(hard: Sequence[Relation]) -> frozenset[str]:
    """The flat keys :func:`solve` may read from ``known`` under ``hard``; others are ignored."""
    return _rules(tuple(hard)).keys





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


def _inferred(p: Pending, row: _Row, parts: tuple[str, ...], how: str,
              diags: list[Diagnostic], values: dict[str, Value]) -> None:
    message, spots = _reading(row, parts, how)
    diags.append(Diagnostic("inferred-split", message, p.line, None, row.raw, row.name))
    cells = p.cells
    for key, part, i, offset, number, unit in spots:
        cell = cells[i]
        values[key] = Value(number, part, cell.line, cell.column + offset, unit, "inferred")


_Spot = tuple[str, str, int, int, Number, str | None]
"""A part of a split: its key, its text, its cell's index and offset there, number and unit."""


# Keyed on the row by identity (see _Row): the rows every report repeats are
# read the same way each time, so their message and places are worked out once.
@lru_cache(maxsize=1024)
def _reading(row: _Row, parts: tuple[str, ...], how: str) -> tuple[str, tuple[_Spot, ...]]:
    """The message for reading ``row`` as ``parts``, split ``how``, and where each part sits."""
    message = f"{row.name}: {row.raw!r} read as {'|'.join(parts)}, split {how}"
    spots = tuple((key, part, *at) for key, part, at
                  in zip(row.keys, parts, _placed(row.texts, parts, row.kinds), strict=True))
    return message, spots


def _ambiguous(p: Pending, row: _Row, shown: Sequence[tuple[str, ...]], reason: str,
               diags: list[Diagnostic], values: dict[str, Value]) -> None:
    name, raw = row.name, row.raw
    listed = " or ".join("|".join(o) for o in shown[:_SHOWN])
    more = f" (and {len(shown) - _SHOWN} more)" if len(shown) > _SHOWN else ""
    diags.append(Diagnostic(
        "ambiguous-split", f"{name}: {raw!r} could be {listed}{more}: {reason}; values "
        "on which the candidates differ are None", p.line, raw=raw, path=name))
    values.update(_agreed(p, row, shown))


def _blank(p: Pending, reason: str, diags: list[Diagnostic], values: dict[str, Value]) -> None:
    """No value for any cell of ``p``, and why (``ambiguous-split``)."""
    raw, name = _raw(p), _row_name(p)
    diags.append(Diagnostic("ambiguous-split", f"{name}: {raw!r} is not split: {reason}; "
                            "its values are None", p.line, raw=raw, path=name))
    values.update({key: Value(raw=raw, line=p.line, note="ambiguous") for key, _ in p.targets})


def _row_name(p: Pending) -> str:
    return _name(p.targets)


@lru_cache(maxsize=1024)  # the template's rows, in every report
def _name(targets: tuple[tuple[str, CellKind], ...]) -> str:
    first = targets[0][0]
    return first.rsplit(".", 1)[0] if len({k.rsplit(".", 1)[0] for k, _ in targets}) == 1 \
        else f"{first}…{targets[-1][0]}"


@lru_cache(maxsize=4096)
def _placed(texts: tuple[str, ...], parts: tuple[str, ...], kinds: tuple[CellKind, ...]
            ) -> tuple[tuple[int, int, Number, str | None], ...]:
    """Where each part of a split sits, (cell index, offset in the cell), with its number and unit.

    A pure function of the cells' texts, so the rows every report repeats are worked out once.
    """
    runs, where = _runs(texts)
    out: list[tuple[int, int, Number, str | None]] = []
    i, consumed = 0, 0
    for part, kind in zip(parts, kinds, strict=True):
        cell, offset = where[i]
        number, unit = (int(part), None) if kind == "count" else _number(part, kind)
        out.append((cell, offset + consumed, number, unit))
        consumed += len(part)
        if consumed >= len(runs[i]):
            i, consumed = i + 1, 0
    return tuple(out)


def _agreed(p: Pending, row: _Row, options: Sequence[tuple[str, ...]]) -> dict[str, Value]:
    """Values the candidates agree on (same text at the same place); None elsewhere."""
    out: dict[str, Value] = {}
    placed = [_placed(row.texts, o, row.kinds) for o in options]
    columns = zip(row.keys, zip(*options, strict=True), zip(*placed, strict=True), strict=True)
    for key, parts, places in columns:
        spots = set(zip(parts, places, strict=True))
        if len(spots) == 1:
            part, (i, offset, number, unit) = next(iter(spots))
            cell = p.cells[i]
            out[key] = Value(number, part, cell.line, cell.column + offset, unit, "inferred")
        else:
            out[key] = Value(raw=row.raw, line=p.line, note="ambiguous")
    return out


class _Cross:
    """A relation between rows, as the search reads it.

    The search's constants are flat: every linked row's first candidate in
    row order, then the known cells the relations read. Each side gives, per
    key in order, the index of its constant there, and the linked rows' cells
    that hold the key, (place, column), in row order. Made by the cached
    :func:`_plan`, so hashed by identity: it keys the cache of :func:`_open`.
    """

    __slots__ = ("at_most", "left", "left_held", "places", "right", "right_held")

    def __init__(self, places: frozenset[int], left: tuple[int, ...], right: tuple[int, ...],
                 left_held: tuple[tuple[tuple[int, int], ...], ...],
                 right_held: tuple[tuple[tuple[int, int], ...], ...], at_most: bool) -> None:
        self.places = places  # the linked rows it reads
        self.left, self.right = left, right
        self.left_held, self.right_held = left_held, right_held
        self.at_most = at_most  # ``<=``, else ``==``


# The same template table arrives with the same rows fused report after
# report: what the search needs besides the digits is worked out once.
@lru_cache(maxsize=256)
def _plan(rules: _Rules, keys_of: tuple[tuple[str, ...], ...], known: frozenset[str]
          ) -> tuple[dict[int, int], tuple[str, ...], list[_Cross], str]:
    """The linked rows, the known keys and relations between rows, and the usable codes.

    Linked rows are given as index -> place among the linked. ``known``: the
    keys of the table's other cells that hold a value. A relation is usable
    when it touches a pending row and every other cell it reads is known.
    The known keys are those the relations between rows read outside the
    linked rows, in the order of their constants (see :class:`_Cross`).
    Callers must not change what is returned.
    """
    mine = {k for keys in keys_of for k in keys}
    usable = [(r, keys) for r, keys in rules.keyed if not mine.isdisjoint(keys)
              and all(k in mine or k in known for k in keys)]
    # Rows no relation reaches are settled on their own; searching them with
    # the others would only multiply the combinations.
    bound = {k for _, keys in usable for k in keys}
    linked = {i: at for at, i in enumerate(
        i for i, keys in enumerate(keys_of) if not bound.isdisjoint(keys))}
    # A row's own relations already hold in every one of its local splits.
    own = {r for keys in keys_of for r in _own(rules, keys)}
    cross = [r for r, _ in usable if r not in own]
    # Where each key's constant is and which cells hold it; a key in two rows
    # reads as the later one, as it would from a dict of them.
    index: dict[str, int] = {}
    held: dict[str, list[tuple[int, int]]] = {}
    flat = 0
    for i, at in linked.items():
        for c, k in enumerate(keys_of[i]):
            index[k] = flat + c
            held.setdefault(k, []).append((at, c))
        flat += len(keys_of[i])
    known_keys = tuple(dict.fromkeys(
        k for r in cross for k in r.keys if k not in index))
    index.update((k, flat + j) for j, k in enumerate(known_keys))

    def cells(keys: Sequence[str]) -> tuple[tuple[tuple[int, int], ...], ...]:
        return tuple(tuple(held.get(k, ())) for k in keys)

    crosses = [_Cross(frozenset(at for k in r.keys for at, _ in held.get(k, ())),
                      tuple(index[k] for k in r.left), tuple(index[k] for k in r.right),
                      cells(r.left), cells(r.right), r.op == "<=") for r in cross]
    return linked, known_keys, crosses, ", ".join(sorted({rel.code for rel, _ in usable}))


_Check = tuple[Sequence[tuple[int, int]], Sequence[tuple[int, int]], Number, Number, bool]
"""A relation for the search: cells left, cells right, known sums left and right, ``<=``."""

_Open = tuple[tuple[tuple[int, int], ...], tuple[int, ...]]
"""A side of a relation with some rows searched: their cells, the indices of the constants."""


# Keyed on the relation by identity and the rows searched, in search order:
# the same rows of a template table come fused report after report.
@lru_cache(maxsize=1024)
def _open(cross: _Cross, searched: tuple[int, ...]) -> tuple[_Open, _Open, int]:
    """The cells ``cross`` reads in the ``searched`` rows and its constants, each side.

    And the depth of the search at which its last cell is assigned.
    """
    def side(indices: Sequence[int], held: Sequence[Sequence[tuple[int, int]]]) -> _Open:
        cells: list[tuple[int, int]] = []
        constant: list[int] = []
        for at, holders in zip(indices, held, strict=True):
            mine = None
            for cell in holders:
                if cell[0] in searched:
                    mine = cell  # the later row, as for the constant
            if mine is None:
                constant.append(at)
            else:
                cells.append(mine)
        return tuple(cells), tuple(constant)

    left, right = side(cross.left, cross.left_held), side(cross.right, cross.right_held)
    return left, right, max(searched.index(r) for r, _ in (*left[0], *right[0]))


def _compile(cross: _Cross, searched: tuple[int, ...], constants: Sequence[Number]
             ) -> tuple[_Check, int]:
    """The check of ``cross`` and the depth at which it is due."""
    (left_cells, left), (right_cells, right), last = _open(cross, searched)
    # Summed in key order, as the relation reads.
    return (left_cells, right_cells, sum(map(constants.__getitem__, left)),
            sum(map(constants.__getitem__, right)), cross.at_most), last


def _search(rows: Sequence[Sequence[tuple[Number, ...]]], known_keys: Sequence[str],
            hard: Sequence[_Cross], known: Mapping[str, Number | None]
            ) -> tuple[list[tuple[int, ...]], bool]:
    """All combinations of row candidates that satisfy ``hard`` (all checkable).

    Returns (solutions as candidate indices per row, whether the search ran to
    the end). Each relation is checked as soon as its last open cell is assigned.
    """
    if not all(rows):
        return [], True  # a row whose own arithmetic rules out every split
    # Most rows have one candidate: they are constants, like the known cells,
    # and the search branches only on the others (often none). Every row's
    # first candidate is among the constants: those of the rows searched are
    # never read. (_plan keeps only relations whose other cells are known.)
    constants: list[Number] = [*chain.from_iterable([options[0] for options in rows]),
                               *map(known.__getitem__, known_keys)]  # type: ignore[list-item]
    order = sorted((r for r, options in enumerate(rows) if len(options) > 1),
                   key=lambda r: len(rows[r]))
    searched = tuple(order)
    # Each relation compiled to its constant sums and the (row, column) cells
    # it reads, so the search's innermost check is arithmetic on lists.
    due: dict[int, list[_Check]] = {}
    for cross in hard:
        if searched and not cross.places.isdisjoint(searched):
            check, last = _compile(cross, searched, constants)
            due.setdefault(last, []).append(check)
        elif not _constant_holds(cross, constants):
            return [], True  # the constant cells alone break it
    chosen: list[int] = [0] * len(rows)
    solutions: list[tuple[int, ...]] = []
    nodes = 0

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
            if all(_holds(check, rows, chosen) for check in due.get(depth, ())) \
                    and not walk(depth + 1):
                return False
        return True

    # Stopping at MAX_SOLUTIONS leaves the search incomplete too: a candidate
    # not yet seen could disagree with all those found.
    return solutions, walk(0)


def _constant_holds(cross: _Cross, constants: Sequence[Number]) -> bool:
    left = sum(map(constants.__getitem__, cross.left))
    right = sum(map(constants.__getitem__, cross.right))
    return left <= right if cross.at_most else left == right


def _holds(check: _Check, rows: Sequence[Sequence[tuple[Number, ...]]],
           chosen: Sequence[int]) -> bool:
    left_cells, right_cells, left, right, at_most = check
    for r, c in left_cells:
        left += rows[r][chosen[r]][c]
    for r, c in right_cells:
        right += rows[r][chosen[r]][c]
    return left <= right if at_most else left == right
