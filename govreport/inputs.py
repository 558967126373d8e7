"""The files a corpus run reads: directories walked, glob patterns expanded, the output kept apart.

:func:`iter_files` turns inputs (files, directories, patterns) into file
names. A directory that cannot be listed is not skipped in silence: its name
is yielded like a file's, so that the parse records why it could not be read.
:func:`check_output` refuses an output that is one of the inputs, or that the
inputs would pick up, before anything is opened for writing. Used by
:mod:`govreport.corpus`, which re-exports the public names.
"""

from __future__ import annotations

import fnmatch
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence

__all__ = ["SUFFIXES", "OutputClash", "OutputExists", "check_output", "iter_files"]

SUFFIXES: tuple[str, ...] = (".txt", ".html", ".htm", ".docx", ".pdf")
"""Files a directory walk or a glob picks up (any case); files named outright are always read."""

_MAGIC = re.compile(r"[*?[]")


class OutputClash(ValueError):
    """The output of a run is one of its inputs: writing it would destroy a report."""


class OutputExists(OutputClash):
    """The output exists, and the run was asked neither to resume it nor to replace it."""


def _hidden(name: str) -> bool:
    return name.startswith(".")


def _expand(pattern: str) -> list[str]:
    """Expand a glob pattern as :func:`glob.glob` (``recursive=True``) does, failures kept.

    A directory that the pattern needs to look into and that cannot be listed
    is part of the result, so that it is reported rather than skipped.
    """
    parts = pattern.split(os.sep)
    first = next((i for i, p in enumerate(parts) if _MAGIC.search(p)), len(parts))
    base = os.sep.join(parts[:first]) or (os.sep if pattern.startswith(os.sep) else "")
    found: list[str] = []

    def listing(path: str) -> list[os.DirEntry[str]] | None:
        try:
            with os.scandir(path or os.curdir) as entries:
                return sorted(entries, key=lambda e: e.name)
        except OSError:
            found.append(path)
            return None

    def join(path: str, name: str) -> str:
        return os.path.join(path, name) if path else name

    def descend(path: str, rest: list[str], top: bool = True) -> None:
        if not rest:
            found.append(path)
            return
        head, tail = rest[0], rest[1:]
        if head == "**":
            if tail:
                descend(path, tail)
            elif path:  # a trailing ** names the directories too
                found.append(join(path, "") if top else path)
            for entry in listing(path) or ():
                if _hidden(entry.name):
                    continue
                if _is_dir(entry):
                    descend(join(path, entry.name), rest, top=False)
                elif not tail:
                    found.append(join(path, entry.name))
            return
        if not _MAGIC.search(head):
            target = join(path, head)
            if (os.path.lexists(target) if not tail else os.path.isdir(target)):
                descend(target, tail)
            return
        for entry in listing(path) or ():
            if _hidden(entry.name) and not _hidden(head):
                continue
            if fnmatch.fnmatchcase(entry.name, head) and (not tail or _is_dir(entry)):
                descend(join(path, entry.name), tail)

    if base and not os.path.isdir(base):
        return []
    descend(base, parts[first:])
    return sorted(dict.fromkeys(found))


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def iter_files(inputs: Iterable[str | os.PathLike[str]], *,
               suffixes: Sequence[str] = SUFFIXES,
               on_nothing: Callable[[str], None] | None = None) -> Iterator[str]:
    """Yield the report files named by ``inputs``, each once, in a stable order.

    A directory is walked recursively (sorted; directories whose name starts
    with ``.`` are skipped) for files with one of ``suffixes``; a pattern with
    ``*``, ``?`` or ``[`` is expanded like :func:`glob.glob` (``**`` spans
    directories; sorted; a matched directory is walked); anything else is a
    file and is yielded as given, even when it is missing, so that the error
    is recorded for it. So is a directory that cannot be listed: it is
    yielded, and parsing it records why. Names with bytes that are not UTF-8
    come as Python gives them (``surrogateescape``), so they can be opened.
    ``on_nothing(input)`` is called for a directory or pattern that yields no
    file.
    """
    wanted = tuple(s.lower() for s in suffixes)
    seen: set[str] = set()
    hits = 0  # files an input named, new or not: one named before is not "nothing"

    def fresh(path: str) -> bool:
        nonlocal hits
        hits += 1
        # One file under several names (big/a.txt, ./big/a.txt, the absolute path, a
        # link) is read once.
        key = os.path.realpath(path)
        if key in seen:
            return False
        seen.add(key)
        return True

    def walk(top: str) -> Iterator[str]:
        failed: list[OSError] = []

        def unlisted() -> Iterator[str]:  # directories os.walk could not list, in its order
            while failed:
                path = os.fspath(failed.pop(0).filename)
                if fresh(path):
                    yield path

        for root, dirs, files in os.walk(top, onerror=failed.append):
            yield from unlisted()
            dirs[:] = sorted(d for d in dirs if not _hidden(d))
            for name in sorted(files):
                if name.lower().endswith(wanted):
                    path = os.path.join(root, name)
                    if fresh(path):
                        yield path
        yield from unlisted()

    for item in inputs:
        spec = os.fspath(item)
        before = hits
        if os.path.isdir(spec):
            yield from walk(spec)
        elif _MAGIC.search(spec) and not os.path.exists(spec):
            for match in _expand(spec):
                if os.path.isdir(match):
                    yield from walk(match)
                elif match.lower().endswith(wanted) and fresh(match):
                    yield match
        else:
            if fresh(spec):
                yield spec
            continue
        if hits == before and on_nothing is not None:
            on_nothing(spec)


