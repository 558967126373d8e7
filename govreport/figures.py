"""Figures a report states in its prose ("全年收政府信息公开申请464件").

:func:`prose_figures` finds them in the text of a report's sections, so
:mod:`govreport.validate` can compare what the prose says with what the
tables say (checks P1 and P2). Recognition is driven by :data:`PATTERNS`, a
table of :class:`FigurePattern` rows; supporting a new wording or a new
figure means adding a row, not code.

The patterns are conservative on purpose: a figure that is wrongly taken for
the number of applications produces a false "the report contradicts itself",
which costs more than a figure that is missed. Each pattern therefore names
the exact phrase around the number, the sections it may occur in, words the
sentence must contain and words that rule the sentence out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from decimal import Decimal

from attrs import frozen

from govreport.model import ProseFigure, Report, Section, SectionKind

__all__ = ["PATTERNS", "TABLE_KEYS", "FigurePattern", "ProseFigure", "prose_figures",
           "section_figures"]


@frozen
class FigurePattern:
    """One way of stating one figure.

    ``regex`` must have a group ``n`` (the digits, commas allowed) and a
    group ``unit``; optional groups ``pre`` ("近", "约" …) and ``suf``
    ("余", "多") mark the figure approximate. The sentence must contain one
    of ``context`` (when given) and none of ``exclude``; the ``not_before``
    words must not occur in the few characters before the match.
    """

    what: str
    regex: re.Pattern[str]
    sections: frozenset[SectionKind]
    context: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    not_before: tuple[str, ...] = ()


# Digits with optional thousands separators, an optional approximation before
# ("近", "约") or after ("余", "多") and the counting unit.
# The look-ahead changes no match: it lets a regex that starts here skip a
# character that cannot start it at a third of the cost of trying.
_PRE = r"(?=[近约逾超\s\d])(?P<pre>近|约|逾|超过)?\s*"
_NUM = r"(?P<n>\d{1,3}(?:,\d{3})+|\d+)\s*(?P<suf>余|多)?\s*"
_COUNT = _PRE + _NUM + r"(?P<unit>件)"
_ENTRIES = _PRE + _NUM + r"(?P<unit>条|件)"
# A count followed by "(含…)" or "(包括…)" includes something else.
_NOT_INCLUDING = r"(?!\s*[（(]\s*(?:含|包括))"
_APPLICATION = r"(?:政府信息公开申请|信息公开申请|(?:政府信息)?依申请公开(?:政府信息)?(?:申请)?)"
# Cases, letters and entries of the free-form era: "行政复议4起", "1000余条", "1.1万余篇次".
_CASES = _PRE + _NUM + r"(?P<unit>起|件|宗|个)"
_BIG = (_PRE + r"(?P<n>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(?P<wan>万)?\s*(?P<suf>余|多)?\s*"
        r"(?P<unit>条|篇次|篇|份|期|人次)")
_RATE = r"(?P<n>\d{1,3}(?:\.\d+)?)\s*(?P<unit>%|％)"
# In the review section every case is about disclosure; elsewhere the sentence must say so.
_REVIEW_SECTION: frozenset[SectionKind] = frozenset({"review_litigation"})
_REVIEW: frozenset[SectionKind] = frozenset({"overview", "extra"})
_ANY: frozenset[SectionKind] = frozenset({"overview", "proactive_disclosure", "applications",
                                          "review_litigation", "problems_improvements",
                                          "other_matters", "extra"})
_MAILBOX = ("信箱",)
_LETTERS = _PRE + _NUM + r"(?P<unit>件|封|条)"
# One wording, two patterns each: in the review section every case concerns
# disclosure; elsewhere the sentence must say so.
_REVIEWS = re.compile(r"行政复议(?:案件|申请)?(?:共计?)?\s*" + _CASES)
_LAWSUITS = re.compile(r"行政诉讼(?:案件)?(?:共计?)?\s*" + _CASES)

_APPLICATION_SECTIONS: frozenset[SectionKind] = frozenset({"overview", "applications"})
_OVERVIEW: frozenset[SectionKind] = frozenset({"overview"})
# Sentences about other channels (hotline, mailbox, consultations, reviews)
# use the same verbs and units as sentences about applications.
_OTHER_CHANNELS = ("复议", "诉讼", "信箱", "热线", "咨询", "信访", "交办", "留言", "来信")
# Licensing and penalty *items* (事项清单) are counted too, but they are not decisions.
_ITEM_LISTS = ("梳理", "清理", "取消", "下放", "保留", "清单", "目录", "承诺", "精简")
_DISCLOSED = ("公开", "公示", "作出", "发布", "办理")

PATTERNS: tuple[FigurePattern, ...] = (
    FigurePattern(
        "applications.received",
        re.compile(r"(?:新收|收到|收|受理|接收|接到)(?:了)?(?:各类)?" + _APPLICATION
                   + r"(?:共计?|合计)?\s*" + _COUNT + _NOT_INCLUDING),
        _APPLICATION_SECTIONS,
        not_before=("上年", "上一年", "去年", "同比", "结转"),
    ),
    FigurePattern(
        "applications.received",
        re.compile(r"(?:新收|收到|受理|接收|接到)(?:了)?(?:各类)?\s*" + _COUNT
                   + r"(?:政府信息公开|信息公开|依申请公开)?申请" + _NOT_INCLUDING),
        _APPLICATION_SECTIONS,
        exclude=_OTHER_CHANNELS,
        not_before=("上年", "上一年", "去年", "同比", "结转"),
    ),
    FigurePattern(
        "applications.carried_over",
        re.compile(r"(?:上一?年度?结转|结转上一?年度?)(?:的)?(?:政府信息公开)?(?:申请)?"
                   r"(?:共计?)?\s*" + _COUNT),
        _APPLICATION_SECTIONS,
        context=("申请",),
        exclude=_OTHER_CHANNELS,
    ),
    FigurePattern(
        "applications.concluded",
        re.compile(r"办结(?:政府信息公开)?(?:申请)?(?:共计?)?\s*" + _COUNT + _NOT_INCLUDING),
        _APPLICATION_SECTIONS,
        context=("申请",),
        exclude=_OTHER_CHANNELS,
        not_before=("上年", "上一年", "去年", "同比"),
    ),
    FigurePattern(
        "applications.concluded",
        re.compile(_COUNT + r"(?:申请)?(?:已|均已)?办结"),
        _APPLICATION_SECTIONS,
        context=("申请",),
        exclude=_OTHER_CHANNELS,
        not_before=("上年", "上一年", "去年", "同比"),
    ),
    FigurePattern(
        "applications.carried_forward",
        re.compile(_COUNT + r"(?:申请)?(?:结转|转入)(?:至|到)?下一?年度?"),
        _APPLICATION_SECTIONS,
        context=("申请",),
        exclude=_OTHER_CHANNELS,
    ),
    FigurePattern(
        "applications.carried_forward",
        re.compile(r"结转(?:至|到)?下一?年度?(?:继续)?(?:办理)?(?:的)?(?:政府信息公开)?(?:申请)?"
                   r"(?:共计?)?\s*" + _COUNT),
        _APPLICATION_SECTIONS,
        context=("申请",),
        exclude=_OTHER_CHANNELS,
    ),
    FigurePattern(
        "proactive.licensing",
        re.compile(r"行政许可(?:事项|决定|信息)?(?:共计?)?\s*" + _ENTRIES),
        _OVERVIEW,
        context=_DISCLOSED,
        exclude=_ITEM_LISTS,
    ),
    FigurePattern(
        "proactive.penalties",
        re.compile(r"行政处罚(?:事项|决定|信息)?(?:共计?)?\s*" + _ENTRIES),
        _OVERVIEW,
        context=_DISCLOSED,
        exclude=_ITEM_LISTS,
    ),
)
"""The recognised wordings, tried in order on every sentence."""

PATTERNS += (
    FigurePattern(
        "applications.answer_rate",
        re.compile(r"(?:回复|答复|办结)率(?:达到?|为)?\s*" + _RATE),
        _APPLICATION_SECTIONS,
        context=("申请",),
        exclude=_OTHER_CHANNELS,
    ),
    FigurePattern(
        "proactive.items",
        re.compile(r"(?:政府信息|各类信息|信息)(?:共计?|合计)?\s*" + _BIG),
        frozenset({"proactive_disclosure", "overview"}),
        context=("主动公开", "发布", "公开"),
        exclude=("依申请", "申请公开", "复议", "诉讼", "信箱", "咨询"),
        not_before=("上年", "上一年", "去年", "同比", "累计"),
    ),
    FigurePattern(
        "review.total",
        _REVIEWS,
        _REVIEW_SECTION,
    ),
    FigurePattern(
        "review.total",
        _REVIEWS,
        _REVIEW,
        context=("信息公开",),
    ),
    FigurePattern(
        "review.revoked",
        re.compile(r"(?:被)?撤销\s*" + _CASES),
        _REVIEW_SECTION | _REVIEW,
        context=("复议",),
    ),
    FigurePattern(
        "litigation.total",
        _LAWSUITS,
        _REVIEW_SECTION,
    ),
    FigurePattern(
        "litigation.total",
        _LAWSUITS,
        _REVIEW,
        context=("信息公开",),
    ),
    FigurePattern(
        "mailbox.received",
        re.compile(r"(?:收到|受理|接收|接到)(?:有效|各类)?(?:信件|来信|邮件|留言)?(?:共计?)?\s*"
                   + _LETTERS),
        _ANY,
        context=_MAILBOX,
    ),
    FigurePattern(
        "mailbox.answered",
        re.compile(r"(?:回复|答复|办结|办理)(?:信件|来信|邮件|留言)?(?:共计?)?\s*"
                   + _LETTERS),
        _ANY,
        context=_MAILBOX,
    ),
    FigurePattern(
        "mailbox.answer_rate",
        re.compile(r"(?:回复|答复|办结)率(?:达到?|为)?\s*" + _RATE),
        _ANY,
        context=_MAILBOX,
    ),
)

TABLE_KEYS: dict[str, tuple[str, str]] = {
    "applications.received": ("P1", "applications.new_received.total"),
    "applications.carried_over": ("P1", "applications.carried_over.total"),
    "applications.concluded": ("P1", "applications.total_concluded.total"),
    "applications.carried_forward": ("P1", "applications.carried_forward.total"),
    "proactive.licensing": ("P2", "proactive.licensing.decisions"),
    "proactive.penalties": ("P2", "proactive.penalties.decisions"),
}
"""For each figure: the check comparing it with a table, and the flat key it restates."""

_ENDS = "。；;！!？?\n"
# A digit and the rest of its sentence.
_DIGIT_ON = re.compile(r"\d[^。；;！!？?\n]*")
_LOOKBEHIND = 6


def _sentences(text: str) -> Iterator[tuple[int, int, str]]:
    """The sentences of ``text`` that have a digit (no figure without one), with their spans."""
    # Going from digit to digit passes over the sentences without one in a
    # single regex scan, where splitting made a match of every sentence and
    # searched each for a digit. A sentence starts after the last sentence
    # end before its first digit: the previous match ends at one, if any.
    end = 0
    for m in _DIGIT_ON.finditer(text):
        first = m.start()
        begin = max([text.rfind(c, end, first) for c in _ENDS]) + 1
        end = m.end()
        raw = text[begin:end]
        sentence = raw.strip()
        start = begin + (len(raw) - len(raw.lstrip()))
        yield start, start + len(sentence), sentence


def _walk(section: Section) -> Iterator[Section]:
    yield section
    for sub in section.subsections:
        yield from _walk(sub)


@frozen
class _Compiled:
    what: str
    regex: re.Pattern[str]
    not_before: tuple[str, ...]
    # Which optional groups the regex has, so a match is not asked for a dict of them.
    wan: bool
    approximate: tuple[str, ...]


class _Kind:
    """The patterns of one section kind, and which of them a sentence's words let through.

    Patterns share their word lists (six want "申请", seven exclude the other
    channels), so each list is looked for once per sentence; which lists a
    sentence contains decides the patterns worth matching, and the choice is
    remembered (at most two per list, in practice a handful).
    """

    def __init__(self, patterns: Sequence[FigurePattern]) -> None:
        words = list(dict.fromkeys(w for p in patterns for w in (p.context, p.exclude) if w))
        self.words = tuple(words)
        self.rules = tuple((words.index(p.context) if p.context else None,
                            words.index(p.exclude) if p.exclude else None) for p in patterns)
        self.patterns = tuple(_compile(p) for p in patterns)
        self.plans: dict[tuple[bool, ...], tuple[_Compiled, ...]] = {}

    def candidates(self, sentence: str) -> tuple[_Compiled, ...]:
        # ``in`` per word, not one regex per list: a regex of several words
        # tests every character against a set, ``in`` scans for each word in C.
        found = tuple([any(w in sentence for w in words) for words in self.words])
        plan = self.plans.get(found)
        if plan is None:
            plan = self.plans[found] = tuple(
                c for c, (context, exclude) in zip(self.patterns, self.rules, strict=True)
                if (context is None or found[context]) and (exclude is None or not found[exclude]))
        return plan


def _compile(p: FigurePattern) -> _Compiled:
    groups = p.regex.groupindex
    return _Compiled(p.what, p.regex, p.not_before,
                     "wan" in groups, tuple(g for g in ("pre", "suf") if g in groups))


# Keyed on the identity of the patterns: hashing them hashes every regex's
# compiled code, which cost more than matching the sentences did.
_BY_KIND: tuple[tuple[FigurePattern, ...], dict[SectionKind, _Kind]] | None = None


def _by_kind(patterns: tuple[FigurePattern, ...]) -> dict[SectionKind, _Kind]:
    # Every sentence of every report meets every pattern: sort them by section
    # kind, once per PATTERNS.
    global _BY_KIND
    if _BY_KIND is None or _BY_KIND[0] is not patterns:
        kinds = {k for p in patterns for k in p.sections}
        _BY_KIND = patterns, {k: _Kind([p for p in patterns if k in p.sections]) for k in kinds}
    return _BY_KIND[1]


def _figures_in(sentence: str, span: tuple[int, int], kind: SectionKind, line: int,
                patterns: tuple[_Compiled, ...]) -> Iterator[ProseFigure]:
    seen: set[tuple[str, int]] = set()
    for c in patterns:
        for m in c.regex.finditer(sentence):
            start = m.start()
            if c.not_before:
                before = sentence[max(0, start - _LOOKBEHIND): start]
                if any(w in before for w in c.not_before):
                    continue
            # Two wordings of one figure can both match the same words.
            if (c.what, m.start("n")) in seen:
                continue
            seen.add((c.what, m.start("n")))
            unit = m["unit"]
            value = Decimal(m["n"].replace(",", ""))
            if c.wan and m["wan"]:
                value *= 10000
            percent = unit in ("%", "％")
            yield ProseFigure(
                what=c.what,
                value=int(value) if value == value.to_integral_value() and not percent else value,
                unit="%" if percent else unit,
                approximate=any(m[g] for g in c.approximate),
                line=line,
                sentence=sentence,
                span=span,
                section=kind,
            )


def prose_figures(report: Report) -> tuple[ProseFigure, ...]:
    """Every figure :data:`PATTERNS` recognises in the report's sections, in reading order."""
    return section_figures(report.sections)


def section_figures(sections: Sequence[Section]) -> tuple[ProseFigure, ...]:
    """Every figure :data:`PATTERNS` recognises in ``sections``, in reading order.

    The parser reads them before it builds the :class:`Report`.
    """
    out: list[ProseFigure] = []
    by_kind = _by_kind(PATTERNS)
    for top in sections:
        kind = by_kind.get(top.kind)
        if kind is None:
            continue
        for section in _walk(top):
            for start, end, sentence in _sentences(section.text):
                patterns = kind.candidates(sentence)
                if patterns:
                    out.extend(_figures_in(sentence, (start, end), top.kind, section.line,
                                           patterns))
    return tuple(out)
