"""A corpus seen from above: who published which year, what is wrong, how figures move.

:func:`overview` takes the outcome of parsing many files (the
:class:`~govreport.records.Result` objects of :func:`govreport.parse_many`)
and gives an :class:`Overview`: the agencies, each with its reports by year,
the years without a report, the files that could not be read (kept apart,
out of every summary), each report's failed findings grouped by table, the
main indicators per year, and a comparison of every two consecutive years.

Agencies are grouped by :func:`agency_key`: the key of
:func:`govreport.agency.agency_key`, the one the panel uses (docs/panel.md).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Union

from attrs import frozen

from govreport.agency import agency_key as _agency_key
from govreport.comparison import Comparison, YearFindings, compare, year_findings
from govreport.indicators import report_values
from govreport.model import Report
from govreport.records import Result

__all__ = [
    "INDICATORS",
    "Agency",
    "Entry",
    "Indicator",
    "Overview",
    "Pair",
    "agency_key",
    "overview",
]

Number = Union[int, Decimal]

_YEAR_IN_NAME = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")

UNKNOWN_AGENCY = "（报告未写明机关）"
UNREADABLE = "（无法读取的文件）"


def agency_key(name: str | None) -> str:
    """The key the reports of one agency share (:func:`govreport.agency.agency_key`).

    ``"平潭综合实验区管委会"`` → ``"平潭综合实验区"``; a report that names no
    agency is grouped under ``UNKNOWN_AGENCY``.
    """
    return _agency_key(name) or UNKNOWN_AGENCY


@frozen
class Indicator:
    """A main indicator charted per agency: its chart title and its canonical indicator.

    The value is the panel's (:func:`govreport.indicators.report_values`): the
    template table's total, else the 2014 statistics table's row, else a
    figure the prose states, so a chart spans every era as the panel does.
    """

    name: str
    indicator: str

    def read(self, report: Report) -> Number | None:
        """The indicator's total in ``report``; ``None`` where no source states it."""
        values, _, _ = report_values(report)
        return next((v.value for v in values
                     if v.indicator == self.indicator and v.applicant in ("", "total")), None)


INDICATORS: tuple[Indicator, ...] = (
    Indicator("收到申请数", "applications.received"),
    Indicator("予以公开数", "applications.granted"),
    Indicator("行政复议数", "review.total"),
    Indicator("行政诉讼数", "litigation.total"),
)
"""The indicators the overview charts: applications, granted, reviews, lawsuits."""


@frozen
class Entry:
    """One input file: its outcome and, when parsed, its report and findings by table.

    ``year`` of a file that could not be read is guessed from its name, so
    that the coverage matrix can show it; ``None`` when the name has none.
    """

    path: str
    status: str
    error: str | None
    report: Report | None
    agency: str
    year: int | None
    findings: YearFindings | None

    @property
    def ok(self) -> bool:
        """Whether the file was parsed."""
        return self.report is not None


@frozen
class Pair:
    """Two consecutive years of one agency, compared."""

    old: int
    new: int
    comparison: Comparison


@frozen
class Agency:
    """An agency: its key, the spellings its reports use, its entries by year and pairs."""

    key: str
    names: tuple[str, ...]
    entries: tuple[Entry, ...]
    pairs: tuple[Pair, ...]

    def years(self) -> dict[int, list[Entry]]:
        """The entries of each year."""
        out: dict[int, list[Entry]] = {}
        for e in self.entries:
            if e.year is not None:
                out.setdefault(e.year, []).append(e)
        return out

    def series(self, indicator: Indicator) -> list[tuple[int, Number | None]]:
        """The indicator's value each year (the first readable report of a year)."""
        out = []
        for year, entries in sorted(self.years().items()):
            report = next((e.report for e in entries if e.report is not None), None)
            out.append((year, None if report is None else indicator.read(report)))
        return out


@frozen
class Overview:
    """The corpus: agencies (rows of the coverage matrix), the years spanned, the failures.

    ``failed`` are the files that could not be read; ``undated`` the
    reports that state no year. Neither enters the agencies' summaries.
    """

    agencies: tuple[Agency, ...]
    years: tuple[int, ...]
    failed: tuple[Entry, ...]
    undated: tuple[Entry, ...]


def _entry(result: Result) -> Entry:
    r = result.report
    if r is None:
        m = _YEAR_IN_NAME.search(os.path.basename(result.path))
        return Entry(result.path, result.status, result.error, None, UNREADABLE,
                     int(m.group(1)) if m else None, None)
    return Entry(result.path, result.status, None, r, agency_key(r.agency), r.year,
                 year_findings(r))


def _pairs(entries: Sequence[Entry]) -> tuple[Pair, ...]:
    by_year: dict[int, Report] = {}
    for e in entries:
        if e.report is not None and e.year is not None:
            by_year.setdefault(e.year, e.report)
    return tuple(Pair(y - 1, y, compare(by_year[y - 1], by_year[y]))
                 for y in sorted(by_year) if y - 1 in by_year)


def overview(results: Iterable[Result], *, comparisons: bool = True) -> Overview:
    """The overview of parsed files (see the module docstring).

    With ``comparisons`` every agency's consecutive years are compared.
    """
    entries = [_entry(r) for r in results]
    failed = tuple(e for e in entries if not e.ok)
    undated = tuple(e for e in entries if e.ok and e.year is None)
    groups: dict[str, list[Entry]] = {}
    for e in entries:
        if e.year is not None:
            groups.setdefault(e.agency, []).append(e)
    agencies = []
    for key, group in groups.items():
        names = tuple(dict.fromkeys(e.report.agency for e in group
                                    if e.report is not None and e.report.agency))
        group.sort(key=lambda e: (e.year or 0, e.path))
        readable = key not in (UNREADABLE, UNKNOWN_AGENCY)
        agencies.append(Agency(key, names, tuple(group),
                               _pairs(group) if comparisons and readable else ()))
    # Agencies with most reports first; unreadable files last.
    agencies.sort(key=lambda a: (a.key == UNREADABLE, a.key == UNKNOWN_AGENCY,
                                 -len(a.entries), a.key))
    years = sorted({e.year for e in entries if e.year is not None})
    span = tuple(range(years[0], years[-1] + 1)) if years else ()
    return Overview(tuple(agencies), span, failed, undated)
