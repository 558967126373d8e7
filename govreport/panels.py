"""The panel (:func:`govreport.panel`): every report's values under canonical indicators.

One row per agency, year, indicator and applicant column, with columns
:data:`COLUMNS`: ``agency_key, agency, year, indicator, applicant, value,
unit, source, file, template, line``. The indicators and what feeds them in
each era are :mod:`govreport.indicators`; agency keys :mod:`govreport.agency`.

* :func:`panel` builds it from parsed reports (or :class:`~govreport.corpus.Result`);
* :func:`run` is ``govreport panel``: it parses files in parallel, as
  ``govreport corpus`` does, and writes CSV, JSONL or Parquet.

The same agency and year from several files (a report as HTML and as .docx)
give one set of rows: those of the file that states the most values (the first
in input order among equals); the others are listed with ``duplicate_of``, and
a value they state differently is a finding (``N2``). See docs/panel.md.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import importlib
import io
import json
import os
import pickle
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import IO, Any, NamedTuple

import attrs

from govreport.agency import agency_key, read_aliases
from govreport.corpus import DEFAULT_TIMEOUT
from govreport.errors import InputError
from govreport.indicators import Number, report_values
from govreport.limits import Limits
from govreport.model import Report
from govreport.records import Format, Result, format_for
from govreport.validate import Finding, Severity

__all__ = [
    "CODES",
    "COLUMNS",
    "FILE_COLUMNS",
    "Panel",
    "PanelFile",
    "PanelRow",
    "PanelSummary",
    "format_for",
    "panel",
    "read_aliases",
    "report_rows",
    "run",
    "write_files",
    "write_findings",
]


class PanelRow(NamedTuple):
    """One value: an agency's indicator in a year, for one applicant column.

    ``applicant`` is a Table B column (``natural_person`` … ``other_org``,
    ``total`` for 总计) or ``""`` for an indicator without applicant columns;
    ``value`` is ``None`` where the report has the cell but no value for it;
    ``source`` is ``table``, ``statistics`` or ``prose``; ``line`` the line of
    the value (or of its row or sentence) in ``file``.
    """

    agency_key: str | None
    agency: str | None
    year: int | None
    indicator: str
    applicant: str
    value: int | Decimal | None
    unit: str
    source: str
    file: str | None
    template: str
    line: int | None


COLUMNS: tuple[str, ...] = PanelRow._fields
"""The panel's columns, in order."""

FILE_COLUMNS: tuple[str, ...] = ("file", "status", "agency", "agency_key", "year", "template",
                                 "values", "duplicate_of", "error")
"""The columns of the file listing (``--files``)."""

CODES: dict[str, tuple[Severity, str]] = {
    "N1": ("warning", "two sources of one report (table, statistics, prose) state different "
                      "values for one indicator; the first in that order is used"),
    "N2": ("warning", "two files of one agency and year (HTML and .docx …) state different "
                      "values; the rows are those of the file kept"),
    "N3": ("info", "the prose states several values for one indicator; it is left absent"),
}
"""The panel's finding codes: severity and meaning."""


@attrs.frozen
class PanelFile:
    """What became of one input in the panel.

    ``values`` counts the values it states (not ``None``); ``duplicate_of``
    names the file whose rows stand for the same agency and year, when this
    file's rows were left out for them.
    """

    file: str | None
    status: str
    agency: str | None = None
    agency_key: str | None = None
    year: int | None = None
    template: str | None = None
    values: int = 0
    duplicate_of: str | None = None
    error: str | None = None


@attrs.frozen
class Panel:
    """The panel of some reports: its rows, what became of each file, and the findings."""

    rows: tuple[PanelRow, ...]
    files: tuple[PanelFile, ...]
    findings: tuple[Finding, ...]

    def to_pandas(self) -> Any:
        """The rows as a pandas DataFrame with nullable dtypes.

        ``year`` and ``line`` are ``Int64``, ``value`` ``Float64`` (counts and
        amounts; missing is ``<NA>``, never 0), the text columns ``string``.
        Needs pandas.
        """
        pd = importlib.import_module("pandas")
        frame = pd.DataFrame.from_records([_plain_row(r) for r in self.rows],
                                          columns=list(COLUMNS))
        return frame.astype(_PANDAS_DTYPES)


