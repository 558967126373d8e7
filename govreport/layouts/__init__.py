"""Text layouts: how a report's tables reached plain text, and how to rebuild them.

A layout is an object with a ``name``, a ``score(lines)`` saying how well it
explains the text (0 … 1) and a ``read(lines)`` that rebuilds the grids. The
best-scoring layout wins unless the caller forces one by name. Built-in
layouts register themselves on import exactly as third-party ones do through
the ``govreport.layouts`` entry-point group.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from importlib.metadata import entry_points
from typing import Protocol, runtime_checkable

from govreport.errors import GovReportError
from govreport.model import Document

__all__ = ["Layout", "available", "detect", "get", "register"]

ENTRY_POINT_GROUP = "govreport.layouts"


@runtime_checkable
class Layout(Protocol):
    """What a text layout provides."""

    name: str
    description: str

    def score(self, lines: Sequence[str]) -> float:
        """How well this layout explains ``lines``, from 0 (not at all) to 1."""

    def read(self, lines: Sequence[str]) -> Document:
        """Rebuild ``lines`` as text lines and grids."""


_REGISTRY: dict[str, Layout] = {}


def register(layout: Layout) -> Layout:
    """Add a layout to the registry (the last registration of a name wins)."""
    _REGISTRY[layout.name] = layout
    return layout


@lru_cache(maxsize=1)
def _load_plugins() -> None:
    # Built-ins first, so a plugin can replace one deliberately by name.
    from govreport.layouts import fused, pipe, prose, tab  # noqa: F401

    for ep in entry_points(group=ENTRY_POINT_GROUP):
        obj = ep.load()
        register(obj() if isinstance(obj, type) else obj)


def available() -> dict[str, Layout]:
    """All registered layouts by name."""
    _load_plugins()
    return dict(_REGISTRY)


def get(name: str) -> Layout:
    """The layout called ``name``; :class:`GovReportError` if there is none."""
    layouts = available()
    try:
        return layouts[name]
    except KeyError:
        known = ", ".join(sorted(layouts))
        raise GovReportError(f"unknown layout {name!r} (known: {known})") from None


def detect(lines: Sequence[str]) -> Layout:
    """The layout that best explains ``lines`` (prose when no table is seen)."""
    best: tuple[float, Layout] | None = None
    for layout in available().values():
        s = layout.score(lines)
        if best is None or s > best[0]:
            best = (s, layout)
    assert best is not None  # the built-ins are always registered
    return best[1]
