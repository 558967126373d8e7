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
import importlib
import os
import signal
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from types import FrameType
from typing import Any

import attrs

from govreport.errors import GovReportError
from govreport.inputs import SUFFIXES, OutputClash, OutputExists, check_output, iter_files
from govreport.limits import Limits
from govreport.pipeline import parse_file
from govreport.pool import Failure, default_workers, ordered, plan
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
    columns,
    done_files,
    encode,
    escape_name,
    extra_keys,
    file_sha256,
    flat_record,
    format_for,
    open_writer,
    record,
    resume_index,
    suffix_format,
    value_keys,
)

__all__ = [
    "COLUMNS",
    "DECIMAL_KEYS",
    "DEFAULT_TIMEOUT",
    "FORMATS",
    "KEYS",
    "META",
    "STATUSES",
    "SUFFIXES",
    "Format",
    "Interrupted",
    "OutputClash",
    "OutputExists",
    "Result",
    "Status",
    "Summary",
    "columns",
    "default_workers",
    "done_files",
    "escape_name",
    "extra_keys",
    "flat_record",
    "format_for",
    "iter_files",
    "parse_many",
    "record",
    "run",
    "suffix_format",
    "value_keys",
]

DEFAULT_TIMEOUT = 60.0
"""Seconds a file may take in ``govreport corpus`` before its worker is stopped (``--timeout``)."""


def _message(error: GovReportError) -> str:
    if error.line is None:
        return error.message
    return f"line {error.line}: {error.message}"


def _parse_one(path: str, layout: str | None, limits: Limits | None = None) -> Result:
    try:
        report = (parse_file(path, layout=layout) if limits is None
                  else parse_file(path, layout=layout, limits=limits))
    except GovReportError as e:
        return Result(path, None, _unlisted(path) or _message(e), "error", file_sha256(path))
    except Exception as e:  # a bug, recorded rather than stopping the run
        return Result(path, None, f"internal error: {type(e).__name__}: {e}", "crash",
                      file_sha256(path))
    return Result(path, report, sha256=file_sha256(path))


def _unlisted(path: str) -> str | None:
    """Why directory ``path`` cannot be listed (a walk yields such a directory), or ``None``."""
    if not os.path.isdir(path):
        return None
    try:
        with os.scandir(path):
            return None
    except OSError as e:
        return f"cannot list this directory: {e.strerror or e}"


def _failed(path: str, failure: Failure, message: str) -> Result:
    # A file past its time budget is an input the parser cannot handle in time: an error.
    return Result(path, None, message, "error" if failure == "timeout" else failure)


def parse_many(paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
               workers: int | None = None, *, layout: str | None = None,
               limits: Limits | None = None, batch_size: int | None = None,
               window: int | None = None, timeout: float | None = None) -> Iterator[Result]:
    """Parse many files in parallel; yield one :class:`Result` per file, in input order.

    ``paths`` are files (use :func:`iter_files` to walk directories and
    globs); it may be a lazy iterable, consumed as the work proceeds. A file
    that cannot be parsed gives a result with ``report=None``, its ``error``
    and ``status``; nothing is raised for a file, and a worker process that
    dies is replaced. With a ``timeout``, a file still parsing after that many
    seconds has its worker stopped and replaced, and gets an ``"error"``
    result; the files after it go on.

    Args:
        paths: the files to parse.
        workers: worker processes (default: the number of cores); ``0`` parses
            in this process, one file after another (with a ``timeout``: in
            one worker process, the only way to stop a file).
        layout: force a text layout by name for every file.
        limits: size limits for every file (:class:`govreport.Limits`).
        batch_size: files per task sent to a worker (default: from the number
            of files, at most 16).
        window: tasks in flight at once (default: 4 × workers); memory is
            bounded by ``window × batch_size`` reports.
        timeout: seconds a file may take (default: no limit).

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
    _check_timeout(timeout)
    count, size, win = plan(n, count, batch_size, window)
    job = functools.partial(_parse_one, layout=layout, limits=limits)
    return ordered(names, job, _failed, workers=count, batch_size=size, window=win,
                   timeout=timeout)


def _check_timeout(timeout: float | None) -> None:
    if timeout is not None and not timeout > 0:
        raise ValueError("timeout must be more than 0 seconds (None: no limit)")


def _encode_one(path: str, layout: str | None, limits: Limits | None, fmt: Format) -> Encoded:
    return encode(_parse_one(path, layout, limits), fmt)


def _encode_failed(path: str, failure: Failure, message: str, fmt: Format) -> Encoded:
    return encode(_failed(path, failure, message), fmt)

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
        replaced: files the output held that changed since (another SHA-256):
            parsed again, their old records dropped (``resume``).
        seconds: wall time of the parsing and writing.
        workers: worker processes used (0: in this process).

    """

    output: str
    format: Format
    counts: dict[str, int]
    skipped: int
    seconds: float
    workers: int
    replaced: int = 0

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
        if self.replaced:
            text += f", {self.replaced} parsed again (changed since they were recorded)"
        return f"{text}; {self.seconds:.1f} s, {rate:.1f} files/s; wrote {self.output}"


