"""Size limits on input, so a batch over scraped data cannot be stalled by one file.

Parsing time and memory grow linearly with the input (docs/robustness.md
gives the figures), so the limits are not there to protect against slow
inputs but to refuse absurd ones early, before they are read or decoded.
The defaults accept any real report with a wide margin (the largest seen
is well under 1 MB) and the benchmark's 50 MB, million-line and 10 MB-line
inputs.

Pass :class:`Limits` to :func:`govreport.parse` or :func:`govreport.parse_file`
(``limits=Limits(max_bytes=200_000_000)``), or ``--max-bytes`` on the command
line. An input over a limit raises :class:`LimitExceeded`, an
:class:`~govreport.errors.UnsupportedInput` naming the limit and its value.
"""

from __future__ import annotations

from attrs import field, frozen
from attrs.validators import ge, instance_of

from govreport.errors import UnsupportedInput

__all__ = ["DEFAULT_LIMITS", "LimitExceeded", "Limits"]

_positive = [instance_of(int), ge(1)]


@frozen
class Limits:
    """How much input govreport accepts; each limit raises :class:`LimitExceeded` when passed.

    Attributes:
        max_bytes: bytes of a file or of ``bytes`` input, and characters of a
            ``str`` (default 64 MiB).
        max_lines: lines of text (default 2,000,000).
        max_line_chars: characters on one line (default 16,000,000; crawler
            text puts a whole report on one line).
        max_pdf_grid_cells: cells the ruling lines of one PDF page could make
            (distinct horizontal times distinct vertical rulings; default
            20,000; a real report's page stays near 1,000). The table finder's
            time grows faster than this; a page over it is read as text, with
            a ``pdf-grid-limit`` diagnostic.
        max_cells: cells of all the tables of a web page or Word file, each
            position a merged cell covers in a later row counted (default
            500,000; a report has a few hundred, and a page of 500,000 takes
            about 6 s and 300 MB): ``rowspan="0"`` over empty rows asks for
            millions.
        max_html_depth: how deep elements of a web page may nest (default
            512, as Chromium's parser); the tags of deeper ones are dropped
            before parsing, their text kept, with an ``html-depth`` diagnostic.
        max_unzipped_bytes: bytes of a Word file's parts once unzipped, all
            together (default 64 MiB), checked before any is unzipped.
        max_zip_ratio: how many times larger than its compressed size one
            part of a Word file may unzip (default 100; parts under 1 MiB
            unzipped are not checked): a zip bomb is a small file of huge parts.
        max_pdf_pages: pages of a PDF (default 1,000; a report has a few
            dozen at most). Checked before any page is read.

    """

    max_bytes: int = field(default=64 * 1024 * 1024, validator=_positive)
    max_lines: int = field(default=2_000_000, validator=_positive)
    max_line_chars: int = field(default=16_000_000, validator=_positive)
    max_pdf_grid_cells: int = field(default=20_000, validator=_positive)
    max_cells: int = field(default=500_000, validator=_positive)
    max_html_depth: int = field(default=512, validator=_positive)
    max_unzipped_bytes: int = field(default=64 * 1024 * 1024, validator=_positive)
    max_zip_ratio: int = field(default=100, validator=_positive)
    max_pdf_pages: int = field(default=1_000, validator=_positive)


DEFAULT_LIMITS = Limits()
"""The limits used when none are given."""


class LimitExceeded(UnsupportedInput):
    """The input is over one of the :class:`Limits`.

    Attributes:
        limit: the name of the limit (``max_bytes``, ``max_lines``, ``max_cells`` …).
        limit: the name of the limit (``max_bytes``, ``max_lines``, ``max_line_chars``,
            ``max_pdf_pages``).
        allowed: the limit's value.
        actual: the input's size by that measure (at least ``allowed + 1``).

    ``what`` describes the measure with a ``{}`` where the size goes
    (``"input of {} bytes"``).

    """

    def __init__(self, limit: str, allowed: int, actual: int, what: str, *,
                 file: str | None = None, line: int | None = None) -> None:
        self.limit = limit
        self.allowed = allowed
        self.actual = actual
        super().__init__(
            f"{what.format(f'{actual:,}')} is over the limit {limit}={allowed:,}; raise it with "
            f"limits=govreport.Limits({limit}=...)"
            + (" or --max-bytes" if limit == "max_bytes" else ""),
            file=file, line=line)


def check_lines(lines: list[str], limits: Limits, *, file: str | None = None) -> None:
    """Raise :class:`LimitExceeded` when ``lines`` are too many or one is too long."""
    if len(lines) > limits.max_lines:
        raise LimitExceeded("max_lines", limits.max_lines, len(lines), "a text of {} lines",
                            file=file)
    longest = max(map(len, lines), default=0)
    if longest > limits.max_line_chars:
        number = next(i for i, ln in enumerate(lines, 1) if len(ln) == longest)
        raise LimitExceeded("max_line_chars", limits.max_line_chars, longest,
                            "a line of {} characters", file=file, line=number)
