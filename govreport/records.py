"""What becomes of a file in a corpus run, and its record in JSONL, CSV or Parquet.

:class:`Result` is one file's outcome; :func:`record` (JSONL) and
:func:`flat_record` (one flat row: Parquet, Dask) turn it into data; the
writers stream encoded records to the output; :func:`done_files` reads an
output back for ``--resume``. The formats are described in ``docs/corpus.md``.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import hashlib
import importlib
import io
import json
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from decimal import Decimal
from typing import IO, Any, Literal

import attrs

from govreport.errors import InputError, MissingExtra
from govreport.model import Report, iter_values
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
    "columns",
    "csv_rows",
    "done_files",
    "encode",
    "escape_name",
    "extra_keys",
    "file_sha256",
    "flat_record",
    "format_for",
    "is_amount",
    "open_writer",
    "parquet_schema",
    "record",
    "resume_index",
    "resume_point",
    "suffix_format",
    "value_keys",
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
                         "template", "layout", "title", "period_start", "period_end",
                         "published", "sha256")
"""The columns of a flat record before the value columns.

``title`` is the report's title line; ``period_start``, ``period_end`` and
``published`` are ISO dates (``"2023-01-01"``); ``sha256`` is the hex digest
of the file's bytes (what ``--resume`` checks a file against).
"""

COLUMNS: tuple[str, ...] = (*META, *KEYS)
"""The columns of a flat record for the built-in tables, in order (see :func:`columns`)."""


def _is_amount(key: str) -> bool:
    return key.rsplit(".", 1)[-1].startswith("amount")


DECIMAL_KEYS = frozenset(k for k in KEYS if _is_amount(k))
"""The keys holding amounts (``Decimal``); every other key holds a count (``int``)."""


# Keyed by the forms' identities (a plugin's Form need not be hashable); each entry
# holds its forms, so no id is reused while it is cached.
_EXTRA_KEYS: dict[tuple[int, ...], tuple[tuple[Any, ...], tuple[str, ...]]] = {}


def _extra_keys(forms: tuple[Any, ...]) -> tuple[str, ...]:
    cache_key = tuple(id(f) for f in forms)
    found = _EXTRA_KEYS.get(cache_key)
    if found is None:
        if len(_EXTRA_KEYS) > 8:
            _EXTRA_KEYS.clear()
        found = _EXTRA_KEYS[cache_key] = (forms, _form_keys(forms))
    return found[1]


def _form_keys(forms: tuple[Any, ...]) -> tuple[str, ...]:
    slots = attrs.fields_dict(Report)
    keys: dict[str, None] = {}
    for form in forms:
        if form.kind in slots:  # a table with a Report field of its own: not flattened extra
            continue
        try:
            blank = form.table()
        except TypeError:  # a table class that needs arguments: its keys come from reports
            continue
        keys.update(dict.fromkeys(k for k, _ in iter_values(blank) if k not in KEYS))
    return tuple(keys)


def extra_keys() -> tuple[str, ...]:
    """The flat keys of the installed forms whose tables go to ``Report.extra_tables``.

    A plugin's table (``flat_prefix`` keys) reaches :func:`~govreport.flatten`,
    JSONL and CSV as it is; Parquet and Dask have a column for each of these
    keys, so nothing a report holds is left out of them.
    """
    from govreport import registry

    return _extra_keys(registry.forms())


def value_keys() -> tuple[str, ...]:
    """The value columns of a flat record: :data:`KEYS`, then :func:`extra_keys`."""
    return (*KEYS, *extra_keys())


def columns() -> tuple[str, ...]:
    """Every column of a flat record (Parquet, the Dask dataframe), with the installed forms'."""
    return (*META, *value_keys())


def is_amount(key: str) -> bool:
    """Whether flat key ``key`` holds an amount (``Decimal``; float64 in Parquet and Dask)."""
    return key in DECIMAL_KEYS or (key not in KEYS and _is_amount(key))


