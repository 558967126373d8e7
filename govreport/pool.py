"""A process pool that yields results in input order and survives workers that die.

:func:`ordered` runs a job over batches of file names in worker processes,
keeping only a window of tasks in flight, and yields the job's results in
input order. When a worker dies (``BrokenProcessPool``: a crash in native
code, ``os._exit``, the out-of-memory killer) the pool is replaced and the
files of every task lost with it are run again one by one, so that only the
file that kills a worker is given up, through ``fail(name, "died", message)``.
A task that fails otherwise gives ``fail(name, "crash", message)`` for its
files. Used by :mod:`govreport.corpus`.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import wait as wait_futures
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Generic, Literal, TypeVar

import attrs

__all__ = ["DIED", "Failure", "default_workers", "ordered", "plan"]

Failure = Literal["crash", "died"]
"""How a file given up by the pool failed."""

_T = TypeVar("_T")


def default_workers() -> int:
    """The number of cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


def _context() -> Any:
    # fork: workers start at once and share the parent's loaded modules (and any
    # parsers already built); elsewhere the platform's default.
    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return None


def _worker_init() -> None:
    # Ctrl-C is for the main process: it stops handing out work and closes the
    # output; a worker finishes its task instead of dying with a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class _Pool:
    """A process pool that can be replaced when one of its workers dies."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._executor: ProcessPoolExecutor | None = None

    def submit(self, job: Callable[[list[str]], list[_T]], chunk: list[str]) -> Future[list[_T]]:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(self.workers, mp_context=_context(),
                                                 initializer=_worker_init)
        try:
            return self._executor.submit(job, chunk)
        except BrokenProcessPool as e:  # broke since the last look: fail this task too
            failed: Future[list[_T]] = Future()
            failed.set_exception(e)
            return failed

    def replace(self) -> None:
        self.close()

    def close(self, *, cancel: bool = False) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=cancel)
            self._executor = None


@attrs.define
class _Task(Generic[_T]):
    chunk: list[str]
    future: Future[list[_T]] | None
    results: list[_T] | None = None


def _chunks(items: Iterator[str], size: int) -> Iterator[list[str]]:
    while True:
        chunk = list(itertools.islice(items, size))
        if not chunk:
            return
        yield chunk


DIED = ("the worker process died while parsing this file (a crash in native code, "
         "os._exit, or killed for memory)")


def _recover(pending: deque[_Task[_T]], pool: _Pool,
             job: Callable[[list[str]], list[_T]],
             fail: Callable[[str, Failure, str], _T]) -> None:
    """Settle every in-flight task after the pool broke, in a fresh pool."""
    wait_futures([t.future for t in pending if t.results is None and t.future is not None])
    pool.replace()
    for task in pending:
        if task.results is not None or task.future is None:
            continue
        error = task.future.exception()
        if error is None:
            task.results = task.future.result()
        elif isinstance(error, BrokenProcessPool):
            task.results = _isolate(task.chunk, pool, job, fail)
        else:
            message = f"internal error: {type(error).__name__}: {error}"
            task.results = [fail(p, "crash", message) for p in task.chunk]
        task.future = None


def _isolate(chunk: list[str], pool: _Pool, job: Callable[[list[str]], list[_T]],
             fail: Callable[[str, Failure, str], _T]) -> list[_T]:
    """Retry each file of a task alone, so only the one that kills a worker is lost."""
    out: list[_T] = []
    for path in chunk:
        try:
            out.extend(pool.submit(job, [path]).result())
        except BrokenProcessPool:
            out.append(fail(path, "died", DIED))
            pool.replace()
    return out


def ordered(paths: Iterable[str], job: Callable[[list[str]], list[_T]],
             fail: Callable[[str, Failure, str], _T], *, workers: int, batch_size: int,
             window: int) -> Generator[_T, None, None]:
    """Run ``job`` over batches of ``paths`` and yield its results in input order."""
    chunks = _chunks(iter(paths), batch_size)
    if workers == 0:
        for batch in chunks:
            yield from job(batch)
        return
    pool = _Pool(workers)
    pending: deque[_Task[_T]] = deque()
    exhausted = False
    try:
        while True:
            while not exhausted and len(pending) < window:
                chunk = next(chunks, None)
                if chunk is None:
                    exhausted = True
                else:
                    pending.append(_Task(chunk, pool.submit(job, chunk)))
            if not pending:
                return
            head = pending[0]
            if head.results is None:
                assert head.future is not None
                try:
                    head.results = head.future.result()
                except BrokenProcessPool:
                    _recover(pending, pool, job, fail)
                except Exception as e:  # the task itself failed (its results would not pickle …)
                    message = f"internal error: {type(e).__name__}: {e}"
                    head.results = [fail(p, "crash", message) for p in head.chunk]
            pending.popleft()
            assert head.results is not None
            yield from head.results
    finally:
        pool.close(cancel=True)


def plan(n: int | None, workers: int, batch_size: int | None,
         window: int | None) -> tuple[int, int, int]:
    """Workers, files per task and tasks in flight for ``n`` files (``None``: unknown).

    Enough tasks that every worker gets several, at most 16 files a task, no
    more workers than tasks, and a window of 4 tasks per worker.
    """
    if batch_size is None:
        batch_size = 8 if n is None else max(1, min(16, n // (max(workers, 1) * 8)))
    if workers and n is not None:
        workers = max(1, min(workers, -(-n // batch_size)))
    if window is None:
        window = 4 * max(workers, 1)
    return workers, batch_size, max(1, window)
