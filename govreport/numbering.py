"""How reports number their parts: heading numerals and the preamble's count of parts.

One place for what every stage that meets a numbered heading must agree on:
the small Chinese numerals (一 … 九十九), the top-level mark ``一、`` (also
``一.`` and ``一．``), the second-level mark ``（一）`` (full- or half-width
brackets), and the preamble's sentence that counts the parts
("本报告由…等六个部分组成", "本报告共分6个部分：…"). The outline reads headings
with them, the crawler layout finds headings inside running text, the tab
layout stops a broken cell at a heading, label keys lose their numbering
(:func:`govreport.normalize.split_number`) and the statistics table tells
its rows' levels by them.
"""

from __future__ import annotations

import re

__all__ = [
    "CN_DIGITS",
    "HEADING_START",
    "NUMERAL",
    "PARTS",
    "SUB_HEADING",
    "SUB_MARK",
    "TOP_HEADING",
    "TOP_MARK",
    "chinese_number",
]

CN_DIGITS = "一二三四五六七八九十"
"""The characters of a heading numeral."""
NUMERAL = f"[{CN_DIGITS}]{{1,3}}"
"""A heading numeral, 一 … 九十九 (pattern)."""
TOP_MARK = rf"{NUMERAL}\s*[、.．]"
"""A top-level heading's number: ``一、`` (pattern)."""
SUB_MARK = rf"[（(]\s*{NUMERAL}\s*[）)]"
"""A second-level heading's number: ``（一）`` (pattern)."""

TOP_HEADING = re.compile(rf"^(?P<num>{NUMERAL})\s*[、.．]\s*(?P<rest>.*)$")
"""A line that is a top-level heading: its numeral and title."""
SUB_HEADING = re.compile(rf"^[（(]\s*(?P<num>{NUMERAL})\s*[）)]\s*(?P<rest>.*)$")
"""A line that is a second-level heading: its numeral and title."""
HEADING_START = re.compile(rf"^\s*(?:{TOP_MARK}|{SUB_MARK})")
"""A line that opens with a heading's number of either level."""

PARTS = re.compile(r"(?:本报告|报告|全文)\s*(?:由|包括|分为|共分)\s*[:：]?\s*"
                   r"(?P<list>[^。；;]{4,300}?)"
                   rf"(?:(?:等|共)\s*(?P<n>[\d{CN_DIGITS}]{{1,3}})\s*个?\s*部分(?:组成)?"
                   r"|(?=[。；;]|$))")
"""The preamble's list of parts, and their count when it says one."""

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}


def chinese_number(text: str) -> int | None:
    """Return the value of a small Chinese numeral (一 … 九十九), or ``None``.

    >>> chinese_number("十二"), chinese_number("二十"), chinese_number("七")
    (12, 20, 7)
    """
    if not text or len(text) > 3:
        return None
    if "十" not in text:
        return _CN_DIGITS.get(text) if len(text) == 1 else None
    tens, _, units = text.partition("十")
    t = 1 if tens == "" else _CN_DIGITS.get(tens)
    u = 0 if units == "" else _CN_DIGITS.get(units)
    if t is None or u is None or len(tens) > 1 or len(units) > 1:
        return None
    return t * 10 + u
