"""atheris fuzz target: ``govreport.parse`` must raise nothing but GovReportError.

Each input is given to :func:`govreport.parse` as bytes (the sniffing,
decoding, HTML/DOCX/PDF readers and text layouts), and, decoded as UTF-8
with replacement, as ``str``. Mutated zip bytes rarely get past the zip's
checksums, so an input that starts like XML is also parsed as the
``word/document.xml`` of a .docx built around it; and any input is also
parsed as a web page (behind a doctype), so the HTML reader sees every
mutation. Every Report that comes back also goes through ``check``,
``flatten`` and a JSON round trip. A GovReportError is an expected
answer to bad input; any other exception is a finding, and atheris stops with
the input that caused it (``crash-*`` in the working directory).

Run (``pip install 'govreport[fuzz]'``)::

    python fuzz/make_corpus.py fuzz/corpus          # seeds from tests/synth.py
    python fuzz/fuzz_parse.py fuzz/corpus -max_total_time=60

``.ci/run`` runs it for a bounded time. Where atheris cannot be installed
(it ships wheels for CPython on Linux and macOS only), ``--hypothesis N``
feeds the same target N inputs from hypothesis instead, unguided.
"""

from __future__ import annotations

import io
import sys
import zipfile
from collections.abc import Iterator
from types import ModuleType

atheris: ModuleType | None
try:
    import atheris
except ImportError:
    atheris = None

if atheris is not None:
    with atheris.instrument_imports():
        import govreport
else:
    import govreport

# Small limits keep each run fast; the limit checks themselves are exercised too.
LIMITS = govreport.Limits(max_bytes=256 * 1024, max_lines=20_000, max_line_chars=100_000,
                          max_cells=50_000, max_unzipped_bytes=4 * 1024 * 1024)

_DOCX_PARTS = {
    "[Content_Types].xml":
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
        '"application/xml"/><Override PartName="/word/document.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    "_rels/.rels":
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="word/document.xml"/></Relationships>',
}


def as_docx(document_xml: bytes) -> bytes:
    """A .docx whose ``word/document.xml`` is ``document_xml``."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in _DOCX_PARTS.items():
            z.writestr(name, text)
        z.writestr("word/document.xml", document_xml)
    return buf.getvalue()


def sources(data: bytes) -> Iterator[bytes | str]:
    """What one fuzz input is parsed as (see the module doc)."""
    yield data
    yield data.decode("utf-8", errors="replace")
    yield b"<!DOCTYPE html>" + data
    if data.lstrip()[:1] == b"<":
        yield as_docx(data)


def _use(report: govreport.Report) -> None:
    govreport.check(report)
    govreport.flatten(report)
    if govreport.from_json(govreport.to_json(report)) != report:
        raise AssertionError("the JSON round trip changed the report")


def test_one_input(data: bytes) -> None:
    """One fuzz input: parse it as bytes and as text."""
    for source in sources(data):
        try:
            report = govreport.parse(source, limits=LIMITS)
        except govreport.GovReportError:
            continue
        _use(report)


def _hypothesis(examples: int) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(st.binary(max_size=4096))
    def run(data: bytes) -> None:
        test_one_input(data)

    run()


def main() -> None:
    """Run atheris with the command line's options (or hypothesis, see the module doc)."""
    if len(sys.argv) == 3 and sys.argv[1] == "--hypothesis":
        _hypothesis(int(sys.argv[2]))
        return
    if atheris is None:
        sys.exit("atheris is not installed: pip install 'govreport[fuzz]', or use --hypothesis N")
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
