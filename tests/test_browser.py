"""The comparison and overview pages in a real headless Chromium (tests/browser.py).

Skipped where no Chromium is installed, except in CI (``CI`` set), where a
missing browser is a failure: CI installs Debian's ``chromium``.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import Browser, find_chromium
from conftest import EXTRA
from pairs import AGENCY, NEW_YEAR, OLD_YEAR, parse_pair, write_pair

import govreport
from govreport.cli import main

CHROMIUM = find_chromium()
if CHROMIUM is None and os.environ.get("CI"):
    pytest.fail("CI needs Chromium for the page tests: apt-get install chromium",
                pytrace=False)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium installed")

SHARED = EXTRA


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert CHROMIUM is not None
    with Browser(CHROMIUM) as b:
        yield b


def _not_blank(png: bytes) -> None:
    assert png.startswith(b"\x89PNG") and len(png) > 5000
    from PIL import Image  # the test extra's Pillow

    with Image.open(io.BytesIO(png)) as img:
        colours = img.convert("L").getcolors(maxcolors=1 << 16)
    # A blank page is one colour; a page of text and tables has many shades.
    assert colours is None or len(colours) > 20


def _cells(browser: Browser, key: str) -> list[str]:
    value = browser.evaluate(
        f"Array.from(document.querySelector('tr[data-key=\"{key}\"]').cells)"
        ".map(c => c.innerText.trim())")
    assert isinstance(value, list)
    return [str(x) for x in value]


def test_the_harness_sees_errors(browser: Browser, tmp_path: Path) -> None:
    page = tmp_path / "bad.html"
    page.write_text("<!DOCTYPE html><p>x</p><script>console.error('boom');"
                    "undefinedFunction();</script>", encoding="utf-8")
    browser.open(page)
    errors = browser.errors()
    assert len(errors) >= 2 and any("boom" in e for e in errors)


def test_comparison_page(browser: Browser, tmp_path: Path) -> None:
    old, new = write_pair(tmp_path)
    out = tmp_path / "c.html"
    assert main(["compare", str(old), str(new), "-o", str(out)]) == 0
    expected = govreport.compare(*parse_pair())
    browser.open(out)
    assert browser.errors() == []
    assert browser.evaluate("document.querySelectorAll('section.section').length") == 6
    kinds = browser.evaluate(
        "Array.from(document.querySelectorAll('table.sections tr[data-kind]'))"
        ".map(r => [r.dataset.kind, r.dataset.repetition])")
    assert kinds == [[s.kind, "" if s.repetition is None else str(s.repetition)]
                     for s in expected.sections]
    assert _cells(browser, "applications.new_received.total")[1:] == ["74", "81", "+7"]
    formulas = browser.evaluate(
        "Array.from(document.querySelectorAll('tr.check')).map(r => r.cells[2].innerText)")
    assert any(f.endswith("597 + 50 − 227 = 420") for f in formulas)
    assert browser.evaluate("document.querySelectorAll('tr.check[data-code=\"B6\"]').length") == 7
    # Unchanged values are hidden until asked for, and printing shows everything.
    hidden = browser.evaluate("Array.from(document.querySelectorAll('tr.same'))"
                              ".filter(r => r.offsetParent !== null).length")
    assert hidden == 0
    browser.evaluate("document.getElementById('show-all').click()")
    shown = browser.evaluate("Array.from(document.querySelectorAll('tr.same'))"
                             ".filter(r => r.offsetParent !== null).length")
    assert shown == sum(1 for c in expected.changes if not c.changed)
    assert browser.evaluate("document.querySelectorAll('mark.rep').length") > 0
    # The new year's findings, by table then code, with their counts.
    shown_b1 = browser.evaluate(
        "Number(document.querySelectorAll('.findings')[1].querySelector("
        "'[data-table=\"applications\"] li[data-code=\"B1\"]').dataset.count)")
    table_b = next(t for t in expected.findings[1].tables if t.table == "applications")
    assert shown_b1 == sum(1 for f in table_b.findings if f.code == "B1") > 0
    _not_blank(browser.screenshot())
    # Printed, every value shows, whatever the switch says, and the switch does not.
    browser.evaluate("document.getElementById('show-all').click()")
    assert browser.evaluate("Array.from(document.querySelectorAll('tr.same'))"
                            ".filter(r => r.offsetParent !== null).length") == 0
    browser.send("Emulation.setEmulatedMedia", session=True, media="print")
    try:
        assert browser.evaluate("Array.from(document.querySelectorAll('tr.same'))"
                                ".filter(r => r.offsetParent !== null).length") == shown
        assert browser.evaluate("document.querySelector('.toolbar').offsetParent") is None
    finally:
        browser.send("Emulation.setEmulatedMedia", session=True, media="")
    assert browser.pdf().startswith(b"%PDF")


def test_overview_site(browser: Browser, tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    write_pair(inputs)
    (inputs / f"broken_{NEW_YEAR + 1}.docx").write_bytes(b"not a zip file")
    site = tmp_path / "site"
    assert main(["report", str(inputs), "-o", str(site), "-j", "0"]) == 0
    browser.open(site / "index.html")
    assert browser.errors() == []
    row = browser.evaluate(
        f"Array.from(document.querySelector('tr[data-agency=\"{AGENCY}\"]').cells)"
        ".slice(1).map(c => c.dataset.status)")
    assert row == ["published", "published", "missing"]  # OLD_YEAR … NEW_YEAR + 1
    assert browser.evaluate("document.querySelectorAll('table.failed-files tr').length") == 2
    points = browser.evaluate(
        "Array.from(document.querySelectorAll('figure[data-indicator=\"收到申请数\"] circle'))"
        ".map(c => [c.dataset.year, c.dataset.value])")
    assert points == [[str(OLD_YEAR), "74"], [str(NEW_YEAR), "81"]]
    _not_blank(browser.screenshot())
    link = browser.evaluate("document.querySelector('a.pair-link').getAttribute('href')")
    browser.open(site / link)
    assert browser.errors() == []
    assert _cells(browser, "applications.new_received.total")[1:3] == ["74", "81"]


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/corpus is absent")
def test_pingtan_pages(browser: Browser, tmp_path: Path) -> None:
    out = tmp_path / "c.html"
    assert main(["compare", str(SHARED / "004_pingtan_2022_zfxxgknb.txt"),
                 str(SHARED / "005_pingtan_2023_zfxxgknb.txt"), "-o", str(out)]) == 0
    browser.open(out)
    assert browser.errors() == []
    assert browser.evaluate("document.querySelectorAll('section.section').length") == 6
    assert _cells(browser, "applications.new_received.total")[1:3] == ["74", "81"]
    assert browser.evaluate("document.querySelectorAll('tr.check[data-code=\"B6\"]').length")
    _not_blank(browser.screenshot())
    site = tmp_path / "site"
    assert main(["report", str(SHARED), "-o", str(site), "-j", "0"]) == 0
    browser.open(site / "index.html")
    assert browser.errors() == []
    statuses = browser.evaluate(
        "Array.from(document.querySelector('tr[data-agency=\"平潭综合实验区\"]').cells)"
        ".slice(1).map(c => c.dataset.status)")
    years = browser.evaluate("Array.from(document.querySelectorAll('table.matrix tr:first-child"
                             " th')).slice(1).map(th => Number(th.innerText))")
    published = {y for y, s in zip(years, statuses, strict=True) if s == "published"}
    assert set(range(2011, 2026)) <= published
    _not_blank(browser.screenshot())