def file_sha256(path: str) -> str | None:
    """The hex SHA-256 of regular file ``path``'s bytes, or ``None`` when it cannot be read."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None  # a FIFO or a device is never read
        digest = hashlib.sha256()
        while block := os.read(fd, 1 << 20):
            digest.update(block)
        return digest.hexdigest()
    except OSError:
        return None
    finally:
        os.close(fd)


@attrs.frozen
class Result:
    """What became of one input file.

    Attributes:
        path: the file, as named by the caller or found by
            :func:`govreport.corpus.iter_files`.
        report: the parsed report; ``None`` unless ``status`` is ``"ok"``.
        error: why there is no report (one line, without the file name), or ``None``.
        status: ``"ok"``, ``"error"``, ``"crash"`` or ``"died"`` (see :data:`Status`).
        sha256: the hex SHA-256 of the file's bytes, when it was read.

    """

    path: str
    report: Report | None
    error: str | None = None
    status: Status = "ok"
    sha256: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the file was parsed."""
        return self.status == "ok"

    @property
    def diagnostics(self) -> int:
        """The number of diagnostics of the report (0 without one)."""
        return len(self.report.diagnostics) if self.report is not None else 0


# --------------------------------------------------------------------------- records


def escape_name(text: str) -> str:
    r"""``text`` as written to an output: bytes that were not UTF-8 as ``\xNN``.

    A file name that is not UTF-8 comes from the file system with those bytes
    as lone surrogates (``surrogateescape``), which no UTF-8 output can hold.
    They are written as ``\xff``, the way Python and ``ls -b`` show them;
    every other name is written as it is.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        try:
            return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        except UnicodeEncodeError:  # a surrogate that stands for no byte
            return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def record(result: Result) -> dict[str, Any]:
    """The JSONL record of a result.

    The :data:`META` keys, then ``values``; ``file`` is the name as
    :func:`escape_name` writes it; ``values`` is :func:`~govreport.flatten` of
    the report: its flat keys (a plugin's included) to ``int``, ``Decimal`` or
    ``None`` (``{}`` without a report).
    """
    r = result.report

    def iso(d: Any) -> str | None:
        return None if d is None else str(d.isoformat())

    return {
        "file": escape_name(result.path),
        "status": result.status,
        "diagnostics": result.diagnostics,
        "error": None if result.error is None else escape_name(result.error),
        "agency": r.agency if r else None,
        "year": r.year if r else None,
        "template": r.template if r else None,
        "layout": r.layout if r else None,
        "title": r.title if r else None,
        "period_start": iso(r.period_start) if r else None,
        "period_end": iso(r.period_end) if r else None,
        "published": iso(r.published) if r else None,
        "sha256": result.sha256,
        "values": flatten(r) if r else {},
    }


def flat_record(result: Result) -> dict[str, Any]:
    """A result as one flat row: the :data:`META` columns, then every key of :func:`value_keys`.

    Keys no table of the report has, and every key without a report, are
    ``None``; a key of the report outside :func:`value_keys` (a form
    registered later) comes last.
    """
    row = record(result)
    values = row.pop("values")
    row.update(dict.fromkeys(value_keys()))
    row.update(values)
    return row


def _json_default(obj: object) -> str:
    if isinstance(obj, Decimal):
        return str(obj)
    raise TypeError(type(obj).__name__)


def _one_line(text: str) -> str:
    return text.replace("\r", " ").replace("\n", " ")


def csv_rows(result: Result) -> list[tuple[str, str, str]]:
    """The long-form CSV rows ``(file, key, value)`` of a result.

    One row per flat key (blank for ``None``), then ``agency``, ``year``,
    ``template``, ``layout``, ``title``, ``period_start``, ``period_end``,
    ``published``, ``sha256``, ``diagnostics``, ``error``, and last
    ``status``: a file with a ``status`` row is complete.
    """
    row = record(result)
    name = row["file"]
    out = [(name, k, "" if v is None else _one_line(str(v))) for k, v in row["values"].items()]
    for k in ("agency", "year", "template", "layout", "title", "period_start", "period_end",
              "published", "sha256", "diagnostics", "error"):
        v = row[k]
        out.append((name, k, "" if v is None else _one_line(str(v))))
    out.append((name, "status", row["status"]))  # last: a file with a status row is complete
    return out


def _tabular(result: Result) -> dict[str, Any]:
    # Parquet row: amounts as float64 (given to a few decimals, they round-trip).
    row = flat_record(result)
    for k, v in row.items():
        if isinstance(v, Decimal):
            row[k] = float(v) if is_amount(k) else _count(v)
    return row


def _count(value: Decimal) -> int | None:
    # A plugin's count given as a Decimal: whole, it is the int; a fraction has no int64 cell.
    return int(value) if value == value.to_integral_value() else None


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
        csv.writer(buffer, lineterminator="\n").writerows(csv_rows(result))
        payload = buffer.getvalue()
    else:
        payload = _tabular(result)
    return Encoded(result.path, result.status, result.error, payload)


# --------------------------------------------------------------------------- writers


SUFFIX_FORMATS: dict[str, Format] = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv",
                                     ".parquet": "parquet", ".pq": "parquet"}
"""The output suffixes ``govreport corpus`` knows (any case), and their formats."""


def suffix_format(path: str) -> Format | None:
    """The output format ``path``'s suffix names (:data:`SUFFIX_FORMATS`), or ``None``."""
    return SUFFIX_FORMATS.get(os.path.splitext(path)[1].lower())


def format_for(path: str | None) -> Format:
    """The output format a file name implies: ``.csv``, ``.parquet``/``.pq``, else JSONL."""
    return suffix_format(path or "") or "jsonl"


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


def parquet_schema(keys: tuple[str, ...] | None = None) -> Any:
    """The ``pyarrow`` schema of the Parquet output: :data:`META`, then the value ``keys``.

    ``keys`` default to :func:`value_keys` (the built-in tables' and the
    installed forms'). Counts are ``int64``, amounts ``float64``.
    """
    pa, _ = _pyarrow()
    fields = [pa.field("diagnostics", pa.int32()) if m == "diagnostics"
              else pa.field("year", pa.int32()) if m == "year"
              else pa.field(m, pa.string()) for m in META]
    fields += [pa.field(k, pa.float64() if is_amount(k) else pa.int64())
               for k in (value_keys() if keys is None else keys)]
    return pa.schema(fields)


def _cannot_write(output: str, error: OSError) -> InputError:
    why = os.strerror(error.errno) if error.errno else error.strerror or str(error)
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        why += " (the disk or the quota is full)"
    return InputError(f"cannot write: {why}", file=output)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


class _Target:
    """Where a writer writes OUT: a temporary file beside it, moved onto it when done.

    So a run that fails or is killed never leaves OUT half written: it keeps
    what it held before. An OUT that is not a regular file (``/dev/null``,
    ``/dev/full``, a pipe) is written in place.
    """

    def __init__(self, output: str) -> None:
        self.output = output
        self.real = os.path.realpath(output)
        try:
            st: os.stat_result | None = os.stat(self.real)
        except FileNotFoundError:
            st = None
        except OSError as e:
            raise _cannot_write(output, e) from None
        self.temp: str | None = None
        self.path = output
        if st is not None and stat.S_ISDIR(st.st_mode):
            raise InputError("cannot write: is a directory", file=output)
        if st is not None and not stat.S_ISREG(st.st_mode):
            return
        mode = stat.S_IMODE(st.st_mode) if st is not None else 0o666 & ~_umask()
        try:
            fd, self.temp = tempfile.mkstemp(prefix=f".{os.path.basename(self.real)}.",
                                             suffix=".partial",
                                             dir=os.path.dirname(self.real))
            os.fchmod(fd, mode)
            os.close(fd)
        except OSError as e:
            error = _cannot_write(output, e)
            error.message += (" (the records go to a temporary file in "
                              f"{os.path.dirname(self.real)} first)")
            error.args = (str(error),)
            raise error from None
        self.path = self.temp

    def commit(self) -> None:
        """Move the finished temporary file onto OUT (synced first: a power cut keeps one whole)."""
        if self.temp is None:
            return
        try:
            fd = os.open(self.temp, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(self.temp, self.real)
        except OSError as e:
            self.abort()
            raise _cannot_write(self.output, e) from None
        self.temp = None

    def abort(self) -> None:
        """Drop the temporary file: OUT keeps what it held."""
        if self.temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.temp)
            self.temp = None


class _TextWriter:
    def __init__(self, stream: IO[str], target: _Target | None, name: str) -> None:
        self.stream = stream
        self.target = target
        self.name = name

    def write(self, done: Encoded) -> None:
        try:
            self.stream.write(done.payload)
        except BrokenPipeError:
            raise
        except OSError as e:
            raise _cannot_write(self.name, e) from None

    def close(self) -> None:
        """Finish OUT: flushed, and moved into place."""
        try:
            if self.target is None:
                self.stream.flush()
                return
            self.stream.close()
        except BrokenPipeError:
            raise
        except OSError as e:
            self.abort()
            raise _cannot_write(self.name, e) from None
        self.target.commit()

    def abort(self) -> None:
        """Give up: OUT keeps what it held before the run."""
        if self.target is None:
            return
        with contextlib.suppress(OSError):
            self.stream.close()
        self.target.abort()


class _ParquetWriter:
    """Rows in row groups, to a temporary file moved onto OUT when closed."""

    def __init__(self, path: str, keep: bool, row_group: int,
                 drop: frozenset[str] = frozenset()) -> None:
        self.pa, pq = _pyarrow()
        self.schema = parquet_schema()
        self.name = path
        self.rows: list[dict[str, Any]] = []
        self.row_group = row_group
        self.target = _Target(path)
        try:
            old = pq.ParquetFile(path) if keep and os.path.exists(path) else None
            if old is not None:
                # Columns the old file has and this run's forms do not (a plugin since
                # removed) are kept: nothing it holds is lost.
                known = set(self.schema.names)
                for f in old.schema_arrow:
                    if f.name not in known:
                        self.schema = self.schema.append(f)
            self.writer = pq.ParquetWriter(self.target.path, self.schema)
            if old is not None:
                for i in range(old.num_row_groups):
                    self.writer.write_table(self._conform(old.read_row_group(i), drop))
        except OSError as e:
            self.target.abort()
            raise _cannot_write(path, e) from None
        except BaseException:
            self.target.abort()
            raise

    def _conform(self, table: Any, drop: frozenset[str]) -> Any:
        """An old row group in this run's columns: missing ones null, old ones kept."""
        if drop:
            keep = [name not in drop for name in table.column("file").to_pylist()]
            table = table.filter(self.pa.array(keep, type=self.pa.bool_()))
        arrays = [table.column(f.name).cast(f.type) if f.name in table.column_names
                  else self.pa.nulls(table.num_rows, type=f.type) for f in self.schema]
        return self.pa.Table.from_arrays(arrays, schema=self.schema)

    def write(self, done: Encoded) -> None:
        self.rows.append(done.payload)
        if len(self.rows) >= self.row_group:
            self._flush()

    def _flush(self) -> None:
        if self.rows:
            try:
                self.writer.write_table(self.pa.Table.from_pylist(self.rows, schema=self.schema))
            except OSError as e:
                raise _cannot_write(self.name, e) from None
            self.rows = []

    def close(self) -> None:
        """Finish OUT: the last row group written, the file moved into place."""
        try:
            self._flush()
            self.writer.close()
        except BaseException as e:
            self.abort()
            if isinstance(e, OSError):
                raise _cannot_write(self.name, e) from None
            raise
        self.target.commit()

    def abort(self) -> None:
        """Give up: OUT keeps what it held before the run."""
        with contextlib.suppress(Exception):
            self.writer.close()
        self.target.abort()


def done_files(path: str, fmt: Format | None = None) -> set[str]:
    """The files an output of :func:`run` already holds, to skip them on ``--resume``.

    The names are as the output holds them (:func:`escape_name`). A record
    cut short at the end (a run killed by an older govreport) is not counted.

    Raises:
        InputError: the output cannot be read or is not one of ours.

    """
    return resume_point(path, fmt)[0]


def resume_point(path: str, fmt: Format | None = None) -> tuple[set[str], int]:
    """The files output ``path`` holds, and the bytes of its complete records (JSONL, CSV).

    A resumed run copies those bytes and appends; anything after them (a
    record cut short, for CSV the rows of a file without its ``status`` row)
    is dropped. ``(set(), 0)`` when ``path`` does not exist.

    Raises:
        InputError: the output cannot be read, is not a regular file, or is not one of ours.

    """
    held, keep = resume_index(path, fmt)
    return set(held), keep


def resume_index(path: str, fmt: Format | None = None) -> tuple[dict[str, str | None], int]:
    """As :func:`resume_point`, with the ``sha256`` each file's record holds (or ``None``).

    Raises:
        InputError: the output cannot be read, is not a regular file, or is not one of ours.

    """
    fmt = fmt or format_for(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return {}, 0
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror or e}", file=path) from None
    if not stat.S_ISREG(st.st_mode):
        raise InputError("--resume needs a regular file to read back", file=path)
    held: dict[str, str | None] = {}
    try:
        if fmt == "parquet":
            _, pq = _pyarrow()
            try:
                names = pq.read_schema(path).names
                wanted = ["file", "sha256"] if "sha256" in names else ["file"]
                table = pq.read_table(path, columns=wanted)
            except Exception as e:
                raise InputError(f"not a readable Parquet file: {e}", file=path) from None
            digests = (table.column("sha256").to_pylist() if "sha256" in wanted
                       else [None] * table.num_rows)
            for name, digest in zip(table.column("file").to_pylist(), digests, strict=True):
                held[str(name)] = digest
            return held, st.st_size
        keep = 0
        with open(path, "rb") as f:
            for raw, name, digest in _records(f, path, fmt):
                keep += len(raw)
                if name is not None:
                    held[name] = digest
        return held, keep
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", file=path) from None
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror or e}", file=path) from None


