"""The parsing pipeline, stage by stage: bytes → text → Document → Outline → Report.

Each stage is a public function so it can be used and tested on its own;
:func:`parse` runs them all.
"""

from __future__ import annotations

import codecs
import functools
import gc
import os
import re
import stat
import threading
from collections.abc import Callable, Iterator
from typing import ParamSpec, TypeVar

import attrs

from govreport import layouts
from govreport.charsets import Decoded, decode_chinese
from govreport.clean import clean_document, clean_lines
from govreport.errors import DecodeError, GovReportError, InputError, UnsupportedInput
from govreport.figures import section_figures
from govreport.forms import place_tables, read_tables
from govreport.limits import DEFAULT_LIMITS, LimitExceeded, Limits, check_lines
from govreport.metadata import Metadata, read_metadata, title_metadata
from govreport.model import (
    TABLE_OF_SECTION,
    Applications2019,
    Applications2021,
    Diagnostic,
    Document,
    Grid,
    Proactive2019,
    Proactive2021,
    Report,
    ReviewLitigation,
    Section,
    TextLine,
)
from govreport.normalize import to_simplified
from govreport.outline import Outline, outline
from govreport.sources import read_source
from govreport.template import infer_template

__all__ = ["decode", "metadata", "parse", "parse_file", "read_document"]

MAX_BYTES = DEFAULT_LIMITS.max_bytes
"""The default of :attr:`Limits.max_bytes` (kept for callers that read it)."""


# More NUL bytes than this share of the input is binary data; fewer are damage in
# a text (a stray NUL from a bad copy), which cleaning removes with a diagnostic.
_MAX_NUL_SHARE = 0.01


def decode(data: bytes, *, file: str | None = None, limits: Limits | None = None) -> str:
    """Decode report bytes: UTF-8 (with or without BOM), else GB18030 or Big5.

    Bytes that are not UTF-8 are GB18030 unless they read as Traditional
    Chinese in Big5 and not as text in GB18030 (:mod:`govreport.charsets`).
    A few NUL bytes in otherwise valid text are kept (cleaning removes them,
    with a ``nul`` diagnostic); text with many, or that does not decode, is
    binary data.

    Raises:
        UnsupportedInput: empty or binary data.
        LimitExceeded: more than ``limits.max_bytes`` (see :class:`Limits`).
        DecodeError: bytes that are none of these encodings; names the line.

    """
    return _decode(data, file=file, limits=limits).text


def _decode(data: bytes, *, file: str | None = None, limits: Limits | None = None) -> Decoded:
    max_bytes = (limits or DEFAULT_LIMITS).max_bytes
    if len(data) > max_bytes:
        raise LimitExceeded("max_bytes", max_bytes, len(data), "input of {} bytes", file=file)
    if not data.strip():
        raise UnsupportedInput("empty input", file=file)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return Decoded(data.decode("utf-16"), "utf-16")
        except UnicodeDecodeError as e:
            raise DecodeError(f"invalid UTF-16 at byte {e.start}", file=file) from None
    nuls = data.count(b"\x00")
    if nuls > _MAX_NUL_SHARE * len(data):
        raise UnsupportedInput("binary data, not text", file=file)
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as utf8_error:
        decoded = decode_chinese(data)
        if decoded is not None:
            return decoded
        if nuls:
            raise UnsupportedInput("binary data, not text", file=file) from None
        line = data.count(b"\n", 0, utf8_error.start) + 1
        raise DecodeError(
            f"neither UTF-8, GB18030 nor Big5 (first bad byte at offset {utf8_error.start})",
            file=file, line=line) from None


