"""The one registry of what govreport can read: text layouts and table forms.

A *text layout* (:class:`govreport.layouts.Layout`) rebuilds a report's
tables from plain text; a *table form* (:class:`govreport.forms.Form`) turns
the rows of one kind of table into an attrs class. Both are objects with a
``name`` and a ``description``.

govreport's own layouts and forms are listed here, in code
(:data:`BUILTIN_LAYOUTS`, :data:`BUILTIN_FORMS`): a checkout and a wheel
register the same objects in the same order, and nothing reads packaging
metadata for them. Third-party packages declare theirs as entry points, one
group each::

    [project.entry-points."govreport.layouts"]
    my_layout = "my_package.layouts:MyLayout"

    [project.entry-points."govreport.forms"]
    my_table = "my_package:MY_TABLE"

An entry point names an object or a class (instantiated without arguments);
what it is decides where it goes, and a table form declared in the layouts
group (the one group of govreport 0.1) still loads, with a
:class:`DeprecationWarning`. Nothing is dispatched on names.

Loading is lazy and happens once per process, on the first call that needs
the registry (parsing, ``govreport layouts``); the built-ins load first, then
third-party entry points ordered by distribution and name, so a plugin may
replace a built-in deliberately by registering the same name. A third-party
entry point that fails to load is skipped with a :class:`RuntimeWarning`.
:mod:`importlib.metadata` is imported only when a distribution on
:data:`sys.path` declares one of the groups.

:func:`register` adds an object in-process (tests, notebooks); the last
registration of a name wins.
"""

from __future__ import annotations

import importlib
import os
import sys
import threading
import warnings
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from attrs import frozen

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

    from govreport.forms.base import Form
    from govreport.layouts import Layout

__all__ = [
    "BUILTIN_FORMS",
    "BUILTIN_LAYOUTS",
    "ENTRY_POINT_GROUP",
    "FORMS_GROUP",
    "LAYOUTS_GROUP",
    "Entry",
    "EntryKind",
    "entries",
    "form",
    "forms",
    "layouts",
    "register",
    "unregister",
]

LAYOUTS_GROUP = "govreport.layouts"
"""The entry-point group of third-party text layouts."""
FORMS_GROUP = "govreport.forms"
"""The entry-point group of third-party table forms."""
ENTRY_POINT_GROUP = LAYOUTS_GROUP
"""Deprecated alias of :data:`LAYOUTS_GROUP` (govreport 0.1 had one group for both)."""

BUILTIN_LAYOUTS: tuple[str, ...] = (
    "govreport.layouts.crawler:CrawlerText",
    "govreport.layouts.cells:LineCells",
    "govreport.layouts.cells:ParaCells",
    "govreport.layouts.pipe:PipeCells",
    "govreport.layouts.pipe:PipeRows",
    "govreport.layouts.prose:Prose",
    "govreport.layouts.tab:TabCells",
    "govreport.layouts.tab:TabRows",
)
"""govreport's text layouts, as ``"module:object"``; loaded in this order."""

BUILTIN_FORMS: tuple[str, ...] = (
    "govreport.forms.applications:APPLICATIONS_2019",
    "govreport.forms.applications:APPLICATIONS_2021",
    "govreport.forms.proactive:PROACTIVE_2019",
    "govreport.forms.proactive:PROACTIVE_2021",
    "govreport.forms.review:REVIEW_LITIGATION",
    "govreport.forms.statistics:STATISTICS_2014",
)
"""govreport's table forms, as ``"module:object"``; loaded in this order."""

EntryKind = Literal["layout", "form"]

_DIST = "govreport"
_IN_PROCESS = "register() in this process"

T = TypeVar("T")


@frozen
class Entry:
    """One registered layout or table form, and where it came from.

    ``origin`` is ``govreport <version>`` for a built-in, the distribution
    and version that declared a plugin (``govreport-example-province
    0.1.0``), or ``register() in this process``.
    """

    name: str
    kind: EntryKind
    origin: str
    description: str
    obj: Any


_lock = threading.RLock()
_layouts: dict[str, Entry] = {}
_forms: dict[str, Entry] = {}
# forms() and layouts() are asked for several times per parsed table; their
# answers are kept until a registration changes them.
_snapshot: dict[str, Any] = {}
_state: Literal["new", "loading", "done"] = "new"


# --------------------------------------------------------------------------- finding plugins


def _builtin(spec: str) -> Any:
    module, _, attr = spec.partition(":")
    return getattr(importlib.import_module(module), attr)


def _dist_name(ep: EntryPoint) -> str | None:
    import re

    dist = getattr(ep, "dist", None)
    if dist is None:
        return None
    name: str = dist.metadata["Name"] or ""
    return re.sub(r"[-_.]+", "-", name).lower()


def _origin(ep: EntryPoint) -> str:
    dist = getattr(ep, "dist", None)
    if dist is None:
        return "unknown distribution"
    return f"{dist.metadata['Name']} {dist.version}"


