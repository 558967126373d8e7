"""The panel against ``corpus``: what building the panel costs on top of parsing.

Over N synthetic reports (random valid reports in every text layout, ``tests/synth.py``,
each given an agency of its own):

1. end to end: ``govreport.panels.run`` and ``govreport.corpus.run``, both writing
   CSV with the same workers, each run in a fresh process, taking turns
   ``GOVREPORT_BENCH_ROUNDS`` times (the fastest of each counts). Reported: the
   wall time and the CPU time (main process and workers) of each, and their
   ratios. Target: the panel costs at most 10 % more than corpus;
2. per report, in this process, in turns: the panel's rows built and encoded
   (``report_rows`` + CSV) against the corpus record encoded (``records.encode``),
   from the same parsed reports, and the parse itself.

N is ``GOVREPORT_BENCH_PANEL_N`` (default 1000, a short run; the target is stated
for 10 000), workers ``GOVREPORT_BENCH_PANEL_WORKERS`` (default 1). The figures are
printed at the end; nothing is asserted about them, since a shared host's noise
is as large as the difference.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import synth

from govreport import corpus, panels, records

N = int(os.environ.get("GOVREPORT_BENCH_PANEL_N", "1000"))
WORKERS = int(os.environ.get("GOVREPORT_BENCH_PANEL_WORKERS", "1"))
ROUNDS = int(os.environ.get("GOVREPORT_BENCH_ROUNDS", "3"))
# The corpus benchmark's mix: every layout with every template it takes.
COMBOS = [(layout, template) for layout in synth.LAYOUTS for template in synth.TEMPLATES
          if (layout == "prose") == (template == "freeform")]
FIGURES: list[str] = []

_DRIVER = """
import json, resource, sys, time
from govreport import corpus, panels

def cpu(who):
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime

files = open(sys.argv[1], encoding="utf-8").read().split("\\n")
before = cpu(resource.RUSAGE_SELF)
start = time.perf_counter()
if sys.argv[2] == "corpus":
    done = corpus.run(files, sys.argv[3], workers=int(sys.argv[4]), progress=False)
    ok, duplicates = done.counts.get("ok", 0), 0
else:
    done = panels.run(files, sys.argv[3], workers=int(sys.argv[4]))
    ok, duplicates = done.counts.get("ok", 0), len(done.duplicates)
wall = time.perf_counter() - start
print(json.dumps({"wall": wall, "cpu": cpu(resource.RUSAGE_SELF) - before
                  + cpu(resource.RUSAGE_CHILDREN), "ok": ok, "duplicates": duplicates}))
"""


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


def _run(kind: str, listing: Path, out: Path) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-c", _DRIVER, str(listing), kind, str(out),
                           str(WORKERS)], capture_output=True, text=True, check=True,
                          cwd=out.parent)
    result: dict[str, float] = json.loads(done.stdout)
    return result


def test_panel_against_corpus(benchmark: Any, reports: list[str], tmp_path: Path) -> None:
    benchmark.group = f"panel n={N}"
    listing = tmp_path / "files.txt"
    listing.write_text("\n".join(reports), encoding="utf-8")
    runs: dict[str, list[dict[str, float]]] = {"corpus": [], "panel": []}

    def alternate() -> None:
        for _ in range(ROUNDS):
            for kind in runs:
                runs[kind].append(_run(kind, listing, tmp_path / f"{kind}.csv"))

    benchmark.pedantic(alternate, rounds=1, iterations=1)
    assert all(r["ok"] == N for done in runs.values() for r in done)
    assert all(r["duplicates"] == 0 for r in runs["panel"])
    best = {kind: {k: min(r[k] for r in done) for k in ("wall", "cpu")}
            for kind, done in runs.items()}
    wall = best["panel"]["wall"] / best["corpus"]["wall"]
    cpu = best["panel"]["cpu"] / best["corpus"]["cpu"]
    benchmark.extra_info.update({"wall_ratio": round(wall, 3), "cpu_ratio": round(cpu, 3)})
    FIGURES.append(
        f"panel n={N} workers={WORKERS}: wall corpus {best['corpus']['wall']:.2f} s, panel "
        f"{best['panel']['wall']:.2f} s, ratio {wall:.3f}; CPU corpus "
        f"{best['corpus']['cpu']:.2f} s, panel {best['panel']['cpu']:.2f} s, ratio {cpu:.3f} "
        "(target <= 1.10)")


def test_rows_against_records(benchmark: Any, reports: list[str]) -> None:
    benchmark.group = f"panel n={N}"
    parsed = [corpus._parse_one(p, None, None) for p in reports[:min(N, 300)]]

    def rows() -> None:
        for r in parsed:
            assert r.report is not None
            panels._encode(panels.report_rows(r.report, r.path)[0], "csv")

    def record() -> None:
        for r in parsed:
            records.encode(r, "csv")

    def parse() -> None:
        for r in parsed[:100]:
            corpus._parse_one(r.path, None, None)

    best = {"panel rows": float("inf"), "corpus record": float("inf"), "parse": float("inf")}
    for _ in range(ROUNDS):
        for name, job in (("panel rows", rows), ("corpus record", record), ("parse", parse)):
            start = time.process_time()
            job()
            best[name] = min(best[name], time.process_time() - start)
    benchmark.pedantic(rows, rounds=1, iterations=1)
    per = {k: v / (min(len(parsed), 100) if k == "parse" else len(parsed)) * 1e3
           for k, v in best.items()}
    FIGURES.append(f"per report (CPU): panel rows built and encoded {per['panel rows']:.3f} ms, "
                   f"corpus record encoded {per['corpus record']:.3f} ms, "
                   f"parse {per['parse']:.3f} ms")


def test_panel_summary() -> None:
    if not FIGURES:
        pytest.skip("no panel runs")
    for line in FIGURES:
        print(line)
