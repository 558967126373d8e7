"""Registrations a test changes, put back as they were (an installed plugin included).

With the example plugin installed (``pip install -e examples/plugin``), its
form is registered from the start; a test that needs it absent, or that
registers it in process, must leave the registry as it found it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from govreport import registry


@contextmanager
def without(name: str, kind: registry.EntryKind = "form") -> Iterator[None]:
    """The registration ``name`` removed for the block, then put back with its origin."""
    before = [e for e in registry.entries() if e.name == name and e.kind == kind]
    registry.unregister(name, kind)
    try:
        yield
    finally:
        registry.unregister(name, kind)
        for entry in before:
            registry.register(entry.obj, origin=entry.origin)


@contextmanager
def registered(obj: Any, name: str, kind: registry.EntryKind = "form") -> Iterator[Any]:
    """``obj`` registered in process for the block; whatever had ``name`` before comes back."""
    with without(name, kind):
        registry.register(obj)
        yield obj
