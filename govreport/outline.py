"""The outline stage: a document's blocks become title, preamble and sections.

A pre-lexer classifies each block (title line, heading, sub-heading, body) in
a single pass and gives each run of body blocks between two headings one
token; the LALR grammar ``outline.lark`` turns that token stream into the
section tree, with the transformer inline. With runs as tokens, the token
types follow the report's headings only, which repeat from report to report,
so :func:`~govreport.grammar.parse_tokens` replays a remembered parse.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, cast

from attrs import frozen
from lark import Token, Transformer

from govreport.grammar import build_parser, parse_tokens, token
from govreport.model import Block, Document, Grid, Section, SectionKind, TextLine
from govreport.normalize import key
from govreport.numbering import NUMERAL, SUB_HEADING, TOP_HEADING, chinese_number

__all__ = ["Heading", "Outline", "outline", "section_kind"]

_H1 = TOP_HEADING
_H2 = SUB_HEADING
# Other numberings of free-form reports: 第一部分 / 第二章 above 一、, and 1. / （1）
# in reports that number nothing with Chinese numerals.
_PART = re.compile(rf"^第\s*(?P<num>{NUMERAL}|\d{{1,2}})\s*(?:部分|章|篇)"
                   r"\s*[、.．:：]?\s*(?P<rest>.*)$")
_ARABIC = re.compile(r"^(?P<num>\d{1,2})\s*[、.．](?!\d)\s*(?P<rest>.*)$")
_PAREN_ARABIC = re.compile(r"^[（(]\s*(?P<num>\d{1,2})\s*[）)]\s*(?P<rest>.*)$")
# Which numbering is level 1 and which level 2, by the first that the report uses.
_LEVELS = ((_PART, _H1), (_H1, _H2), (_ARABIC, _PAREN_ARABIC))
# Row labels of Table B that a PDF page break can leave outside the grid
# ("四、结转下年度继续办理"): never a section, whatever their number.
_ROW_LABELS = ("本年新收", "上年结转", "本年度办理结果", "结转下年度")
# An unnumbered heading (a wiki copy rewrites them so): a short line alone,
# whose title names a section kind.
MAX_BARE_TITLE = 20
# Where a heading's title ends and its running text begins.
_TITLE_END = re.compile(r"[。；;！!：:]")
_TRAILING = "。.．：:；;，, \u3000"
_SENTENCE = re.compile(r"[，,；;]|。.")
MAX_TITLE = 40


@frozen
class Heading:
    """A heading line split into its number, title and the text after the title."""

    number: str
    title: str
    text: str
    line: int
    raw: str


@frozen
class Outline:
    """Title, preamble and sections of a document, before tables are read."""

    title: str | None
    title_line: int | None
    preamble: str
    preamble_grids: tuple[Grid, ...]
    sections: tuple[Section, ...]


# Keywords that give a section its kind, tried in this order on the title's key.
_KINDS: tuple[tuple[SectionKind, tuple[str, ...]], ...] = (
    ("review_litigation", ("行政复议", "行政诉讼", "复议", "诉讼")),
    ("problems_improvements", ("问题",)),
    ("other_matters", ("其他需要报告", "其他事项")),
    ("extra", ("收费", "平台建设", "信箱")),
    ("applications", ("申请",)),
    ("proactive_disclosure", ("主动公开",)),
    ("overview", ("总体情况", "概述", "基本情况", "概况")),
)


@lru_cache(maxsize=1024)  # titles repeat from report to report; bounded over a corpus
def section_kind(title: str) -> SectionKind:
    """The kind of a top-level section from its title ("extra" when unclear).

    >>> section_kind("收到和处理政府信息公开申请情况")
    'applications'
    >>> section_kind("市长信箱处理情况")
    'extra'
    """
    k = key(title)
    for kind, words in _KINDS:
        if any(w in k for w in words):
            return kind
    return "extra"


def _split_heading(number: str, rest: str, line: TextLine) -> Heading | None:
    m = _TITLE_END.search(rest, 0, MAX_TITLE + 1)
    if m:
        title, text = rest[: m.start()], rest[m.end():]
    elif len(rest) <= MAX_TITLE:
        title, text = rest, ""
    else:
        return None
    title = title.strip(_TRAILING)
    if not title:
        return None
    return Heading(number, title, text.strip(), line.line, line.text)


def _title_lines(blocks: Sequence[Any]) -> int:
    """How many leading blocks make the title (0, 1 or 2)."""
    if not blocks or not isinstance(blocks[0], TextLine):
        return 0
    first = blocks[0].text
    # A title is short and is not a sentence.
    if len(first) > 80 or _H1.match(first) or _H2.match(first) or _SENTENCE.search(first):
        return 0
    if first.rstrip(_TRAILING).endswith(("报告", "年报")):
        return 1
    # A title broken over two lines: "…政府信息公开工作" + "年度报告".
    if len(blocks) > 1 and isinstance(blocks[1], TextLine):
        second = blocks[1].text
        if len(second) <= 15 and second.rstrip(_TRAILING).endswith(("报告", "年报")):
            return 2
    return 1 if ("报告" in first or "年报" in first) else 0


@lru_cache(maxsize=2048)  # the few numbers headings use; bounded all the same
def _number(text: str) -> int | None:
    return int(text) if text.isdigit() else chinese_number(text)


def _levels(blocks: Sequence[Any]) -> tuple[re.Pattern[str], re.Pattern[str]] | None:
    """The numberings of heading levels 1 and 2: those of the first that starts at 1 and goes on.

    Scanning once up front keeps the lexer single-pass, and a numbering that
    occurs only once (an enumeration "1." in a paragraph) never becomes a level.
    """
    for level1, level2 in _LEVELS:
        # 一、 is the national templates' numbering: one such heading is enough.
        needed = {1} if level1 is _H1 else {1, 2}
        seen: set[int] = set()
        for block in blocks:
            if isinstance(block, TextLine) and (m := level1.match(block.text)):
                n = _number(m["num"])
                if n is not None and n <= 2:
                    seen.add(n)
                    if seen >= needed:
                        return level1, level2
    return None


def _bare_heading(block: TextLine) -> Heading | None:
    text = block.text.strip()
    if not 2 <= len(text) <= MAX_BARE_TITLE or _SENTENCE.search(text) or text[-1] in "。.：:":
        return None
    if section_kind(text) == "extra":
        return None
    return Heading("", text, "", block.line, block.text)


def _lex(document: Document) -> list[Token]:
    blocks = document.blocks
    n_title = _title_lines(blocks)
    out = [token("TITLE", b) for b in blocks[:n_title]]
    levels = _levels(blocks[n_title:])
    body: list[Block] = []
    h1 = h2 = 0
    for block in blocks[n_title:]:
        kind, heading = "H1", None
        if isinstance(block, Grid):
            pass
        elif levels is None:
            # No numbered headings at all: short lines naming a section kind.
            heading = _bare_heading(block)
        else:
            level1, level2 = levels
            text = block.text
            m = level1.match(text)
            if m and _number(m["num"]) == h1 + 1:
                heading = _split_heading(m["num"], m["rest"], block)
                if heading is not None and key(heading.title).startswith(_ROW_LABELS):
                    heading = None
                if heading is not None:
                    h1, h2 = h1 + 1, 0
            if heading is None and h1 and (m := level2.match(text)) and _number(m["num"]) == h2 + 1:
                heading = _split_heading(m["num"], m["rest"], block)
                if heading is not None:
                    kind, h2 = "H2", h2 + 1
        if heading is None:
            body.append(block)
            continue
        if body:
            out.append(token("BODY", tuple(body)))
            body = []
        out.append(token(kind, heading))
    if body:
        out.append(token("BODY", tuple(body)))
    return out


def _body(children: Sequence[Any]) -> tuple[list[str], list[Grid], list[Section]]:
    texts: list[str] = []
    grids: list[Grid] = []
    subs: list[Section] = []
    for child in children:
        if isinstance(child, Section):
            subs.append(child)
            continue
        for block in child.value:
            if isinstance(block, Grid):
                grids.append(block)
            else:
                texts.append(block.text)
    return texts, grids, subs


class _OutlineTransformer(Transformer[Token, Outline]):
    """Builds sections as the LALR parser reduces (used inline, so stateless)."""

    def title(self, children: list[Token]) -> tuple[str | None, int | None]:
        if not children:
            return None, None
        return "".join(t.value.text for t in children), children[0].value.line

    def preamble(self, children: list[Token]) -> tuple[str, tuple[Grid, ...]]:
        texts, grids, _ = _body(children)
        return "\n".join(texts), tuple(grids)

    def _section(self, children: list[Any], top: bool) -> Section:
        head: Heading = children[0].value
        texts, grids, subs = _body(children[1:])
        if head.text:
            texts.insert(0, head.text)
        return Section(
            number=head.number or None,
            title=head.title,
            kind=section_kind(head.title) if top else "extra",
            heading=head.raw,
            line=head.line,
            text="\n".join(texts),
            grids=tuple(grids),
            subsections=tuple(subs),
        )

    def section(self, children: list[Any]) -> Section:
        return self._section(children, top=True)

    def subsection(self, children: list[Any]) -> Section:
        return self._section(children, top=False)

    def start(self, children: list[Any]) -> Outline:
        (title, title_line), (preamble, grids), *sections = children
        return Outline(title, title_line, preamble, grids, tuple(sections))


_TRANSFORMER = _OutlineTransformer()


def outline(document: Document) -> Outline:
    """Find the title, preamble and numbered sections of ``document``."""
    # The inline transformer makes parse() return an Outline, not a tree.
    return cast(Outline, parse_tokens(build_parser("outline", _TRANSFORMER), _lex(document)))
