"""Whatever the input, the public entry points raise only GovReportError.

govreport runs unattended over scraped data, so a bad input must come back as
a Report (with diagnostics) or a :class:`govreport.GovReportError` subclass,
never as any other exception. Property tests feed random text and bytes, and
real and generated reports mutated the ways scraped text is damaged: lines
deleted, duplicated, shuffled or cut off; cells removed; white space and
full/half width changed. Every Report that comes back must also lose nothing
of its input (tests/test_nothing_lost.py).

Example counts are bounded so the module stays well under a minute.
"""

from __future__ import annotations

import contextlib
import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, seed_files
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from synth import generate
from test_nothing_lost import lost_chars

import govreport
from govreport import GovReportError, LimitExceeded, Limits, ParseError, UnsupportedInput
from govreport.cli import EXIT_INTERNAL, main

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _sources() -> list[tuple[str, str]]:
    """(name, text) of the seeds (when ../shared is there), the fixtures and generated reports."""
    out = [(p.name, p.read_text("utf-8-sig")) for p in seed_files()]
    out += [(p.name, p.read_text("utf-8")) for p in sorted(FIXTURES.glob("*.txt"))]
    out.append(("crawler", (FIXTURES / "fused" / "crawler_2021.txt").read_text("utf-8")))
    for i, (layout, template) in enumerate((("pipe_rows", "2021"), ("pipe_cells", "2019"),
                                            ("tab_cells", "2021"), ("tab_rows", "2019"))):
        out.append((f"synth-{layout}", generate(100 + i, layout, template)[0]))
    return out


SOURCES = _sources()


def parse_or_error(source: Any, **kwargs: Any) -> govreport.Report | None:
    """Parse; a GovReportError is an allowed answer, any other exception fails the test."""
    try:
        report = govreport.parse(source, **kwargs)
    except GovReportError as e:
        assert str(e)  # the message is printable
        return None
    assert isinstance(report, govreport.Report)
    # Downstream entry points take whatever parse returns.
    govreport.check(report)
    govreport.flatten(report)
    assert govreport.from_json(govreport.to_json(report)) == report
    return report


def assert_robust(text: str) -> None:
    report = parse_or_error(text)
    if report is not None:
        lost = lost_chars(text, report)
        assert not lost, f"characters lost ({report.layout}): {dict(lost.most_common(10))}"


# --------------------------------------------------------------------------- random input

_TEXT = st.text(st.characters(codec="utf-8"), max_size=400)
# Pieces of report text, so random input also reaches headings, tables and cells.
_PIECES = st.sampled_from([
    "一、", "二、", "（一）", "(二)", "政府信息公开工作年度报告", "2023年", "|", " | ", "\t", "\n",
    "本年制发件数", "行政许可", "自然人", "总计", "0", "12", "-3", "１２", "万元", "——",
    "收到和处理政府信息公开申请情况", "三、本年度办理结果", "（七）总计", "==== 正文 ====",
    "\u3000", "\r", "\x00", "\ufeff", "99999999999999999999999999", "1.5", "1,234",
])
_REPORTISH = st.lists(st.one_of(_PIECES, _TEXT), max_size=60).map("".join)


@SETTINGS
@given(_TEXT)
def test_random_text(text: str) -> None:
    assert_robust(text)


@SETTINGS
@given(_REPORTISH)
def test_random_report_pieces(text: str) -> None:
    assert_robust(text)


@SETTINGS
@given(st.binary(max_size=2000))
def test_random_bytes(data: bytes) -> None:
    parse_or_error(data)
    with contextlib.suppress(GovReportError):
        govreport.decode(data)


