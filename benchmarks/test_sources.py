"""Parsing a web page against pandas.read_html reading its tables, side by side.

govreport reads the page, rebuilds its text and tables and parses the whole
report; pandas only reads the tables into DataFrames. The bar (issue 5): the
first takes no longer than the second, on the same bytes in the same run.
Needs the ``bench`` extra (pandas, lxml).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from govreport.model import Report
from govreport.pipeline import _report
from govreport.sources import read_source

pd = pytest.importorskip("pandas")
pytest.importorskip("lxml")

ROOT = Path(__file__).resolve().parent.parent
EXTRA = ROOT.parent / "shared" / "corpus" / "extra"


def pages() -> list[tuple[str, bytes]]:
    """(name, bytes) of extra/020 when ../shared is there, and of well-formed HTML fixtures."""
    paths = sorted(EXTRA.glob("*.html")) if EXTRA.is_dir() else []
    # Not synth_2019_blanks: its cells are left unclosed, and lxml (under pandas)
    # loses two of its three tables, so the two would not be doing the same work.
    paths += [p for p in sorted((ROOT / "tests" / "fixtures" / "sources").glob("*.html"))
              if p.stem != "synth_2019_blanks"]
    return [(p.stem[:3] if p.parent == EXTRA else p.stem, p.read_bytes()) for p in paths]


_MEDIANS: dict[tuple[str, str], float] = {}


def _keep(kind: str, name: str, benchmark: Any) -> None:
    if benchmark.stats is not None:  # None under --benchmark-disable
        _MEDIANS[(kind, name)] = benchmark.stats.stats.median


def parse_html(data: bytes) -> Report:
    """What parse_file() does with a page (until the pipeline routes pages itself)."""
    document = read_source(data, suffix=".html")
    assert document is not None
    return _report(document, None)


def read_tables(data: bytes) -> list[Any]:
    return pd.read_html(io.BytesIO(data), flavor="lxml")  # type: ignore[no-any-return]


@pytest.mark.parametrize(("name", "data"), pages(), ids=[n for n, _ in pages()])
def test_html_parse(benchmark: Any, record: Any, name: str, data: bytes) -> None:
    benchmark.group = f"html {name}"
    parse_html(data)  # build the cached parsers outside the timing
    report = benchmark(parse_html, data)
    assert report.applications is not None
    record("html_parse", name, benchmark)
    _keep("govreport", name, benchmark)


@pytest.mark.parametrize(("name", "data"), pages(), ids=[n for n, _ in pages()])
def test_pandas_read_html(benchmark: Any, record: Any, name: str, data: bytes) -> None:
    benchmark.group = f"html {name}"
    tables = benchmark(read_tables, data)
    assert len(tables) >= 3
    record("pandas_read_html", name, benchmark)
    _keep("pandas", name, benchmark)


def test_html_parse_is_not_slower_than_pandas_read_html() -> None:
    """Runs after the two above (file order): compares their medians of this run."""
    names = sorted({n for _, n in _MEDIANS})
    pairs = [(n, _MEDIANS.get(("govreport", n)), _MEDIANS.get(("pandas", n))) for n in names]
    pairs = [(n, g, p) for n, g, p in pairs if g and p]
    if not pairs:
        pytest.skip("no timings (benchmarks disabled or deselected)")
    for name, ours, theirs in pairs:
        print(f"{name:>20}  govreport {ours * 1e3:7.3f} ms  pandas.read_html "
              f"{theirs * 1e3:7.3f} ms  ratio {ours / theirs:5.2f}")
    slower = [n for n, ours, theirs in pairs if ours > theirs]
    assert not slower, f"HTML parsing slower than pandas.read_html on {slower}"
