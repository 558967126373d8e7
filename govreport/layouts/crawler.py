"""The crawler layout (registered as ``fused``): a whole report on one line, cells run together.

What a crawler pulls off a page has no line breaks and no cell borders::

    …联系。一、总体情况2021年，我区…二、主动公开政府信息情况 第二十条第（一）项
    信息内容本年制发件数…规章 000行政规范性文件693665第二十条第（五）项…

Three things are rebuilt here, in this order:

1. **Chrome**: breadcrumbs, share buttons and "附件下载" around the report,
   and a crawler's own header above a ``==== 正文 ====`` line, are kept in
   ``Document.chrome``, apart from the report's text.
2. **Tables**, anchored on the template's labels (the table forms'
   vocabularies): a stretch of text where known labels follow each other
   with nothing but numbers and numbering between them is a table. Each row
   label starts a grid row; the digits after it become its value cells,
   split only at spaces. Splitting fused digit runs into values is the table
   forms' business (:mod:`govreport.forms.digits`), where the template's
   arithmetic is known.
3. **Headings** found inside the running text (一、… in sequence, （一）…
   in sequence after a sentence boundary) start new text lines, so the
   outline stage sees the same shape as in any other layout.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from functools import lru_cache
from itertools import islice, pairwise
from typing import Any, NamedTuple

from attrs import frozen

from govreport.layouts.grids import joined, nonblank, text_line
from govreport.model import Block, Cell, Document, Grid, GridRow, TextLine
from govreport.normalize import key, split_number
from govreport.numbering import CN_DIGITS, PARTS, chinese_number

__all__ = ["CrawlerText"]

LONG_LINE = 600
"""Lines at least this long are segmented; shorter ones are kept as they are."""
SHORT_PAGE_LINE = 300
"""The same for a page of only a few lines: its whole report is on one of them."""
_SHORT_PAGE = 12


# The mean line (with its newline) under which scanning the text beats measuring each line.
_SCAN_LINE = 8


def _any_line(lines: Sequence[str], length: int) -> bool:
    """Whether a line of ``lines`` has ``length`` characters or more.

    Detection asks on every page: the joined text (the other layouts' too)
    often answers without measuring each line. No line is longer than all of
    them together; on a page of short lines the engine finds a long one in C.
    """
    text = joined(lines)
    if len(text) - len(lines) + 1 < length:
        return False
    # The engine's scan costs by the character, measuring by the line: on a
    # page of short lines (cells, blank lines) the scan is the cheaper.
    if len(text) > _SCAN_LINE * len(lines) or text.count("\n") != len(lines) - 1:
        return max(map(len, lines), default=0) >= length
    return len(lines[0]) >= length or _line_of(length).search(text) is not None


@lru_cache(maxsize=4)
def _line_of(length: int) -> re.Pattern[str]:
    """A newline, then ``length`` characters of one line."""
    return re.compile(rf"\n[^\n]{{{length}}}")


def _long_line(lines: Sequence[str]) -> int:
    return SHORT_PAGE_LINE if nonblank(lines) <= _SHORT_PAGE else LONG_LINE

_CN = CN_DIGITS
# A sentence boundary before a heading: start, space, or the end of a sentence.
_BOUNDARY = " \t\u3000。；;！!？?"
_H1 = re.compile(rf"([{_CN}]{{1,3}})\s*、")
_H2 = re.compile(rf"[（(]([{_CN}]{{1,3}})[）)]")
# _H1 or _H2, written to start with one character class: the engine then skips
# in C to the few characters a heading can start with, where the plain
# alternation is tried branch by branch at every character of the report.
# The lookbehinds tell the branches apart by that first character.
_HEADING = re.compile(rf"[{_CN}（(](?:(?<=[{_CN}])[{_CN}]{{0,2}}\s*、"
                      rf"|(?<=[（(])[{_CN}]{{1,3}}[）)])")
# Where a heading's title ends when it is not a known title.
_TITLE_STOP = re.compile(r"[\s。；;：:，,！!？?（(]|\d")
MAX_TITLE = 24
# Words section titles end with, for titles that run straight into their text
# ("（一）主动公开方面平潭综合实验区…"); a title never crosses a sentence end.
_TITLE_ENDING = re.compile(
    r"[^。；;！!？?\s]{1,28}?(?:情况统计表|统计表|改进措施|措施|事项|情况|概述|方面)")

_SEPARATOR = re.compile(r"^\s*=+\s*正文\s*=+\s*$")
_FIELD = re.compile(r"^\s*[\w\u4e00-\u9fff]{1,8}\s*[:：]")
_TITLE_FIELD = re.compile(r"^\s*(?:标题|题目|名称)\s*[:：]")

# Page chrome before the report: a breadcrumb, then source, time and share buttons.
_CHROME_START = re.compile(r"^\s*(?:当前位置|您当前的位置|您的位置|所在位置|当前的位置)\s*[:：]")
_CHROME_TOKENS = re.compile(
    r"来源\s*[:：]\s*\S+|时间\s*[:：]\s*\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"
    r"|发布时间\s*[:：]\s*\S+|浏览次数\s*[:：]\s*\d*|字体\s*[:：]?\s*[【\[]?\s*大\s*中\s*小\s*[】\]]?"
    r"|微信|微博|QQ空间|全真版|文字版|文件下载|相关链接\s*[:：]|打印本页|关闭窗口|分享到\s*[:：]?"
    r"|-->|【\s*(?:打印|关闭|大|中|小)\s*】")
_CHROME_END = re.compile(
    r"(?:\s*(?:附件下载|附件\s*[:：]?\s*$|打印本页|关闭窗口|【\s*打印\s*】|【\s*关闭\s*】"
    r"|扫一扫在手机打开当前页|分享到\s*[:：]?))+\s*$")
# Every character _CHROME_END can match but white space, and more: it matches
# nothing but the literals written in it and \s.
_CHROME_END_CHARS = frozenset(_CHROME_END.pattern)

# Between two labels of a table: only spaces, values and numbering may stand.
# Runs are separated by spaces or a sign, so a failed match cannot backtrack
# through every way of cutting a long digit string.
_RUN = r"[+-]?\d[\d.,]*(?:万元|元)?"
# The 2014 statistics table has a unit cell before its values ("主动公开文件数条2543");
# a unit counts only before a number, or as the dash of a group row.
_UNIT = r"(?:(?:人次|万元|条|件|次|篇|个|项|份|起|元|人)(?=\s*[+-]?\d)|——)"
_VALUES = re.compile(rf"\s*((?:{_UNIT}\s*)?(?:{_RUN}(?:(?:\s+|(?=[+-])){_RUN})*)?\s*)")
_CELL = re.compile(rf"{_UNIT}|\S+")
# A digit glued to the values before it is one digit of numbering: "…00000002.其他";
# numbering never starts with 0 ("0 03.危及…" is a value 0, then 3.);
# "其中：" may stand before it ("…条00其中：1、当面申请数").
_NUMBERING = re.compile(r"\s*((?:其中\s*[:：]?\s*)?(?:(?:(?<=\d)\d|(?<!\d)(?:[1-9]\d?|\d))"
                        rf"\s*[.．、]|[（(][{_CN}]{{1,3}}[）)]|[{_CN}]{{1,3}}\s*[、.．])|其中\s*[:：]?)\s*$")
# Arabic numbering: of a label ("2.其他…"), and the digits a numbering match starts with.
_ARABIC_LABEL = re.compile(r"\s*(\d{1,2})\s*[.．、]")
_NUMBER_DIGITS = re.compile(r"(\d+)\s*[.．、]")
_PROSE_AFTER = "年月日号时%％余多个件条次项人万亿"
# Keep these two in step with _NUMBERING: the most non-space characters a
# match holds ("其中:（十一）"), and the characters it can end in.
_NUMBERING_WIDTH = 8
_NUMBERING_ENDS = frozenset(".．、）)中:：")
_NUMBERING_SHORT = 40  # text short enough to search as it is

# Section titles of the templates and common free-form ones, for headings
# whose title runs straight into the text ("一、概述推进政府信息公开…").
KNOWN_TITLES = (
    "总体情况", "概述", "主动公开政府信息情况", "收到和处理政府信息公开申请情况",
    "政府信息公开行政复议、行政诉讼情况", "存在的主要问题及改进情况",
    "政府信息公开工作存在的主要问题及改进情况", "其他需要报告的事项",
    "政府信息依申请公开工作情况", "政府信息依申请公开办理情况", "政府信息公开的收费及减免情况",
    "因政府信息公开申请行政复议、提起行政诉讼的情况", "政府信息公开情况统计表",
    "政府信息公开工作存在的主要问题及改进措施",
)



# --------------------------------------------------------------------------- text positions


class _Width(dict[int, str]):
    """Char-wise NFKC that keeps positions: a character widening to several is kept."""

    def __missing__(self, code: int) -> str:
        c = chr(code)
        n = unicodedata.normalize("NFKC", c)
        self[code] = n if len(n) == 1 else c
        return self[code]


_WIDTH = _Width()

# What NFKC changes in most reports: full-width punctuation and odd spaces.
_COMMON_WIDE = tuple((c, _WIDTH[ord(c)]) for c in "，（）：；！？．％＋－／＠　\xa0")
# ASCII and CJK ideographs have no decomposition, so NFKC leaves them alone.
_MAYBE_WIDE = re.compile(r"[^\x00-\x7f\u4e00-\u9fff]")


@lru_cache(maxsize=16)
def _narrow(text: str) -> str:
    # Cached: detection and reading narrow the same long lines. Each replace
    # is one C pass, where translate() calls into Python for every character.
    for wide, narrow in _COMMON_WIDE:
        if wide in text:
            text = text.replace(wide, narrow)
    # A character NFKC changes has Quick_Check=No, so it never stands in
    # normalized text: then nothing is left to change.
    if unicodedata.is_normalized("NFKC", text):
        return text
    for c in set(_MAYBE_WIDE.findall(text)):
        narrow = _WIDTH[ord(c)]
        if narrow != c:
            text = text.replace(c, narrow)
    return text


_KNOWN_NARROW = tuple(_narrow(title) for title in KNOWN_TITLES)


# --------------------------------------------------------------------------- vocabulary


@frozen(eq=False)  # one per set of forms (_compile is cached): identity is equality
class _Vocabulary:
    pattern: re.Pattern[str]
    classifiers: tuple[object, ...]


def _vocabulary() -> _Vocabulary:
    # The forms register their label vocabularies; a layout only finds them.
    # Keyed on the forms themselves, so a form registered later is seen too.
    from govreport.forms import available

    return _compile(available())


@lru_cache(maxsize=4)
def _compile(forms: tuple[Any, ...]) -> _Vocabulary:
    labels = {_narrow(label) for form in forms for label in form.labels if label.strip()}
    pattern = re.compile(f"(?:{_trie(labels)})" + r"[\"'“”‘’]?")
    kinds: dict[str, object] = {}
    for form in forms:
        kinds.setdefault(form.kind, form.classify)
    return _Vocabulary(pattern, tuple(kinds.values()))


def _trie(labels: set[str]) -> str:
    """One pattern for all labels, the longest that fits winning, as a trie.

    An alternation of hundreds of labels retries every shared prefix
    (政府…, 主动公开…) at every position; a trie reads each character once.
    Spaces and quotes may stand between a label's characters.
    """
    root: dict[str, Any] = {}
    for label in labels:
        node = root
        for c in label:
            node = node.setdefault(c, {})
        node[""] = {}  # a label ends here

    def emit(node: dict[str, Any], gap: str) -> str:
        branches = [gap + re.escape(c) + emit(child, r"[\s\"'“”‘’]*")
                    for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        # Greedy: a longer label is tried before the one ending here.
        return f"(?:{body})?" if "" in node else body

    return emit(root, "")


@lru_cache(maxsize=4096)
def _role(text: str, vocabulary: _Vocabulary) -> str | None:
    # Cached: the same labels come back in every report.
    number, k = split_number(key(text))
    roles = set()
    for classify in vocabulary.classifiers:
        label = classify(number, k)  # type: ignore[operator]
        if label is not None:
            roles.add(label.role)
    for role in ("row", "caption", "column", "note"):
        if role in roles:
            return role
    return None


# --------------------------------------------------------------------------- tables


class _Label(NamedTuple):  # a tuple: a line makes hundreds of them
    start: int  # numbering included
    end: int


_Value = tuple[str, int]
"""A value cell before its line is known: its text and column."""


@frozen
class _Table:
    """A table found in a line: where it starts and ends, its labels and their values."""

    start: int
    end: int
    run: tuple[tuple[_Label, tuple[_Value, ...]], ...]


def _value_cells(text: str, start: int) -> list[_Value]:
    return [(m[0], start + m.start() + 1) for m in _CELL.finditer(text)]


@lru_cache(maxsize=16)
def _tables(raw: str, vocabulary: _Vocabulary) -> tuple[_Table, ...]:
    """The template tables in one line of text.

    Cached, and so without line numbers: detection and reading both look
    for the tables of a long line.
    """
    narrow = _narrow(raw)
    labels = [(m.start(), m.end()) for m in vocabulary.pattern.finditer(narrow)]
    tables: list[_Table] = []
    run: list[tuple[_Label, list[_Value]]] = []
    previous_end = 0
    for start, end in labels:
        prev_end = run[-1][0].end if run else 0
        fit = _between(narrow, prev_end, start, _next_number(narrow, run[-1][0])) \
            if run else None
        if fit is not None:
            values_end, start = fit
            if values_end > prev_end:
                run[-1][1].extend(_value_cells(raw[prev_end:values_end], prev_end))
        else:
            if run:
                _close(run, raw, narrow, tables)
                run = []
            m = _NUMBERING.search(narrow, max(previous_end, start - 8), start)
            if m:
                start = m.start(1)
        run.append((_Label(start, end), []))
        previous_end = end
    if run:
        _close(run, raw, narrow, tables)
    return tuple(tables)


def _numbering(text: str, pos: int, endpos: int) -> re.Match[str] | None:
    """``_NUMBERING.search(text, pos, endpos)``, trying only where a match can start.

    A match runs to the end, so it ends in a few known characters and starts
    among the last few non-space ones; trying every position before them is
    what made long gaps slow.
    """
    start = min(endpos, len(text))
    if text[pos:start].rstrip()[-1:] not in _NUMBERING_ENDS:
        return None
    if start - pos <= _NUMBERING_SHORT:
        return _NUMBERING.search(text, pos, endpos)
    seen = 0
    while start > pos and seen < _NUMBERING_WIDTH:
        start -= 1
        if not text[start].isspace():
            seen += 1
    return _NUMBERING.search(text, start, endpos)


def _next_number(narrow: str, label: _Label) -> tuple[int, ...]:
    """The arabic numbering a label after ``label`` is likely to have, most likely first.

    After "2.其他…" comes "3."; after any other label a list starts at "1.".
    """
    m = _ARABIC_LABEL.match(narrow, label.start, label.end)
    return (int(m[1]) + 1, 1) if m else (1,)


def _numbering_digits(gap: str, m_num: re.Match[str], expected: Sequence[int]) -> int:
    """Where the numbering ``m_num`` found at the end of ``gap`` starts, digits weighed.

    Values may run into the numbering of the next row ("0 0 0 0 0 0 13.危及…"
    for a last value 1 and item 3, "…00000010.属于…" for item 10): of the
    digits before the dot, the numbering takes those that continue the
    previous row's numbering; when none do, what ``_NUMBERING`` took.
    """
    at = m_num.start(1)
    digits = _NUMBER_DIGITS.match(gap, at)
    if digits is None:
        return at
    end = digits.end(1)
    first = end
    while first and gap[first - 1].isdigit():
        first -= 1
    run = gap[first:end]
    for number in expected:
        text = str(number)
        if run.endswith(text):
            return end - len(text)
    return at


def _between(narrow: str, start: int, end: int,
             expected: Sequence[int] = (1,)) -> tuple[int, int] | None:
    """Fit the text between two labels as values then numbering: (values end, label start).

    ``expected``: the numbers the next label's numbering is likely to have
    (see :func:`_next_number`).
    """
    gap = narrow[start:end]
    tail = gap.rstrip()
    if not tail:
        return end, end
    # Most gaps are values alone: no need to look for numbering after them.
    m_num = _numbering(gap, 0, len(gap)) if tail[-1] in _NUMBERING_ENDS else None
    cut = _numbering_digits(gap, m_num, expected) if m_num else len(gap)
    values = gap[:cut]
    if values.strip() and not _VALUES.fullmatch(values):
        return None
    return start + len(values.rstrip()), start + cut


def _close(run: list[tuple[_Label, list[_Value]]], raw: str, narrow: str,
           tables: list[_Table]) -> None:
    """Turn a run of labels into a table if it is one; take its trailing values."""
    if len(run) < 3:
        return
    last, cells = run[-1]
    m = _VALUES.match(narrow, last.end)
    end = last.end
    if m:
        text = m[1]
        runs = list(re.finditer(r"\S+", text))
        after = narrow[m.end():m.end() + 1]
        if runs and after and after in _PROSE_AFTER and m[0].rstrip() == m[0]:
            runs = runs[:-1]  # "2021年": the text after the table starts with a number
        if runs:
            end = m.start(1) + runs[-1].end()
            # Numbering of a row the vocabulary does not know, glued to the
            # last values: "…传真申请数条003.电子邮件申请数…" ends at "00".
            glued = _numbering(narrow, last.end, end + (narrow[end:end + 1] in "、.．"))
            if glued:
                end = last.end + len(narrow[last.end:glued.start(1)].rstrip())
            cells.extend(_value_cells(raw[last.end:end], last.end))
    if not any(values for _, values in run):
        return
    # Every label makes a cell, so a run of labels always makes grid rows.
    tables.append(_Table(run[0][0].start, end, tuple((label, tuple(v)) for label, v in run)))


def _grid(table: _Table, raw: str, line: int, vocabulary: _Vocabulary) -> Grid:
    return Grid(tuple(_rows(table.run, raw, line, vocabulary)), line, line)


def _rows(run: Sequence[tuple[_Label, Sequence[_Value]]], raw: str, line: int,
          vocabulary: _Vocabulary) -> list[GridRow]:
    """Group labels and values into rows: a row label starts a row, values end it."""
    rows: list[GridRow] = []
    current: list[Cell] = []
    kind = ""  # what the row being built holds: "header", "row" or "values"

    def flush() -> None:
        nonlocal current, kind
        if current:
            rows.append(GridRow(tuple(current), line))
        current, kind = [], ""

    for label, values in run:
        text = raw[label.start:label.end]
        role = _role(text, vocabulary)
        cell = Cell(text.strip(), line, label.start + 1 + (len(text) - len(text.lstrip())))
        if role == "caption":
            flush()
            rows.append(GridRow((cell,), line))
        elif role == "row":
            if kind in ("header", "values"):
                flush()
            current.append(cell)
            kind = "row"
        else:
            if kind in ("row", "values"):
                flush()
            current.append(cell)
            kind = "header"
        if values and kind == "header":
            # Numbers straight after column headers: a row without a label (Table C).
            flush()
        if values:
            current.extend(Cell(value, line, column) for value, column in values)
            kind = "values"
    flush()
    return rows


# --------------------------------------------------------------------------- text


def _known_titles(text: str) -> tuple[str, ...]:
    """Section titles, narrowed and longest first, in a narrowed text.

    The built-in titles and those the report's own preamble lists.
    """
    titles = set(_KNOWN_NARROW)
    m = PARTS.search(text)
    if m:
        items = [i.strip() for i in re.split(r"[、，,]", m["list"]) if i.strip()]
        if items:
            last = items[-1]
            for joiner in ("和", "及"):
                head, sep, tail = last.rpartition(joiner)
                if sep and head and tail:
                    items[-1:] = [last, head, tail]
                    break
        titles.update(items)
        titles.update(f"{a}、{b}" for a, b in pairwise(items))
    return tuple(sorted(titles, key=len, reverse=True))


def _title_end(narrow: str, start: int, titles: Sequence[str]) -> tuple[int | None, bool]:
    """Where a heading's title ends, and whether it is a known title.

    ``start`` is where the heading's number ends; the end is None when unclear.
    ``titles`` are narrowed.
    """
    rest = narrow[start:start + 120]
    compact = rest.lstrip()
    offset = start + len(rest) - len(compact)
    for title in titles:
        if compact.startswith(title):
            return offset + len(title), True
    m = _TITLE_ENDING.match(compact)
    if m:
        return offset + m.end(), False
    m = _TITLE_STOP.search(compact, 0, MAX_TITLE + 1)
    if m and m.start() >= 2:
        return offset + m.start(), False
    return None, False


@frozen
class _Cut:
    """A place where a new text line starts, and whether a heading title ends after it."""

    at: int
    title_end: int | None = None


def _headings(narrow: str, spans: Sequence[tuple[int, int]], titles: Sequence[str],
              state: list[int]) -> Iterator[_Cut]:
    """Headings in sequence inside text spans; ``state`` is [h1, h2] across calls."""
    for span_start, span_end in spans:
        title_end = span_start  # a sub-heading may follow a heading's title directly
        for m in _HEADING.finditer(narrow, span_start, span_end):
            at = m.start()
            before = narrow[at - 1] if at > span_start else " "
            h1 = _H1.match(m[0])
            if h1:
                if chinese_number(h1[1]) != state[0] + 1:
                    continue
                end, known = _title_end(narrow, m.end(), titles)
                if end is None or end > span_end:
                    continue
                # A known title needs no sentence boundary before it ("…@163.com一、概述").
                if before not in _BOUNDARY and at != span_start and not known:
                    continue
                state[0], state[1] = state[0] + 1, 0
                title_end = end
                yield _Cut(at, end)
                continue
            h2 = _H2.match(m[0])
            if h2 and state[0]:
                if before not in _BOUNDARY + "：:" and at != title_end:
                    continue
                if chinese_number(h2[1]) != state[1] + 1:
                    continue
                state[1] += 1
                sub_end, _ = _title_end(narrow, m.end(), ())
                yield _Cut(at, sub_end if sub_end is not None and sub_end <= span_end else None)


def _split_text(raw: str, narrow: str, start: int, end: int, cuts: Sequence[_Cut],
                line: int) -> list[TextLine]:
    out: list[TextLine] = []
    bounds: list[int] = [start]
    for cut in cuts:
        bounds.append(cut.at)
        if cut.title_end is not None:
            bounds.append(cut.title_end)
    bounds.append(end)
    for a, b in pairwise(bounds):
        piece = raw[a:b].strip()
        if piece:
            out.append(TextLine(piece, line))
    return out


# --------------------------------------------------------------------------- the layout


class CrawlerText:
    """Crawler page text: a whole report on one line, cells run together."""

    name = "fused"
    description = "crawler text: whole report on one line, table cells without separators"

    def score(self, lines: Sequence[str]) -> float:
        """High when a long line holds headings in sequence or labels next to numbers."""
        if not _any_line(lines, min(LONG_LINE, SHORT_PAGE_LINE)):
            return 0.0
        long_line = _long_line(lines)
        if not _any_line(lines, long_line):
            return 0.0
        vocabulary = _vocabulary()
        for line in lines:
            if len(line) < long_line:
                continue
            narrow = _narrow(line)
            cuts = _headings(narrow, [(0, len(narrow))], _KNOWN_NARROW, [0, 0])
            titled = (c for c in cuts if c.title_end is not None)
            if next(islice(titled, 2, None), None) is not None:  # a third titled heading
                return 0.95
            if _tables(line, vocabulary):
                return 0.9
        return 0.0

    def read(self, lines: Sequence[str]) -> Document:
        """Split long lines into chrome, text lines (at headings) and grids."""
        chrome: list[TextLine] = []
        blocks: list[Block] = []
        separator = next((i for i, ln in enumerate(lines) if _SEPARATOR.match(ln)), None)
        state = [0, 0]
        long_line = _long_line(lines)
        # Narrowing keeps positions, character by character: narrowing each
        # long line (cached) is narrowing their join.
        titles = _known_titles(" ".join(_narrow(ln) for ln in lines if len(ln) >= long_line))
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            if separator is not None and number <= separator + 1:
                # A crawler's header: the title stays text, the fields are chrome.
                if number == 1 or _TITLE_FIELD.match(line):
                    blocks.append(text_line(line, number))
                elif _FIELD.match(line) or number == separator + 1 or "links.tsv" in line:
                    chrome.append(text_line(line, number))
                else:
                    blocks.append(text_line(line, number))
                continue
            if len(line) < long_line:
                blocks.append(text_line(line, number))
                continue
            blocks.extend(self._segment(line, number, titles, state, chrome))
        return Document(tuple(blocks), self.name, tuple(chrome))

    def _segment(self, raw: str, number: int, titles: Sequence[str], state: list[int],
                 chrome: list[TextLine]) -> list[Block]:
        narrow = _narrow(raw)
        start, end = _chrome_bounds(narrow)
        if raw[:start].strip():
            chrome.append(TextLine(raw[:start].strip(), number))
        vocabulary = _vocabulary()
        tables = [t for t in _tables(raw, vocabulary) if t.start >= start and t.end <= end]
        out: list[Block] = []
        position = start
        for table in [*tables, None]:
            stop = table.start if table is not None else end
            cuts = list(_headings(narrow, [(position, stop)], titles, state))
            out.extend(_split_text(raw, narrow, position, stop, cuts, number))
            if table is not None:
                out.append(_grid(table, raw, number, vocabulary))
                position = table.end
        if raw[end:].strip():
            chrome.append(TextLine(raw[end:].strip(), number))
        return out


def _chrome_bounds(narrow: str) -> tuple[int, int]:
    """Where the report starts and ends inside a page's text."""
    start = 0
    if _CHROME_START.match(narrow):
        # The breadcrumb runs to the last chrome token near the top of the page.
        for m in _CHROME_TOKENS.finditer(narrow, 0, 600):
            if m.start() - start > 80 and start:
                break
            start = m.end()
    end = len(narrow)
    # The page's tail is all the chrome can be: search from where it starts.
    tail = end
    while tail and (narrow[tail - 1] in _CHROME_END_CHARS or narrow[tail - 1].isspace()):
        tail -= 1
    m_end = _CHROME_END.search(narrow, tail)
    if m_end:
        end = m_end.start()
    return start, end
