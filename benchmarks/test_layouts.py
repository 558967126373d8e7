"""Layout detection time per report, against the code before issue 21's layouts.

``after`` is :func:`govreport.layouts.detect` as it is. ``before`` is, when
``GOVREPORT_BASE`` names a source tree of the base commit (``git worktree add
/tmp/base 4aa0597``), that tree's own ``detect``, loaded beside this one as
``govreport_base`` (benchmarks/base_layouts.py); otherwise this tree's
``score`` of the six layouts the base had (fused, pipe_rows, pipe_cells,
prose, tab_rows, tab_cells), which counts what the base did not have but
none of what those scores have saved since. Both run in the same session,
in alternate rounds for each set of pages, so a shared machine's drift skews
their ratio the least. The pages: the seeds and extra reports when ../shared
is there, the fixtures, and generated reports of every layout and template
of ``tests/synth.py`` (whole reports and 0.8–1 KB excerpts). At the end of
the run the medians per page are printed side by side
(benchmarks/conftest.py).
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from govreport import layouts
from govreport.clean import clean_lines

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))
import synth  # noqa: E402
from base_layouts import load_base_detect  # noqa: E402

# ../shared beside the checkout, or wherever GOVREPORT_CORPUS says.
CORPUS = Path(os.environ.get("GOVREPORT_CORPUS", ROOT.parent / "shared" / "corpus"))
BEFORE = ("fused", "pipe_rows", "pipe_cells", "prose", "tab_rows", "tab_cells")
BASE = os.environ.get("GOVREPORT_BASE")
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


Detect = Callable[[Sequence[str]], Any]


def _subset(names: Sequence[str]) -> Detect:
    """Detection as :func:`govreport.layouts.detect` runs it, over the layouts ``names``."""
    available = layouts.available()
    chosen = [available[n] for n in names]

    def detect(lines: Sequence[str]) -> Any:
        best: tuple[float, Any] | None = None
        for layout in chosen:
            s = layout.score(lines)
            if best is None or s > best[0]:
                best = (s, layout)
        return best

    return detect


def _detectors() -> dict[str, Detect]:
    before = load_base_detect(Path(BASE)) if BASE else _subset(BEFORE)
    return {"before": before, "after": layouts.detect}


DETECTORS = _detectors()


def _detect(detect: Detect, all_pages: list[tuple[str, ...]]) -> None:
    for lines in all_pages:
        detect(lines)


CASES = [(name, when) for name in PAGES for when in ("before", "after")]


@pytest.mark.parametrize(("name", "when"), CASES, ids=[f"{n}-{w}" for n, w in CASES])
def test_detection(benchmark: Any, name: str, when: str) -> None:
    chosen = DETECTORS[when]
    all_pages = PAGES[name]
    benchmark.group = f"detect {name}"
    _detect(chosen, all_pages)  # fill the caches a parse fills on its first report
    benchmark(_detect, chosen, all_pages)


@pytest.mark.parametrize("name", list(PAGES))
def test_detection_side_by_side(benchmark: Any, record_detection: Any, name: str) -> None:
    """Before and after in alternate rounds: their ratio is what the drift of the machine spares."""
    all_pages = PAGES[name]
    sets = DETECTORS
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
