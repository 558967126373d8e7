"""The one place raw text becomes match keys and cell text becomes numbers.

Matching always uses keys from :func:`key`; the raw text is kept beside them
for provenance and output. The functions are pure and memoised: labels and
cell texts repeat from report to report, since they are the template's.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib.resources import files
from typing import Literal

from attrs import frozen

from govreport.numbering import NUMERAL, chinese_number

__all__ = [
    "CellKind",
    "ParsedCell",
    "chinese_number",
    "key",
    "parse_cell",
    "split_number",
    "to_simplified",
    "traditional_chars",
    "traditional_table_chars",
]

# Quotes are dropped from keys: reports write “三安全一稳定”, "三安全一稳定" or none.
_QUOTES = dict.fromkeys(map(ord, "\"'“”‘’「」『』〝〞＂＇"), None)

# Known typos and variants in labels (domain.md §4.2 D07, §7), applied to keys.
TYPOS: dict[str, str] = {
    "本年度止件数": "本年废止件数",
    "本年度废止件数": "本年废止件数",
    "本年制定件数": "本年制发件数",
    "采购项目数量": "采购项目数",
}

_WS = re.compile(r"\s+")
# A year written into a label: 本年(2023)制发件数, 本年(2023年度)处理决定数量.
_YEAR_NOTE = re.compile(r"\((?:19|20)\d\d年?度?\)")


@lru_cache(maxsize=2048)  # bounded: memory stays flat over a corpus (docs/corpus.md)
def key(text: str) -> str:
    """Return the match key of a label: NFKC, no whitespace, no quotes, typos fixed.

    >>> key("（二）部分公开 （区分处理的）")
    '(二)部分公开(区分处理的)'
    >>> key("本年度止件数")
    '本年废止件数'
    >>> key("本年(2023)制发件数")
    '本年制发件数'
    """
    k = _WS.sub("", unicodedata.normalize("NFKC", text)).translate(_QUOTES)
    if "(" in k and _YEAR_NOTE.search(k):
        k = _YEAR_NOTE.sub("", k)
    for wrong, right in TYPOS.items():
        if wrong in k:
            k = k.replace(wrong, right)
    return k


@lru_cache(maxsize=1)
def _t2s_table() -> dict[int, str]:
    # OpenCC's t2s, one character at a time (scripts/make_t2s_table.py): a
    # str.translate table converts a page in microseconds and needs no
    # dependency.
    text = files("govreport").joinpath("data/t2s.tsv").read_text(encoding="utf-8")
    table: dict[int, str] = {}
    for row in text.splitlines():
        if row and not row.startswith("#"):
            trad, simp = row.split("\t")
            table[ord(trad)] = simp
    return table


def to_simplified(text: str) -> str:
    """Convert Traditional Chinese characters to Simplified, character by character.

    >>> to_simplified("政府信息公開工作年度報告")
    '政府信息公开工作年度报告'
    """
    return text.translate(_t2s_table())


@lru_cache(maxsize=1)
def traditional_table_chars() -> frozenset[str]:
    """The Traditional characters :func:`to_simplified` converts."""
    return frozenset(map(chr, _t2s_table()))


@lru_cache(maxsize=1)
def _traditional_bmp() -> re.Pattern[str]:
    # A character class of the Basic Plane is a bitmap the engine tests in
    # constant time; one more character beyond it makes the class a list
    # searched for every character of the text, a hundred times slower.
    return re.compile("[" + "".join(sorted(re.escape(c) for c in traditional_table_chars()
                                           if c <= "\uffff")) + "]")


def traditional_found(text: str) -> list[str]:
    """Every Traditional character of ``text`` that has a Simplified form, in order.

    >>> traditional_found("政府信息公開工作年度報告")
    ['開', '報']
    """
    # A regex finds the few Traditional characters without making an object
    # of every character of the text.
    found: list[str] = _traditional_bmp().findall(text)
    # Only characters beyond the Basic Plane take four bytes in UTF-16.
    if not text.isascii() and len(text.encode("utf-16-le")) > 2 * len(text):
        table = traditional_table_chars()
        found = [c for c in text if c in table]
    return found


def traditional_chars(text: str) -> int:
    """How many characters of ``text`` are Traditional forms with a Simplified one."""
    return len(traditional_found(text))


# Numbering at the start of a label key: 一、  (一)  1.  1、  (1)  ①
_NUMBERING = re.compile(
    rf"^(?:(?P<cn>{NUMERAL})[、.]"
    rf"|\((?P<pcn>{NUMERAL})\)"
    r"|(?P<ar>\d{1,2})(?:[.、](?!\d)|(?=[^\d.]))"
    r"|\((?P<par>\d{1,2})\)"
    r"|(?P<circ>[①②③④⑤⑥⑦⑧⑨⑩]))"
)


@lru_cache(maxsize=2048)  # bounded: memory stays flat over a corpus (docs/corpus.md)
def split_number(k: str) -> tuple[str | None, str]:
    """Split a key into its leading numbering and the rest.

    The numbering is returned in a canonical form: ``"一、"``, ``"(一)"``,
    ``"1."`` or ``None``.

    >>> split_number("(七)总计")
    ('(七)', '总计')
    >>> split_number("3.其他")
    ('3.', '其他')
    >>> split_number("总计")
    (None, '总计')
    """
    m = _NUMBERING.match(k)
    if not m:
        return None, k
    rest = k[m.end():]
    if m["cn"]:
        return m["cn"] + "、", rest
    if m["pcn"]:
        return f"({m['pcn']})", rest
    if m["ar"]:
        return m["ar"] + ".", rest
    if m["par"]:
        return m["par"] + ".", rest
    return str("①②③④⑤⑥⑦⑧⑨⑩".index(m["circ"]) + 1) + ".", rest


# --------------------------------------------------------------------------- cells

CellKind = Literal["count", "signed", "amount"]
"""What a column holds: a count ≥ 0, a signed change, or an amount in 万元."""


@frozen
class ParsedCell:
    """The reading of one cell: a value, or ``None`` and why."""

    value: int | Decimal | None
    unit: str | None = None
    note: str | None = None
    problem: str | None = None


_BLANK = ParsedCell(None, note="blank")
_DASHES = frozenset({"-", "--", "—", "——", "–", "―", "/", "\\", "无", "空", "─"})
_COUNT_UNITS = ("件", "条", "次", "个", "项", "人次", "篇", "份", "起")
_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_TEN_THOUSAND = Decimal(10000)


def _cell_text(text: str) -> str:
    # NFKC turns full-width digits, signs and ideographic spaces into ASCII.
    return _WS.sub("", unicodedata.normalize("NFKC", text))


@lru_cache(maxsize=2048)  # bounded: memory stays flat over a corpus (docs/corpus.md)
def parse_cell(text: str, kind: CellKind = "count") -> ParsedCell:
    """Read a table cell as the column's kind says, or explain why not.

    Blank cells and dashes ("—", "/", "无") give ``None``, never 0. A count
    with a sign, a decimal count, or anything else unexpected gives ``None``
    with a ``problem``. Amounts written with a unit ("2791.3万元",
    "251000元") are converted to 万元 and the unit as written is kept.

    >>> parse_cell(" 1950 ").value, parse_cell("-832", "signed").value
    (1950, -832)
    >>> parse_cell("251000元", "amount")
    ParsedCell(value=Decimal('25.1'), unit='元', note=None, problem=None)
    >>> parse_cell("—").note
    'dash'
    """
    t = _cell_text(text)
    if not t:
        return _BLANK
    if t in _DASHES:
        return ParsedCell(None, note="dash")
    unit: str | None = None
    if kind == "amount":
        for u in ("万元", "元"):
            if t.endswith(u):
                unit, t = u, t[: -len(u)]
                break
    else:
        for u in _COUNT_UNITS:
            if t.endswith(u) and len(t) > len(u):
                unit, t = u, t[: -len(u)]
                break
    if not _NUMBER.fullmatch(t):
        return ParsedCell(None, problem=f"not a number: {text.strip()!r}")
    digits = t.replace(",", "")
    if kind == "amount":
        try:
            amount = Decimal(digits)
        except InvalidOperation:  # pragma: no cover - the regex admits only numbers
            return ParsedCell(None, problem=f"not a number: {text.strip()!r}")
        if amount < 0:
            return ParsedCell(None, problem=f"negative amount: {text.strip()!r}")
        if unit == "元":
            amount = amount / _TEN_THOUSAND
        return ParsedCell(amount, unit=unit)
    if "." in digits:
        return ParsedCell(None, problem=f"a count with decimals: {text.strip()!r}")
    if digits[0] in "+-" and kind != "signed":
        return ParsedCell(None, problem=f"a sign where counts have none: {text.strip()!r}")
    if len(digits.lstrip("+-")) > 1 and digits.lstrip("+-")[0] == "0":
        return ParsedCell(None, problem=f"a leading zero: {text.strip()!r}")
    return ParsedCell(int(digits), unit=unit)
