"""One agency's reports of two years, compared: :func:`compare`.

The result (:class:`Comparison`) says, offline and from the parsed data only:

* for each section, aligned by kind (总体情况 … 其他需要报告的事项), how much
  of the new year's text repeats the old year's (:attr:`SectionComparison.repetition`)
  and which paragraphs were added, removed, changed or repeated, with the
  repeated passages and the changed figures located in each paragraph;
* every flat value with its old and new figure and the difference
  (:class:`Change`; a blank stays ``None``);
* the cross-year relations (B6: carried over = last year's carried forward;
  A2: documents in force) with their figures and formula (:class:`CrossCheck`),
  and each year's own findings grouped by table (:class:`YearFindings`);
* a :class:`Summary`: overall repetition, the most changed sections, the
  largest changes.

How repetition is measured
--------------------------
Text is normalised first: whitespace dropped, full-width ASCII forms
folded to ASCII, and every run of digits masked to one ``#``, so that a paragraph
copied with new figures counts as repeated and only its figures differ.
The normalised text is cut into overlapping shingles of
:data:`SHINGLE` characters, never across paragraphs. The repetition of a
new text against an old one is the share of the new text's shingles (each
position counted) that occur anywhere in the old text: 1.0 is a copy, 0.0
shares no run of :data:`SHINGLE` characters. A section without text in
the new year has no text repetition (``None``). The table repetition of a
section is the share of its table's cells, among those with a value in
both years, whose value did not change.

:func:`comparison_to_dict` gives the JSON form through the project's one
cattrs converter.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any, Literal, Union, cast

import attrs
from attrs import frozen

from govreport import registry
from govreport.arithmetic import PREVIOUS, Relation, Severity, evaluate
from govreport.arithmetic import statistics_cells as _statistics_cells
from govreport.labels import TABLES, key_label, statistics_labels, table_of
from govreport.model import (
    TABLE_OF_SECTION,
    Report,
    Section,
    SectionKind,
    Template,
    Value,
    iter_values,
)
from govreport.serialize import converter, flatten
from govreport.validate import Finding, check

__all__ = [
    "SHINGLE",
    "Change",
    "Comparison",
    "CrossCheck",
    "Figure",
    "Mark",
    "ParagraphComparison",
    "SectionComparison",
    "Side",
    "Summary",
    "TableFindings",
    "YearFindings",
    "compare",
    "comparison_to_dict",
    "comparison_to_json",
    "repetition",
    "year_findings",
]

Number = Union[int, Decimal]
Mark = Literal["repeated", "changed", "added", "removed"]
"""What became of a paragraph: ``repeated`` (the same text, figures aside),
``changed`` (reworded: at least :data:`SIMILAR` alike), ``added`` (new this
year) or ``removed`` (only last year)."""

Span = tuple[int, int]

SHINGLE = 8
"""Characters per shingle of normalised text (see the module docstring)."""

SIMILAR = 0.2
"""The least similarity for two paragraphs to be one paragraph, changed.

