"""Reports past one machine: a Dask bag or dataframe of flat records.

Each partition is a handful of files, parsed where Dask runs it: in this
process, a local process pool, or the workers of a ``dask.distributed``
cluster (which must see the files at the same paths)::

    import govreport.dask
    df = govreport.dask.dataframe("reports/**/*.txt")
    df.groupby("year")["applications.new_received.total"].sum().compute()

Needs the optional extra ``govreport[dask]``; see ``docs/corpus.md``.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable
from typing import Any

from govreport.corpus import _parse_one, iter_files
from govreport.errors import MissingExtra
from govreport.records import META, Result, flat_record, is_amount, value_keys

__all__ = ["bag", "dataframe", "files", "meta", "results"]


def _import(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:
        error = MissingExtra("Dask", "dask")
        error.message = "govreport.dask needs an optional extra: pip install 'govreport[dask]'"
        error.args = (str(error),)
        raise error from None


def files(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> list[str]:
    """The report files named by ``paths``: files, directories (walked) and glob patterns.

    A single string is one path or pattern; see :func:`govreport.corpus.iter_files`.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    return list(iter_files(paths))


def _records(chunk: Iterable[str], layout: str | None) -> list[dict[str, Any]]:
    return [flat_record(_parse_one(path, layout)) for path in chunk]


def _check_size(size: int) -> None:
    if size < 1:
        raise ValueError("partition_size must be at least 1")


def _chunks(names: list[str], size: int) -> list[list[str]]:
    _check_size(size)
    return [names[i:i + size] for i in range(0, len(names), size)]


def bag(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]], *,
        layout: str | None = None, partition_size: int = 16) -> Any:
    """A ``dask.bag.Bag`` of flat records, one per file, in input order.

    Each record is :func:`govreport.records.flat_record`: the metadata
    (:data:`govreport.records.META`) and every flat key of both templates and
    of the installed forms' tables, a plugin's included (``int``, ``Decimal``
    or ``None``).
    A file that cannot be parsed is a record with its status and error, never
    a failed task.

    Args:
        paths: files, directories and glob patterns (see :func:`files`).
        layout: force a text layout for every file.
        partition_size: files per partition (one task each).

    Raises:
        MissingExtra: Dask is not installed (``pip install 'govreport[dask]'``).

    """
    db = _import("dask.bag")
    _check_size(partition_size)
    return db.from_sequence(files(paths), partition_size=partition_size).map_partitions(
        _records, layout=layout)


def meta(keys: tuple[str, ...] | None = None) -> Any:
    """The empty ``pandas.DataFrame`` giving :func:`dataframe`'s columns and dtypes.

    The metadata columns (``file``, ``status``, ``error``, ``agency``,
    ``template``, ``layout``, ``title``, the dates as ISO text, ``sha256``)
    are strings (``object``); ``diagnostics`` is ``int64``; ``year`` and the
    counts are nullable ``Int64``; amounts (the ``amount…`` keys)
    ``float64``. The value columns are ``keys``, by default
    :func:`govreport.records.value_keys`: both templates' keys, then those of
    the installed forms' tables (a plugin's), decided when it is called.
    """
    pd = _import("pandas")
    dtypes: dict[str, str] = dict.fromkeys(META, "object")
    dtypes["diagnostics"] = "int64"
    dtypes["year"] = "Int64"
    for k in value_keys() if keys is None else keys:
        dtypes[k] = "float64" if is_amount(k) else "Int64"
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in dtypes.items()})


def _frame(task: tuple[int, list[str]], layout: str | None, keys: tuple[str, ...]) -> Any:
    pd = _import("pandas")
    start, chunk = task
    rows = _records(chunk, layout)
    empty = meta(keys)
    frame = pd.DataFrame.from_records(rows, columns=list(empty.columns),
                                      index=pd.RangeIndex(start, start + len(rows)))
    for k in keys:
        if is_amount(k):
            frame[k] = [None if v is None else float(v) for v in frame[k]]
    return frame.astype(empty.dtypes.to_dict())


def dataframe(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]], *,
              layout: str | None = None, partition_size: int = 16) -> Any:
    """A ``dask.dataframe.DataFrame`` of flat records, one row per file.

    The columns and dtypes are those of :func:`meta` (a plugin's table keys
    included: its package must be installed on the workers too); the index is the
    file's position in the input (0, 1, …), and the divisions are known.
    Parsing happens when the frame is computed.

    Args:
        paths: files, directories and glob patterns (see :func:`files`).
        layout: force a text layout for every file.
        partition_size: files per partition.

    Raises:
        MissingExtra: Dask or pandas is not installed (``pip install 'govreport[dask]'``).

    """
    dd = _import("dask.dataframe")
    keys = value_keys()  # decided here, from the forms installed where the frame is built
    chunks = _chunks(files(paths), partition_size)
    if not chunks:
        return dd.from_pandas(meta(keys), npartitions=1)
    starts = [i * partition_size for i in range(len(chunks))]
    divisions = (*starts, starts[-1] + len(chunks[-1]) - 1)
    return dd.from_map(_frame, list(zip(starts, chunks, strict=True)), layout=layout,
                       keys=keys, meta=meta(keys), divisions=divisions, enforce_metadata=False)


def results(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]], *,
            layout: str | None = None, partition_size: int = 16) -> Any:
    """A ``dask.bag.Bag`` of :class:`~govreport.records.Result` (whole reports), in input order.

    For work that needs more than the flat values (sections, diagnostics,
    :func:`govreport.check`); map over it and reduce to small results, since
    whole reports are large to move between machines.
    """
    db = _import("dask.bag")
    _check_size(partition_size)
    return db.from_sequence(files(paths), partition_size=partition_size).map(
        _result, layout=layout)


def _result(path: str, layout: str | None) -> Result:
    return _parse_one(path, layout)
