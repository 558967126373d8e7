"""Dirty pages: what mirror sites, old CMSs and Word add to a report, undone before parsing.

Half of a long corpus comes from copies: Traditional-Chinese mirrors, pages
with pinyin glosses after characters ("報(bào)告"), hijacked pages with
gambling advertising injected mid-sentence, text mis-decoded into mojibake,
and Word HTML whose conditional comments survived the copy (domain.md §4.2
D15, D17). :func:`clean_lines` takes the lines of a report and gives back
lines fit for matching, plus one diagnostic per kind of dirt with the removed
text in ``raw``, so nothing of the input is lost and none of it reaches a
field value.

It works line by line and never adds or removes a line, so every line number
downstream is still the line of the input.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate

import attrs
from attrs import frozen

from govreport.model import Block, Diagnostic, Document, Script, TextLine
from govreport.normalize import to_simplified, traditional_chars, traditional_found

__all__ = ["Cleaned", "clean_document", "clean_lines"]


@frozen
class Cleaned:
    """Lines after cleaning, the script the page was in, and what was done."""

    lines: tuple[str, ...]
    script: Script
    diagnostics: tuple[Diagnostic, ...]


# A page counts as Traditional when enough of its Han characters are
# Traditional forms: Simplified reports have none, a quoted name or two
# must not flip a page.
_MIN_TRADITIONAL = 10
_MIN_TRADITIONAL_SHARE = 0.05

# A gloss is a syllable in brackets right after a Han character. Toneless
# ones ("辦(ban)") are only taken on a page that has several, since "(app)"
# after a word is ordinary text.
# The bracket comes before the look-behind so that the search skips ahead to
# brackets instead of trying the look-behind at every character.
_GLOSS = re.compile(r"[(（](?<=[\u3400-\u9fff][(（])"
                    r"(?P<syl>[a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{1,7})[)）]")
_TONE_MARKS = set("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ")
_MIN_TONELESS_GLOSSES = 3

# Word and HTML left in copied text: conditional comments, tags with ASCII
# names (never "<中华人民共和国…格式>", which is a title in angle quotes),
# character entities.
_MARKUP = re.compile(
    r"<!--.*?-->|<!\[(?:if|endif)[^\]]*\]>"
    r"|</?[A-Za-z][A-Za-z0-9]*(?::[A-Za-z0-9]+)?(?:\s[^<>\n]{0,300})?/?>"
    r"|&(?:nbsp|ensp|emsp|amp|lt|gt|quot|apos|ldquo|rdquo|lsquo|rsquo|mdash|hellip|middot);"
    r"|&#(?:\d{1,6}|x[0-9a-fA-F]{1,5});"
)

# Mis-decoded text: the replacement character, UTF-8 read as Latin-1, and the
# remains of "</span>" whose "</" was eaten together with the character before.
_MOJIBAKE = re.compile(r"\ufffd+|(?:[ÃÂâåæçèéäï][\u0080-\u00bf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]){2,}"
                       r"|.?/?span>")

# Advertising injected into hijacked pages: a gambling or lottery brand, its
# "official site" and app words, up to a colon or a closing bracket.
_SPAM_TERMS = ("体育投注", "体育官网", "体育平台", "娱乐城", "娱乐官网", "真人娱乐", "博彩",
               "百家乐", "六合彩", "时时彩", "彩票官网", "彩票平台", "彩票app", "棋牌官网",
               "棋牌平台", "棋牌app", "老虎机", "赌场", "赌博网", "开户送", "开户领", "app下载",
               "app平台", "APP下载", "APP平台", "平台登录")
# Every alternative a literal: the regex engine then skips ahead to their first
# characters instead of trying every position (eight times faster over a report).
_SPAM_WORDS = "|".join(map(re.escape, _SPAM_TERMS))
_SPAM = re.compile(
    r"[\u4e00-\u9fffA-Za-z0-9]{0,3}(?:" + _SPAM_WORDS + r")"
    r"(?:[_\-·\u4e00-\u9fffA-Za-z0-9]{0,20}?(?:" + _SPAM_WORDS + r"))*"
    r"(?:[_\-·\u4e00-\u9fffA-Za-z0-9]{0,12}?(?:官网|平台|登录|下载|注册))?"
    r"(?:【[^】\n]{0,30}】)?[:：]?"
)


_LATIN1_LEADS = "ÃÂâåæçèéäï"
_LATIN1 = re.compile(r"[ÃÂâåæçèéäï][\u0080-\u00bf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]")
_SPAM_HINT = re.compile(_SPAM_WORDS)
# Pieces every spam term contains one of (a test checks it): most reports
# contain none, which plain substring tests show faster than any regex.
_SPAM_PIECES = ("体育", "娱乐", "彩", "百家乐", "棋牌", "老虎机", "赌", "开户", "app", "APP",
                "平台登录")
# What markup, mojibake and spam start with. A line without a match keeps its
# text until the glosses, which is almost every line of almost every report.
_DIRT = re.compile("|".join(["<", "&", "\ufffd", *_LATIN1_LEADS, "span>", _SPAM_HINT.pattern]))


def _dirty(text: str) -> bool:
    """Whether ``text`` may hold markup, mojibake or spam (never false when it does)."""
    return ("<" in text or "&" in text or "\ufffd" in text or "span>" in text
            or (any(c in text for c in _LATIN1_LEADS) and _LATIN1.search(text) is not None)
            or (any(p in text for p in _SPAM_PIECES) and _SPAM_HINT.search(text) is not None))


_HAN = re.compile(r"[\u3400-\u9fff]")


def _script(text: str) -> Script:
    found = traditional_found(text)
    if len(set(found)) < 2 or len(found) < _MIN_TRADITIONAL:
        return "hans"
    han = len(_HAN.findall(text))
    return "hant" if len(found) >= _MIN_TRADITIONAL_SHARE * han else "hans"


def _removed(code: str, message: str, found: list[tuple[int, str]]) -> Diagnostic:
    """One diagnostic for all removals of a kind: first line, every removed piece in ``raw``."""
    return Diagnostic(code, message.format(n=len(found)), found[0][0],
                      raw=" ".join(piece for _, piece in found))


def clean_lines(lines: Sequence[str], *, numbers: Sequence[int] | None = None) -> Cleaned:
    """Clean a report's lines; the result has exactly as many lines.

    ``numbers`` are the line numbers diagnostics give for each line (by
    default 1, 2, …).

    >>> c = clean_lines(["年度報(bào)告", "青禾镇在新葡京娱乐城官网【注册】:区政府"])
    >>> c.lines, c.script, [d.code for d in c.diagnostics]
    (('年度報告', '青禾镇在区政府'), 'hans', ['pinyin-gloss', 'spam'])
    """
    out = list(lines)
    numbers = list(numbers) if numbers is not None else list(range(1, len(out) + 1))
    diags: list[Diagnostic] = []

    markup: list[tuple[int, str]] = []
    mojibake: list[tuple[int, str]] = []
    spam: list[tuple[int, str]] = []
    # Checks over the whole text prove most reports clean at C speed; only a
    # dirty one pays for a pass over its lines.
    text = "\n".join(out)
    if "\x00" in text:
        # A NUL is damage (a bad copy or a crawler's buffer), never report text.
        nuls = [(numbers[i], "\x00" * line.count("\x00")) for i, line in enumerate(out)
                if "\x00" in line]
        out = [line.replace("\x00", "") for line in out]
        text = "\n".join(out)
        diags.append(_removed("nul", "{n} lines held NUL characters (a damaged file); they "
                              "were removed and are in raw", nuls))
    if _dirty(text):
        for i, line in enumerate(out):
            if _DIRT.search(line) is None:
                continue
            n = numbers[i]
            if "<" in line or "&" in line:
                pieces = _MARKUP.findall(line)
                if pieces:
                    markup.extend((n, p) for p in pieces)
                    line = _MARKUP.sub(lambda m: " " if m[0].startswith("&") else "", line)
                    line = html.unescape(line)
            if "\ufffd" in line or "span>" in line or _LATIN1.search(line):
                found = [m[0] for m in _MOJIBAKE.finditer(line)]
                if found:
                    mojibake.extend((n, p) for p in found)
                    line = _MOJIBAKE.sub("", line)
            if _SPAM_HINT.search(line) and (hits := [m[0] for m in _SPAM.finditer(line) if m[0]]):
                spam.extend((n, p) for p in hits)
                line = _SPAM.sub("", line)
            out[i] = line
        text = "\n".join(out)

    glosses: list[tuple[int, int, str, bool]] = []  # index, line, gloss, toned
    if "(" in text or "（" in text:
        # Offsets, not a count of newlines: unescaped markup may leave one inside a line.
        ends: list[int] = []
        for m in _GLOSS.finditer(text):
            if not ends:
                ends = list(accumulate(len(line) + 1 for line in out))
            i = bisect_right(ends, m.start())
            glosses.append((i, numbers[i], m[0], any(c in _TONE_MARKS for c in m["syl"])))

    toned = sum(1 for *_, t in glosses if t)
    if glosses and (toned or len(glosses) >= _MIN_TONELESS_GLOSSES):
        for i in {i for i, *_ in glosses}:
            out[i] = _GLOSS.sub("", out[i])
        diags.append(_removed("pinyin-gloss", "{n} pinyin glosses after characters removed "
                              "(a mirror page); they are in raw",
                              [(n, g) for _, n, g, _ in glosses]))
    if markup:
        diags.append(_removed("markup", "{n} pieces of HTML or Word markup removed from the "
                              "text; they are in raw", markup))
    if mojibake:
        diags.append(_removed("mojibake", "{n} mis-decoded fragments (mojibake) removed; the "
                              "characters around them may be wrong too, so figures there are "
                              "not to be trusted", mojibake))
    if spam:
        diags.append(_removed("spam", "{n} pieces of injected advertising removed from the "
                              "text (a hijacked mirror page); they are in raw", spam))

    # Removing glosses takes away no Han character, so the text before it will do.
    script = _script(text)
    if script == "hant":
        before = traditional_chars(text)
        out = [to_simplified(line) for line in out]
        diags.append(Diagnostic("traditional-script", f"the page is in Traditional Chinese; "
                                f"{before} characters were converted to Simplified before "
                                "parsing (a mirror copy is not authoritative)",
                                numbers[0] if numbers else None))
    return Cleaned(tuple(out), script, tuple(diags))


def clean_document(document: Document) -> Document:
    """Clean the text lines and grid cells of a document an input adapter rebuilt.

    HTML, DOCX and PDF pages are as dirty as text ones; their blocks keep
    their places and provenance, only their text is cleaned.
    """
    texts: list[str] = []
    numbers: list[int] = []
    for block in document.blocks:
        if isinstance(block, TextLine):
            texts.append(block.text)
            numbers.append(block.line)
        else:
            for row in block.rows:
                for cell in row.cells:
                    texts.append(cell.text)
                    numbers.append(cell.line)
    cleaned = clean_lines(texts, numbers=numbers)
    if cleaned.script == "hans" and not cleaned.diagnostics:
        return document
    new = iter(cleaned.lines)
    blocks: list[Block] = []
    for block in document.blocks:
        if isinstance(block, TextLine):
            blocks.append(attrs.evolve(block, text=next(new)))
        else:
            rows = tuple(attrs.evolve(row, cells=tuple(attrs.evolve(c, text=next(new))
                                                       for c in row.cells))
                         for row in block.rows)
            blocks.append(attrs.evolve(block, rows=rows))
    return attrs.evolve(document, blocks=tuple(blocks), script=cleaned.script,
                        diagnostics=cleaned.diagnostics + document.diagnostics)