def _records(f: IO[bytes], path: str,
             fmt: Format) -> Iterator[tuple[bytes, str | None, str | None]]:
    """The complete records of a JSONL or CSV output: ``(bytes, file, sha256)``.

    The CSV header is a record without a file. A record cut short at the end
    (or, in CSV, the rows of a file without its ``status`` row) is not yielded.
    """
    if fmt == "jsonl":
        for number, raw in enumerate(f, 1):
            if not raw.endswith(b"\n"):
                return  # a record cut short by a killed run
            name, digest = _jsonl_file(raw.decode("utf-8"), path, number)
            yield raw, name, digest
        return
    group = b""
    group_digest: str | None = None
    record = b""
    start = 0
    for number, raw in enumerate(f, 1):
        if not raw.endswith(b"\n"):
            return  # a record cut short by a killed run
        if not record:
            start = number
        record += raw
        if record.count(b'"') % 2:
            continue  # inside a quoted field: a file name with a line break goes on
        row = next(csv.reader(io.StringIO(record.decode("utf-8"), newline="")), [])
        raw_row, record = record, b""
        if start == 1 and row == ["file", "key", "value"]:
            yield raw_row, None, None
            continue
        if len(row) != 3:
            raise InputError("not a govreport long-form CSV (file,key,value)",
                             file=path, line=start)
        group += raw_row
        if row[1] == "sha256":
            group_digest = row[2] or None
        if row[1] == "status":
            yield group, row[0], group_digest
            group, group_digest = b"", None


