"""The one exception family of govreport.

Every error govreport raises for bad input is a :class:`GovReportError`, so a
caller can write ``except govreport.GovReportError`` and know nothing else
escapes for reasons of input.
"""

from __future__ import annotations

__all__ = [
    "DecodeError",
    "GovReportError",
    "InputError",
    "MissingExtra",
    "ParseError",
    "SeriesError",
    "UnsupportedInput",
]


class GovReportError(Exception):
    """Base class of all govreport errors.

    Attributes:
        message: what went wrong, in plain words.
        file: the file being read, when known.
        line: the 1-based line the problem was found on, when known.
        column: the 1-based column, when known.

    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        super().__init__(str(self))

    def with_file(self, file: str) -> GovReportError:
        """Return the same error naming ``file`` (used when a path is known only later)."""
        self.file = file
        self.args = (str(self),)
        return self

    def __str__(self) -> str:
        where = self.file or "<input>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


class InputError(GovReportError):
    """The input could not be read at all (missing file, permission, a directory …)."""


class DecodeError(GovReportError):
    """Bytes that are neither UTF-8 nor GB18030 text."""


class UnsupportedInput(GovReportError):
    """Input govreport does not handle: binary data, empty text, or over the size limit."""


class ParseError(GovReportError):
    """Text that could not be turned into a report."""


class SeriesError(GovReportError, ValueError):
    """Reports that cannot make a series: one without a year, or two for one year.

    Also a :class:`ValueError`, which :func:`govreport.check_series` raised before.
    """


class MissingExtra(UnsupportedInput):
    """Input of a kind (HTML, DOCX, PDF) whose reader is an optional extra not installed.

    Attributes:
        extra: the name of the extra to install (``html``, ``docx`` or ``pdf``).

    """

    def __init__(self, kind: str, extra: str, *, file: str | None = None) -> None:
        self.extra = extra
        super().__init__(f"reading {kind} needs an optional extra: "
                         f"pip install 'govreport[{extra}]'", file=file)