class Interrupted(KeyboardInterrupt):
    """:func:`run` was stopped by SIGTERM or SIGHUP (a ``KeyboardInterrupt``, like Ctrl-C).

    Attributes:
        signal: the signal's number.

    """

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signal = signum


class _StopSignals:
    """SIGTERM and SIGHUP stop a run as Ctrl-C does, but never in the middle of a write.

    The handlers are installed only in the main thread (the only one Python
    runs them in), and put back afterwards. A signal that comes while a record
    is written, or while the output is closed, takes effect right after.
    """

    SIGNALS = tuple(getattr(signal, n) for n in ("SIGTERM", "SIGHUP") if hasattr(signal, n))

    def __init__(self) -> None:
        self.held = 0
        self.pending: int | None = None
        self.old: dict[int, Any] = {}

    def __enter__(self) -> _StopSignals:
        if threading.current_thread() is threading.main_thread():
            for signum in self.SIGNALS:
                self.old[signum] = signal.signal(signum, self._handle)
            self.old[signal.SIGINT] = signal.signal(signal.SIGINT, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        for signum, handler in self.old.items():
            signal.signal(signum, handler)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.held:
            self.pending = signum
            return
        raise KeyboardInterrupt if signum == signal.SIGINT else Interrupted(signum)

    def hold(self) -> _Held:
        """Defer the signals until the ``with`` block is done (nested blocks too)."""
        return _Held(self)

    def _release(self) -> None:
        if self.pending is not None:
            signum, self.pending = self.pending, None
            raise KeyboardInterrupt if signum == signal.SIGINT else Interrupted(signum)


class _Held:
    """A block run with :class:`_StopSignals` deferred (a class: cheaper than a generator)."""

    __slots__ = ("signals",)

    def __init__(self, signals: _StopSignals) -> None:
        self.signals = signals

    def __enter__(self) -> None:
        self.signals.held += 1

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        self.signals.held -= 1
        if not self.signals.held and kind is None:
            self.signals._release()


def run(inputs: Iterable[str | os.PathLike[str]], output: str | None = None, *,
        fmt: Format | None = None, workers: int | None = None, layout: str | None = None,
        limits: Limits | None = None, resume: bool = False, replace: bool = True,
        progress: bool | None = None,
        batch_size: int | None = None, timeout: float | None = DEFAULT_TIMEOUT,
        row_group: int = 1000, on_failure: Callable[[str, str, str], None] | None = None,
        on_nothing: Callable[[str], None] | None = None) -> Summary:
    """Parse every report under ``inputs`` and stream one record per file to ``output``.

    This is ``govreport corpus``. The workers parse and encode; this process
    only writes, in input order, so the output is the same whatever the
    number of workers.

    The records go to a temporary file beside ``output``, which becomes
    ``output`` when the run ends — also when it is interrupted (Ctrl-C,
    SIGTERM, SIGHUP: the workers are stopped and what was parsed is kept, for
    ``resume``). A run that fails (say the disk is full) leaves ``output`` as
    it was. While it runs, SIGTERM and SIGHUP raise :class:`Interrupted` (a
    ``KeyboardInterrupt``) in the main thread.

    Args:
        inputs: files, directories (walked) and glob patterns (see :func:`iter_files`).
        output: the output file; ``None`` or ``"-"`` for stdout (not Parquet).
        fmt: ``"jsonl"``, ``"csv"`` or ``"parquet"`` (default: from the file name).
        workers: worker processes (default: the number of cores; 0: in this
            process, when there is no ``timeout``).
        layout: force a text layout for every file.
        limits: size limits for every file (:class:`govreport.Limits`).
        resume: skip the files ``output`` already holds (by resolved path, unchanged:
            the same SHA-256) and append the others; a file changed since it
            was recorded is parsed again and its old record dropped.
        replace: an existing ``output`` (a regular file) may be replaced; with
            ``False`` and without ``resume``, :class:`OutputExists` is raised
            (``govreport corpus`` without ``--force``).
        progress: a progress bar on stderr; default: when stderr is a terminal
            and ``CI`` is not set (needs ``govreport[progress]``).
        batch_size: files per task (default: from the number of files).
        timeout: seconds a file may take before its worker is stopped and
            replaced and the file recorded as an ``"error"`` (``None``: no
            limit, and ``workers=0`` parses in this process).
        row_group: rows per Parquet row group.
        on_failure: called with (file, status, message) for each file that fails.
        on_nothing: called with each directory or pattern that names no file.

    Raises:
        OutputClash: ``output`` is one of the inputs, or inside them (nothing is written).
        OutputExists: ``output`` exists and neither ``resume`` nor ``replace`` was given.
        InputError: the output cannot be written, or read to resume.
        MissingExtra: Parquet without ``govreport[parquet]``.
        KeyboardInterrupt: Ctrl-C; :class:`Interrupted` for SIGTERM and SIGHUP.

    """
    fmt = fmt or format_for(output)
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    _check_timeout(timeout)
    specs = [os.fspath(i) for i in inputs]
    files = list(iter_files(specs, on_nothing=on_nothing))
    check_output(output, specs, files)
    if not (resume or replace) and output not in (None, "-") and os.path.isfile(output):
        raise OutputExists(f"{output} exists: --resume to add the files it does not hold, "
                           "--force to replace it")
    skipped = 0
    keep: int | None = None
    drop: frozenset[str] = frozenset()
    if resume and output not in (None, "-"):
        assert output is not None
        held, keep = resume_index(output, fmt)
        before = len(files)
        files, drop = _not_held(files, held)
        skipped = before - len(files)
    count = default_workers() if workers is None else workers
    if count < 0:
        raise ValueError("workers must be 0 or more")
    count, size, window = plan(len(files), count, batch_size, None)
    if count == 0 and timeout is not None and files:
        count = 1  # only a process of its own can be stopped
    counts: Counter[str] = Counter()
    start = time.perf_counter()
    with _StopSignals() as signals:
        with signals.hold():
            writer = open_writer(output, fmt, keep=keep, drop=drop, row_group=row_group)
        bar = _progress_bar(len(files), progress) if files else None
        job = functools.partial(_encode_one, layout=layout, limits=limits, fmt=fmt)
        fail = functools.partial(_encode_failed, fmt=fmt)
        results = ordered(files, job, fail, workers=count, batch_size=size, window=window,
                          timeout=timeout)
        finished = False
        try:
            for done_file in results:
                with signals.hold():
                    writer.write(done_file)
                counts[done_file.status] += 1
                if done_file.status != "ok" and on_failure is not None:
                    with bar.external_write_mode() if bar is not None else contextlib.nullcontext():
                        on_failure(escape_name(done_file.path), done_file.status,
                                   done_file.error or "")
                if bar is not None:
                    bar.update(1)
                    if done_file.status != "ok":
                        bar.set_postfix_str(f"{sum(counts.values()) - counts['ok']} failed",
                                            refresh=False)
            finished = True
        except KeyboardInterrupt:
            finished = True  # what was parsed is kept: --resume goes on from it
            raise
        finally:
            with signals.hold():
                results.close()
                if bar is not None:
                    bar.close()
                if finished:
                    writer.close()
                else:
                    writer.abort()
    return Summary(output if output not in (None, "-") else "<stdout>", fmt, dict(counts), skipped,
                   time.perf_counter() - start, count, len(drop))


def _resolved(name: str) -> str:
    """A file's name with links and ``.``/``..`` resolved, as outputs write names."""
    return escape_name(os.path.realpath(name))


def _not_held(files: list[str],
              held: dict[str, str | None]) -> tuple[list[str], frozenset[str]]:
    """The files an output does not hold yet, and the held records of files changed since.

    A file is held when a record names it by any path that resolves to it
    (``big/a.txt``, ``./big/a.txt``, the absolute path; relative names
    resolved against the current directory) and, when the record has its
    SHA-256, the file still has those bytes. A file whose bytes changed is
    parsed again; its old record is dropped.
    """
    by_path: dict[str, str] = {}
    for name in held:
        by_path.setdefault(_resolved(name), name)
    todo: list[str] = []
    drop: set[str] = set()
    for path in files:
        name = escape_name(path)
        recorded = name if name in held else by_path.get(_resolved(path))
        if recorded is None:
            todo.append(path)
            continue
        digest = held[recorded]
        if digest is not None:
            now = file_sha256(path)
            if now is not None and now != digest:
                drop.add(recorded)
                todo.append(path)
    return todo, frozenset(drop)