_PANDAS_DTYPES = {"agency_key": "string", "agency": "string", "year": "Int64",
                  "indicator": "string", "applicant": "string", "value": "Float64",
                  "unit": "string", "source": "string", "file": "string",
                  "template": "string", "line": "Int64"}


# --------------------------------------------------------------------------- one report


def _finding(code: str, keys: tuple[str, ...], expected: Number | None, actual: Number | None,
             zh: str, en: str, line: int | None, file: str | None) -> Finding:
    return Finding(code=code, severity=CODES[code][0], status="failed", keys=keys,
                   expected=expected, actual=actual, message_zh=zh, message_en=en,
                   line=line, file=file)


def report_rows(report: Report, file: str | None = None,
                aliases: Mapping[str, str] | None = None) -> tuple[list[PanelRow], list[Finding]]:
    """One report's panel rows, and its findings (``N1``, ``N3``).

    ``file`` defaults to ``report.source``.
    """
    name = file if file is not None else report.source
    agency = _one_line(report.agency)
    key = agency_key(agency, aliases)
    values, disagreements, ambiguous = report_values(report)
    head = (key, agency, report.year)
    where = (_one_line(name), report.template)
    new = tuple.__new__
    rows = [new(PanelRow, (*head, *v[:5], *where, v[5])) for v in values]
    findings = [
        _finding("N1", (d.indicator,), d.used, d.other,
                 f"{d.indicator}：{_ZH[d.used_source]}为{d.used}，{_ZH[d.other_source]}为{d.other}",
                 f"{d.indicator}: the {d.used_source} says {d.used} (used), the "
                 f"{d.other_source} says {d.other} (line {d.other_line})",
                 d.used_line, name)
        for d in disagreements]
    findings += [
        _finding("N3", (indicator,), None, None,
                 f"{indicator}：正文给出多个数值（{'、'.join(map(str, found))}），不取",
                 f"{indicator}: the prose states {len(found)} values "
                 f"({', '.join(map(str, found))}); left absent", None, name)
        for indicator, found in ambiguous]
    return rows, findings


_ZH = {"table": "表格", "statistics": "统计表", "prose": "正文"}


def _one_line(text: str | None) -> str | None:
    return text if text is None else text.replace("\r", " ").replace("\n", " ")


def _stated(rows: Iterable[PanelRow]) -> int:
    return sum(1 for r in rows if r.value is not None)


# --------------------------------------------------------------------------- duplicates


class _Entry(NamedTuple):
    file: PanelFile
    findings: list[Finding]
    handle: Any  # the rows (in memory) or where they are in the spool


def _choose(entries: Sequence[_Entry]) -> dict[int, int]:
    """For each duplicate entry, the index of the entry kept for its agency and year."""
    groups: dict[tuple[str, int], list[int]] = {}
    for i, e in enumerate(entries):
        if e.file.status == "ok" and e.file.agency_key is not None and e.file.year is not None:
            groups.setdefault((e.file.agency_key, e.file.year), []).append(i)
    out: dict[int, int] = {}
    for members in groups.values():
        if len(members) > 1:
            kept = max(members, key=lambda i: (entries[i].file.values, -i))
            out.update((i, kept) for i in members if i != kept)
    return out


def _compare(kept: PanelFile, kept_rows: Iterable[PanelRow], other: PanelFile,
             other_rows: Iterable[PanelRow]) -> list[Finding]:
    mine = {(r.indicator, r.applicant): r for r in kept_rows if r.value is not None}
    out: list[Finding] = []
    for r in other_rows:
        k = mine.get((r.indicator, r.applicant))
        if k is None or r.value is None or Decimal(k.value) == Decimal(r.value):  # type: ignore[arg-type]
            continue
        column = f" [{r.applicant}]" if r.applicant else ""
        out.append(_finding(
            "N2", (r.indicator,), k.value, r.value,
            f"{r.indicator}{column}：{kept.file}为{k.value}，{other.file}为{r.value}",
            f"{r.indicator}{column}: {kept.file} says {k.value} (kept), {other.file} says "
            f"{r.value} (line {r.line})", k.line, kept.file))
    return out


