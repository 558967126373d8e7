"""Text layouts: how a report's tables reached plain text, and how to rebuild them.

A layout is an object with a ``name``, a ``score(lines)`` saying how well it
explains the text (0 … 1) and a ``read(lines)`` that rebuilds the grids. The
best-scoring layout wins unless the caller forces one by name. Built-in
layouts are listed in :mod:`govreport.registry`; third-party ones are entry
points of the ``govreport.layouts`` group.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar, runtime_checkable

from govreport import registry
from govreport.errors import GovReportError
from govreport.model import Document

__all__ = ["ENTRY_POINT_GROUP", "Layout", "available", "detect", "get", "register"]

ENTRY_POINT_GROUP = registry.LAYOUTS_GROUP


@runtime_checkable
class Layout(Protocol):
    """What a text layout provides."""

    name: str
    description: str

    def score(self, lines: Sequence[str]) -> float:
        """How well this layout explains ``lines``, from 0 (not at all) to 1."""

    def read(self, lines: Sequence[str]) -> Document:
        """Rebuild ``lines`` as text lines and grids."""


L = TypeVar("L", bound=Layout)


def register(layout: L) -> L:
    """Add a layout in this process (the last registration of a name wins)."""
    return registry.register(layout)


def available() -> dict[str, Layout]:
    """All registered layouts by name (built-ins and plugins, loaded on first use)."""
    return registry.layouts()


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
