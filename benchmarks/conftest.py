"""Benchmarks of the parsing hot path; run with ``pytest benchmarks``.

The floor is what any reader of the text must pay at least: normalise it,
split it into lines and make one regex pass. At the end of the run the ratio
parse/floor is printed for every report, from the medians of the same run.
"""

from __future__ import annotations

from typing import Any

import pytest

MEDIANS: dict[tuple[str, str], float] = {}
# Layout detection (test_layouts.py): (set of pages, "before" or "after") -> median per page.
DETECTION: dict[tuple[str, str], float] = {}


@pytest.fixture
def record() -> Any:
    def _record(kind: str, name: str, benchmark: Any) -> None:
        if benchmark.stats is not None:  # None under --benchmark-disable
            MEDIANS[(kind, name)] = benchmark.stats.stats.median
    return _record


@pytest.fixture
def record_detection() -> Any:
    def _record(name: str, when: str, per_page: float) -> None:
        DETECTION[(name, when)] = per_page
    return _record


def _detection_summary(terminalreporter: Any) -> None:
    names = list(dict.fromkeys(name for name, _ in DETECTION))
    rows = [(n, DETECTION.get((n, "before")), DETECTION.get((n, "after"))) for n in names]
    rows = [(n, b, a) for n, b, a in rows if b and a]
    if not rows:
        return
    terminalreporter.section("layout detection per page (medians of this run)")
    for name, before, after in rows:
        terminalreporter.write_line(
            f"{name:>10}  before {before * 1e6:7.1f} µs  after {after * 1e6:7.1f} µs  "
            f"ratio {after / before:5.2f}")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    _detection_summary(terminalreporter)
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
