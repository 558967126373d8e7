"""Benchmarks of the parsing hot path; run with ``pytest benchmarks``.

The floor is what any reader of the text must pay at least: normalise it,
split it into lines and make one regex pass. At the end of the run the ratio
parse/floor is printed for every report, from the medians of the same run.
"""

from __future__ import annotations

from typing import Any

import pytest

MEDIANS: dict[tuple[str, str], float] = {}


@pytest.fixture
def record() -> Any:
    def _record(kind: str, name: str, benchmark: Any) -> None:
        if benchmark.stats is not None:  # None under --benchmark-disable
            MEDIANS[(kind, name)] = benchmark.stats.stats.median
    return _record


def pytest_terminal_summary(terminalreporter: Any) -> None:
    names = sorted({name for _, name in MEDIANS})
    rows = [(n, MEDIANS.get(("parse", n)), MEDIANS.get(("floor", n))) for n in names]
    rows = [(n, p, f) for n, p, f in rows if p and f]
    if not rows:
        return
    terminalreporter.section("parse / floor (medians of this run)")
    for name, parse, floor in rows:
        terminalreporter.write_line(
            f"{name:>16}  parse {parse * 1e3:8.3f} ms  floor {floor * 1e3:7.3f} ms  "
            f"ratio {parse / floor:6.1f}x")