@SETTINGS
@given(st.sampled_from([b"%PDF-1.4\n", b"PK\x03\x04", b"<html><body><table><tr><td>",
                        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xff\xfe", b"\xef\xbb\xbf"]),
       st.binary(max_size=600))
def test_random_bytes_behind_magic(magic: bytes, rest: bytes) -> None:
    parse_or_error(magic + rest)


@SETTINGS
@given(_REPORTISH, st.sampled_from([*sorted(govreport.layouts.available()), "no-such"]))
def test_forced_layout(text: str, layout: str) -> None:
    parse_or_error(text, layout=layout)


@SETTINGS
@given(st.one_of(_TEXT, st.binary(max_size=300).map(lambda b: b.decode("latin-1")),
                 st.recursive(st.none() | st.integers() | st.text(max_size=20),
                              lambda c: st.lists(c, max_size=4)
                              | st.dictionaries(st.text(max_size=10), c, max_size=4),
                              max_leaves=20).map(json.dumps)))
def test_from_json_random(text: str) -> None:
    with pytest.raises(ParseError):
        govreport.from_json(text)


# --------------------------------------------------------------------------- mutated reports


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _delete(rng: random.Random, text: str) -> str:
    lines = _lines(text)
    for _ in range(rng.randint(1, 8)):
        if lines:
            del lines[rng.randrange(len(lines))]
    return "\n".join(lines)


def _duplicate(rng: random.Random, text: str) -> str:
    lines = _lines(text)
    for _ in range(rng.randint(1, 8)):
        i = rng.randrange(len(lines))
        lines[i:i] = lines[i:i + rng.randint(1, 5)]
    return "\n".join(lines)


def _shuffle(rng: random.Random, text: str) -> str:
    lines = _lines(text)
    i = rng.randrange(len(lines))
    j = min(len(lines), i + rng.randint(2, 30))
    part = lines[i:j]
    rng.shuffle(part)
    lines[i:j] = part
    return "\n".join(lines)


def _cut_off(rng: random.Random, text: str) -> str:
    return text[: rng.randrange(len(text) + 1)]


def _remove_cells(rng: random.Random, text: str) -> str:
    lines = _lines(text)
    rows = [i for i, ln in enumerate(lines) if "|" in ln or "\t" in ln]
    for i in rng.sample(rows, min(len(rows), rng.randint(1, 6))):
        sep = "|" if "|" in lines[i] else "\t"
        cells = lines[i].split(sep)
        del cells[rng.randrange(len(cells))]
        lines[i] = sep.join(cells)
    return "\n".join(lines)


_WIDE = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}
_NARROW = {v: k for k, v in _WIDE.items()} | {"\u3000": " ", "、": ",", "。": "."}


def _width(rng: random.Random, text: str) -> str:
    table = _WIDE if rng.random() < 0.5 else _NARROW
    return "".join(table.get(c, c) if rng.random() < 0.7 else c for c in text)


def _whitespace(rng: random.Random, text: str) -> str:
    out = []
    for c in text:
        r = rng.random()
        if c in " \t\u3000\xa0" and r < 0.3:
            out.append(rng.choice(["", " ", "\t", "\u3000", "  ", "\xa0"]))
        elif r < 0.02:
            out.append(c + rng.choice([" ", "\t", "\u3000", "\r", "\n"]))
        else:
            out.append(c)
    return "".join(out)


def _digits(rng: random.Random, text: str) -> str:
    chars = list(text)
    spots = [i for i, c in enumerate(chars) if c.isdigit()]
    for i in rng.sample(spots, min(len(spots), rng.randint(1, 10))):
        chars[i] = rng.choice(["", "7", "00", "-", "1234567890123", "Ⅳ", "x"])
    return "".join(chars)


MUTATIONS: dict[str, Callable[[random.Random, str], str]] = {
    "delete": _delete, "duplicate": _duplicate, "shuffle": _shuffle, "cut_off": _cut_off,
    "remove_cells": _remove_cells, "width": _width, "whitespace": _whitespace,
    "digits": _digits,
}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(range(len(SOURCES))),
       st.lists(st.sampled_from(sorted(MUTATIONS)), min_size=1, max_size=3),
       st.randoms(use_true_random=False))
def test_mutated_reports(index: int, mutations: list[str], rng: random.Random) -> None:
    text = SOURCES[index][1]
    for name in mutations:
        text = MUTATIONS[name](rng, text)
    assume(text.strip())
    assert_robust(text)


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_each_mutation_on_each_source(name: str) -> None:
    # Deterministic: every mutation reaches every layout, whatever hypothesis draws.
    rng = random.Random(name)
    for _, text in SOURCES:
        mutated = MUTATIONS[name](rng, text)
        if mutated.strip():
            assert_robust(mutated)
            parse_or_error(mutated.encode("gb18030"))


# --------------------------------------------------------------------------- other entry points


def test_check_series_raises_govreport_errors() -> None:
    report = govreport.parse(SOURCES[-1][1])
    with pytest.raises(GovReportError):
        govreport.check_series([report, report])
    undated = govreport.parse("没有年份的文字\n一、总体情况\n无。")
    with pytest.raises(GovReportError):
        govreport.check_series([undated])


@pytest.mark.parametrize("bad", [
    {}, {"title": 3}, {"layout": None}, [], {"sections": [{"x": 1}]}, {"template": "1999"}])
