"""The one registry of what govreport can read: text layouts and table forms.

A *text layout* (:class:`govreport.layouts.Layout`) rebuilds a report's
tables from plain text; a *table form* (:class:`govreport.forms.Form`) turns
the rows of one kind of table into an attrs class. Both are objects with a
``name`` and a ``description``, declared as entry points of the
``govreport.layouts`` group. govreport declares its own built-ins in its
``pyproject.toml`` exactly as a third-party package declares its plugins::

    [project.entry-points."govreport.layouts"]
    pipe_rows = "govreport.layouts.pipe:PipeRows"
    applications_2021 = "govreport.forms.applications:APPLICATIONS_2021"

An entry point names an object or a class (instantiated without arguments);
what it is decides where it goes: a :class:`~govreport.forms.Form` is a table
form, anything else with the :class:`~govreport.layouts.Layout` protocol a
text layout. Nothing is dispatched on names.

Loading is lazy and happens once per process, on the first call that needs
the registry (parsing, ``govreport layouts``); the built-ins load first, then
third-party entry points ordered by distribution and name, so a plugin may
replace a built-in deliberately by registering the same name. A third-party
entry point that fails to load is skipped with a :class:`RuntimeWarning`; a
built-in that fails is a bug and raises.

Run from a source tree (a checkout on ``sys.path``, or an editable install)
the built-ins are read from the ``pyproject.toml`` beside the package rather
than from installed metadata, so a checkout never runs with a stale list of
built-ins; third-party plugins always come from installed metadata. Without
either, the registry cannot know the built-ins and says so.

:func:`register` adds an object in-process (tests, notebooks); the last
registration of a name wins.
"""

from __future__ import annotations

import re
import threading
import warnings
from collections.abc import Iterator
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from attrs import frozen

from govreport.errors import GovReportError

if TYPE_CHECKING:
    from govreport.forms.base import Form
    from govreport.layouts import Layout

__all__ = [
    "ENTRY_POINT_GROUP",
    "Entry",
    "EntryKind",
    "builtin_entry_points",
    "declared_entry_points",
    "entries",
    "form",
    "forms",
    "layouts",
    "register",
    "unregister",
]

ENTRY_POINT_GROUP = "govreport.layouts"
"""The entry-point group of layouts and table forms, built-in and third-party."""

EntryKind = Literal["layout", "form"]

_DIST = "govreport"
_IN_PROCESS = "register() in this process"

T = TypeVar("T")


@frozen
class Entry:
    """One registered layout or table form, and where it came from.

    ``origin`` is the distribution and version that declared it
    (``govreport 0.1.0``, ``govreport-example-province 0.1.0``), ``govreport
    (source tree)`` for built-ins read from a checkout, or ``register() in
    this process``.
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


# --------------------------------------------------------------------------- finding entry points


def _source_pyproject() -> Path | None:
    """The pyproject.toml of govreport itself when the package runs from a source tree."""
    candidate = Path(__file__).resolve().parent.parent / "pyproject.toml"
    try:
        text = candidate.read_text("utf-8")
    except OSError:
        return None
    return candidate if re.search(r'(?m)^name\s*=\s*"govreport"\s*$', text) else None


_TABLE_HEADER = re.compile(
    r"""^\[\s*project\s*\.\s*entry-points\s*\.\s*(["'])""" + re.escape(ENTRY_POINT_GROUP)
    + r"""\1\s*\]$""")
_ENTRY_LINE = re.compile(r"""^([A-Za-z0-9_.-]+|"[^"]+")\s*=\s*(["'])([^"']+)\2$""")


def declared_entry_points(pyproject: str) -> list[tuple[str, str]]:
    """The ``(name, "module:attr")`` pairs of the group's table in pyproject text.

    A reader of just this table (Python 3.10 has no :mod:`tomllib`); the test
    suite checks it against :mod:`tomllib` and the installed metadata.
    """
    out: list[tuple[str, str]] = []
    inside = False
    for raw in pyproject.splitlines():
        line = raw.strip()
        if line.startswith("["):
            inside = bool(_TABLE_HEADER.match(line))
            continue
        if not inside or not line or line.startswith("#"):
            continue
        m = _ENTRY_LINE.match(line.split(" #", 1)[0].strip())
        if m:
            out.append((m[1].strip('"'), m[3]))
    return out


def builtin_entry_points() -> tuple[list[EntryPoint], str]:
    """The entry points govreport itself declares, and their origin.

    From the source tree's pyproject.toml when there is one, else from the
    installed metadata.
    """
    pyproject = _source_pyproject()
    if pyproject is not None:
        pairs = declared_entry_points(pyproject.read_text("utf-8"))
        eps = [EntryPoint(name, value, ENTRY_POINT_GROUP) for name, value in pairs]
        origin = f"{_DIST} (source tree)"
    else:
        eps = [ep for ep in entry_points(group=ENTRY_POINT_GROUP) if _dist_name(ep) == _DIST]
        origin = _origin(eps[0]) if eps else _DIST
    # Sorted by name in both cases (installers sort the metadata), so a checkout
    # and a wheel register the same objects in the same order.
    return sorted(eps, key=lambda ep: ep.name), origin


def _dist_name(ep: EntryPoint) -> str | None:
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


def _third_party() -> Iterator[EntryPoint]:
    eps = [ep for ep in entry_points(group=ENTRY_POINT_GROUP) if _dist_name(ep) != _DIST]
    yield from sorted(eps, key=lambda ep: (_dist_name(ep) or "", ep.name))


# --------------------------------------------------------------------------- loading


def _load() -> None:
    global _state
    with _lock:
        if _state != "new":
            return  # loaded, or loading further up this thread's stack
        _state = "loading"
        try:
            builtins, origin = builtin_entry_points()
            if not builtins:
                raise GovReportError(
                    "govreport's built-in layouts and forms are not registered: no installed "
                    f"metadata declares the {ENTRY_POINT_GROUP!r} entry points and no "
                    "pyproject.toml is beside the package (install it: pip install -e .)")
            for ep in builtins:
                _add(ep.load(), origin)
            for ep in _third_party():
                try:
                    obj = ep.load()
                    _add(obj, _origin(ep))
                except Exception as e:  # one broken plugin must not stop all parsing
                    warnings.warn(f"govreport: skipping plugin {ep.name!r} ({ep.value}) from "
                                  f"{_origin(ep)}: {type(e).__name__}: {e}",
                                  RuntimeWarning, stacklevel=2)
        except BaseException:
            _state = "new"
            raise
        _state = "done"


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