def _jsonl_file(line: str, path: str, number: int) -> tuple[str | None, str | None]:
    if not line.strip():
        return None, None
    try:
        data = json.loads(line)
    except json.JSONDecodeError:
        raise InputError("not a JSON record", file=path, line=number) from None
    if not isinstance(data, dict) or not isinstance(data.get("file"), str):
        raise InputError("not a govreport record (no \"file\")", file=path, line=number)
    digest = data.get("sha256")
    return str(data["file"]), digest if isinstance(digest, str) else None


def open_writer(output: str | None, fmt: Format, *, keep: int | None = None,
                drop: frozenset[str] = frozenset(),
                row_group: int = 1000) -> _TextWriter | _ParquetWriter:
    """A writer of :class:`Encoded` records to ``output`` (stdout: ``None`` or ``"-"``).

    The records go to a temporary file beside ``output``, moved onto it by
    the writer's ``close()``; ``abort()`` drops it, and ``output`` keeps what
    it held. ``keep`` resumes: the first ``keep`` bytes of a JSONL or CSV
    output (see :func:`resume_point`), or every row of a Parquet one, come
    first, but for the records of the files named in ``drop`` (files that
    changed since: their new records replace them). Writing fails with an
    :class:`~govreport.errors.InputError` (``cannot write: …``).
    """
    if fmt == "parquet":
        if output is None or output == "-":
            raise InputError("Parquet is written to a file: give -o OUT")
        return _ParquetWriter(output, keep is not None, row_group, drop)
    if output is None or output == "-":
        stream = sys.stdout
        if fmt == "csv":
            stream.write("file,key,value\n")
        return _TextWriter(stream, None, "<stdout>")
    target = _Target(output)
    try:
        if keep and target.temp is not None:
            with open(output, "rb") as old, open(target.temp, "wb") as new:
                if drop:
                    for raw, name, _ in _records(old, output, fmt):
                        if name not in drop:
                            new.write(raw)
                else:
                    left = keep
                    while left > 0:
                        block = old.read(min(left, 1 << 20))
                        if not block:
                            break
                        new.write(block)
                        left -= len(block)
        f = open(target.path, "a", encoding="utf-8", newline="")  # noqa: SIM115
        if fmt == "csv" and not keep:
            f.write("file,key,value\n")
    except OSError as e:
        target.abort()
        raise _cannot_write(output, e) from None
    return _TextWriter(f, target, output)
