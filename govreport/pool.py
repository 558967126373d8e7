"""A process pool: results in input order, workers that die replaced, slow files stopped.

:func:`ordered` runs a job on file names in worker processes and yields its
results in input order, keeping only a window of tasks (batches of names) in
flight. Each worker has a pipe of its own: it is sent tasks and sends back
their results when a task ends (or every :data:`_FLUSH` seconds of a slow
one), and counts the files it begins in shared memory, so the parent
always knows which file a worker is on. Hence:

* a worker that dies (a crash in native code, ``os._exit``, the
  out-of-memory killer) costs only the file it was on, given up through
  ``fail(name, "died", DIED)``; the rest of its tasks go to a new worker;
* a file still running after ``timeout`` seconds has its worker killed and
  replaced, and is given up through ``fail(name, "timeout", message)``; the
  files after it go on, so one slow file never stalls the output;
* a job that raises, or a result that does not pickle, gives
  ``fail(name, "crash", message)`` for that file alone.

Workers ignore SIGINT and SIGHUP, which a terminal sends to the whole process
group: the parent decides. When the parent stops (an exception, Ctrl-C, the
generator closed) the workers are killed; on Linux a worker is also killed
when its parent dies (``PR_SET_PDEATHSIG``), so no worker outlives a parent
killed hard. Used by :mod:`govreport.corpus`.
"""

from __future__ import annotations

import contextlib
import ctypes
import heapq
import itertools
import math
import multiprocessing
import os
import pickle
import select
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from multiprocessing.connection import wait as wait_ready
from typing import Any, Generic, Literal, TypeVar

import attrs

__all__ = ["DIED", "Failure", "default_workers", "ordered", "plan"]

Failure = Literal["crash", "died", "timeout"]
"""How a file given up by the pool failed."""

_T = TypeVar("_T")

DIED = ("the worker process died while parsing this file (a crash in native code, "
        "os._exit, or killed for memory)")

_PREFETCH = 2
"""Tasks a worker holds: the one it runs and the next, so it never waits for the parent."""

_STOPPED_FROM_OUTSIDE = {-signal.SIGTERM, -signal.SIGINT, -getattr(signal, "SIGHUP", 1)}
"""Exit codes of a worker someone stopped (``kill``): its file is not to blame, and is run again."""


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
    return multiprocessing.get_context()


