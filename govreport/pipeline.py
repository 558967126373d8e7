"""The parsing pipeline, stage by stage: bytes → text → Document → Outline → Report.

Each stage is a public function so it can be used and tested on its own;
:func:`parse` runs them all.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Iterator
from typing import Any

from govreport import layouts
from govreport.errors import DecodeError, GovReportError, InputError, UnsupportedInput
from govreport.forms import read_tables
from govreport.model import (
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
    Template,
)
from govreport.normalize import chinese_number
from govreport.outline import Outline, outline
from govreport.sources import read_source

__all__ = ["decode", "metadata", "parse", "parse_file", "read_document"]

MAX_BYTES = 64 * 1024 * 1024
"""Inputs larger than this are refused with :class:`UnsupportedInput`."""


def decode(data: bytes, *, file: str | None = None) -> str:
    """Decode report bytes: UTF-8 (with or without BOM), else GB18030.

    Raises:
        UnsupportedInput: empty or binary data, or more than ``MAX_BYTES``.
        DecodeError: bytes that are neither encoding; names the line.

    """
    if not data.strip():
        raise UnsupportedInput("empty input", file=file)
    if len(data) > MAX_BYTES:
        raise UnsupportedInput(f"input of {len(data)} bytes is over the limit of {MAX_BYTES}",
                               file=file)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise DecodeError(f"invalid UTF-16 at byte {e.start}", file=file) from None
    if b"\x00" in data[:8192]:
        raise UnsupportedInput("binary data, not text", file=file)
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError:
            line = data.count(b"\n", 0, utf8_error.start) + 1
            raise DecodeError(
                f"neither UTF-8 nor GB18030 (first bad byte at offset {utf8_error.start})",
                file=file, line=line) from None


def read_document(text: str, *, layout: str | None = None) -> Document:
    """Split text into lines and rebuild its tables with the best (or the named) layout."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if text.startswith("\ufeff"):
        lines[0] = lines[0][1:]
    chosen = layouts.get(layout) if layout is not None else layouts.detect(lines)
    return chosen.read(lines)


_YEAR = re.compile(r"((?:19|20)\d{2}|[〇零一二三四五六七八九]{4})\s*年")
_AGENCY_END = re.compile(r"(?:关于)?(?:政府|政务)?信息公开")
# A page's field label before the title ("标题: …"), as crawler text has it.
_FIELD_LABEL = re.compile(r"^\s*(?:标题|题目|名称)\s*[:：]\s*")
# What an agency name looks like: CJK, letters, digits, brackets; no sentence punctuation.
_AGENCY = re.compile(r"[\u4e00-\u9fff\u3007A-Za-z0-9（）()·]{2,40}")
_AGENCY_TRIM = " \u3000:：,，、.。-—《》\"“”"


