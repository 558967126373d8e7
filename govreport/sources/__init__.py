"""Input adapters: web pages, Word .docx and PDF files into a :class:`Document`.

Each adapter rebuilds only structure — text lines and grids — and the
Document then goes through the same outline and table grammars as text, so
the meaning of a report is decided in one place whatever its format.

The adapters' parsers are optional extras: ``govreport[html]`` (selectolax),
``govreport[docx]`` (python-docx), ``govreport[pdf]`` (pypdfium2), or
``govreport[all]``. A missing one raises :class:`~govreport.errors.MissingExtra`
naming the ``pip install`` command.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from typing import Literal

from govreport.errors import GovReportError, InputError, UnsupportedInput
from govreport.limits import DEFAULT_LIMITS, LimitExceeded, Limits
from govreport.model import Document
from govreport.sources._common import ZIP_ERRORS

__all__ = ["Kind", "read_source", "sniff"]

Kind = Literal["html", "docx", "pdf", "text"]

_SUFFIXES: dict[str, Kind] = {
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html", ".xht": "html",
    ".docx": "docx", ".pdf": "pdf", ".txt": "text", ".text": "text",
}
# The first tag of a page, past a BOM, white space and comments; or a page's
# tell-tale tags anywhere near the start (crawled pages may begin with junk).
_HTML_START = re.compile(
    rb"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|table|p|div|span|"
    rb"h[1-6]|br|font|center|style|script|link)[\s>/]", re.IGNORECASE | re.DOTALL)
_HTML_ANYWHERE = re.compile(rb"<(?:html|body|table|tr)[\s>]", re.IGNORECASE)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _utf16_prefix(head: bytes) -> bytes:
    # Sniff a UTF-16 page through an ASCII-compatible view of its first bytes.
    try:
        return head.decode("utf-16", errors="ignore").encode("utf-8", errors="ignore")
    except UnicodeError:
        return head


def sniff(data: bytes, suffix: str | None = None) -> Kind:
    """The kind of input ``data`` is: by its magic bytes, else its suffix, else its text.

    The content wins over the suffix where it is certain (``%PDF``, a zip
    holding ``word/document.xml``), because downloaded files are often
    misnamed; a page is recognised by its leading tags.

    Raises:
        UnsupportedInput: a legacy binary ``.doc``, or a zip that is not a
            Word document or is damaged.

    """
    head = data[:4096]
    if head.lstrip(b"\r\n\t ").startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                if "word/document.xml" in z.namelist():
                    return "docx"
        except ZIP_ERRORS as e:
            raise UnsupportedInput(f"a damaged zip archive, not a readable .docx ({e})") from None
        raise UnsupportedInput("a zip archive that is not a Word .docx document")
    if head.startswith(_OLE):
        raise UnsupportedInput("a legacy binary Word/Office file: save it as .docx or PDF")
    by_suffix = _SUFFIXES.get((suffix or "").lower())
    if by_suffix == "html":
        return "html"
    if by_suffix in ("docx", "pdf"):
        raise UnsupportedInput(f"named {suffix} but not a {by_suffix.upper()} file")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = _utf16_prefix(head)
    elif head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    if by_suffix != "text" and (_HTML_START.match(head) or _HTML_ANYWHERE.search(head)):
        return "html"
    return "text"


def read_source(data: bytes, *, file: str | None = None, suffix: str | None = None,
                limits: Limits | None = None) -> Document | None:
    """Read HTML, DOCX or PDF bytes into a Document; ``None`` for plain text.

    ``None`` means the caller should decode ``data`` as text and rebuild its
    tables with the text layouts. ``suffix`` is the file name's extension
    (``".pdf"``), when there is one.

    Raises:
        MissingExtra: the kind's optional extra is not installed.
        LimitExceeded: input over ``limits.max_bytes``, or another of the
            ``limits`` a reader checks (``max_cells``, ``max_unzipped_bytes`` …).
        UnsupportedInput: input of a kind govreport does not read.
        GovReportError: a file of the kind that cannot be read (damaged …).

    """
    try:
        kind = sniff(data, suffix)
    except UnsupportedInput as e:
        _name(e, file)
        raise
    if kind == "text":
        return None
    max_bytes = (limits or DEFAULT_LIMITS).max_bytes
    if len(data) > max_bytes:
        raise LimitExceeded("max_bytes", max_bytes, len(data), "input of {} bytes", file=file)
    try:
        return _reader(kind)(data, limits or DEFAULT_LIMITS)
    except GovReportError as e:
        _name(e, file)
        raise
    except Exception as e:
        # A damaged file makes the libraries raise whatever they raise; parse()
        # promises GovReportError only.
        raise InputError(f"cannot read this {kind} file ({type(e).__name__}: {e})",
                         file=file) from e


def _name(error: GovReportError, file: str | None) -> None:
    if file and error.file is None:
        error.with_file(file)


def _reader(kind: Kind) -> Callable[[bytes, Limits], Document]:
    # Imported on demand: each reader imports its optional parser, and text needs none.
    if kind == "html":
        from govreport.sources.html import read_html
        return lambda data, limits: read_html(data, limits=limits)
    if kind == "docx":
        from govreport.sources.docx import read_docx
        return lambda data, limits: read_docx(data, limits=limits)
    from govreport.sources.pdf import read_pdf
    return read_pdf