def _encoding_notes(decoded: Decoded) -> tuple[Diagnostic, ...]:
    if decoded.encoding == "big5":
        return (Diagnostic("encoding-big5", "the text is Big5 (Traditional Chinese): it reads "
                           "as Chinese in Big5 and not in GB18030"),)
    if decoded.ambiguous:
        return (Diagnostic("encoding-ambiguous", "the text reads as Chinese both in GB18030 and "
                           "in Big5; it was decoded as GB18030"),)
    if decoded.doubtful:
        return (Diagnostic("encoding-doubtful", "the text is not UTF-8 and reads as Chinese "
                           "neither in GB18030 nor in Big5; it was decoded as GB18030, its "
                           "characters may be wrong"),)
    return ()


# Line ends other than CR and LF: NEL, the Unicode line and paragraph separators, and
# VT and FF (a page break), which count only where no CR or LF is next to them.
_OTHER_ENDS = re.compile("[\x0b\x0c\x85\u2028\u2029]")
_BREAK_BY_NEWLINE = re.compile("[\x0b\x0c]+(?=[\r\n])|(?<=[\r\n])[\x0b\x0c]+")


def split_lines(text: str) -> list[str]:
    """The lines of ``text``: ended by LF, CR, CRLF, NEL, U+2028, U+2029, or VT/FF alone.

    A VT or FF next to a CR or LF (``pdftotext`` starts each page with FF) is
    white space there, not another line end, so line numbers stay an editor's.
    """
    if _OTHER_ENDS.search(text) is not None:
        text = _OTHER_ENDS.sub("\n", _BREAK_BY_NEWLINE.sub("", text))
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def read_document(text: str, *, layout: str | None = None,
                  limits: Limits | None = None) -> Document:
    """Split text into lines and rebuild its tables with the best (or the named) layout.

    Lines end as :func:`split_lines` says.

    Raises:
        LimitExceeded: more lines, or a longer line, than ``limits`` allow.

    """
    lines = split_lines(text)
    check_lines(lines, limits or DEFAULT_LIMITS)
    if text.startswith("\ufeff"):
        lines[0] = lines[0][1:]
    cleaned = clean_lines(lines)
    chosen = layouts.get(layout) if layout is not None else layouts.detect(cleaned.lines)
    document = chosen.read(cleaned.lines)
    if cleaned.script == "hans" and not cleaned.diagnostics:
        return document
    return attrs.evolve(document, script=cleaned.script,
                        diagnostics=cleaned.diagnostics + document.diagnostics)


def _grids(out: Outline) -> Iterator[tuple[int, Grid]]:
    for grid in out.preamble_grids:
        yield -1, grid
    for i, section in enumerate(out.sections):
        for grid in _section_grids(section):
            yield i, grid


def _section_grids(section: Section) -> Iterator[Grid]:
    yield from section.grids
    for sub in section.subsections:
        yield from _section_grids(sub)


metadata = title_metadata
"""Agency and year from a report title (kept under its old name; see :mod:`govreport.metadata`)."""


def _metadata(document: Document, out: Outline) -> Metadata:
    texts = [b for b in document.blocks if isinstance(b, TextLine)]
    # Blocks, not line numbers: a crawler's one-line report has its preamble
    # and first heading on the same line.
    preamble: list[TextLine] = []
    first = out.sections[0] if out.sections else None
    for t in texts:
        if first is not None and t.line == first.line and t.text == first.heading:
            break
        if t.line != out.title_line:
            preamble.append(t)
    title = TextLine(out.title, out.title_line) if out.title and out.title_line else None
    titles = document.titles
    if document.script == "hant":  # the text was made Simplified; its titles must match it
        titles = tuple((origin, to_simplified(text)) for origin, text in titles)
    return read_metadata(title, preamble, out.sections, document.chrome, texts[-4:], titles)


