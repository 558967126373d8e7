from __future__ import annotations

from decimal import Decimal

import pytest

from govreport.normalize import chinese_number, key, parse_cell, split_number


@pytest.mark.parametrize(("raw", "want"), [
    ("（二）部分公开（区分处理的，只计这一情形）", "(二)部分公开(区分处理的,只计这一情形)"),
    ("商业 企业", "商业企业"),
    ("结果维\u3000持", "结果维持"),
    ("3.危及“三安全一稳定”", "3.危及三安全一稳定"),
    ('3.危及"三安全一稳定"', "3.危及三安全一稳定"),
    ("本年度止件数", "本年废止件数"),
    ("１．属于国家秘密", "1.属于国家秘密"),
])
def test_key(raw: str, want: str) -> None:
    assert key(raw) == want


@pytest.mark.parametrize(("k", "want"), [
    ("(七)总计", ("(七)", "总计")),
    ("一、本年新收", ("一、", "本年新收")),
    ("3.其他", ("3.", "其他")),
    ("(2)重复申请", ("2.", "重复申请")),
    ("②重复申请", ("2.", "重复申请")),
    ("总计", (None, "总计")),
    ("2019年", (None, "2019年")),
])
def test_split_number(k: str, want: tuple[str | None, str]) -> None:
    assert split_number(k) == want


@pytest.mark.parametrize(("text", "n"), [("一", 1), ("十", 10), ("十二", 12), ("二十", 20),
                                          ("九十九", 99), ("", None), ("百", None)])
def test_chinese_number(text: str, n: int | None) -> None:
    assert chinese_number(text) == n


@pytest.mark.parametrize(("text", "kind", "value", "unit"), [
    ("0", "count", 0, None),
    ("　1950", "count", 1950, None),
    ("１２", "count", 12, None),
    ("12件", "count", 12, "件"),
    ("1,234", "count", 1234, None),
    ("-832　", "signed", -832, None),
    ("+1301", "signed", 1301, None),
    ("12592.22", "amount", Decimal("12592.22"), None),
    ("2791.3万元", "amount", Decimal("2791.3"), "万元"),
    ("251000元", "amount", Decimal("25.1"), "元"),
    ("1560", "amount", Decimal("1560"), None),
])
def test_parse_cell_values(text: str, kind: str, value: object, unit: str | None) -> None:
    cell = parse_cell(text, kind)  # type: ignore[arg-type]
    assert cell.value == value
    assert type(cell.value) is type(value)
    assert cell.unit == unit
    assert cell.problem is None


@pytest.mark.parametrize("text", ["", " ", "\u3000", "\xa0"])
def test_blank_is_none(text: str) -> None:
    cell = parse_cell(text)
    assert cell.value is None and cell.note == "blank" and cell.problem is None


@pytest.mark.parametrize("text", ["—", "——", "/", "无", "-"])
def test_dash_is_none(text: str) -> None:
    cell = parse_cell(text)
    assert cell.value is None and cell.note == "dash"


@pytest.mark.parametrize(("text", "kind"), [
    ("-3", "count"), ("1.5", "count"), ("abc", "count"), ("一", "count"),
    ("012", "count"), ("-5", "amount"), ("1.2.3", "amount"),
])
def test_doubtful_cells_are_none_with_a_reason(text: str, kind: str) -> None:
    cell = parse_cell(text, kind)  # type: ignore[arg-type]
    assert cell.value is None
    assert cell.problem