def _resolve(entries: list[_Entry], load: Callable[[Any], list[PanelRow]]) -> list[_Entry]:
    """Mark duplicates (``duplicate_of``) and add the findings of files that disagree."""
    chosen = _choose(entries)
    out = list(entries)
    # _choose lists the duplicates group by group: the rows of one kept file at a time.
    last: tuple[int, list[PanelRow]] | None = None
    for i, kept in chosen.items():
        entry, keeper = entries[i], entries[kept]
        out[i] = entry._replace(file=attrs.evolve(entry.file, duplicate_of=keeper.file.file))
        if last is None or last[0] != kept:
            last = kept, load(keeper.handle)
        keeper.findings.extend(_compare(keeper.file, last[1], entry.file, load(entry.handle)))
    return out


def _meta(result: Result, rows: list[PanelRow] | None,
          aliases: Mapping[str, str] | None) -> PanelFile:
    r = result.report
    if r is None:
        return PanelFile(result.path, result.status, error=result.error)
    return PanelFile(result.path, result.status, r.agency, agency_key(r.agency, aliases), r.year,
                     r.template, _stated(rows or ()))


def panel(reports: Iterable[Report | Result], *, aliases: Mapping[str, str] | None = None) -> Panel:
    """The panel of ``reports``: parsed reports, or results of :func:`govreport.parse_many`.

    A report's file is its ``source``. ``aliases`` are agency aliases
    (:func:`govreport.agency.read_aliases`). Duplicates (the same agency key
    and year from several files) give the rows of one file only.

    >>> import govreport
    >>> p = govreport.panel([govreport.parse("…")])   # doctest: +SKIP
    >>> p.to_pandas().query("indicator == 'applications.received' and applicant == 'total'")
    ... # doctest: +SKIP
    """
    entries: list[_Entry] = []
    for item in reports:
        result = item if isinstance(item, Result) else Result(item.source or "", item)
        if result.report is None:
            entries.append(_Entry(_meta(result, None, aliases), [], []))
            continue
        rows, findings = report_rows(result.report, result.path or result.report.source, aliases)
        entries.append(_Entry(_meta(result, rows, aliases), findings, rows))
    entries = _resolve(entries, lambda rows: rows)
    return Panel(
        tuple(r for e in entries if e.file.duplicate_of is None for r in e.handle),
        tuple(e.file for e in entries),
        tuple(f for e in entries for f in e.findings))


# --------------------------------------------------------------------------- encoding


def _plain(value: int | Decimal | None) -> int | float | None:
    return float(value) if isinstance(value, Decimal) else value


def _plain_row(row: PanelRow) -> tuple[Any, ...]:
    """The row with an amount as a float: what JSON, Parquet and pandas hold."""
    return (*row[:5], _plain(row.value), *row[6:])


def _text(value: object) -> str:
    return "" if value is None else str(value).replace("\r", " ").replace("\n", " ")


def _encode(rows: list[PanelRow], fmt: Format) -> bytes:
    if fmt == "csv":
        return _csv(rows).encode("utf-8")
    if fmt == "jsonl":
        return "".join(json.dumps(dict(zip(COLUMNS, _plain_row(r), strict=True)),
                                  ensure_ascii=False) + "\n" for r in rows).encode("utf-8")
    return pickle.dumps([_plain_row(r) for r in rows], protocol=pickle.HIGHEST_PROTOCOL)


