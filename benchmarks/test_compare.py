"""Comparing two reports against parsing them: the goal is at most 3× (docs/compare.md).

For each pair, ``parse`` times parsing both texts and ``compare`` times
:func:`govreport.compare` on the parsed reports (sections, paragraphs,
changes, cross-year checks, each year's own checks). The last test prints
the ratio of the medians and fails above :data:`GOAL`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

import govreport

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the made-up pairs of tests/pairs.py

from pairs import pair_texts  # noqa: E402

EXTRA = ROOT.parent / "shared" / "corpus" / "extra"
GOAL = 3.0


def _pairs() -> list[tuple[str, str, str]]:
    out = [("synth-same", *pair_texts(same_prose=True)),
           ("synth-rewritten", *pair_texts(same_prose=False))]
    old, new = EXTRA / "004_pingtan_2022_zfxxgknb.txt", EXTRA / "005_pingtan_2023_zfxxgknb.txt"
    if old.is_file() and new.is_file():
        out.append(("pingtan-2022-2023", old.read_text("utf-8-sig"), new.read_text("utf-8-sig")))
    return out


PAIRS = _pairs()
MEDIANS: dict[tuple[str, str], float] = {}
CASES = [(kind, name, old, new) for name, old, new in PAIRS for kind in ("parse", "compare")]


def _parse_both(old: str, new: str) -> tuple[govreport.Report, govreport.Report]:
    return govreport.parse(old), govreport.parse(new)


@pytest.mark.parametrize(("kind", "name", "old", "new"), CASES,
                         ids=[f"{name}-{kind}" for kind, name, _, _ in CASES])
def test_compare(benchmark: Any, kind: str, name: str, old: str, new: str) -> None:
    benchmark.group = f"compare-{name}"
    reports = _parse_both(old, new)  # warms the cached parsers
    if kind == "parse":
        benchmark(_parse_both, old, new)
    else:
        govreport.compare(*reports)
        result = benchmark(govreport.compare, *reports)
        assert result.sections
    if benchmark.stats is not None:  # None under --benchmark-disable
        MEDIANS[(kind, name)] = benchmark.stats.stats.median


def test_ratio() -> None:
    rows = [(name, MEDIANS.get(("compare", name)), MEDIANS.get(("parse", name)))
            for name, _, _ in PAIRS]
    rows = [(n, c, p) for n, c, p in rows if c and p]
    if not rows:
        pytest.skip("no timings (--benchmark-disable)")
    for name, compare, parse in rows:
        print(f"{name:>20}  parse {parse * 1e3:8.2f} ms  compare {compare * 1e3:8.2f} ms  "
              f"ratio {compare / parse:5.2f}x")
    worst = max(c / p for _, c, p in rows)
    assert worst <= GOAL, f"comparing took {worst:.2f}× parsing (goal ≤ {GOAL}×)"