The Dice coefficient of their shingle sets; a paragraph reworded around the
same opening and figures scores 0.25–0.5, two paragraphs on different
matters under the same heading below 0.1.
"""

_WINDOW = 50
"""How many old paragraphs a new one is compared with when looking for its pair: keeps a
report of thousands of rewritten paragraphs linear rather than quadratic."""

_LARGEST = 10
_MOST_CHANGED = 3

_KIND_ORDER: tuple[SectionKind, ...] = (
    "overview", "proactive_disclosure", "applications", "review_litigation",
    "problems_improvements", "other_matters", "extra")
_KIND_TITLES: dict[str, str] = {
    "overview": "总体情况",
    "proactive_disclosure": "主动公开政府信息情况",
    "applications": "收到和处理政府信息公开申请情况",
    "review_litigation": "政府信息公开行政复议、行政诉讼情况",
    "problems_improvements": "存在的主要问题及改进情况",
    "other_matters": "其他需要报告的事项",
}


# --------------------------------------------------------------------------- result


@frozen
class Side:
    """Which report a side of the comparison is: its file, agency, year and template."""

    source: str | None
    agency: str | None
    year: int | None
    template: Template


@frozen
class ParagraphComparison:
    """One paragraph of a section, in either year or both.

    ``old`` and ``new`` are the paragraph's text in each year (``None`` where
    it is absent). ``similarity`` is 1.0 for a repeated paragraph, the Dice
    coefficient of the shingle sets for a changed one, 0.0 otherwise.
    ``old_repeated`` / ``new_repeated`` are ``(start, end)`` offsets of the
    passages of that text that occur in the other year's section;
    ``old_figures`` / ``new_figures`` the offsets of the figures that differ
    between the two paragraphs of a pair.
    """

    mark: Mark
    old: str | None
    new: str | None
    similarity: float
    old_repeated: tuple[Span, ...] = ()
    new_repeated: tuple[Span, ...] = ()
    old_figures: tuple[Span, ...] = ()
    new_figures: tuple[Span, ...] = ()


@frozen
class SectionComparison:
    """One section aligned across the two years.

    ``repetition`` is the section's headline figure in [0, 1]: its
    ``text_repetition`` when the new year has text there, else its
    ``table_repetition``; ``measure`` says which (``None`` when neither can
    be measured). ``old_title`` / ``new_title`` are ``None`` for a section
    found in one year only.
    """

    kind: SectionKind
    title: str
    old_title: str | None
    new_title: str | None
    repetition: float | None
    measure: Literal["text", "table"] | None
    text_repetition: float | None
    table_repetition: float | None
    paragraphs: tuple[ParagraphComparison, ...] = ()

    @property
    def counts(self) -> dict[str, int]:
        """How many paragraphs have each mark."""
        out = dict.fromkeys(("repeated", "changed", "added", "removed"), 0)
        for p in self.paragraphs:
            out[p.mark] += 1
        return out


@frozen
class Change:
    """One flat value in both years: ``difference`` is new − old, ``None`` unless both are given."""

    key: str
    label: str
    table: str
    old: Number | None
    new: Number | None
    difference: Number | None

    @property
    def changed(self) -> bool:
        """Whether the value differs (a blank against a number counts as a change)."""
        return self.old != self.new


@frozen
class Figure:
    """A cell a cross-year check reads: its key, the year it is of, its name and value."""

    key: str
    year: int | None
    label: str
    value: Number | None


@frozen
class CrossCheck:
    """A relation between the two years, with its figures and formula.

    ``ok`` is ``True`` (holds), ``False`` (broken) or ``None`` (not
    checkable: a value is missing, or the years are not consecutive).
    ``formula`` reads like "2023 现行有效件数 = 2022 现行有效件数 + 2023 本年制发件数
    − 2023 本年废止件数：597 + 50 − 227 = 420".
    """

    code: str
    severity: Severity
    ok: bool | None
    formula: str
    figures: tuple[Figure, ...]
    message_zh: str
    message_en: str


@frozen
class TableFindings:
    """A year's findings on one table (``table`` is a key of :data:`govreport.labels.TABLES`)."""

    table: str
    name: str
    findings: tuple[Finding, ...]


@frozen
class YearFindings:
    """One year's own failed findings (:func:`govreport.check`), grouped by table."""

    year: int | None
    source: str | None
    tables: tuple[TableFindings, ...]
    not_checkable: int

    @property
    def failed(self) -> int:
        """How many checks failed."""
        return sum(len(t.findings) for t in self.tables)


@frozen
class Summary:
    """The comparison in a few figures.

    ``repetition``: of the whole text (all sections); ``table_repetition``:
    of every cell with a value in both years; ``most_changed``: the kinds of
    the sections with the least text repetition; ``largest_changes``: the
    changes of largest absolute difference.
    """

    repetition: float | None
    table_repetition: float | None
    most_changed: tuple[SectionKind, ...]
    largest_changes: tuple[Change, ...]
    changed_values: int
    compared_values: int
    checks_failed: int
    checks_passed: int


@frozen
class Comparison:
    """Two reports compared (:func:`compare`)."""

    old: Side
    new: Side
    sections: tuple[SectionComparison, ...]
    changes: tuple[Change, ...]
    checks: tuple[CrossCheck, ...]
    findings: tuple[YearFindings, YearFindings]
    summary: Summary


# --------------------------------------------------------------------------- text