# --------------------------------------------------------------------------- the output


def _matches(pattern: list[str], parts: list[str]) -> bool:
    """Whether path components ``parts`` match glob components ``pattern`` (``**`` spans dirs)."""
    if not pattern:
        return not parts
    head = pattern[0]
    if head == "**":
        if _matches(pattern[1:], parts):
            return True
        return bool(parts) and not _hidden(parts[0]) and _matches(pattern, parts[1:])
    if not parts:
        return False
    if _hidden(parts[0]) and not _hidden(head) and _MAGIC.search(head):
        return False
    return fnmatch.fnmatchcase(parts[0], head) and _matches(pattern[1:], parts[1:])


def _would_read(spec: str, output: str, wanted: tuple[str, ...]) -> bool:
    """Whether input ``spec`` would pick up ``output``, a file that does not exist yet."""
    out = os.path.abspath(output)
    if os.path.isdir(spec):
        top = os.path.realpath(spec)
        rel = os.path.relpath(os.path.realpath(os.path.dirname(out)), top)
        inside = rel == os.curdir or (not rel.startswith(os.pardir + os.sep) and rel != os.pardir)
        below = [] if rel == os.curdir else rel.split(os.sep)
        return (inside and not any(_hidden(p) for p in below)
                and out.lower().endswith(wanted))
    if _MAGIC.search(spec) and not os.path.exists(spec):
        pattern = os.path.abspath(spec).split(os.sep)
        parts = out.split(os.sep)
        if _matches(pattern, parts):
            return True
        # a directory the pattern matches is walked
        return out.lower().endswith(wanted) and any(
            _matches(pattern, parts[:k]) and not any(_hidden(p) for p in parts[k:-1])
            for k in range(1, len(parts)))
    return os.path.abspath(spec) == out


def check_output(output: str | None, inputs: Iterable[str], files: Iterable[str], *,
                 suffixes: Sequence[str] = SUFFIXES) -> None:
    """Refuse an ``output`` that is one of the input ``files`` or that ``inputs`` would pick up.

    Writing such an output would replace a report with the records (and a
    later ``--resume`` would read the output as a report). Standard output
    and outputs that are not regular files (``/dev/null``, a pipe) are never
    replaced, so they are let through.

    Raises:
        OutputClash: with a message naming the input.

    """
    if output in (None, "-"):
        return
    assert output is not None
    try:
        st = os.stat(output)
    except OSError:
        st = None
    if st is not None:
        if not stat.S_ISREG(st.st_mode):
            return
        for name in files:
            try:
                other = os.stat(name)
            except OSError:
                continue
            if (other.st_ino, other.st_dev) == (st.st_ino, st.st_dev):
                raise OutputClash(f"the output {output} is also an input ({name}): writing it "
                                  "would destroy that file; choose another -o")
        return
    wanted = tuple(s.lower() for s in suffixes)
    for spec in inputs:
        if _would_read(spec, output, wanted):
            raise OutputClash(f"the output {output} would be among the inputs ({spec}): "
                              "choose another -o, outside them")
