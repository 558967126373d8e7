"""What becomes of a file in a corpus run, and its record in JSONL, CSV or Parquet.

:class:`Result` is one file's outcome; :func:`record` (JSONL) and
:func:`flat_record` (one flat row: Parquet, Dask) turn it into data; the
writers stream encoded records to the output; :func:`done_files` reads an
output back for ``--resume``. The formats are described in ``docs/corpus.md``.
"""

from __future__ import annotations

import csv
import importlib
import io
import json
import os
import sys
from decimal import Decimal
from typing import IO, Any, Literal

import attrs

from govreport.errors import InputError, MissingExtra
from govreport.model import Report
from govreport.serialize import FIELDS, flatten

__all__ = [
    "COLUMNS",
    "DECIMAL_KEYS",
    "FORMATS",
    "KEYS",
    "META",
    "STATUSES",
    "Encoded",
    "Format",
    "Result",
    "Status",
    "done_files",
    "encode",
    "flat_record",
    "format_for",
    "open_writer",
    "parquet_schema",
    "record",
]

Status = Literal["ok", "error", "crash", "died"]
"""What became of a file: ``ok`` parsed (maybe with diagnostics); ``error`` the
input could not be read or parsed (a :class:`~govreport.errors.GovReportError`);
``crash`` an unexpected exception (a bug in govreport); ``died`` the worker
process died while parsing it."""

STATUSES: tuple[Status, ...] = ("ok", "error", "crash", "died")
Format = Literal["jsonl", "csv", "parquet"]
FORMATS: tuple[Format, ...] = ("jsonl", "csv", "parquet")

KEYS: tuple[str, ...] = tuple(dict.fromkeys((*FIELDS["2021"], *FIELDS["2019"])))
"""The flat keys of both templates, 2021 first, each once: the value columns of flat records."""

META: tuple[str, ...] = ("file", "status", "diagnostics", "error", "agency", "year",
                         "template", "layout")
"""The columns of a flat record before the value columns."""

COLUMNS: tuple[str, ...] = (*META, *KEYS)
"""Every column of a flat record (Parquet, the Dask dataframe), in order."""

DECIMAL_KEYS = frozenset(k for k in KEYS if k.rsplit(".", 1)[1].startswith("amount"))
"""The keys holding amounts (``Decimal``); every other key holds a count (``int``)."""


@attrs.frozen
class Result:
    """What became of one input file.

    Attributes:
        path: the file, as named by the caller or found by
            :func:`govreport.corpus.iter_files`.
        report: the parsed report; ``None`` unless ``status`` is ``"ok"``.
        error: why there is no report (one line, without the file name), or ``None``.
        status: ``"ok"``, ``"error"``, ``"crash"`` or ``"died"`` (see :data:`Status`).

    """

    path: str
    report: Report | None
    error: str | None = None
    status: Status = "ok"

    @property
    def ok(self) -> bool:
        """Whether the file was parsed."""
        return self.status == "ok"

    @property
    def diagnostics(self) -> int:
        """The number of diagnostics of the report (0 without one)."""
        return len(self.report.diagnostics) if self.report is not None else 0


# --------------------------------------------------------------------------- records


def record(result: Result) -> dict[str, Any]:
    """The JSONL record of a result.

    ``{"file", "status", "diagnostics", "error", "agency", "year", "template",
    "layout", "values"}``; ``values`` is :func:`~govreport.flatten` of the
    report: its flat keys to ``int``, ``Decimal`` or ``None`` (``{}`` without a report).
    """
    r = result.report
    return {
        "file": result.path,
        "status": result.status,
        "diagnostics": result.diagnostics,
        "error": result.error,
        "agency": r.agency if r else None,
        "year": r.year if r else None,
        "template": r.template if r else None,
        "layout": r.layout if r else None,
        "values": flatten(r) if r else {},
    }


def flat_record(result: Result) -> dict[str, Any]:
    """A result as one flat row: the :data:`META` columns, then every key of :data:`KEYS`.

    Keys no table of the report has, and every key without a report, are ``None``.
    """
    row = record(result)
    values = row.pop("values")
    row.update(dict.fromkeys(KEYS))
    row.update(values)
    return row