def _die_with(parent: int) -> None:
    """Have the kernel kill this process when ``parent`` dies (Linux only)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # it died before the prctl
        os._exit(1)


def _ready(objects: list[Any], timeout: float | None) -> list[Any]:
    """Which of ``objects`` (connections, process sentinels) are ready to read.

    ``Connection.poll`` and ``multiprocessing.connection.wait`` build a
    selector on every call, which costs more than the rest of a result's way
    from a worker; a bare ``poll(2)`` does not.
    """
    if not hasattr(select, "poll"):  # Windows
        return list(wait_ready(objects, timeout))
    poller = select.poll()
    by_fd: dict[int, Any] = {}
    for obj in objects:
        fd = obj if isinstance(obj, int) else obj.fileno()
        by_fd[fd] = obj
        poller.register(fd, select.POLLIN)
    ms = None if timeout is None else max(0, math.ceil(timeout * 1000))
    return [by_fd[fd] for fd, _ in poller.poll(ms)]


def _internal(error: BaseException) -> str:
    return f"internal error: {type(error).__name__}: {error}"


_FLUSH = 0.05
"""Seconds a worker keeps finished results before sending them, unless its task ends first."""


def _send(conn: Any, results: list[Any], names: list[str],
          fail: Callable[[str, Failure, str], Any]) -> bool:
    """Send ``results`` (of ``names``) in one message; ``False`` when the parent is gone."""
    try:
        conn.send(results)
    except OSError:
        return False
    except Exception:  # some result does not pickle (nothing was sent): only it is lost
        fixed = []
        for name, result in zip(names, results, strict=True):
            try:
                pickle.dumps(result)
            except Exception as e:
                result = fail(name, "crash", _internal(e))
            fixed.append(result)
        try:
            conn.send(fixed)
        except OSError:
            return False
    return True


def _serve(conn: Any, started: Any, job: Callable[[str], Any],
           fail: Callable[[str, Failure, str], Any], parent: int | None) -> None:
    """A worker: run ``job`` on each name of each task received, sending the results back.

    ``started`` (shared memory) counts the files begun, so that the parent knows
    which file the worker is on without a message per file; results go back
    when a task ends, or every :data:`_FLUSH` seconds during a slow one.
    """
    # Ctrl-C and a hang-up reach the whole process group; the parent decides what
    # to do, and a worker finishes its file rather than dying with a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler, inherited by fork
    if parent is not None:
        _die_with(parent)
    count = 0
    while True:
        try:
            chunk = conn.recv()
        except (EOFError, OSError):
            return
        if chunk is None:
            return
        results: list[Any] = []
        names: list[str] = []
        last = time.monotonic()
        for name in chunk:
            count += 1
            started.value = count
            try:
                result = job(name)
            except Exception as e:
                result = fail(name, "crash", _internal(e))
            results.append(result)
            names.append(name)
            now = time.monotonic()
            if now - last >= _FLUSH:
                if not _send(conn, results, names, fail):
                    return
                results, names, last = [], [], now
        if results and not _send(conn, results, names, fail):
            return


@attrs.define(eq=False)
class _Task(Generic[_T]):
    seq: int
    chunk: list[str]
    results: list[_T] = attrs.Factory(list)
    given: int = 0  # results yielded so far
    preset: dict[int, _T] = attrs.Factory(dict)  # results decided here (a file that failed)

    @property
    def complete(self) -> bool:
        return len(self.results) == len(self.chunk)

    def add(self, result: _T) -> None:
        self.results.append(result)
        self.fill()

    def fill(self) -> None:
        while len(self.results) in self.preset:
            self.results.append(self.preset.pop(len(self.results)))

    def left(self) -> list[int]:
        """The indices still to run."""
        return [i for i in range(len(self.results), len(self.chunk)) if i not in self.preset]


class _Worker(Generic[_T]):
    """A worker process, its pipe, and the files it was sent, in the order it runs them."""

    def __init__(self, ctx: Any, job: Callable[[str], _T],
                 fail: Callable[[str, Failure, str], _T]) -> None:
        self.conn, child = ctx.Pipe()
        self.started = ctx.RawValue("q", 0)
        main = threading.current_thread() is threading.main_thread()
        # PR_SET_PDEATHSIG fires when the forking *thread* ends: only from the main one.
        self.process = ctx.Process(target=_serve, daemon=True,
                                   args=(child, self.started, job, fail,
                                         os.getpid() if main else None))
        self.process.start()
        child.close()
        self.queue: deque[tuple[_Task[_T], int]] = deque()  # files sent, no result yet
        self.received = 0
        self.seen = 0  # the count of files begun, when last looked at
        self.since = time.monotonic()  # when that count or a result was last new

    @property
    def busy(self) -> bool:
        return bool(self.queue)

    def tasks(self) -> list[_Task[_T]]:
        """The tasks it holds, in order, each once."""
        return list(dict.fromkeys(task for task, _ in self.queue))

    def give(self, task: _Task[_T]) -> None:
        if not self.queue:
            self.since = time.monotonic()
        left = task.left()
        self.queue.extend((task, i) for i in left)
        with contextlib.suppress(OSError):  # it died: its end settles the task
            self.conn.send([task.chunk[i] for i in left])

    def take(self) -> bool:
        """Collect the results that are in; ``False`` when the pipe is closed."""
        try:
            while _ready([self.conn], 0):
                for result in self.conn.recv():
                    task, _ = self.queue.popleft()
                    task.add(result)
                    self.received += 1
                self.since = time.monotonic()
        except (EOFError, OSError):
            return False
        return True

    def late(self, timeout: float) -> bool:
        """Whether the file it is on has run past ``timeout`` (its results read first)."""
        if not self.queue:
            return False
        now = time.monotonic()
        count = self.started.value
        if count != self.seen:
            self.seen, self.since = count, now
        return count > self.received and now - self.since > timeout

    def running(self) -> tuple[_Task[_T], int] | None:
        """The file it was on when it ended: begun, without a result."""
        k = self.started.value - self.received - 1
        return self.queue[k] if 0 <= k < len(self.queue) else None

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()

    def close(self) -> None:
        self.conn.close()
        self.process.close()


class _Pool(Generic[_T]):
    def __init__(self, workers: int, job: Callable[[str], _T],
                 fail: Callable[[str, Failure, str], _T], timeout: float | None) -> None:
        self.count = workers
        self.job = job
        self.fail = fail
        self.timeout = timeout
        self.ctx = _context()
        self.workers: list[_Worker[_T]] = []
        self.todo: list[tuple[int, _Task[_T]]] = []  # a heap: earliest task first

    def run(self, chunks: Iterator[list[str]], window: int) -> Generator[_T, None, None]:
        seq = itertools.count()
        pending: deque[_Task[_T]] = deque()
        exhausted = False
        while True:
            while not exhausted and len(pending) < window:
                chunk = next(chunks, None)
                if chunk is None:
                    exhausted = True
                else:
                    task: _Task[_T] = _Task(next(seq), chunk)
                    pending.append(task)
                    heapq.heappush(self.todo, (task.seq, task))
            if not pending:
                return
            self._assign()
            head = pending[0]
            if head.given < len(head.results):
                ready = head.results[head.given:]
                head.given = len(head.results)
                yield from ready
            elif head.complete:
                pending.popleft()
            else:
                self._wait(head)

    def _assign(self) -> None:
        while self.todo:
            held = {w: len(w.tasks()) for w in self.workers}
            idle = [w for w in self.workers if held[w] < _PREFETCH]
            if idle:
                worker = min(idle, key=lambda w: held[w])
                if held[worker] and len(self.workers) < self.count:
                    worker = self._spawn()
            elif len(self.workers) < self.count:
                worker = self._spawn()
            else:
                return
            worker.give(heapq.heappop(self.todo)[1])

    def _spawn(self) -> _Worker[_T]:
        worker = _Worker(self.ctx, self.job, self.fail)
        self.workers.append(worker)
        return worker

    def _wait(self, head: _Task[_T]) -> None:
        """Wait until the head task has a new result, a worker ended, or a deadline passed.

        Only the head's worker is waited on (with every worker's end): results of
        later tasks are collected on the way, without a wake-up of their own.
        """
        ended = [w for w in self.workers if not w.take()]
        if not ended and head.given == len(head.results):
            limit = None
            busy = [w for w in self.workers if w.busy]
            if self.timeout is not None and busy:
                # Past the earliest deadline, and often enough to see the files begun.
                due = min(w.since for w in busy) + self.timeout - time.monotonic()
                limit = max(0.0, min(due, min(5.0, max(0.01, self.timeout / 8))))
            owner = [w for w in self.workers if w.queue and w.queue[0][0] is head]
            watched = [w.conn for w in owner or self.workers]
            watched += [w.process.sentinel for w in self.workers]
            ready = _ready(watched, limit)
            ended = [w for w in self.workers
                     if (w.conn in ready and not w.take()) or w.process.sentinel in ready]
        for w in ended:
            w.process.join()
            stopped = w.process.exitcode in _STOPPED_FROM_OUTSIDE
            self._lost(w, None if stopped else ("died", DIED))
        if self.timeout is None:
            return
        for w in list(self.workers):
            # its results may not have been read yet (only the head's worker is waited on)
            if not w.late(self.timeout) or not w.take() or not w.late(self.timeout):
                continue  # on time, or ended (settled at the next look)
            before = w.since
            w.kill()
            # A result that came in the instant before the kill: the slow file is not known.
            w.take()
            self._lost(w, None if w.since != before else (
                "timeout", f"still running after {self.timeout:g} s (the time budget per "
                           "file); its worker was stopped"))

    def _lost(self, worker: _Worker[_T], blame: tuple[Failure, str] | None) -> None:
        """Settle the files of a worker that ended: the one it was on fails, the rest run again."""
        worker.take()
        self.workers.remove(worker)
        running = worker.running()
        if blame is not None and running is not None:
            task, i = running
            task.preset[i] = self.fail(task.chunk[i], *blame)
            task.fill()
        for task in worker.tasks():
            if not task.complete:
                heapq.heappush(self.todo, (task.seq, task))
        worker.queue.clear()
        worker.close()

    def stop(self, clean: bool) -> None:
        """End the workers: ask idle ones to leave after a clean run, else kill them."""
        for w in self.workers:
            if clean:
                with contextlib.suppress(OSError):
                    w.conn.send(None)
        for w in self.workers:
            if clean:
                w.process.join(5)
            w.kill()
            w.close()
        self.workers.clear()


def _chunks(items: Iterator[str], size: int) -> Iterator[list[str]]:
    while True:
        chunk = list(itertools.islice(items, size))
        if not chunk:
            return
        yield chunk


def ordered(paths: Iterable[str], job: Callable[[str], _T],
            fail: Callable[[str, Failure, str], _T], *, workers: int, batch_size: int,
            window: int, timeout: float | None = None) -> Generator[_T, None, None]:
    """Run ``job`` on each of ``paths`` in ``workers`` processes; yield its results in input order.

    ``workers=0`` runs the job in this process, unless there is a ``timeout``
    (seconds per file): only a process of its own can be stopped, so then one
    worker is used.
    """
    chunks = _chunks(iter(paths), batch_size)
    if workers == 0 and timeout is None:
        for chunk in chunks:
            for name in chunk:
                yield job(name)
        return
    pool: _Pool[_T] = _Pool(max(workers, 1), job, fail, timeout)
    clean = False
    try:
        yield from pool.run(chunks, window)
        clean = True
    finally:
        pool.stop(clean)


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
