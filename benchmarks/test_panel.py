"""The panel against ``corpus``: what building the panel costs on top of parsing.

Over N synthetic reports (random valid reports in every text layout, ``tests/synth.py``):

1. end to end: ``govreport.panels.run`` and ``govreport.corpus.run``, both writing
   CSV with the same workers, taking turns ``GOVREPORT_BENCH_ROUNDS`` times (the
   fastest of each counts). Target: the panel costs at most 10 % more than corpus;
2. per report, in this process: the panel's rows built and encoded
   (``report_rows`` + CSV encoding) against the corpus record encoded
   (``records.encode``), from the same parsed reports.

N is ``GOVREPORT_BENCH_PANEL_N`` (default 1000, a short run; the target is stated
for 10 000), workers ``GOVREPORT_BENCH_PANEL_WORKERS`` (default 1). The figures are
printed at the end; nothing is asserted about them.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest
import synth

from govreport import corpus, panels, records
from govreport.pipeline import parse_file

N = int(os.environ.get("GOVREPORT_BENCH_PANEL_N", "1000"))
WORKERS = int(os.environ.get("GOVREPORT_BENCH_PANEL_WORKERS", "1"))
ROUNDS = int(os.environ.get("GOVREPORT_BENCH_ROUNDS", "3"))
# The corpus benchmark's mix: every layout with every template it takes.
COMBOS = [(layout, template) for layout in synth.LAYOUTS for template in synth.TEMPLATES
          if (layout == "prose") == (template == "freeform")]
FIGURES: list[str] = []


def _unique(i: int) -> str:
    digits = "甲乙丙丁戊己庚辛壬癸"
    return "".join(digits[int(d)] for d in f"{i:05d}")


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    directory = tmp_path_factory.mktemp("panel_bench")
    names = []
    for i in range(N):
        layout, template = COMBOS[i % len(COMBOS)]
        text, expected = synth.generate(10_000 + i, layout, template, blanks=i % 7 == 0)
        # synth draws from ten agencies: give each report its own, or nearly every file
        # would be a duplicate of another of the same agency and year.
        text = text.replace(expected["agency"], _unique(i) + expected["agency"])
        path = directory / f"r{i:05d}.txt"
        path.write_text(text, encoding="utf-8")
        names.append(str(path))
    return names


def test_panel_against_corpus(benchmark: Any, reports: list[str], tmp_path: Path) -> None:
    benchmark.group = f"panel n={N}"
    times: dict[str, list[float]] = {"corpus": [], "panel": []}

    def alternate() -> None:
        for _ in range(ROUNDS):
            start = time.perf_counter()
            corpus.run(reports, str(tmp_path / "c.csv"), workers=WORKERS, progress=False)
            times["corpus"].append(time.perf_counter() - start)
            start = time.perf_counter()
            panels.run(reports, str(tmp_path / "p.csv"), workers=WORKERS)
            times["panel"].append(time.perf_counter() - start)

    benchmark.pedantic(alternate, rounds=1, iterations=1)
    summary = panels.run(reports, str(tmp_path / "p.csv"), workers=WORKERS)
    assert summary.counts == {"ok": N} and not summary.duplicates
    best = {k: min(v) for k, v in times.items()}
    ratio = best["panel"] / best["corpus"]
    benchmark.extra_info.update({f"{k}_s": round(v, 3) for k, v in best.items()})
    benchmark.extra_info["ratio"] = round(ratio, 3)
    FIGURES.append(f"panel n={N} workers={WORKERS}: corpus {best['corpus']:.2f} s, panel "
                   f"{best['panel']:.2f} s, panel / corpus = {ratio:.3f} (target <= 1.10)")


def test_rows_against_records(benchmark: Any, reports: list[str]) -> None:
    benchmark.group = f"panel n={N}"
    parsed = [records.Result(p, parse_file(p)) for p in reports[:min(N, 300)]]

    def build() -> None:
        for r in parsed:
            assert r.report is not None
            rows, _ = panels.report_rows(r.report, r.path)
            panels._encode(rows, "csv")

    def record() -> None:
        for r in parsed:
            records.encode(r, "csv")

    times = {}
    for name, job in (("panel rows", build), ("corpus record", record)):
        best = float("inf")
        for _ in range(ROUNDS):
            start = time.perf_counter()
            job()
            best = min(best, time.perf_counter() - start)
        times[name] = best / len(parsed)
    benchmark.pedantic(build, rounds=1, iterations=1)
    FIGURES.append(f"per report: panel rows built and encoded {times['panel rows'] * 1e3:.3f} ms, "
                   f"corpus record encoded {times['corpus record'] * 1e3:.3f} ms")


def test_panel_summary() -> None:
    if not FIGURES:
        pytest.skip("no panel runs")
    for line in FIGURES:
        print(line)
