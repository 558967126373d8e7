"""Issue 19's hostile inputs (tests/hostile.py): each parses, or is refused, in about a second.

Timed by pytest-benchmark, one round each (a bomb is no loop body); the peak
memory and the figures before the fixes come from benchmarks/hostile_figures.py,
which runs each in a fresh, capped process.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

import govreport

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
import hostile

pytest.importorskip("selectolax")
pytest.importorskip("docx")


def _parse(data: bytes) -> str:
    try:
        govreport.parse(data)
    except govreport.GovReportError as e:
        return type(e).__name__
    return "Report"


@pytest.mark.parametrize("attack", list(hostile.ATTACKS))
def test_hostile(benchmark: Any, attack: str) -> None:
    data = hostile.ATTACKS[attack]()
    outcome = benchmark.pedantic(_parse, args=(data,), rounds=1, iterations=1)
    benchmark.extra_info["outcome"] = outcome
    assert outcome in ("Report", "LimitExceeded")