def _may_declare_plugins() -> bool:
    """Whether an installed distribution may declare a govreport entry point.

    Read straight from the ``entry_points.txt`` of each ``*.dist-info`` and
    ``*.egg-info`` folder on :data:`sys.path`, where :mod:`importlib.metadata`
    finds them: about a millisecond, where importing that module and asking
    it costs 40-50 ms of a cold start. A path entry that is not a folder (a
    zip) may hold metadata this does not read, so it answers yes.
    """
    for entry in sys.path:
        folder = entry or "."
        try:
            names = os.listdir(folder)
        except NotADirectoryError:
            return True
        except OSError:
            continue
        for name in names:
            if not name.endswith((".dist-info", ".egg-info")):
                continue
            try:
                with open(os.path.join(folder, name, "entry_points.txt"), encoding="utf-8",
                          errors="replace") as f:
                    if "[govreport." in f.read():
                        return True
            except OSError:
                continue
    return False


def _third_party() -> Iterator[tuple[EntryKind, EntryPoint]]:
    """Third-party entry points of both groups, by distribution and name.

    An installed govreport of an older version declared its built-ins as
    entry points too; those are skipped (the built-ins are listed in code).
    """
    if not _may_declare_plugins():
        return
    from importlib.metadata import entry_points

    everything = entry_points()
    found: list[tuple[EntryKind, EntryPoint]] = []
    groups: tuple[tuple[EntryKind, str], ...] = (("layout", LAYOUTS_GROUP), ("form", FORMS_GROUP))
    for kind, group in groups:
        found += [(kind, ep) for ep in everything.select(group=group) if _dist_name(ep) != _DIST]
    yield from sorted(found, key=lambda k_ep: (_dist_name(k_ep[1]) or "", k_ep[1].name))


# --------------------------------------------------------------------------- loading


def _load() -> None:
    global _state
    with _lock:
        if _state != "new":
            return  # loaded, or loading further up this thread's stack
        _state = "loading"
        try:
            from govreport import __version__

            origin = f"{_DIST} {__version__}"
            for spec in (*BUILTIN_LAYOUTS, *BUILTIN_FORMS):
                _add(_builtin(spec), origin)
            for kind, ep in _third_party():
                try:
                    obj = _add(ep.load(), _origin(ep))
                except Exception as e:  # one broken plugin must not stop all parsing
                    warnings.warn(f"govreport: skipping plugin {ep.name!r} ({ep.value}) from "
                                  f"{_origin(ep)}: {type(e).__name__}: {e}",
                                  RuntimeWarning, stacklevel=2)
                    continue
                if kind == "layout" and not isinstance(obj, _layout_type()):
                    warnings.warn(f"govreport: the table form {ep.name!r} of {_origin(ep)} is "
                                  f"declared in the {LAYOUTS_GROUP!r} entry-point group; "
                                  f"declare it in {FORMS_GROUP!r}", DeprecationWarning,
                                  stacklevel=2)
        except BaseException:
            _state = "new"
            raise
        _state = "done"


def _layout_type() -> type:
    from govreport.layouts import Layout

    return Layout


def _add(obj: Any, origin: str) -> Any:
    from govreport.forms.base import Form
    from govreport.layouts import Layout

    if isinstance(obj, type):
        obj = obj()
    description = str(getattr(obj, "description", "") or "")
    _snapshot.clear()
    if isinstance(obj, Form):
        _forms[obj.name] = Entry(obj.name, "form", origin, description, obj)
    elif isinstance(obj, Layout):
        _layouts[obj.name] = Entry(obj.name, "layout", origin, description, obj)
    else:
        raise TypeError(f"{obj!r} is neither a table form (govreport.forms.Form) nor a text "
                        "layout (name, description, score(lines), read(lines))")
    return obj


def register(obj: T, *, origin: str = _IN_PROCESS) -> T:
    """Register a text layout or a table form in this process; returns it.

    The entry points are loaded first, so an object registered here replaces
    a built-in or plugin of the same name.

    Raises:
        TypeError: ``obj`` is neither a layout nor a form.

    """
    with _lock:
        _load()
        added: T = _add(obj, origin)
        return added


def unregister(name: str, kind: EntryKind) -> None:
    """Remove a registration (tests use it to undo :func:`register`)."""
    with _lock:
        _load()
        _snapshot.clear()
        (_forms if kind == "form" else _layouts).pop(name, None)


def entries() -> tuple[Entry, ...]:
    """Every registered layout, then every table form, in registration order."""
    with _lock:
        _load()
        return (*_layouts.values(), *_forms.values())


def layouts() -> dict[str, Layout]:
    """The text layouts by name, in registration order."""
    found: dict[str, Layout] | None = _snapshot.get("layouts")
    if found is None:
        with _lock:
            _load()
            found = {name: e.obj for name, e in _layouts.items()}
            if _state == "done":  # not a half-loaded registry
                _snapshot["layouts"] = found
    return dict(found)


def forms() -> tuple[Form, ...]:
    """The table forms, in registration order."""
    found: tuple[Form, ...] | None = _snapshot.get("forms")
    if found is None:
        with _lock:
            _load()
            found = tuple(e.obj for e in _forms.values())
            if _state == "done":  # not a half-loaded registry
                _snapshot["forms"] = found
    return found


def form(name: str) -> Form | None:
    """The table form called ``name``, or ``None``."""
    with _lock:
        _load()
        entry = _forms.get(name)
        return None if entry is None else entry.obj