def _year(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    digits = [chinese_number(c) for c in text]
    if any(d is None for d in digits):
        return None
    return int("".join(str(d) for d in digits))


def metadata(title: str | None) -> tuple[str | None, int | None]:
    """Agency and year from a report title, each ``None`` when not stated.

    >>> metadata("周口市公安局 2023 年政府信息公开工作年度报告")
    ('周口市公安局', 2023)
    >>> metadata("2021年青禾县人民政府政府信息公开工作年度报告")
    ('青禾县人民政府', 2021)
    """
    if not title:
        return None, None
    m = _YEAR.search(title)
    if m is None:
        return None, None
    year = _year(m[1])
    if year is not None and not 1990 <= year <= 2100:
        year = None
    title = _FIELD_LABEL.sub("", title, count=1)
    m = _YEAR.search(title)
    assert m is not None
    agency = title[: m.start()].strip(_AGENCY_TRIM)
    if not agency:
        rest = title[m.end():].lstrip("度").strip(_AGENCY_TRIM)
        end = _AGENCY_END.search(rest)
        agency = rest[: end.start()].strip(_AGENCY_TRIM) if end else ""
    if agency and not _AGENCY.fullmatch(agency):
        agency = ""  # not a name: text that only happens to precede the year
    return agency or None, year


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


_TEMPLATE_HEADINGS = ("收到和处理政府信息公开申请",)


def _template(forms: dict[str, str], year: int | None, out: Outline) -> Template:
    for kind in ("proactive", "applications"):
        if kind in forms:
            return "2019" if forms[kind].endswith("2019") else "2021"
    templated = "review_litigation" in forms or any(
        h in s.title for s in out.sections for h in _TEMPLATE_HEADINGS)
    if templated and year is not None and year >= 2019:
        return "2021" if year >= 2021 else "2019"
    return "freeform"


_TABLE_SECTIONS = {
    "proactive": "proactive_disclosure",
    "applications": "applications",
    "review_litigation": "review_litigation",
}


def _report(document: Document, source: str | None) -> Report:
    out = outline(document)
    agency, year = metadata(out.title)
    diags: list[Diagnostic] = []
    if out.title is None:
        diags.append(Diagnostic("no-title", "no title line found before the first heading", 1))
    elif agency is None or year is None:
        missing = " and ".join(w for w, v in (("agency", agency), ("year", year)) if v is None)
        diags.append(Diagnostic("no-metadata", f"the title does not state the {missing}",
                                out.title_line, raw=out.title))
    tables = read_tables(list(_grids(out)), year)
    template = _template(tables.forms, year, out)
    diags.extend(tables.diagnostics)
    if template != "freeform":
        for kind, section_kind in _TABLE_SECTIONS.items():
            if kind in tables.by_kind:
                continue
            for s in out.sections:
                if s.kind == section_kind:
                    diags.append(Diagnostic("missing-table", f"section {s.number}、{s.title} has "
                                            f"no {kind} table; its values are None",
                                            s.line, raw=s.heading))
    versions = {f.rsplit("_", 1)[1] for f in tables.forms.values() if f[-4:] in ("2019", "2021")}
    if len(versions) > 1:
        diags.append(Diagnostic("mixed-template", "the tables follow different templates: "
                                + ", ".join(sorted(tables.forms.values()))))
    by_kind: dict[str, Any] = tables.by_kind
    proactive = by_kind.get("proactive")
    applications = by_kind.get("applications")
    review = by_kind.get("review_litigation")
    assert proactive is None or isinstance(proactive, (Proactive2021, Proactive2019))
    assert applications is None or isinstance(applications, (Applications2021, Applications2019))
    assert review is None or isinstance(review, ReviewLitigation)
    return Report(
        title=out.title,
        agency=agency,
        year=year,
        template=template,
        layout=document.layout,
        preamble=out.preamble,
        preamble_grids=out.preamble_grids,
        sections=out.sections,
        chrome=document.chrome,
        proactive=proactive,
        applications=applications,
        review_litigation=review,
        diagnostics=tuple(diags),
        source=source,
    )


def _parse_text(text: str, layout: str | None, source: str | None) -> Report:
    if not text.strip():
        raise UnsupportedInput("empty input", file=source)
    if len(text) > MAX_BYTES:
        raise UnsupportedInput(f"input of {len(text)} characters is over the limit", file=source)
    try:
        return _report(read_document(text, layout=layout), source)
    except GovReportError as e:
        if source and e.file is None:
            e.with_file(source)
        raise


def parse(source: str | bytes | os.PathLike[str], *, layout: str | None = None) -> Report:
    """Parse a report given as text, bytes, or a path.

    Bytes and files may be HTML, DOCX or PDF (with the optional extras
    ``govreport[html]``, ``[docx]``, ``[pdf]``); anything else is read as text.

    A ``str`` is always report text, never guessed to be a file name: use
    :func:`parse_file` for paths given as strings.

    Args:
        source: the report text, its bytes (UTF-8 or GB18030), or a path.
        layout: force a text layout by name (see ``govreport layouts``)
            instead of detecting it.

    Raises:
        GovReportError: for input that cannot be read (see its subclasses).

    """
    if isinstance(source, str):
        return _parse_text(source, layout, None)
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        document = read_source(data)
        if document is not None:
            return _parse_document(document, None)
        return _parse_text(decode(data), layout, None)
    if isinstance(source, os.PathLike):
        return parse_file(source, layout=layout)
    raise UnsupportedInput(f"cannot parse a {type(source).__name__}; give text, bytes or a path")


def parse_file(path: str | os.PathLike[str], *, layout: str | None = None) -> Report:
    """Parse the report in file ``path``.

    Raises:
        InputError: the file is missing, a directory, or unreadable.
        GovReportError: for content that cannot be read (see its subclasses).

    """
    name = os.fspath(path)
    try:
        with open(name, "rb") as f:
            data = f.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise InputError("no such file", file=name) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a file", file=name) from None
    except OSError as e:
        raise InputError(e.strerror or str(e), file=name) from None
    document = read_source(data, file=name, suffix=os.path.splitext(name)[1])
    if document is not None:
        return _parse_document(document, name)
    return _parse_text(decode(data, file=name), layout, name)


def _parse_document(document: Document, source: str | None) -> Report:
    """Finish a Document an input adapter (HTML, DOCX, PDF) rebuilt."""
    try:
        return _report(document, source)
    except GovReportError as e:
        if source and e.file is None:
            e.with_file(source)
        raise