def _json_default(obj: object) -> str:
    if isinstance(obj, Decimal):
        return str(obj)
    raise TypeError(type(obj).__name__)


def _one_line(text: str) -> str:
    return text.replace("\r", " ").replace("\n", " ")


def _csv_rows(result: Result) -> list[tuple[str, str, str]]:
    row = record(result)
    name = row["file"]
    out = [(name, k, "" if v is None else _one_line(str(v))) for k, v in row["values"].items()]
    for k in ("agency", "year", "template", "layout", "diagnostics", "error"):
        v = row[k]
        out.append((name, k, "" if v is None else _one_line(str(v))))
    out.append((name, "status", row["status"]))  # last: a file with a status row is complete
    return out


def _tabular(result: Result) -> dict[str, Any]:
    # Parquet row: amounts as float64 (given to a few decimals, they round-trip).
    row = flat_record(result)
    for k in DECIMAL_KEYS:
        v = row[k]
        if v is not None:
            row[k] = float(v)
    return row


@attrs.frozen
class Encoded:
    """One file's outcome as a worker hands it to the writer: its record, encoded."""

    path: str
    status: Status
    error: str | None
    payload: Any  # jsonl: a line; csv: CSV text; parquet: a row dict


def encode(result: Result, fmt: Format) -> Encoded:
    """The record of ``result`` ready to write in format ``fmt``."""
    payload: Any
    if fmt == "jsonl":
        payload = json.dumps(record(result), ensure_ascii=False, default=_json_default) + "\n"
    elif fmt == "csv":
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(_csv_rows(result))
        payload = buffer.getvalue()
    else:
        payload = _tabular(result)
    return Encoded(result.path, result.status, result.error, payload)


# --------------------------------------------------------------------------- writers


def format_for(path: str | None) -> Format:
    """The output format a file name implies: ``.csv``, ``.parquet``/``.pq``, else JSONL."""
    suffix = os.path.splitext(path or "")[1].lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".parquet", ".pq"):
        return "parquet"
    return "jsonl"


def _missing(what: str, extra: str) -> MissingExtra:
    error = MissingExtra(what, extra)
    error.message = f"{what} needs an optional extra: pip install 'govreport[{extra}]'"
    error.args = (str(error),)
    return error


def _pyarrow() -> tuple[Any, Any]:
    try:
        pa = importlib.import_module("pyarrow")
        pq = importlib.import_module("pyarrow.parquet")
    except ImportError:
        raise _missing("Parquet output", "parquet") from None
    return pa, pq


def parquet_schema() -> Any:
    """The ``pyarrow`` schema of the Parquet output (the :data:`COLUMNS`)."""
    pa, _ = _pyarrow()
    fields = [pa.field("file", pa.string()), pa.field("status", pa.string()),
              pa.field("diagnostics", pa.int32()), pa.field("error", pa.string()),
              pa.field("agency", pa.string()), pa.field("year", pa.int32()),
              pa.field("template", pa.string()), pa.field("layout", pa.string())]
    fields += [pa.field(k, pa.float64() if k in DECIMAL_KEYS else pa.int64()) for k in KEYS]
    return pa.schema(fields)


class _TextWriter:
    def __init__(self, stream: IO[str], owned: bool) -> None:
        self.stream = stream
        self.owned = owned

    def write(self, done: Encoded) -> None:
        self.stream.write(done.payload)

    def close(self) -> None:
        if self.owned:
            self.stream.close()
        else:
            self.stream.flush()


