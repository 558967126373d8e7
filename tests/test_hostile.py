"""Issue 19: resource bombs end fast and small; hostile pages say what happened.

The inputs are built in memory by tests/hostile.py. A bomb is parsed in a
subprocess under an address-space cap and a generous timeout, so a
regression fails the test instead of taking the machine down; the time
each takes is measured by benchmarks/hostile_figures.py, not asserted here.
"""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import hostile
import pytest

import govreport
from govreport import LimitExceeded, Limits
from govreport.sources._common import SpanGrid

pytest.importorskip("selectolax")
pytest.importorskip("docx")

ROOT = Path(__file__).resolve().parent.parent
_CHILD = """
import sys
sys.path.insert(0, sys.argv[1] + "/tests")
import govreport, hostile
data = hostile.ATTACKS[sys.argv[2]]()
try:
    report = govreport.parse(data)
except govreport.GovReportError as e:
    print(type(e).__name__, getattr(e, "limit", ""))
else:
    print("Report", *sorted({d.code for d in report.diagnostics}))
"""


def _bounded(attack: str) -> list[str]:
    """Parse ``hostile.ATTACKS[attack]`` in a capped subprocess: its outcome's words."""
    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (3_000_000_000, 3_000_000_000))

    proc = subprocess.run([sys.executable, "-c", _CHILD, str(ROOT), attack], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, preexec_fn=cap,
                          check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout.split()


# ------------------------------------------------------------------------ HTML bombs

@pytest.mark.parametrize("attack", ["html: rowspan=0 + 50,000 empty rows",
                                    "html: 1,000 colspan=1000 rowspan=0 + 50,000 rows"])
def test_rowspan_zero_over_empty_rows(attack: str) -> None:
    assert _bounded(attack)[0] == "Report"


def test_rows_under_many_spans_hit_max_cells() -> None:
    page = ("<table><tr>" + '<td rowspan="0">a</td>' * 200 + "</tr>"
            + "<tr><td>x</td></tr>" * 200 + "</table>").encode()
    with pytest.raises(LimitExceeded) as e:
        govreport.parse(page, limits=Limits(max_cells=10_000))
    assert e.value.limit == "max_cells"
    govreport.parse(page, limits=Limits(max_cells=50_000))  # 200 × 201 cells fit


def test_span_grid_places_covered_cells() -> None:
    grid = SpanGrid()
    assert grid.row([("组", 1, 65534), ("a", 2, 1), ("b", 2, 3)]) == \
        [(1, "组"), (2, "a"), (4, "b")]
    assert grid.row([]) == []  # a row of no cells of its own holds nothing
    assert grid.row([("c", 1, 1), ("x", 1, 1)]) == [(1, ""), (2, "c"), (3, "x"), (4, "")]
    assert grid.row([("d", 1, 1), ("e", 1, 1)]) == [(1, ""), (2, "d"), (3, "e")]


def test_nested_tables() -> None:
    assert _bounded("html: 20,000 nested tables")[:2] == ["Report", "html-depth"]
    # Below the depth cap every table holding a table is layout, the innermost data.
    page = ("<table><tr><td>外</td><td>" * 300 + "<table><tr><td>甲</td><td>1</td></tr>"
            "</table>" + "</td></tr></table>" * 300).encode()
    from govreport.sources.html import read_html
    document = read_html(page)
    grids = [b for b in document.blocks if isinstance(b, govreport.model.Grid)]
    assert [[c.text for c in r.cells] for g in grids for r in g.rows] == [["甲", "1"]]
    assert not document.diagnostics


def test_nested_divs_keep_their_text() -> None:
    assert _bounded("html: 100,000 nested divs")[:2] == ["Report", "html-depth"]
    from govreport.sources.html import read_html
    document = read_html(hostile.html_nested_divs(5_000), limits=Limits(max_html_depth=100))
    assert [b.text for b in document.blocks] == ["deep"]
    assert [d.code for d in document.diagnostics] == ["html-depth"]
    # The start and end tags of the divs past 100; not their text.
    assert "9,800 tags" in document.diagnostics[0].message


def test_nested_spans_are_capped_too() -> None:
    from govreport.sources.html import _cap_depth
    assert _cap_depth("<span>" * 600 + "x", 512)[1:] == (88, 600)


def test_depth_scan_leaves_ordinary_pages_alone() -> None:
    from govreport.sources.html import _cap_depth
    page = ("<script>var s = '" + "<div>" * 2000 + "';</script><!-- " + "<div>" * 2000
            + " -->" + "<p>段落<td>格" * 2000 + "<svg>" + "<path d='1'/>" * 2000 + "</svg>"
            + "<div>x</div>" * 2000)
    assert _cap_depth(page, 512)[1] == 0


# ------------------------------------------------------------------------ DOCX bombs

@pytest.mark.parametrize("attack", ["docx: upperRoman start 10^9", "docx: upperRoman start 10^12",
                                    "docx: upperLetter start 10^12"])
def test_huge_list_starts(attack: str) -> None:
    assert _bounded(attack)[:2] == ["Report", "docx-attribute"]


def test_letters_and_roman_numerals_stay_short() -> None:
    from govreport.sources.docx import _letters, _roman
    assert (_roman(1994), _roman(4000), _letters(28), _letters(10**12)) == \
        ("MCMXCIV", "4000", "BB", str(10**12))


def test_zip_bomb() -> None:
    assert _bounded("docx: zip bomb, 200 MB document.xml") == ["LimitExceeded",
                                                              "max_unzipped_bytes"]


def test_zip_ratio() -> None:
    with pytest.raises(LimitExceeded) as e:
        govreport.parse(hostile.docx_zip_bomb(20))
    assert e.value.limit == "max_zip_ratio"
    report = govreport.parse(hostile.docx_zip_bomb(2), limits=Limits(max_zip_ratio=10_000))
    assert report.layout == "docx"


# ------------------------------------------------------------ silently wrong or empty

def test_report_in_pre_reads_as_its_text() -> None:
    report = govreport.parse(hostile.html_pre())
    assert hostile.count_values(report) == (200, 200)
    assert report.layout == "html"


def test_gbk_page_declaring_latin1() -> None:
    report = govreport.parse(hostile.html_gbk_declared_latin1())
    assert hostile.count_values(report) == (200, 200)
    assert [d.code for d in report.diagnostics if d.code.startswith("charset")] == \
        ["charset-override"]


@pytest.mark.parametrize("text", [
    "Le café de la gare, été comme hiver. Über die Brücke gehen wir schön früh. " * 20,
    "Größe und Maße: äöü ÄÖÜ ß - fünf Bürger über Straßen; ÿé çà." * 30,
])
def test_latin1_pages_stay_latin1(text: str) -> None:
    from govreport.sources.html import read_html
    page = f'<html><head><meta charset="iso-8859-1"></head><body><p>{text}</p>'
    document = read_html(page.encode("latin-1"))
    assert document.blocks[0].text == text.strip()  # type: ignore[union-attr]
    assert not document.diagnostics


@pytest.mark.parametrize("label", ["rot13", "hex", "base64", "utf-16", "no-such-codec"])
def test_unusable_charset_is_ignored(label: str) -> None:
    from govreport.sources.html import read_html
    page = f'<meta charset="{label}"><p>政府信息公开</p>'
    for data in (page.encode(), page.encode("gbk")):
        document = read_html(data)
        assert document.blocks[0].text == "政府信息公开"  # type: ignore[union-attr]
        assert [d.code for d in document.diagnostics] == ["charset-ignored"]


def test_form_and_hidden_text_go_to_diagnostics() -> None:
    report = govreport.parse(hostile.html_form_and_hidden())
    raw = {d.code: d.raw for d in report.diagnostics}
    assert raw["hidden-text"] == "隐藏的广告文字 另一段隐藏文字"
    assert raw["form-text"] == "打印本页 2022年 留言 请启用脚本"
    shown = govreport.to_json(report.sections) + govreport.to_json(report.preamble)
    assert "隐藏" not in shown and "打印" not in shown


def test_a_hidden_view_holding_the_report_is_read() -> None:
    page = hostile.html_pre().replace(b"<pre>", b'<div style="display: none"><pre>')
    report = govreport.parse(page)
    assert hostile.count_values(report) == (200, 200)
    assert [d.raw for d in report.diagnostics if d.code == "hidden-text"] == [None]


def test_hidden_text_inside_table_cells() -> None:
    from govreport.sources.html import read_html
    page = ('<table><tr><td>甲<span style="DISPLAY: none">9</span></td><td>1</td></tr>'
            "<tr><td>乙</td><td>2<button>改</button></td></tr></table>")
    document = read_html(page)
    grid = document.blocks[0]
    assert isinstance(grid, govreport.model.Grid)
    assert [[c.text for c in r.cells] for r in grid.rows] == [["甲", "1"], ["乙", "2"]]
    assert {d.code: d.raw for d in document.diagnostics} == {"hidden-text": "9",
                                                            "form-text": "改"}


def test_docx_entity_keeps_the_text_after_it() -> None:
    report = govreport.parse(hostile.docx_entity())
    assert "前文&ent;后文" in govreport.to_json(report)
    assert [d.raw for d in report.diagnostics if d.code == "docx-entity"] == ["&ent;"]


@pytest.mark.parametrize(("data", "raw"), [(hostile.docx_bad_gridspan(), "2.0"),
                                          (hostile.docx_bad_start(), "abc")])
def test_docx_bad_attribute_is_absent(data: bytes, raw: str) -> None:
    report = govreport.parse(data)
    assert [d.raw for d in report.diagnostics if d.code == "docx-attribute"] == [raw]


def test_docx_bad_start_numbers_from_one() -> None:
    report = govreport.parse(hostile.docx_bad_start())
    assert [s.heading for s in report.sections][:2] == ["1.一项", "2.一项"]


@pytest.mark.parametrize("end", ["\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\r"])
def test_unicode_line_ends(end: str) -> None:
    text = hostile.report_text().replace("\n", end)
    assert hostile.count_values(govreport.parse(text)) == (200, 200)
    assert hostile.count_values(govreport.parse(text.encode())) == (200, 200)


def test_page_break_next_to_a_newline_is_no_line() -> None:
    from govreport.pipeline import split_lines
    assert split_lines("a\n\fb\f\nc\fd\u2028e") == ["a", "b", "c", "d", "e"]


def test_lone_nul_is_a_diagnostic() -> None:
    data = hostile.text_lone_nul()
    for source in (data, data.decode()):
        report = govreport.parse(source)
        assert hostile.count_values(report) == (200, 200)
        assert [d.raw for d in report.diagnostics if d.code == "nul"] == ["\x00"]
    with pytest.raises(govreport.UnsupportedInput, match="binary"):
        govreport.parse(b"\x00\x01\x02binary" * 50)


def test_html_span_attributes_never_refuse_the_page() -> None:
    from govreport.sources.html import _MAX_COLSPAN, _span
    assert [_span(v, _MAX_COLSPAN) for v in ("2px", " 3", "²", "9" * 5000, "abc", "0")] == \
        [2, 3, 1, _MAX_COLSPAN, 1, 1]
    page = '<table><tr><td colspan="' + "9" * 5000 + '">a</td><td rowspan="²">b</td></tr></table>'
    report = govreport.parse(page.encode())
    assert report.layout == "html"


def _zip_needing_version(version: int) -> bytes:
    """A small Word-like zip whose central directory says it needs zip ``version``/10."""
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    data = bytearray(buf.getvalue())
    central = data.index(b"PK\x01\x02")
    data[central + 6:central + 8] = version.to_bytes(2, "little")  # version needed to extract
    return bytes(data)


@pytest.mark.parametrize("suffix", [None, ".docx"])
def test_a_zip_of_a_version_zipfile_does_not_know_is_an_input_error(
        suffix: str | None, tmp_path: Path) -> None:
    # Found by the fuzzer: zipfile raised NotImplementedError("zip file version 16.2").
    data = _zip_needing_version(162)
    with pytest.raises(govreport.UnsupportedInput, match="damaged zip archive"):
        if suffix is None:
            govreport.parse(data)
        else:
            path = tmp_path / f"a{suffix}"
            path.write_bytes(data)
            govreport.parse_file(str(path))
