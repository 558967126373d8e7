"""Parsing a PDF against the pdfium floor, side by side (issue 25).

The floor is what any reader of a PDF's text with boxes pays at least, with the
same library: open the file, and for every page load its text, read the text
and every character's box (pypdfium2's own API). ``govreport.parse_file`` does
that and more: ruling lines, table cells, reading order, then the report. The
bar: its median at most 3× the floor's, per file, in the same run.

At the end of the module the medians, the ratio, and the speed-up over the
pdfplumber reader (its medians measured on this machine before it was
replaced, kept in :data:`PDFPLUMBER_MS`; docs/performance.md) are printed.
"""

from __future__ import annotations

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
    "synth_2019": 139.8, "synth_2019_blanks": 101.0, "synth_2021": 127.9,
    "wps_2019": 139.5, "wps_2021": 149.3, "wps_2021_b2019": 175.4,
    "hongze_2024": 418.8, "020p": 564.5,
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


_MEDIANS: dict[tuple[str, str], float] = {}


@pytest.fixture(scope="module", autouse=True)
def _summary(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    names = sorted({name for _, name in _MEDIANS})
    rows = [(n, _MEDIANS.get(("parse", n)), _MEDIANS.get(("floor", n))) for n in names]
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if capture is None or not any(p and f for _, p, f in rows):
        return
    with capture.global_and_fixture_disabled():
        print("\n\nPDF: parse_file / pdfium floor (medians of this run), speed-up over the "
              "pdfplumber reader (recorded medians)")
        for name, parse, floor_s in rows:
            if not (parse and floor_s):
                continue
            old = PDFPLUMBER_MS.get(name)
            speed = (f"  pdfplumber {old:6.1f} ms  speed-up {old / (parse * 1e3):5.1f}x"
                     if old else "")
            print(f"{name:>18}  parse {parse * 1e3:7.2f} ms  floor {floor_s * 1e3:6.2f} ms"
                  f"  ratio {parse / floor_s:4.2f}x{speed}")


# Each file's parse and floor run one after the other, so a machine whose speed
# drifts during the run (a shared host) skews their ratio the least.
CASES = [(kind, name, path) for name, path in pdfs() for kind in ("parse", "floor")]


@pytest.mark.parametrize(("kind", "name", "path"), CASES,
                         ids=[f"{name}-{kind}" for kind, name, _ in CASES])
def test_pdf(benchmark: Any, kind: str, name: str, path: Path) -> None:
    benchmark.group = f"pdf {name}"
    if kind == "parse":
        govreport.parse_file(path)  # build the cached parsers outside the timing
        report = benchmark(govreport.parse_file, path)
        assert report.sections
    else:
        assert benchmark(floor, path) > 0
    if benchmark.stats is not None:  # None under --benchmark-disable
        _MEDIANS[(kind, name)] = benchmark.stats.stats.median
