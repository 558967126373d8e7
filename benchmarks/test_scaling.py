"""Time and memory grow linearly with the input: a benchmark, not a timed test.

Each case is parsed at sizes s, 2s and 4s, each in a subprocess of its own
(this file run as a script), which reports the parse time and its peak RSS;
both go into ``benchmark.extra_info`` and a table at the end of the run
shows the growth of CPU time from one size to the next (about 2× for
linear work, 4× for quadratic; CPU time, since the wall clock of a shared
machine says little). The cases:

* ``big``: report text repeated to 50 MB (a report with thousands of tables
  and sections' worth of paragraphs);
* ``lines``: a million short lines;
* ``long_line``: crawler text, a whole report on one 10 MB line (the ``fused``
  layout: headings, labels and digit runs inside running text);
* ``headings``: thousands of repeated headings and tables (每 section heading
  seen again, 一、 … 九十九、 and their （一）… sub-headings).

The full sizes are above; by default the run is fast, at 1/50 of them. Set
``GOVREPORT_SCALING=full`` for the full sizes (minutes, and a few GB of RAM);
the limits are raised for them explicitly, since 4 × 50 MB is over the
default ``max_bytes``. docs/robustness.md has the figures.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
FULL = os.environ.get("GOVREPORT_SCALING") == "full"
SCALE = 1 if FULL else 50

# Full-size targets of each case: bytes for big and long_line, lines, headings.
TARGETS = {"big": 50_000_000, "lines": 1_000_000, "long_line": 10_000_000, "headings": 2_000}
# GOVREPORT_SCALING_FACTORS=1,2 skips the 4s runs, the longest at full size.
FACTORS = tuple(int(f) for f in os.environ.get("GOVREPORT_SCALING_FACTORS", "1,2,4").split(","))
RESULTS: dict[tuple[str, int], dict[str, Any]] = {}


def _report_text() -> str:
    sys.path.insert(0, str(ROOT / "tests"))
    from synth import generate

    text, _ = generate(3, "tab_rows", "2021")
    return text


def _crawler() -> str:
    return (ROOT / "tests" / "fixtures" / "fused" / "crawler_2021.txt").read_text("utf-8")


def make(case: str, size: int) -> str:
    """The input of ``case`` at ``size`` (bytes, lines or headings, as TARGETS says)."""
    if case == "big":
        text = _report_text()
        head, _, body = text.partition("\n")
        n = max(1, size // len(body.encode("utf-8")))
        return head + "\n" + body * n
    if case == "lines":
        paragraph = "（一）本年度共收到申请12件，均已按期答复。"
        lines = ["某县人民政府2023年政府信息公开工作年度报告", "一、总体情况"]
        lines += [paragraph[: 4 + i % 20] for i in range(size - 2)]
        return "\n".join(lines)
    if case == "long_line":
        crawler = _crawler()
        line = max(crawler.split("\n"), key=len)
        n = max(1, size // len(line.encode("utf-8")))
        return (" ".join([line] * n)) + "\n"
    if case == "headings":
        text = _report_text()
        head, _, body = text.partition("\n")
        return head + "\n" + body * max(1, size // 6)  # six headings a copy
    raise ValueError(case)


def _measure(case: str, size: int) -> dict[str, Any]:
    """In this process: build the input, parse it, report time and peak memory."""
    import govreport

    text = make(case, size)
    limits = govreport.Limits(max_bytes=1 << 40, max_lines=1 << 40, max_line_chars=1 << 40)
    govreport.parse("某局2023年政府信息公开工作年度报告\n一、总体情况\n无。")  # warm the caches
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start, cpu = time.perf_counter(), time.process_time()
    report = govreport.parse(text, limits=limits)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"case": case, "size": size, "bytes": len(text.encode("utf-8")),
            "lines": text.count("\n") + 1, "seconds": seconds, "cpu_seconds": cpu,
            "layout": report.layout,
            "sections": len(report.sections), "diagnostics": len(report.diagnostics),
            "peak_rss_mb": peak / 1024, "rss_before_mb": before / 1024}


def _run(case: str, size: int) -> dict[str, Any]:
    out = subprocess.run([sys.executable, __file__, case, str(size)], check=True,
                         capture_output=True, text=True, cwd=ROOT)
    result: dict[str, Any] = json.loads(out.stdout)
    return result


@pytest.mark.parametrize("factor", FACTORS)
@pytest.mark.parametrize("case", sorted(TARGETS))
def test_scaling(benchmark: Any, case: str, factor: int) -> None:
    size = TARGETS[case] * factor // SCALE
    result = benchmark.pedantic(_run, args=(case, size), rounds=1, iterations=1)
    benchmark.extra_info.update(result)
    RESULTS[(case, factor)] = result


def test_scaling_summary(capsys: Any) -> None:
    """Print each case's growth per doubling (run last; see the module doc)."""
    if not RESULTS:
        pytest.skip("the scaling runs were deselected")
    lines = [f"{'case':>10} {'factor':>6} {'MB':>8} {'lines':>9} {'seconds':>8} "
             f"{'cpu s':>8} {'×cpu':>6} {'peak MB':>8}"]
    for case in sorted(TARGETS):
        previous = None
        for factor in FACTORS:
            r = RESULTS.get((case, factor))
            if r is None:
                continue
            growth = f"{r['cpu_seconds'] / previous:6.2f}" if previous else "     -"
            lines.append(f"{case:>10} {factor:>6} {r['bytes'] / 1e6:8.2f} {r['lines']:>9} "
                         f"{r['seconds']:8.3f} {r['cpu_seconds']:8.3f} {growth} "
                         f"{r['peak_rss_mb']:8.0f}")
            previous = r["cpu_seconds"]
    with capsys.disabled():
        print("\n" + "\n".join(lines))


if __name__ == "__main__":
    print(json.dumps(_measure(sys.argv[1], int(sys.argv[2]))))