def _quoted(values: Iterable[object]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(values)
    return buffer.getvalue()


def _csv(rows: list[PanelRow]) -> str:
    """One report's rows as CSV lines.

    The rows of a report share its agency, year, file and template, which are
    quoted once; the indicator, applicant, unit and source are names without a
    comma or quote, and values and lines are numbers. Writing the rest directly
    is a fifth of what the csv module takes for the whole row.
    """
    if not rows:
        return ""
    first = rows[0]
    head = _quoted(first[:3])
    tail = _quoted(first[8:10])
    return "".join([f"{head},{r[3]},{r[4]},{'' if r[5] is None else r[5]},{r[6]},{r[7]},"
                    f"{tail},{'' if r[10] is None else r[10]}\n" for r in rows])


def _number(text: str) -> int | Decimal | None:
    if text == "":
        return None
    d = Decimal(text)
    return int(d) if d == d.to_integral_value() and "." not in text else d


def _decode(payload: bytes, fmt: Format) -> list[PanelRow]:
    if fmt == "csv":
        out = []
        for cells in csv.reader(io.StringIO(payload.decode("utf-8"))):
            year, line = cells[2], cells[10]
            out.append(PanelRow(cells[0] or None, cells[1] or None,
                                int(year) if year else None, cells[3], cells[4],
                                _number(cells[5]), cells[6], cells[7], cells[8] or None,
                                cells[9], int(line) if line else None))
        return out
    if fmt == "jsonl":
        return [PanelRow(**json.loads(line)) for line in payload.decode("utf-8").splitlines()]
    return [PanelRow(*r) for r in pickle.loads(payload)]  # our own spool


@attrs.frozen
class _Done:
    file: PanelFile
    findings: list[Finding]
    payload: bytes
    rows: int = 0


def _panel_one(path: str, layout: str | None, limits: Limits | None,
               aliases: Mapping[str, str] | None, fmt: Format) -> _Done:
    from govreport.corpus import _parse_one  # the corpus run's own parse: same statuses

    result = _parse_one(path, layout, limits)
    if result.report is None:
        return _Done(_meta(result, None, aliases), [], b"")
    rows, findings = report_rows(result.report, path, aliases)
    return _Done(_meta(result, rows, aliases), findings, _encode(rows, fmt), len(rows))


def _panel_failed(path: str, status: str, message: str) -> _Done:
    return _Done(PanelFile(path, status, error=message), [], b"")


# --------------------------------------------------------------------------- writers


def _pyarrow() -> tuple[Any, Any]:
    from govreport.records import _pyarrow as load

    return load()


def _schema(pa: Any) -> Any:
    return pa.schema([
        pa.field("agency_key", pa.string()), pa.field("agency", pa.string()),
        pa.field("year", pa.int32()), pa.field("indicator", pa.string()),
        pa.field("applicant", pa.string()), pa.field("value", pa.float64()),
        pa.field("unit", pa.string()), pa.field("source", pa.string()),
        pa.field("file", pa.string()), pa.field("template", pa.string()),
        pa.field("line", pa.int32())])


class _Sink:
    """Writes encoded rows to OUT (a file, or stdout for CSV and JSONL)."""

    _BATCH = 65536

    def __init__(self, output: str | None, fmt: Format) -> None:
        self.fmt = fmt
        self.output = output
        self.rows: list[PanelRow] = []
        if fmt == "parquet":
            if output in (None, "-"):
                raise InputError("Parquet is written to a file: give -o OUT")
            assert output is not None
            self.pa, pq = _pyarrow()
            self.schema = _schema(self.pa)
            self.partial = output + ".partial"
            self.writer = pq.ParquetWriter(self.partial, self.schema)
            return
        if output in (None, "-"):
            self.stream: IO[bytes] = os.fdopen(os.dup(1), "wb")
        else:
            assert output is not None
            try:
                self.stream = open(output, "wb")  # noqa: SIM115
            except OSError as e:
                raise InputError(f"cannot write: {e.strerror or e}", file=output) from None
        if fmt == "csv":
            self.stream.write((",".join(COLUMNS) + "\n").encode("utf-8"))

    def write(self, payload: bytes) -> None:
        if self.fmt != "parquet":
            self.stream.write(payload)
            return
        self.rows.extend(pickle.loads(payload))  # our own spool
        if len(self.rows) >= self._BATCH:
            self._flush()

    def _flush(self) -> None:
        if self.rows:
            columns = list(zip(*self.rows, strict=True))
            self.writer.write_table(self.pa.Table.from_arrays(
                [self.pa.array(c, type=f.type) for c, f in zip(columns, self.schema, strict=True)],
                schema=self.schema))
            self.rows = []

    def close(self) -> None:
        if self.fmt == "parquet":
            self._flush()
            self.writer.close()
            assert self.output is not None
            os.replace(self.partial, self.output)
        else:
            self.stream.close()


def write_files(files: Iterable[PanelFile], path: str) -> None:
    """Write the file listing as CSV (:data:`FILE_COLUMNS`)."""
    try:
        with open(path, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(FILE_COLUMNS)
            w.writerows([_text(getattr(pf, c)) for c in FILE_COLUMNS] for pf in files)
    except OSError as e:
        raise InputError(f"cannot write: {e.strerror or e}", file=path) from None


def write_findings(findings: Iterable[Finding], path: str) -> None:
    """Write findings as JSONL, one per line (as ``govreport check --format json`` has them)."""
    from govreport.serialize import findings_to_dicts

    try:
        with open(path, "w", encoding="utf-8") as f:
            for d in findings_to_dicts(findings):
                f.write(json.dumps(d, ensure_ascii=False) + "\n")
    except OSError as e:
        raise InputError(f"cannot write: {e.strerror or e}", file=path) from None


# --------------------------------------------------------------------------- run


@attrs.frozen
class PanelSummary:
    """What :func:`run` did: the files (with ``duplicate_of``), the findings, counts and time."""

    output: str
    format: Format
    files: tuple[PanelFile, ...]
    findings: tuple[Finding, ...]
    rows: int
    seconds: float
    workers: int

    @property
    def counts(self) -> dict[str, int]:
        """Files by status."""
        return dict(Counter(f.status for f in self.files))

    @property
    def duplicates(self) -> tuple[PanelFile, ...]:
        """The files left out as duplicates of another."""
        return tuple(f for f in self.files if f.duplicate_of is not None)

    def line(self) -> str:
        """One line for people."""
        counts = self.counts
        failed = len(self.files) - counts.get("ok", 0)
        return (f"{counts.get('ok', 0)} ok, {failed} failed, {len(self.duplicates)} duplicates; "
                f"{self.rows} rows, {len(self.findings)} findings; {self.seconds:.1f} s; "
                f"wrote {self.output}")


def run(inputs: Iterable[str | os.PathLike[str]], output: str | None = None, *,
        fmt: Format | None = None, workers: int | None = None, layout: str | None = None,
        limits: Limits | None = None, aliases: Mapping[str, str] | None = None,
        batch_size: int | None = None, timeout: float | None = DEFAULT_TIMEOUT,
        on_failure: Callable[[str, str, str], None] | None = None,
        on_nothing: Callable[[str], None] | None = None) -> PanelSummary:
    """Parse every report under ``inputs`` and write the panel to ``output``.

    This is ``govreport panel``. Workers parse the files and encode their rows
    (as ``govreport corpus`` does); the rows wait in a temporary file until
    every file is read, since a later file may be a duplicate that states more,
    then the rows of each file kept are written in input order. A file still
    parsing after ``timeout`` seconds is recorded as failed, as in ``corpus``.

    Raises:
        InputError: OUT cannot be written.
        MissingExtra: Parquet without ``govreport[parquet]``.

    """
    from govreport.corpus import iter_files
    from govreport.pool import default_workers, ordered, plan

    fmt = fmt or format_for(output)
    files = list(iter_files(inputs, on_nothing=on_nothing))
    count = default_workers() if workers is None else workers
    if count < 0:
        raise ValueError("workers must be 0 or more")
    count, size, window = plan(len(files), count, batch_size, None)
    start = time.perf_counter()
    sink = _Sink(output, fmt)  # first: a bad OUT is said before the parsing
    job = functools.partial(_panel_one, layout=layout, limits=limits, aliases=aliases, fmt=fmt)
    entries: list[_Entry] = []
    rows = 0
    with tempfile.TemporaryFile() as spool, contextlib.ExitStack() as stack:
        stack.callback(sink.close)
        done = ordered(files, job, _panel_failed, workers=count, batch_size=size, window=window,
                       timeout=timeout)
        stack.callback(done.close)
        for d in done:
            offset = spool.tell()
            spool.write(d.payload)
            entries.append(_Entry(d.file, list(d.findings), (offset, len(d.payload), d.rows)))
            if d.file.status != "ok" and on_failure is not None:
                on_failure(d.file.file or "", d.file.status, d.file.error or "")

        def load(handle: tuple[int, int, int]) -> list[PanelRow]:
            spool.seek(handle[0])
            return _decode(spool.read(handle[1]), fmt) if handle[1] else []

        entries = _resolve(entries, load)
        for e in entries:
            if e.file.duplicate_of is None and e.handle[1]:
                spool.seek(e.handle[0])
                sink.write(spool.read(e.handle[1]))
                rows += e.handle[2]
    return PanelSummary(output if output not in (None, "-") else "<stdout>", fmt,
                        tuple(e.file for e in entries),
                        tuple(f for e in entries for f in e.findings), rows,
                        time.perf_counter() - start, count)