def test_from_dict_raises_parse_error(bad: Any) -> None:
    with pytest.raises(ParseError):
        govreport.from_dict(bad)


def test_parse_rejects_what_it_cannot_take() -> None:
    for bad in (3, None, ["a"], 1.5):
        with pytest.raises(UnsupportedInput):
            govreport.parse(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("data", [
    b"", b"   \n", b"\x00\x01\x02" * 100, b"\xff\xfe\x00", b"\x81\x30", b"%PDF-1.7\n%%EOF",
    b"PK\x03\x04garbage", b"<html>" * 3, "一、总体情况".encode("utf-16"),
])
def test_parse_file_odd_files(tmp_path: Path, data: bytes) -> None:
    for suffix in (".txt", ".html", ".docx", ".pdf", ""):
        path = tmp_path / f"odd{suffix}"
        path.write_bytes(data)
        try:
            govreport.parse_file(path)
        except GovReportError as e:
            assert e.file == str(path)
        assert main(["parse", str(path)]) != EXIT_INTERNAL
        assert main(["check", str(path)]) != EXIT_INTERNAL


def test_parse_file_not_a_file(tmp_path: Path) -> None:
    for path in (tmp_path, tmp_path / "missing.txt"):
        with pytest.raises(GovReportError):
            govreport.parse_file(path)


def test_read_document_and_outline_directly() -> None:
    for _, text in SOURCES[:6]:
        document = govreport.read_document(text)
        govreport.outline(document)
    with pytest.raises(GovReportError):
        govreport.read_document("x", layout="no-such")


# --------------------------------------------------------------------------- limits


def test_limits_are_configurable(tmp_path: Path) -> None:
    text = SOURCES[-1][1]
    assert govreport.parse(text, limits=Limits(max_bytes=len(text)))
    with pytest.raises(LimitExceeded) as e:
        govreport.parse(text, limits=Limits(max_bytes=len(text) - 1))
    assert e.value.limit == "max_bytes" and "max_bytes=" in str(e.value)
    assert isinstance(e.value, UnsupportedInput)
    data = text.encode("utf-8")
    with pytest.raises(LimitExceeded):
        govreport.parse(data, limits=Limits(max_bytes=len(data) - 1))
    with pytest.raises(LimitExceeded):
        govreport.decode(data, limits=Limits(max_bytes=10))
    n_lines = text.count("\n") + 1
    with pytest.raises(LimitExceeded) as e:
        govreport.parse(text, limits=Limits(max_lines=n_lines - 1))
    assert e.value.limit == "max_lines" and e.value.actual == n_lines
    longest = max(len(ln) for ln in text.split("\n"))
    with pytest.raises(LimitExceeded) as e:
        govreport.parse(text, limits=Limits(max_line_chars=longest - 1))
    assert e.value.line is not None
    path = tmp_path / "r.txt"
    path.write_bytes(data)
    with pytest.raises(LimitExceeded) as e:
        govreport.parse_file(path, limits=Limits(max_bytes=100))
    assert e.value.actual == len(data) and e.value.file == str(path)
    assert main(["parse", str(path), "--max-bytes", "100", "--format", "flat"]) == 1
    assert main(["parse", str(path), "--max-bytes", "0"]) == 2
    with pytest.raises(ValueError):
        Limits(max_lines=0)


def test_default_limits_accept_the_benchmark_inputs() -> None:
    # benchmarks/test_scaling.py parses them and measures the time; here only the limits.
    from govreport.limits import DEFAULT_LIMITS, check_lines

    check_lines(["无。"] * 1_000_000, DEFAULT_LIMITS)
    check_lines(["报告", "一" * 10_000_000], DEFAULT_LIMITS)
    assert DEFAULT_LIMITS.max_bytes >= 50_000_000
    with pytest.raises(LimitExceeded):
        check_lines(["无。"] * (DEFAULT_LIMITS.max_lines + 1), DEFAULT_LIMITS)


def test_a_byte_order_mark_alone_is_empty_input() -> None:
    with pytest.raises(govreport.UnsupportedInput, match="empty input"):
        govreport.parse("\ufeff  \n")


def test_a_long_digit_run_that_is_no_number_is_rejected_at_once() -> None:
    # Found by the fuzzer: the old pattern backtracked through every way of
    # cutting such a run into groups (2**60 here), so this test would hang.
    from govreport.forms.base import _is_value_text

    assert not _is_value_text("1" * 60 + "x")
    assert _is_value_text("2648-18538") and _is_value_text("2791.3万元")
