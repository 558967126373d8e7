"""Many reports at once: find the files, parse them in parallel, stream the results out.

* :func:`iter_files` walks inputs (files, directories recursively, glob patterns);
* :func:`parse_many` parses files in a process pool and yields one :class:`Result`
  per file, in input order;
* :func:`run` is ``govreport corpus``: it writes one record per file to JSONL,
  long-form CSV or Parquet as the results come, with a status per file, and
  can resume a run that stopped.

One bad file never stops a run: an input error is recorded with status
``"error"``, an unexpected exception with ``"crash"``, and a worker process that
dies (a crash in native code, ``os._exit``, the out-of-memory killer) is
replaced, its files retried one by one so only the culprit is recorded with
``"died"``. Memory stays flat however many files there are: only a window of
tasks is in flight, results are written as they come, and the caches of the
parser are bounded. See ``docs/corpus.md``.

The pool lives in :mod:`govreport.pool`, the records and writers in
:mod:`govreport.records`; their public names are re-exported here.
"""

from __future__ import annotations

import contextlib
import functools
import glob
import importlib
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import attrs

from govreport.errors import GovReportError
from govreport.limits import Limits
from govreport.pipeline import parse_file
from govreport.pool import default_workers, ordered, plan
from govreport.records import (
    COLUMNS,
    DECIMAL_KEYS,
    FORMATS,
    KEYS,
    META,
    STATUSES,
    Encoded,
    Format,
    Result,
    Status,
    done_files,
    encode,
    flat_record,
    format_for,
    open_writer,
    record,
)

__all__ = [
    "COLUMNS",
    "DECIMAL_KEYS",
    "FORMATS",
    "KEYS",
    "META",
    "STATUSES",
    "SUFFIXES",
    "Format",
    "Result",
    "Status",
    "Summary",
    "default_workers",
    "done_files",
    "flat_record",
    "format_for",
    "iter_files",
    "parse_many",
    "record",
    "run",
]

SUFFIXES: tuple[str, ...] = (".txt", ".html", ".htm", ".docx", ".pdf")
"""Files a directory walk or a glob picks up (any case); files named outright are always read."""

_MAGIC = re.compile(r"[*?[]")


def _message(error: GovReportError) -> str:
    if error.line is None:
        return error.message
    return f"line {error.line}: {error.message}"


def _parse_one(path: str, layout: str | None, limits: Limits | None = None) -> Result:
    try:
        report = (parse_file(path, layout=layout) if limits is None
                  else parse_file(path, layout=layout, limits=limits))
    except GovReportError as e:
        return Result(path, None, _message(e), "error")
    except Exception as e:  # a bug, recorded rather than stopping the run
        return Result(path, None, f"internal error: {type(e).__name__}: {e}", "crash")
    return Result(path, report)


def _parse_batch(paths: list[str], layout: str | None, limits: Limits | None) -> list[Result]:
    return [_parse_one(p, layout, limits) for p in paths]

def _failed(path: str, status: Status, message: str) -> Result:
    return Result(path, None, message, status)

# --------------------------------------------------------------------------- inputs


def iter_files(inputs: Iterable[str | os.PathLike[str]], *,
               suffixes: Sequence[str] = SUFFIXES,
               on_nothing: Callable[[str], None] | None = None) -> Iterator[str]:
    """Yield the report files named by ``inputs``, each once, in a stable order.

    A directory is walked recursively (sorted; directories whose name starts
    with ``.`` are skipped) for files with one of ``suffixes``; a pattern with
    ``*``, ``?`` or ``[`` is expanded with :func:`glob.glob` (``**`` spans
    directories; sorted; a matched directory is walked); anything else is a
    file and is yielded as given, even when it is missing, so that the error
    is recorded for it. ``on_nothing(input)`` is called for a directory or
    pattern that yields no file.
    """
    wanted = tuple(s.lower() for s in suffixes)
    seen: set[str] = set()

    def fresh(path: str) -> bool:
        key = os.path.normpath(path)
        if key in seen:
            return False
        seen.add(key)
        return True

    def walk(top: str) -> Iterator[str]:
        for root, dirs, files in os.walk(top):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if name.lower().endswith(wanted):
                    path = os.path.join(root, name)
                    if fresh(path):
                        yield path

    for item in inputs:
        spec = os.fspath(item)
        before = len(seen)
        if os.path.isdir(spec):
            yield from walk(spec)
        elif _MAGIC.search(spec) and not os.path.exists(spec):
            for match in sorted(glob.glob(spec, recursive=True)):
                if os.path.isdir(match):
                    yield from walk(match)
                elif match.lower().endswith(wanted) and fresh(match):
                    yield match
        else:
            if fresh(spec):
                yield spec
            continue
        if len(seen) == before and on_nothing is not None:
            on_nothing(spec)

