"""Layout detection time per report, with and without the layouts added for issue 21.

``before`` scores a page with the six layouts govreport had before the cell
layouts came (fused, pipe_rows, pipe_cells, prose, tab_rows, tab_cells: their
``score`` code is unchanged); ``after`` with every registered layout, as
:func:`govreport.layouts.detect` does. Both run in the same session, one
after the other for each set of pages, so a shared machine's drift skews
their ratio the least. The pages: the seeds and extra reports when
../shared is there, the fixtures, and generated reports of every layout and
template of ``tests/synth.py`` (whole reports and 0.8–1 KB excerpts).
At the end of the run the medians per page are printed side by side
(benchmarks/conftest.py).
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from govreport import layouts
from govreport.clean import clean_lines

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
import synth  # noqa: E402

# ../shared beside the checkout, or wherever GOVREPORT_CORPUS says.
CORPUS = Path(os.environ.get("GOVREPORT_CORPUS", ROOT.parent / "shared" / "corpus"))
BEFORE = ("fused", "pipe_rows", "pipe_cells", "prose", "tab_rows", "tab_cells")
ROUNDS = int(os.environ.get("GOVREPORT_BENCH_ROUNDS", "41"))


def _lines(text: str) -> tuple[str, ...]:
    return clean_lines(text.replace("\r\n", "\n").split("\n")).lines


def pages() -> dict[str, list[tuple[str, ...]]]:
    """Sets of pages, each as the cleaned lines detection sees."""
    files = [*sorted(CORPUS.glob("seeds/*.txt")), *sorted(CORPUS.glob("extra/*.txt")),
             *sorted((ROOT / "tests" / "fixtures").glob("*.txt"))]
    generated: list[tuple[str, ...]] = []
    excerpts: list[tuple[str, ...]] = []
    for layout in synth.ALL_LAYOUTS:
        for template in ("2021", "2019", "freeform"):
            if (layout == "prose") != (template == "freeform"):
                continue
            for seed in range(3):
                text, _ = synth.generate(seed, layout, template, blanks=seed == 1)
                generated.append(_lines(text))
                excerpts.append(_lines(synth.excerpt(text, random.Random(seed))))
    return {
        "files": [_lines(p.read_text("utf-8-sig")) for p in files],
        "generated": generated,
        "excerpts": excerpts,
    }


PAGES = pages()


def _detect(chosen: Sequence[layouts.Layout], all_pages: list[tuple[str, ...]]) -> None:
    for lines in all_pages:
        best = -1.0
        for layout in chosen:
            score = layout.score(lines)
            if score > best:
                best = score


CASES = [(name, when) for name in PAGES for when in ("before", "after")]


def _chosen(when: str) -> list[layouts.Layout]:
    available = layouts.available()
    return [available[n] for n in BEFORE] if when == "before" else list(available.values())


@pytest.mark.parametrize(("name", "when"), CASES, ids=[f"{n}-{w}" for n, w in CASES])
def test_detection(benchmark: Any, name: str, when: str) -> None:
    chosen = _chosen(when)
    all_pages = PAGES[name]
    benchmark.group = f"detect {name}"
    _detect(chosen, all_pages)  # fill the caches a parse fills on its first report
    benchmark(_detect, chosen, all_pages)


@pytest.mark.parametrize("name", list(PAGES))
def test_detection_side_by_side(benchmark: Any, record_detection: Any, name: str) -> None:
    """Before and after in alternate rounds: their ratio is what the drift of the machine spares."""
    all_pages = PAGES[name]
    sets = {when: _chosen(when) for when in ("before", "after")}
    times: dict[str, list[float]] = {"before": [], "after": []}
    for chosen in sets.values():
        _detect(chosen, all_pages)

    def rounds() -> None:
        for _ in range(ROUNDS):
            for when, chosen in sets.items():
                start = time.perf_counter()
                _detect(chosen, all_pages)
                times[when].append(time.perf_counter() - start)

    benchmark.group = "detect side by side"
    benchmark.pedantic(rounds, rounds=1, iterations=1)
    for when, measured in times.items():
        median = statistics.median(measured) / max(len(all_pages), 1)
        benchmark.extra_info[f"{when}_us_per_page"] = round(median * 1e6, 2)
        record_detection(name, when, median)