class _ParquetWriter:
    """Rows in row groups; written to ``OUT.partial`` and moved to OUT when closed."""

    def __init__(self, path: str, resume: bool, row_group: int) -> None:
        self.pa, pq = _pyarrow()
        self.schema = parquet_schema()
        self.path = path
        self.partial = path + ".partial"
        self.rows: list[dict[str, Any]] = []
        self.row_group = row_group
        self.writer = pq.ParquetWriter(self.partial, self.schema)
        if resume and os.path.exists(path):
            old = pq.ParquetFile(path)
            for i in range(old.num_row_groups):
                self.writer.write_table(old.read_row_group(i).cast(self.schema))

    def write(self, done: Encoded) -> None:
        self.rows.append(done.payload)
        if len(self.rows) >= self.row_group:
            self._flush()

    def _flush(self) -> None:
        if self.rows:
            self.writer.write_table(self.pa.Table.from_pylist(self.rows, schema=self.schema))
            self.rows = []

    def close(self) -> None:
        self._flush()
        self.writer.close()
        os.replace(self.partial, self.path)


def _truncate_partial_tail(path: str, complete: int) -> None:
    with open(path, "rb+") as f:
        f.truncate(complete)


def done_files(path: str, fmt: Format | None = None) -> set[str]:
    """The files an output of :func:`run` already holds, to skip them on ``--resume``.

    A JSONL or CSV output cut short by a killed run is truncated to its last
    complete record, so appending to it is safe.

    Raises:
        InputError: the output cannot be read or is not one of ours.

    """
    fmt = fmt or format_for(path)
    if not os.path.exists(path):
        return set()
    try:
        if fmt == "parquet":
            _, pq = _pyarrow()
            try:
                table = pq.read_table(path, columns=["file"])
            except Exception as e:
                raise InputError(f"not a readable Parquet file: {e}", file=path) from None
            return {str(name) for name in table.column("file").to_pylist()}
        done: set[str] = set()
        complete = last_status = 0
        with open(path, "rb") as f:
            for number, raw in enumerate(f, 1):
                if not raw.endswith(b"\n"):
                    break  # a record cut short by a killed run
                line = raw.decode("utf-8")
                if fmt == "jsonl":
                    name = _jsonl_file(line, path, number)
                    if name is not None:
                        done.add(name)
                    complete += len(raw)
                    continue
                row = next(csv.reader([line]), [])
                if number == 1 and row == ["file", "key", "value"]:
                    complete += len(raw)
                    continue
                if len(row) != 3:
                    raise InputError("not a govreport long-form CSV (file,key,value)",
                                     file=path, line=number)
                complete += len(raw)
                if row[1] == "status":
                    done.add(row[0])
                    last_status = complete
            if fmt == "csv":
                complete = last_status if done else _header_length(path)
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", file=path) from None
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror or e}", file=path) from None
    if os.path.getsize(path) > complete:
        _truncate_partial_tail(path, complete)
    return done


def _header_length(path: str) -> int:
    with open(path, "rb") as f:
        first = f.readline()
    return len(first) if first == b"file,key,value\n" else 0


def _jsonl_file(line: str, path: str, number: int) -> str | None:
    if not line.strip():
        return None
    try:
        data = json.loads(line)
    except json.JSONDecodeError:
        raise InputError("not a JSON record", file=path, line=number) from None
    if not isinstance(data, dict) or not isinstance(data.get("file"), str):
        raise InputError("not a govreport record (no \"file\")", file=path, line=number)
    return str(data["file"])


def open_writer(output: str | None, fmt: Format, resume: bool,
                row_group: int) -> _TextWriter | _ParquetWriter:
    """A writer of :class:`Encoded` records to ``output`` (stdout: ``None`` or ``"-"``).

    ``resume`` appends to the output rather than replacing it.
    """
    if fmt == "parquet":
        if output is None or output == "-":
            raise InputError("Parquet is written to a file: give -o OUT")
        return _ParquetWriter(output, resume, row_group)
    if output is None or output == "-":
        stream = sys.stdout
        if fmt == "csv":
            stream.write("file,key,value\n")
        return _TextWriter(stream, owned=False)
    appending = resume and os.path.exists(output) and os.path.getsize(output) > 0
    try:
        f = open(output, "a" if appending else "w", encoding="utf-8", newline="")  # noqa: SIM115
    except OSError as e:
        raise InputError(f"cannot write: {e.strerror or e}", file=output) from None
    if fmt == "csv" and not appending:
        f.write("file,key,value\n")
    return _TextWriter(f, owned=True)
