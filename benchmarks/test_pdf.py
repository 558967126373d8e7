"""Parsing a PDF against the pdfium floor, side by side (issue 25).

The floor is what any reader of a PDF's text with boxes pays at least, with the
same library: open the file, and for every page load its text, read the text
and every character's box (pypdfium2's own API). ``govreport.parse_file`` does
that and more: ruling lines, table cells, reading order, then the report. The
bar: its median at most 3× the floor's, per file, in the same run. The floor
is timed right before every round of the parse, so both meet the machine in
the same state; the median of the round-by-round ratios is printed beside the
ratio of the medians.

At the end of the module the medians, the ratio, and the speed-up over the
pdfplumber reader (its medians measured on this machine before it was
replaced, kept in :data:`PDFPLUMBER_MS`; docs/performance.md) are printed.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import govreport

pdfium = pytest.importorskip("pypdfium2")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"

# Median milliseconds of govreport.parse_file with the pdfplumber reader
# (govreport before issue 25), per file, on the development machine, measured
# interleaved with the pdfium reader; docs/performance.md.
PDFPLUMBER_MS = {
    "synth_2019": 129.1, "synth_2019_blanks": 98.2, "synth_2021": 121.1,
    "wps_2019": 130.5, "wps_2021": 132.7, "wps_2021_b2019": 119.8,
    "hongze_2024": 303.3, "020p": 513.6,
}


def pdfs() -> list[tuple[str, Path]]:
    """(name, path) of the PDF fixtures, and of the corpus PDFs when ../shared is there."""
    paths = sorted((ROOT / "tests" / "fixtures" / "sources").glob("*.pdf"))
    for folder in ("real", "extra"):
        if (CORPUS / folder).is_dir():
            paths += sorted((CORPUS / folder).glob("*.pdf"))
    return [(p.stem[:4] if p.stem[:3].isdigit() else p.stem, p) for p in paths]


def floor(path: Path) -> int:
    """Open the PDF; every page's text and every character's box."""
    pdf = pdfium.PdfDocument(path)
    count = 0
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            count += len(textpage.get_text_range())
            count += len([textpage.get_charbox(i, loose=True)
                          for i in range(textpage.count_chars())])
            textpage.close()
            page.close()
    finally:
        pdf.close()
    return count


# name → (parse median, floor median, median of the round-by-round ratios), seconds
RESULTS: dict[str, tuple[float, float, float]] = {}


@pytest.fixture(scope="module", autouse=True)
def _summary(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if capture is None or not RESULTS:
        return
    with capture.global_and_fixture_disabled():
        print("\n\nPDF: parse_file against the pdfium floor (medians of this run; the ratio of "
              "the medians, then the median of the round-by-round ratios), and the speed-up "
              "over the pdfplumber reader (recorded medians)")
        for name, (parse, floor_s, paired) in sorted(RESULTS.items()):
            old = PDFPLUMBER_MS.get(name)
            speed = (f"  pdfplumber {old:6.1f} ms  speed-up {old / (parse * 1e3):5.1f}x"
                     if old else "")
            print(f"{name:>18}  parse {parse * 1e3:7.2f} ms  floor {floor_s * 1e3:6.2f} ms"
                  f"  ratio {parse / floor_s:4.2f}x ({paired:4.2f}x){speed}")


def _rounds(path: Path) -> int:
    # About a second of parsing per file, and never fewer than 15 rounds.
    start = time.perf_counter()
    govreport.parse_file(path)
    return max(15, min(200, int(1.0 / max(time.perf_counter() - start, 1e-4))))


@pytest.mark.parametrize(("name", "path"), pdfs(), ids=[name for name, _ in pdfs()])
def test_pdf(benchmark: Any, name: str, path: Path) -> None:
    benchmark.group = "pdf parse_file"
    floors: list[float] = []

    def time_floor() -> None:
        # Run before every round of the parse: a shared host's speed drifts
        # over seconds, and a floor timed apart would meet another machine.
        start = time.perf_counter()
        assert floor(path) > 0
        floors.append(time.perf_counter() - start)

    govreport.parse_file(path)  # builds the cached parsers
    report = benchmark.pedantic(govreport.parse_file, (path,), rounds=_rounds(path),
                                warmup_rounds=1, setup=time_floor)
    assert report.sections
    if benchmark.stats is None:  # None under --benchmark-disable
        return
    times = list(benchmark.stats.stats.data)
    floors = floors[-len(times):]  # the first is the warm-up round's
    parse, floor_s = statistics.median(times), statistics.median(floors)
    paired = statistics.median(t / f for t, f in zip(times, floors, strict=True))
    RESULTS[name] = (parse, floor_s, paired)
    benchmark.extra_info.update(floor_ms=round(floor_s * 1e3, 3),
                                ratio=round(parse / floor_s, 2), paired_ratio=round(paired, 2))