def _report(document: Document, source: str | None) -> Report:
    out = outline(document)
    meta = _metadata(document, out)
    agency, year = meta.agency, meta.year
    diags: list[Diagnostic] = list(document.diagnostics)
    if meta.title is None:
        diags.append(Diagnostic("no-title", "no title line found before the first heading", 1))
    elif agency is None or year is None:
        missing = " and ".join(w for w, v in (("agency", agency), ("year", year)) if v is None)
        diags.append(Diagnostic("no-metadata", f"the report does not state the {missing}",
                                meta.title_line, raw=meta.title))
    diags.extend(meta.diagnostics)
    if meta.declared_count is not None and out.sections and \
            meta.declared_count != len(out.sections):
        diags.append(Diagnostic("parts-mismatch", f"the preamble says the report has "
                                f"{meta.declared_count} parts; {len(out.sections)} numbered "
                                "sections were found", out.sections[0].line,
                                raw="、".join(meta.declared_parts)))
    tables = read_tables(list(_grids(out)), year)
    template = infer_template(tables.forms, year, out)
    diags.extend(tables.diagnostics)
    if template != "freeform":
        for section_kind, kind in TABLE_OF_SECTION.items():
            if kind in tables.by_kind:
                continue
            for s in out.sections:
                if s.kind == section_kind:
                    diags.append(Diagnostic("missing-table", f"section {s.number}、{s.title} has "
                                            f"no {kind} table; its values are None",
                                            s.line, raw=s.heading))
    # Forms of one template each (review_litigation belongs to both) that disagree.
    versions = {t for f in tables.forms.values() if len(f.templates) == 1 for t in f.templates}
    if len(versions) > 1:
        diags.append(Diagnostic("mixed-template", "the tables follow different templates: "
                                + ", ".join(sorted(f.name for f in tables.forms.values()))))
    # A table of a kind without a Report field of its own (a plugin's) goes to extra_tables.
    by_kind, extra_tables = place_tables(tables.by_kind)
    proactive = by_kind.get("proactive")
    applications = by_kind.get("applications")
    review = by_kind.get("review_litigation")
    assert proactive is None or isinstance(proactive, (Proactive2021, Proactive2019))
    assert applications is None or isinstance(applications, (Applications2021, Applications2019))
    assert review is None or isinstance(review, ReviewLitigation)
    report = Report(
        title=meta.title,
        agency=agency,
        year=year,
        template=template,
        layout=document.layout,
        preamble=out.preamble,
        preamble_grids=out.preamble_grids,
        sections=out.sections,
        chrome=document.chrome,
        script=document.script,
        period_start=meta.period_start,
        period_end=meta.period_end,
        published=meta.published,
        contact=meta.contact,
        declared_parts=meta.declared_parts,
        declared_count=meta.declared_count,
        proactive=proactive,
        applications=applications,
        review_litigation=review,
        statistics=by_kind.get("statistics"),
        extra_tables=extra_tables,
        figures=section_figures(out.sections),
        diagnostics=tuple(diags),
        source=source,
    )
    return report


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _collector_paused(stage: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run ``stage`` with Python's cyclic garbage collector paused.

    A parse builds a few thousand small objects that all live until it ends,
    and reference counting frees them (the few cycles, of recursive closures,
    go at the next collection after it). The collector would still walk them
    each time 700 more have been made: 7-12 % of a tabled report's parse,
    and every hundred reports or so a full collection over every object of
    the process. The pause is taken only when the collector is on and this
    is the only thread, so other threads and a caller that turned it off are
    left alone; a nested parse finds it paused and leaves it so.
    """
    @functools.wraps(stage)
    def paused(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        if not gc.isenabled() or threading.active_count() > 1:
            return stage(*args, **kwargs)
        gc.disable()
        try:
            return stage(*args, **kwargs)
        finally:
            gc.enable()
    return paused


@_collector_paused
def _parse_text(text: str, layout: str | None, source: str | None,
                limits: Limits | None = None, notes: tuple[Diagnostic, ...] = ()) -> Report:
    limits = limits or DEFAULT_LIMITS
    if len(text) > limits.max_bytes:
        raise LimitExceeded("max_bytes", limits.max_bytes, len(text),
                            "input of {} characters", file=source)
    if not text.lstrip("\ufeff").strip():
        raise UnsupportedInput("empty input", file=source)
    try:
        document = read_document(text, layout=layout, limits=limits)
        if notes:
            document = attrs.evolve(document, diagnostics=notes + document.diagnostics)
        return _report(document, source)
    except GovReportError as e:
        if source and e.file is None:
            e.with_file(source)
        raise


def parse(source: str | bytes | os.PathLike[str], *, layout: str | None = None,
          limits: Limits | None = None) -> Report:
    """Parse a report given as text, bytes, or a path.

    Bytes and files may be HTML, DOCX or PDF (with the optional extras
    ``govreport[html]``, ``[docx]``, ``[pdf]``); anything else is read as text.

    A ``str`` is always report text, never guessed to be a file name: use
    :func:`parse_file` for paths given as strings.

    Args:
        source: the report text, its bytes (UTF-8 or GB18030), or a path.
        layout: force a text layout by name (see ``govreport layouts``)
            instead of detecting it.
        limits: the size limits (:class:`govreport.Limits`); the defaults
            when ``None``.

    Raises:
        GovReportError: for input that cannot be read (see its subclasses);
            :class:`govreport.LimitExceeded` for input over ``limits``.

    """
    if isinstance(source, str):
        return _parse_text(source, layout, None, limits)
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        document = read_source(data, limits=limits)
        if document is not None:
            return _parse_document(document, None)
        decoded = _decode(data, limits=limits)
        return _parse_text(decoded.text, layout, None, limits, _encoding_notes(decoded))
    if isinstance(source, os.PathLike):
        return parse_file(source, layout=layout, limits=limits)
    raise UnsupportedInput(f"cannot parse a {type(source).__name__}; give text, bytes or a path")


def parse_file(path: str | os.PathLike[str], *, layout: str | None = None,
               limits: Limits | None = None) -> Report:
    """Parse the report in file ``path``.

    Raises:
        InputError: the file is missing, a directory, or unreadable.
        LimitExceeded: the file is over ``limits`` (see :class:`govreport.Limits`).
        GovReportError: for content that cannot be read (see its subclasses).

    """
    name = os.fspath(path)
    limits = limits or DEFAULT_LIMITS
    try:
        # Only a regular file is read: a FIFO or a device could block for ever or
        # never end. Checked before opening (opening some devices acts), then again
        # on what was opened, non-blocking, in case the name changed in between.
        _regular(os.stat(name).st_mode, name)
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with open(fd, "rb") as f:
            st = os.fstat(fd)
            _regular(st.st_mode, name)
            # One byte past the limit is enough to know it is passed.
            data = f.read(limits.max_bytes + 1)
            if len(data) > limits.max_bytes:
                size = max(st.st_size, len(data))
                raise LimitExceeded("max_bytes", limits.max_bytes, size, "a file of {} bytes",
                                    file=name)
    except FileNotFoundError:
        raise InputError("no such file", file=name) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a file", file=name) from None
    except OSError as e:
        raise InputError(e.strerror or str(e), file=name) from None
    document = read_source(data, file=name, suffix=os.path.splitext(name)[1], limits=limits)
    if document is not None:
        return _parse_document(document, name)
    decoded = _decode(data, file=name, limits=limits)
    return _parse_text(decoded.text, layout, name, limits, _encoding_notes(decoded))


def _regular(mode: int, name: str) -> None:
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise InputError("is a directory, not a file", file=name)
    kind = ("a FIFO (named pipe)" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a file")
    raise InputError(f"not a regular file: {kind}", file=name)


@_collector_paused
def _parse_document(document: Document, source: str | None) -> Report:
    """Finish a Document an input adapter (HTML, DOCX, PDF) rebuilt."""
    try:
        return _report(clean_document(document), source)
    except GovReportError as e:
        if source and e.file is None:
            e.with_file(source)
        raise
