"""The layout of reports without tables: every line is text."""

from __future__ import annotations

from collections.abc import Sequence

from govreport.layouts.grids import text_line
from govreport.model import Document

__all__ = ["Prose"]


class Prose:
    """No tables: each non-blank line is a text line."""

    name = "prose"
    description = "running text without tables"

    def score(self, lines: Sequence[str]) -> float:
        """A small constant, so any layout that sees tables wins over it."""
        return 0.01

    def read(self, lines: Sequence[str]) -> Document:
        """Keep every non-blank line as text."""
        blocks = tuple(text_line(line, n) for n, line in enumerate(lines, 1) if line.strip())
        return Document(blocks, self.name)
