"""atheris fuzz target: ``govreport.parse`` must raise nothing but GovReportError.

Each input is given to :func:`govreport.parse` as bytes (the sniffing,
decoding, HTML/DOCX/PDF readers and text layouts), and, decoded as UTF-8
with replacement, as ``str``; every Report that comes back also goes through
``check``, ``flatten`` and a JSON round trip. A GovReportError is an expected
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

import sys
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
LIMITS = govreport.Limits(max_bytes=256 * 1024, max_lines=20_000, max_line_chars=100_000)


def _use(report: govreport.Report) -> None:
    govreport.check(report)
    govreport.flatten(report)
    if govreport.from_json(govreport.to_json(report)) != report:
        raise AssertionError("the JSON round trip changed the report")


def test_one_input(data: bytes) -> None:
    """One fuzz input: parse it as bytes and as text."""
    for source in (data, data.decode("utf-8", errors="replace")):
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