_DIGITS = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?")
"""A figure as written, in ASCII or full-width digits."""


# Full-width ASCII forms and the ideographic space folded to ASCII, one
# character for one, so that offsets in the folded text are offsets in the text.
_FOLD = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_SKIP = re.compile(r"\s+|[0-9]+(?:\.[0-9]+)?")


def _normalise(text: str) -> tuple[str, list[Span]]:
    """Text normalised for shingling, and each character's span in ``text``."""
    folded = text.translate(_FOLD)
    chars: list[str] = []
    spans: list[Span] = []
    at = 0
    for m in _SKIP.finditer(folded):
        start, end = m.span()
        chars.append(folded[at:start])
        spans.extend((i, i + 1) for i in range(at, start))
        if not folded[start].isspace():
            chars.append("#")
            spans.append((start, end))
        at = end
    chars.append(folded[at:])
    spans.extend((i, i + 1) for i in range(at, len(folded)))
    return "".join(chars), spans


def _shingles(norm: str) -> list[str]:
    if not norm:
        return []
    if len(norm) < SHINGLE:
        return [norm]
    return [norm[i:i + SHINGLE] for i in range(len(norm) - SHINGLE + 1)]


@frozen
class _Para:
    text: str
    norm: str
    spans: list[Span]
    shingles: list[str]
    bag: frozenset[str]


def _para(text: str) -> _Para:
    norm, spans = _normalise(text)
    shingles = _shingles(norm)
    return _Para(text, norm, spans, shingles, frozenset(shingles))


def _paragraphs(section: Section) -> list[_Para]:
    out = [_para(line) for line in section.text.split("\n") if line.strip()]
    for sub in section.subsections:
        if sub.heading.strip():
            out.append(_para(sub.heading.strip()))
        out.extend(_paragraphs(sub))
    return out


def _share(shingles: Sequence[str], other: set[str]) -> float | None:
    if not shingles:
        return None
    return sum(1 for s in shingles if s in other) / len(shingles)


def repetition(new: str, old: str) -> float | None:
    """The share of ``new``'s text repeated from ``old``, in [0, 1] (see the module docstring).

    ``None`` when ``new`` has no text. Paragraphs are the lines of each text.
    """
    new_paras = [_para(x) for x in new.split("\n") if x.strip()]
    old_set = {s for x in old.split("\n") if x.strip() for s in _para(x).shingles}
    return _share([s for p in new_paras for s in p.shingles], old_set)


def _covered(p: _Para, other: set[str]) -> tuple[Span, ...]:
    """The spans of ``p.text`` covered by a shingle found in ``other``, merged."""
    if not p.shingles:
        return ()
    width = min(SHINGLE, len(p.norm))
    mask = [False] * len(p.norm)
    for i, s in enumerate(p.shingles):
        if s in other:
            for j in range(i, i + width):
                mask[j] = True
    out: list[Span] = []
    for j, on in enumerate(mask):
        if not on:
            continue
        start, end = p.spans[j]
        if out and out[-1][1] >= start - 1 and _only_space(p.text, out[-1][1], start):
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return tuple(out)


def _only_space(text: str, start: int, end: int) -> bool:
    return not text[start:end].strip()


def _figure_spans(old: str, new: str) -> tuple[tuple[Span, ...], tuple[Span, ...]]:
    """Offsets of the figures that differ between two versions of a paragraph."""
    a = list(_DIGITS.finditer(old))
    b = list(_DIGITS.finditer(new))
    sm = difflib.SequenceMatcher(None, [m.group() for m in a], [m.group() for m in b],
                                 autojunk=False)
    old_spans: list[Span] = []
    new_spans: list[Span] = []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            continue
        old_spans.extend(m.span() for m in a[i1:i2])
        new_spans.extend(m.span() for m in b[j1:j2])
    return tuple(old_spans), tuple(new_spans)


def _dice(a: _Para, b: _Para) -> float:
    if not a.bag or not b.bag:
        return 0.0
    return 2 * len(a.bag & b.bag) / (len(a.bag) + len(b.bag))


