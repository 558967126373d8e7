"""Mutation tests on the seeds: one number changed in the text changes one value.

For a sample of the table cells of each seed with tables, the number is found
in the input through its Value's provenance (line, column, raw), replaced by
another, and the report parsed again: :func:`govreport.flatten` must differ
at that key only, holding the new number, or hold ``None`` there with a
diagnostic about that cell. A number changed in running text must change no
value at all. Either way no other field may move: each cell is read on its
own (these seeds are not crawler text, where the solver links cells by the
template's arithmetic).
"""

from __future__ import annotations

import random
import re
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import SEEDS

import govreport
from govreport.model import Report, Value, iter_values

SEEDS_WITH_TABLES = ("000", "001", "003", "004")
CELLS_PER_SEED = 80


def _seed(prefix: str) -> Path:
    found = sorted(SEEDS.glob(f"{prefix}_*.txt")) if SEEDS.is_dir() else []
    if not found:
        pytest.skip("../shared/corpus/seeds is not beside the repository")
    return found[0]


def _values(report: Report) -> dict[str, Value]:
    return {k: v for table in report.tables for k, v in iter_values(table)}  # type: ignore[arg-type]


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _replace(text: str, line: int, column: int, old: str, new: str) -> str | None:
    lines = _lines(text)
    at = column - 1
    if not (0 < line <= len(lines)) or lines[line - 1][at:at + len(old)] != old:
        return None
    lines[line - 1] = lines[line - 1][:at] + new + lines[line - 1][at + len(old):]
    return "\n".join(lines)


def _other(value: int, rng: random.Random) -> int:
    new = rng.choice([value + 1, value + 7, value * 10 + 3, 0 if value else 5, 12345])
    return new if new != value else value + 2


def _diff(before: dict[str, object], after: dict[str, object]) -> dict[str, tuple[object, object]]:
    return {k: (before.get(k), after.get(k)) for k in before.keys() | after.keys()
            if before.get(k) != after.get(k)}


@pytest.mark.parametrize("prefix", SEEDS_WITH_TABLES)
def test_one_number_changes_one_value(prefix: str) -> None:
    path = _seed(prefix)
    text = path.read_text("utf-8-sig")
    report = govreport.parse(text)
    flat = govreport.flatten(report)
    cells = [(k, v) for k, v in _values(report).items()
             if isinstance(v.value, int) and v.raw and v.line and v.column and k in flat]
    assert len(cells) > 30
    rng = random.Random(prefix)
    sample = rng.sample(cells, min(CELLS_PER_SEED, len(cells)))
    located = 0
    problems: list[str] = []
    for key, value in sample:
        assert value.raw is not None and value.line and value.column
        old = value.raw.strip()
        number = re.search(r"\d+", old)
        assert number is not None
        new_number = _other(int(number[0]), rng)
        new_raw = old[:number.start()] + str(new_number) + old[number.end():]
        column = value.column + (len(value.raw) - len(value.raw.lstrip()))
        mutated = _replace(text, value.line, column, old, new_raw)
        if mutated is None:
            continue
        located += 1
        again = govreport.parse(mutated)
        changed = _diff(flat, govreport.flatten(again))
        if set(changed) - {key}:
            problems.append(f"{path.name}: {key} {old!r}→{new_raw!r} (line {value.line}) "
                            f"also changed {sorted(set(changed) - {key})}")
            continue
        got = changed.get(key, (None, flat[key]))[1]
        if got is None:
            said = [d for d in again.diagnostics
                    if d.path == key or (d.line == value.line and d.path in (None, key))]
            if not said:
                problems.append(f"{path.name}: {key} {old!r}→{new_raw!r} became None "
                                "without a diagnostic")
        elif Decimal(str(got)) != (-new_number if old.startswith("-") else new_number):
            problems.append(f"{path.name}: {key} {old!r}→{new_raw!r} read as {got!r}")
    # Provenance must locate the cells, or this test checks nothing.
    assert located >= len(sample) * 0.9, f"only {located} of {len(sample)} cells located"
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("prefix", [*SEEDS_WITH_TABLES, "002"])
def test_a_number_in_running_text_changes_no_value(prefix: str) -> None:
    path = _seed(prefix)
    text = path.read_text("utf-8-sig")
    report = govreport.parse(text)
    flat = govreport.flatten(report)
    table_lines = {v.line for v in _values(report).values() if v.line}
    grid_lines: set[int] = set()
    for s in report.sections:
        for g in (*s.grids, *(g for sub in s.subsections for g in sub.grids)):
            grid_lines.update(range(g.line, g.end_line + 1))
    lines = _lines(text)
    spots = [(i, m) for i, ln in enumerate(lines, 1) if i not in table_lines | grid_lines
             for m in re.finditer(r"\d+", ln)]
    rng = random.Random(prefix)
    for i, m in rng.sample(spots, min(15, len(spots))):
        mutated = _replace(text, i, m.start() + 1, m[0], str(_other(int(m[0]), rng)))
        assert mutated is not None
        again = govreport.flatten(govreport.parse(mutated))
        assert _diff(flat, again) == {}, f"line {i}: {m[0]!r} changed table values"