def parse_many(paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
               workers: int | None = None, *, layout: str | None = None,
               limits: Limits | None = None, batch_size: int | None = None,
               window: int | None = None) -> Iterator[Result]:
    """Parse many files in parallel; yield one :class:`Result` per file, in input order.

    ``paths`` are files (use :func:`iter_files` to walk directories and
    globs); it may be a lazy iterable, consumed as the work proceeds. A file
    that cannot be parsed gives a result with ``report=None``, its ``error``
    and ``status``; nothing is raised for a file, and a worker process that
    dies is replaced.

    Args:
        paths: the files to parse.
        workers: worker processes (default: the number of cores); ``0`` parses
            in this process, one file after another.
        layout: force a text layout by name for every file.
        limits: size limits for every file (:class:`govreport.Limits`).
        batch_size: files per task sent to a worker (default: from the number
            of files, at most 16).
        window: tasks in flight at once (default: 4 × workers); memory is
            bounded by ``window × batch_size`` reports.

    Reports cross from the workers by pickling, which costs about as much as
    parsing; ``govreport corpus`` (:func:`run`) has the workers write records
    instead and scales better.

    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    n = len(paths) if isinstance(paths, Sequence) else None
    names = (os.fspath(p) for p in paths)
    count = default_workers() if workers is None else workers
    if count < 0:
        raise ValueError("workers must be 0 or more")
    count, size, win = plan(n, count, batch_size, window)
    job = functools.partial(_parse_batch, layout=layout, limits=limits)
    return ordered(names, job, _failed, workers=count, batch_size=size, window=win)

def _encode_batch(paths: list[str], layout: str | None, limits: Limits | None,
                  fmt: Format) -> list[Encoded]:
    return [encode(_parse_one(p, layout, limits), fmt) for p in paths]


def _encode_failed(path: str, status: Status, message: str, fmt: Format) -> Encoded:
    return encode(_failed(path, status, message), fmt)

# --------------------------------------------------------------------------- progress


def _progress_bar(total: int, enabled: bool | None) -> Any:
    if enabled is None:
        enabled = sys.stderr.isatty() and not os.environ.get("CI")
    if not enabled:
        return None
    try:
        tqdm = importlib.import_module("tqdm")
    except ImportError:
        return None
    tqdm.tqdm.monitor_interval = 0  # no monitor thread: the pool forks
    return tqdm.tqdm(total=total, unit=" files", file=sys.stderr, dynamic_ncols=True,
                     mininterval=0.5, smoothing=0.05)


# --------------------------------------------------------------------------- run


@attrs.frozen
class Summary:
    """What :func:`run` did.

    Attributes:
        output: where the records went (``"<stdout>"`` for stdout).
        format: ``"jsonl"``, ``"csv"`` or ``"parquet"``.
        counts: files parsed in this run, by status.
        skipped: files skipped because the output already held them (``resume``).
        seconds: wall time of the parsing and writing.
        workers: worker processes used (0: in this process).

    """

    output: str
    format: Format
    counts: dict[str, int]
    skipped: int
    seconds: float
    workers: int

    @property
    def total(self) -> int:
        """Files parsed in this run."""
        return sum(self.counts.values())

    @property
    def failed(self) -> int:
        """Files of this run without a report."""
        return self.total - self.counts.get("ok", 0)

    def line(self) -> str:
        """One line for people: counts, rate and the output."""
        rate = self.total / self.seconds if self.seconds > 0 else 0.0
        bad = ", ".join(f"{self.counts[s]} {s}" for s in STATUSES[1:] if self.counts.get(s))
        text = f"{self.counts.get('ok', 0)} ok, {self.failed} failed"
        if bad:
            text += f" ({bad})"
        if self.skipped:
            text += f", {self.skipped} skipped (already in the output)"
        return f"{text}; {self.seconds:.1f} s, {rate:.1f} files/s; wrote {self.output}"


def run(inputs: Iterable[str | os.PathLike[str]], output: str | None = None, *,
        fmt: Format | None = None, workers: int | None = None, layout: str | None = None,
        limits: Limits | None = None, resume: bool = False, progress: bool | None = None,
        batch_size: int | None = None,
        row_group: int = 1000, on_failure: Callable[[str, str, str], None] | None = None,
        on_nothing: Callable[[str], None] | None = None) -> Summary:
    """Parse every report under ``inputs`` and stream one record per file to ``output``.

    This is ``govreport corpus``. The workers parse and encode; this process
    only writes, in input order, so the output is the same whatever the
    number of workers.

    Args:
        inputs: files, directories (walked) and glob patterns (see :func:`iter_files`).
        output: the output file; ``None`` or ``"-"`` for stdout (not Parquet).
        fmt: ``"jsonl"``, ``"csv"`` or ``"parquet"`` (default: from the file name).
        workers: worker processes (default: the number of cores; 0: in this process).
        layout: force a text layout for every file.
        limits: size limits for every file (:class:`govreport.Limits`).
        resume: skip the files ``output`` already holds and append the others.
        progress: a progress bar on stderr; default: when stderr is a terminal
            and ``CI`` is not set (needs ``govreport[progress]``).
        batch_size: files per task (default: from the number of files).
        row_group: rows per Parquet row group.
        on_failure: called with (file, status, message) for each file that fails.
        on_nothing: called with each directory or pattern that names no file.

    Raises:
        InputError: the output cannot be written, or read to resume.
        MissingExtra: Parquet without ``govreport[parquet]``.

    """
    fmt = fmt or format_for(output)
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    files = list(iter_files(inputs, on_nothing=on_nothing))
    skipped = 0
    if resume and output not in (None, "-"):
        assert output is not None
        done = done_files(output, fmt)
        todo = [p for p in files if p not in done]
        skipped = len(files) - len(todo)
        files = todo
    count = default_workers() if workers is None else workers
    if count < 0:
        raise ValueError("workers must be 0 or more")
    count, size, window = plan(len(files), count, batch_size, None)
    counts: Counter[str] = Counter()
    start = time.perf_counter()
    writer = open_writer(output, fmt, resume, row_group)
    bar = _progress_bar(len(files), progress) if files else None
    job = functools.partial(_encode_batch, layout=layout, limits=limits, fmt=fmt)
    fail = functools.partial(_encode_failed, fmt=fmt)
    results = ordered(files, job, fail, workers=count, batch_size=size, window=window)
    try:
        for done_file in results:
            writer.write(done_file)
            counts[done_file.status] += 1
            if done_file.status != "ok" and on_failure is not None:
                with bar.external_write_mode() if bar is not None else contextlib.nullcontext():
                    on_failure(done_file.path, done_file.status, done_file.error or "")
            if bar is not None:
                bar.update(1)
                if done_file.status != "ok":
                    bar.set_postfix_str(f"{sum(counts.values()) - counts['ok']} failed",
                                        refresh=False)
    finally:
        results.close()
        if bar is not None:
            bar.close()
        writer.close()
    return Summary(output if output not in (None, "-") else "<stdout>", fmt, dict(counts), skipped,
                   time.perf_counter() - start, count)