def _align(old: list[_Para], new: list[_Para]) -> Iterator[tuple[_Para | None, _Para | None]]:
    """Pairs of old and new paragraphs in reading order; ``None`` on the side that lacks one."""
    sm = difflib.SequenceMatcher(None, [p.norm for p in old], [p.norm for p in new],
                                 autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            yield from zip(old[i1:i2], new[j1:j2], strict=True)
            continue
        # Within a block that differs, a new paragraph is paired with the most
        # similar old one after the last pair, so the pairs keep reading order;
        # what is left unpaired is shown removed, then added, before the next pair.
        next_old = i1
        added: list[_Para] = []
        for j in range(j1, j2):
            best, best_score = None, SIMILAR
            for i in range(next_old, min(i2, next_old + _WINDOW)):
                score = _dice(old[i], new[j])
                if score >= best_score:
                    best, best_score = i, score
            if best is None:
                added.append(new[j])
                continue
            yield from ((o, None) for o in old[next_old:best])
            yield from ((None, a) for a in added)
            added = []
            yield old[best], new[j]
            next_old = best + 1
        yield from ((o, None) for o in old[next_old:i2])
        yield from ((None, a) for a in added)


def _compare_paragraphs(old: list[_Para], new: list[_Para]) -> tuple[ParagraphComparison, ...]:
    old_set = {s for p in old for s in p.shingles}
    new_set = {s for p in new for s in p.shingles}
    out: list[ParagraphComparison] = []
    for a, b in _align(old, new):
        old_rep = _covered(a, new_set) if a else ()
        new_rep = _covered(b, old_set) if b else ()
        if a is None and b is not None:
            out.append(ParagraphComparison("added", None, b.text, 0.0, (), new_rep))
        elif b is None and a is not None:
            out.append(ParagraphComparison("removed", a.text, None, 0.0, old_rep, ()))
        elif a is not None and b is not None:
            same = a.norm == b.norm
            figures = _figure_spans(a.text, b.text)
            out.append(ParagraphComparison(
                "repeated" if same else "changed", a.text, b.text,
                1.0 if same else round(_dice(a, b), 4), old_rep, new_rep, *figures))
    return tuple(out)


# --------------------------------------------------------------------------- sections


def _align_sections(old: Sequence[Section], new: Sequence[Section]
                    ) -> list[tuple[Section | None, Section | None]]:
    used: set[int] = set()

    def take(section: Section) -> Section | None:
        candidates = [i for i, s in enumerate(old) if i not in used and s.kind == section.kind]
        if section.kind == "extra":
            # Sections the template does not name are matched by title first.
            titled = [i for i in candidates if _key(old[i].title) == _key(section.title)]
            candidates = titled or candidates
        if not candidates:
            return None
        used.add(candidates[0])
        return old[candidates[0]]

    pairs: list[tuple[Section | None, Section | None]] = [(take(s), s) for s in new]
    pairs.extend((s, None) for i, s in enumerate(old) if i not in used)
    return sorted(pairs, key=lambda p: _KIND_ORDER.index(_either(p).kind))


def _either(pair: tuple[Section | None, Section | None]) -> Section:
    s = pair[1] or pair[0]
    assert s is not None
    return s


def _key(title: str) -> str:
    return _normalise(title)[0]


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def _table_repetition(old: Mapping[str, Number | None], new: Mapping[str, Number | None],
                      keys: Iterable[str]) -> float | None:
    both = [k for k in keys if old.get(k) is not None and new.get(k) is not None]
    if not both:
        return None
    return sum(1 for k in both if old[k] == new[k]) / len(both)


def _section(pair: tuple[Section | None, Section | None], paras: Mapping[int, list[_Para]],
             old_values: Mapping[str, Number | None],
             new_values: Mapping[str, Number | None]) -> SectionComparison:
    old, new = pair
    old_paras = paras[id(old)] if old else []
    new_paras = paras[id(new)] if new else []
    text_rep = _share([s for p in new_paras for s in p.shingles],
                      {s for p in old_paras for s in p.shingles})
    kind = _either(pair).kind
    table = TABLE_OF_SECTION.get(kind)
    table_rep = None
    if table is not None and old is not None and new is not None:
        keys = [k for k in new_values if table_of(k) == table]
        table_rep = _table_repetition(old_values, new_values, keys)
    measure: Literal["text", "table"] | None
    if text_rep is not None:
        rep, measure = text_rep, "text"
    elif table_rep is not None:
        rep, measure = table_rep, "table"
    else:
        rep, measure = None, None
    title = _KIND_TITLES.get(kind) or _either(pair).title
    return SectionComparison(
        kind=kind, title=title, old_title=old.title if old else None,
        new_title=new.title if new else None, repetition=_round(rep), measure=measure,
        text_repetition=_round(text_rep), table_repetition=_round(table_rep),
        paragraphs=_compare_paragraphs(old_paras, new_paras))


# --------------------------------------------------------------------------- values


def _values(report: Report) -> dict[str, Number | None]:
    values: dict[str, Number | None] = dict(flatten(report))
    if report.statistics is not None:
        values.update({k: v.value for k, v in _statistics_cells(report.statistics).items()})
    return values


def _labels(*reports: Report) -> dict[str, str]:
    out: dict[str, str] = {}
    for r in reports:
        if r.statistics is not None:
            out.update(statistics_labels(r.statistics))
    return out


def _difference(old: Number | None, new: Number | None) -> Number | None:
    if old is None or new is None:
        return None
    return new - old


def _changes(old: Mapping[str, Number | None], new: Mapping[str, Number | None],
             labels: Mapping[str, str]) -> tuple[Change, ...]:
    keys = list(dict.fromkeys((*new, *old)))
    return tuple(Change(k, key_label(k, dict(labels)), table_of(k), old.get(k), new.get(k),
                        _difference(old.get(k), new.get(k))) for k in keys)


# --------------------------------------------------------------------------- checks


def _cells(report: Report) -> dict[str, Value]:
    return {k: v for t in report.tables for k, v in iter_values(cast(attrs.AttrsInstance, t))}


def _show(v: Number | None) -> str:
    return "—" if v is None else str(v)


def _formula(rel: Relation, values: Mapping[str, Number | None],
             label: Mapping[str, str]) -> str:
    """``left[0] = right… − left[1:]`` in words, then in figures."""
    lhs = rel.left[0]
    terms = [("+", k) for k in rel.right] + [("−", k) for k in rel.left[1:]]
    words = " ".join(f"{op} {label[k]}" for op, k in terms)[2:]
    figures = " ".join(f"{op} {_show(values.get(k))}" for op, k in terms)[2:]
    total: Number | None = 0
    for op, k in terms:
        v = values.get(k)
        if v is None or total is None:
            total = None
            continue
        total = total + v if op == "+" else total - v
    said = values.get(lhs)
    if total is not None and said is not None and total != said:
        result = f"{total} ≠ {said}"
    else:
        result = _show(said)
    return f"{label[lhs]} = {words}：{figures} = {result}"


def _cross_checks(old: Report, new: Report) -> tuple[CrossCheck, ...]:
    consecutive = (old.year is not None and new.year is not None and new.year == old.year + 1)
    values: dict[str, Number | None] = {PREVIOUS + k: v.value for k, v in _cells(old).items()}
    values.update({k: v.value for k, v in _cells(new).items()})
    out: list[CrossCheck] = []
    for table in new.tables:
        form = registry.form(table.form)
        for rel in form.series_relations if form is not None else ():
            label = {k: _year_label(k, old.year, new.year) for k in rel.keys}
            figures = tuple(
                Figure(k.removeprefix(PREVIOUS), old.year if k.startswith(PREVIOUS) else new.year,
                       key_label(k.removeprefix(PREVIOUS)), values.get(k)) for k in rel.keys)
            ok = evaluate(rel, values) if consecutive else None
            formula = _formula(rel, values, label)
            if not consecutive:
                zh = (f"{rel.zh}；无法核对：两份报告不是相邻年度"
                      f"（{_show(old.year)} 与 {_show(new.year)}）")
                en = (f"{rel.en}; not checkable: the reports are not of consecutive years "
                      f"({_show(old.year)} and {_show(new.year)})")
            elif ok is None:
                missing = [label[k] for k in rel.keys if values.get(k) is None]
                zh = f"{rel.zh}；无法核对：{'、'.join(missing)} 无数值"
                en = f"{rel.en}; not checkable: no value for {', '.join(missing)}"
            elif ok:
                zh, en = f"{rel.zh}；相符", f"{rel.en}; holds"
            else:
                zh, en = f"{rel.zh}；不符", f"{rel.en}; broken"
            out.append(CrossCheck(rel.code, rel.severity, ok, formula, figures, zh, en))
    return tuple(out)


def _year_label(key: str, old_year: int | None, new_year: int | None) -> str:
    previous = key.startswith(PREVIOUS)
    year = old_year if previous else new_year
    when = f"{year}年" if year is not None else ("上一年" if previous else "本年")
    return f"{when} {key_label(key.removeprefix(PREVIOUS))}"


def year_findings(report: Report) -> YearFindings:
    """The report's failed findings (:func:`govreport.check`) grouped by table, each table named."""
    findings = check(report)
    groups: dict[str, list[Finding]] = {}
    for f in findings:
        if f.status == "failed":
            groups.setdefault(table_of(f.keys[0]) if f.keys else "report", []).append(f)
    tables = tuple(TableFindings(t, TABLES[t], tuple(groups[t])) for t in TABLES if t in groups)
    return YearFindings(report.year, report.source, tables,
                        sum(1 for f in findings if f.status == "not_checkable"))


# --------------------------------------------------------------------------- compare


def _side(report: Report) -> Side:
    return Side(report.source, report.agency, report.year, report.template)


def _all_text(report: Report, paras: Mapping[int, list[_Para]]) -> list[_Para]:
    return [p for s in report.sections for p in paras[id(s)]]


def _size(change: Change) -> Number:
    d = change.difference
    if d is None:
        return 0
    return -d if d < 0 else d


def compare(old: Report, new: Report) -> Comparison:
    """Compare one agency's report of a year (``old``) with a later one (``new``).

    Deterministic and offline: everything comes from the two parsed
    reports. The caller decides the reports are one agency's; the
    cross-year checks need consecutive years and are not checkable otherwise.
    """
    old_values, new_values = _values(old), _values(new)
    # Each section is cut into paragraphs once (keyed by identity: two equal
    # sections of the two years are still two).
    paras = {id(s): _paragraphs(s) for r in (old, new) for s in r.sections}
    sections = tuple(_section(pair, paras, old_values, new_values)
                     for pair in _align_sections(old.sections, new.sections))
    changes = _changes(old_values, new_values, _labels(old, new))
    checks = _cross_checks(old, new)
    old_set = {s for p in _all_text(old, paras) for s in p.shingles}
    overall = _share([s for p in _all_text(new, paras) for s in p.shingles], old_set)
    measured = sorted((s for s in sections if s.text_repetition is not None),
                      key=lambda s: (s.text_repetition, _KIND_ORDER.index(s.kind)))
    with_difference = [c for c in changes if c.difference is not None and c.difference != 0]
    with_difference.sort(key=_size, reverse=True)
    summary = Summary(
        repetition=_round(overall),
        table_repetition=_round(_table_repetition(old_values, new_values, new_values)),
        most_changed=tuple(s.kind for s in measured[:_MOST_CHANGED]),
        largest_changes=tuple(with_difference[:_LARGEST]),
        changed_values=sum(1 for c in changes if c.changed),
        compared_values=sum(1 for c in changes if c.old is not None and c.new is not None),
        checks_failed=sum(1 for c in checks if c.ok is False),
        checks_passed=sum(1 for c in checks if c.ok is True))
    return Comparison(_side(old), _side(new), sections, changes, checks,
                      (year_findings(old), year_findings(new)), summary)


def comparison_to_dict(comparison: Comparison) -> dict[str, Any]:
    """The comparison as plain data: top-level ``sections``, ``changes``, ``checks``, ``summary``.

    Also ``old`` and ``new`` (the two reports) and ``findings`` (each year's
    own, grouped by table). Decimals are strings, as in the report's JSON.
    """
    out: dict[str, Any] = converter.unstructure(comparison)
    return out


def comparison_to_json(comparison: Comparison, *, indent: int | None = None) -> str:
    """The comparison as JSON text (see :func:`comparison_to_dict`)."""
    import json

    return json.dumps(comparison_to_dict(comparison), ensure_ascii=False, indent=indent)
