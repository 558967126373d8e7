"""The ``govreport`` command.

``govreport parse FILE... [--format json|flat|csv] [-o OUT]`` parses reports;
``govreport corpus PATH_OR_GLOB... -o OUT`` parses many in parallel (docs/corpus.md);
``govreport check FILE... [--format text|json] [--strict]`` says where they
contradict themselves; ``govreport layouts`` lists the text layouts and table
forms installed, built-in and from plugins.

Exit status of ``parse``: 0 when every file was parsed; 1 when some file
could not be read or parsed (each gets a one-line message on stderr, the
others are still written); 2 for a wrong command line; 3 for an internal
error (a bug: please report it with the file). ``check`` exits 0 when no
check failed with an error, 1 when one did (``--strict``: or with a
warning), 2 when some file could not be used or the command line is wrong.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import importlib.util
import io
import json
import os
import signal
import stat
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, TextIO

import attrs

from govreport import __version__, layouts, registry
from govreport.agency import agency_key
from govreport.corpus import DEFAULT_TIMEOUT
from govreport.errors import GovReportError
from govreport.limits import DEFAULT_LIMITS, LimitExceeded, Limits
from govreport.model import Report
from govreport.pipeline import parse, parse_file
from govreport.records import Result, csv_rows, file_sha256, record
from govreport.serialize import findings_to_dicts, to_dict
from govreport.validate import Finding, check, check_series

__all__ = ["main"]

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="govreport",
        description="Parse Chinese government information-disclosure annual reports.",
        epilog="Exit status: 0 ok, 1 some input could not be parsed, 2 usage error, "
               "3 internal error.")
    p.add_argument("--version", action="version", version=f"govreport {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    parse = sub.add_parser(
        "parse", help="parse report files",
        description="Parse report files and write the results.",
        epilog="Exit status: 0 every file parsed, 1 some file could not be read or parsed "
               "(the others are written) or OUT cannot be written, 2 usage error (also: an "
               "unknown --layout), 3 internal error.")
    parse.add_argument("files", nargs="+", metavar="FILE",
                       help="report files (.txt; .html, .docx, .pdf with the extras); "
                            "- reads standard input")
    parse.add_argument("--format", choices=("json", "flat", "csv"), default="json",
                       help="json: the whole report; flat: the metadata and the flat keys "
                            "(the corpus JSONL record); csv: long form file,key,value, the "
                            "metadata rows after the values (default: json). JSON is a list "
                            "when more than one FILE is named")
    parse.add_argument("-o", "--output", metavar="OUT", help="write here instead of stdout")
    parse.add_argument("--layout", help="force a text layout (see 'govreport layouts')")
    _max_bytes_option(parse)
    chk = sub.add_parser(
        "check", help="check reports for contradictions",
        description="Check reports: table arithmetic, prose against tables, template "
                    "against year, missing tables (see docs/checks.md).",
        epilog="Exit status: 0 no check failed with an error, 1 some did (--strict: or "
               "with a warning), 2 some file could not be used, two reports of one agency "
               "for one year with --series, or a usage error (also: an unknown --layout).")
    chk.add_argument("files", nargs="+", metavar="FILE",
                     help="report files (.txt; .html, .docx, .pdf with the extras)")
    chk.add_argument("--format", choices=("text", "json"), default="text",
                     help="text: readable, grouped by file; json: every finding (default: text)")
    chk.add_argument("--strict", action="store_true",
                     help="warnings count as errors for the exit status")
    chk.add_argument("--series", action="store_true",
                     help="also compare each report with its agency's report of the year "
                          "before (B6, A2); reports are grouped by agency "
                          "(govreport.agency.agency_key)")
    chk.add_argument("--all", action="store_true", help="also list the checks that passed")
    chk.add_argument("-v", "--verbose", action="store_true",
                     help="text: list every not-checkable finding instead of counting them")
    chk.add_argument("--lang", choices=("en", "zh"), default="en",
                     help="language of the text messages (json has both; default: en)")
    chk.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                     help="auto: colour on a terminal unless NO_COLOR is set (default)")
    chk.add_argument("--layout", help="force a text layout (see 'govreport layouts')")
    _max_bytes_option(chk)
    sub.add_parser("layouts", help="list the installed text layouts and table forms",
                   description="List the installed text layouts and table forms, built-in "
                               "and from plugins, one per line: name, kind (layout or "
                               "form), where from, description; separated by TABs.")
    _corpus_parser(sub)
    _compare_parser(sub)
    _report_parser(sub)
    _panel_parser(sub)
    return p


def _corpus_parser(sub: Any) -> None:
    c = sub.add_parser(
        "corpus", help="parse many reports in parallel into one JSONL, CSV or Parquet file",
        description="Parse every report under the inputs (directories are walked for .txt, "
                    ".html, .docx and .pdf; glob patterns are expanded) with a pool of worker "
                    "processes, and stream one record per file, with its status, to OUT "
                    "(see docs/corpus.md).",
        epilog="Exit status: 0 every file was parsed, 1 some file failed (it is recorded "
               "in OUT and counted on stderr) or no report file was found (also a missing "
               "directory), or OUT cannot be written (a full disk) or resumed, 2 usage error "
               "(also: OUT is one of the inputs, OUT exists without --resume or --force, "
               "OUT's suffix names no format, an unknown --layout), 3 internal error, "
               "130 Ctrl-C, 143 SIGTERM, 129 SIGHUP.")
    c.add_argument("inputs", nargs="+", metavar="PATH_OR_GLOB",
                   help="report files, directories and glob patterns (quote them: 'a/**/*.txt')")
    c.add_argument("-o", "--output", metavar="OUT",
                   help="the output file: .jsonl, .csv, .parquet or .pq (default: stdout; "
                        "not for Parquet)")
    c.add_argument("--format", choices=("jsonl", "csv", "parquet"),
                   help="jsonl: one record per file; csv: long form file,key,value; parquet: "
                        "one row per file (govreport[parquet]) (default: from OUT's suffix; "
                        "jsonl on stdout)")
    c.add_argument("-j", "--workers", type=_workers, metavar="N",
                   help="worker processes (default: the number of cores; 0: no pool, "
                        "with --timeout 0 only)")
    c.add_argument("--timeout", type=_seconds, metavar="SECONDS", default=DEFAULT_TIMEOUT,
                   help="time budget per file: a file still parsing after it is recorded as "
                        "an error and its worker replaced (default: "
                        f"{DEFAULT_TIMEOUT:g}; 0: none)")
    c.add_argument("--resume", action="store_true",
                   help="skip the files OUT already holds (the same file under any name, "
                        "unchanged) and add the others")
    c.add_argument("--force", action="store_true",
                   help="replace an existing OUT (without it, or --resume, an existing OUT "
                        "is a usage error)")
    c.add_argument("--strict", action="store_true",
                   help="kept for old scripts: a failed file exits 1 anyway")
    c.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="a progress bar with files/s and ETA on stderr (default: on a "
                        "terminal unless CI is set; needs govreport[progress])")
    c.add_argument("--layout", help="force a text layout (see 'govreport layouts')")
    _max_bytes_option(c)


def _int_at_least(minimum: int, what: str) -> Callable[[str], int]:
    """An argparse type: an integer of at least ``minimum``, else a message naming ``what``."""
    def convert(text: str) -> int:
        try:
            n = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number of {what}: {text!r}") from None
        if n < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}: {text!r}")
        return n
    return convert


def _seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not seconds >= 0 or seconds == float("inf"):
        raise argparse.ArgumentTypeError(f"must be 0 or more seconds: {text!r}")
    return seconds


_workers = _int_at_least(0, "workers")
_positive_int = _int_at_least(1, "bytes")


def _max_bytes_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--max-bytes", type=_positive_int, metavar="N",
                   default=DEFAULT_LIMITS.max_bytes,
                   help="refuse files larger than N bytes (default: "
                        f"{DEFAULT_LIMITS.max_bytes}; see docs/robustness.md)")


def _limits(args: argparse.Namespace) -> Limits:
    return Limits(max_bytes=args.max_bytes)


def _json_default(obj: object) -> str:
    if isinstance(obj, Decimal):
        return str(obj)
    raise TypeError(type(obj).__name__)


STDIN = "-"
"""The FILE that names standard input."""

_STDIN_NAME = "<stdin>"


def _write(reports: list[Result], fmt: str, out: TextIO, many: bool) -> None:
    if fmt == "csv":
        w = csv.writer(out, lineterminator="\n")
        w.writerow(("file", "key", "value"))
        for result in reports:
            w.writerows(csv_rows(result))
        return
    docs: list[Any]
    if fmt == "flat":
        docs = [record(result) for result in reports]
    else:
        docs = [to_dict(result.report) for result in reports if result.report is not None]
    doc = docs if many else docs[0]
    json.dump(doc, out, ensure_ascii=False, indent=2, default=_json_default)
    out.write("\n")


def _parse_stdin(args: argparse.Namespace) -> Result:
    limits = _limits(args)
    data = sys.stdin.buffer.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        raise LimitExceeded("max_bytes", limits.max_bytes, len(data), "input of {} bytes",
                            file=_STDIN_NAME)
    try:
        report = parse(data, layout=args.layout, limits=limits)
        return Result(_STDIN_NAME, report, sha256=hashlib.sha256(data).hexdigest())
    except GovReportError as e:
        if e.file is None:
            e.with_file(_STDIN_NAME)
        raise


def _parse_command(args: argparse.Namespace) -> int:
    status = EXIT_OK
    reports: list[Result] = []
    if args.files.count(STDIN) > 1:
        print("govreport: parse: - (standard input) can be named once", file=sys.stderr)
        return EXIT_USAGE
    for name in args.files:
        try:
            if name == STDIN:
                reports.append(_parse_stdin(args))
            else:
                report = parse_file(name, layout=args.layout, limits=_limits(args))
                reports.append(Result(name, report, sha256=file_sha256(name)))
        except GovReportError as e:
            if e.file is None:
                e.with_file(name)
            print(f"govreport: {e}", file=sys.stderr)
            status = EXIT_INPUT
    if not reports:
        return status
    buffer = io.StringIO()
    _write(reports, args.format, buffer, many=len(args.files) > 1)
    if args.output:
        try:
            with open(args.output, "w", encoding="utf-8", newline="") as f:
                f.write(buffer.getvalue())
        except OSError as e:
            print(f"govreport: {args.output}: cannot write: {e.strerror or e}", file=sys.stderr)
            return EXIT_INPUT
    else:
        sys.stdout.write(buffer.getvalue())
    return status


# --------------------------------------------------------------------------- check

_COLOURS = {"error": "1;31", "warning": "33", "info": "36", "not_checkable": "2",
            "passed": "32", "file": "1"}


@attrs.frozen
class _Checked:
    name: str
    report: Report | None
    findings: list[Finding]
    error: str | None = None


def _colour_on(choice: str) -> bool:
    if choice != "auto":
        return choice == "always"
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _fails(f: Finding, strict: bool) -> bool:
    return f.status == "failed" and (f.severity == "error" or (strict and f.severity == "warning"))


def _text(results: list[_Checked], args: argparse.Namespace, out: TextIO) -> None:
    on = _colour_on(args.color)

    def paint(what: str, text: str) -> str:
        return f"\x1b[{_COLOURS[what]}m{text}\x1b[0m" if on else text

    for res in results:
        if res.report is None:
            continue  # already said on stderr
        r = res.report
        about = " ".join(str(x) for x in (r.agency, r.year) if x is not None) or "?"
        out.write(paint("file", res.name) + f": {about}, template {r.template}\n")
        shown = [f for f in res.findings if f.status != "not_checkable" or args.verbose]
        shown.sort(key=lambda f: (f.line is None, f.line or 0))
        for f in shown:
            kind = f.severity if f.status == "failed" else f.status
            label = paint(kind, f"{kind.replace('_', ' '):<13}")
            where = f"line {f.line}" if f.line is not None else "-"
            message = f.message_zh if args.lang == "zh" else f.message_en
            out.write(f"  {where:>10}  {label} {f.code:<4} {message}\n")
        hidden = Counter(f.code for f in res.findings
                         if f.status == "not_checkable" and not args.verbose)
        if hidden:
            codes = ", ".join(f"{c} ×{n}" if n > 1 else c for c, n in sorted(hidden.items()))
            out.write("  " + paint("not_checkable", f"not checkable (a value is missing): {codes}"
                                   " (-v lists them)") + "\n")
        failed = Counter(f.severity for f in res.findings if f.status == "failed")
        summary = ", ".join(f"{failed[s]} {s}{'s' if failed[s] != 1 and s != 'info' else ''}"
                            for s in ("error", "warning", "info"))
        if r.template == "freeform":
            summary += " (free form: no template tables to check)"
        out.write(f"  {summary}\n")


def _check_command(args: argparse.Namespace) -> int:
    results: list[_Checked] = []
    unusable = False
    for name in args.files:
        try:
            report = parse_file(name, layout=args.layout, limits=_limits(args))
        except GovReportError as e:
            if e.file is None:
                e.with_file(name)
            print(f"govreport: {e}", file=sys.stderr)
            results.append(_Checked(name, None, [], str(e)))
            unusable = True
            continue
        results.append(_Checked(name, report, check(report, include_passed=args.all)))
    if args.series:
        parsed = [res for res in results if res.report is not None]
        # One series per agency (govreport.agency.agency_key): two agencies' reports of
        # one year are two series, not a contradiction.
        groups: dict[str | None, list[Report]] = {}
        for res in parsed:
            assert res.report is not None
            groups.setdefault(agency_key(res.report.agency), []).append(res.report)
        series: list[Finding] = []
        for reports in groups.values():
            try:
                series.extend(check_series(reports, include_passed=args.all))
            except ValueError as e:
                print(f"govreport: --series: {e}", file=sys.stderr)
                return EXIT_USAGE
        for res in parsed:
            assert res.report is not None
            res.findings.extend(f for f in series if f.file == res.report.source)
    if args.format == "json":
        docs = [{"file": res.name,
                 "agency": res.report.agency if res.report else None,
                 "year": res.report.year if res.report else None,
                 "template": res.report.template if res.report else None,
                 "error": res.error,
                 "findings": findings_to_dicts(res.findings)} for res in results]
        json.dump(docs, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        _text(results, args, sys.stdout)
    if unusable:
        return EXIT_USAGE
    failed = any(_fails(f, args.strict) for res in results for f in res.findings)
    return EXIT_INPUT if failed else EXIT_OK


# --------------------------------------------------------------------------- corpus

_SHOWN_FAILURES = 20


def _corpus_command(args: argparse.Namespace) -> int:
    from govreport import corpus  # here: the pool machinery is not needed by parse/check

    to_file = args.output not in (None, "-")
    if args.resume and args.force:
        print("govreport: corpus: --resume and --force: choose one", file=sys.stderr)
        return EXIT_USAGE
    fmt = args.format or ("jsonl" if not to_file else corpus.suffix_format(args.output))
    if fmt is None:
        if not _special_file(args.output):
            print(f"govreport: corpus: {args.output}: the suffix names no output format "
                  "(.jsonl, .csv, .parquet or .pq): rename OUT or give --format",
                  file=sys.stderr)
            return EXIT_USAGE
        fmt = "jsonl"
    if fmt == "parquet" and not to_file:
        print("govreport: corpus: Parquet is written to a file: give -o OUT", file=sys.stderr)
        return EXIT_USAGE
    if args.resume and not to_file:
        print("govreport: corpus: --resume needs -o OUT", file=sys.stderr)
        return EXIT_USAGE
    if args.progress and importlib.util.find_spec("tqdm") is None:
        print("govreport: corpus: --progress: no progress bar, tqdm is not installed "
              "(pip install 'govreport[progress]')", file=sys.stderr)
    failures = 0

    def failed(name: str, status: str, message: str) -> None:
        nonlocal failures
        failures += 1
        if failures <= _SHOWN_FAILURES:
            print(f"govreport: {name}: {message} ({status})", file=sys.stderr)
        elif failures == _SHOWN_FAILURES + 1:
            print("govreport: more files failed; their errors are in the output",
                  file=sys.stderr)

    def nothing(spec: str) -> None:
        print(f"govreport: {spec}: no report file there", file=sys.stderr)

    try:
        summary = corpus.run(args.inputs, args.output, fmt=fmt, workers=args.workers,
                             layout=args.layout, limits=_limits(args), resume=args.resume,
                             replace=args.force, progress=args.progress,
                             timeout=args.timeout or None,
                             on_failure=failed, on_nothing=nothing)
    except corpus.OutputClash as e:
        print(f"govreport: corpus: {e}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt as e:
        signum = e.signal if isinstance(e, corpus.Interrupted) else signal.SIGINT
        what = "" if signum == signal.SIGINT else f" ({signal.Signals(signum).name})"
        print(f"govreport: interrupted{what}; what was parsed is in the output "
              "(--resume goes on)", file=sys.stderr)
        return 128 + signum
    except GovReportError:
        if args.output in (None, "-"):
            _quiet_stdout()
        raise
    if summary.total == 0 and summary.skipped == 0:
        print("govreport: corpus: no report files found", file=sys.stderr)
        return EXIT_INPUT
    print(f"govreport: {summary.line()}", file=sys.stderr)
    return EXIT_INPUT if summary.failed else EXIT_OK


def _special_file(path: str) -> bool:
    """Whether ``path`` is there and not a regular file (``/dev/null``, a pipe): any suffix."""
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False

# --------------------------------------------------------------------------- compare, report


def _compare_parser(sub: Any) -> None:
    c = sub.add_parser(
        "compare", help="compare one agency's reports of two years",
        description="Compare two reports: text repetition per section, paragraphs added, "
                    "removed, changed or repeated, every table value with its change, the "
                    "cross-year checks with their formula, each year's findings by table "
                    "(see docs/compare.md).",
        epilog="Exit status: 0 written, 1 a report could not be read or OUT not written, "
               "2 usage error, 3 internal error.")
    c.add_argument("old", metavar="OLD", help="the earlier report")
    c.add_argument("new", metavar="NEW", help="the later report")
    c.add_argument("-o", "--output", metavar="OUT",
                   help="write here (.json, .html or .docx) instead of stdout")
    c.add_argument("--format", choices=("json", "html", "docx"),
                   help="default: from OUT's suffix, else json")
    c.add_argument("--layout", help="force a text layout (see 'govreport layouts')")
    _max_bytes_option(c)


def _report_parser(sub: Any) -> None:
    r = sub.add_parser(
        "report", help="a static HTML overview of many reports",
        description="Parse every report under the inputs and write an overview: the "
                    "coverage matrix agency × year, findings per report by table, trend "
                    "charts, and a comparison page for each agency's consecutive years "
                    "(see docs/compare.md).",
        epilog="Exit status: 0 written (files that could not be read are listed in the "
               "pages), 1 no report found or OUT not written, 2 usage error, 3 internal error.")
    r.add_argument("inputs", nargs="+", metavar="PATH_OR_GLOB",
                   help="report files, directories and glob patterns")
    r.add_argument("-o", "--output", metavar="OUT", required=True,
                   help="a directory for the site (index.html and a page per comparison), "
                        "or one .html file holding everything")
    r.add_argument("-j", "--workers", type=_workers, metavar="N",
                   help="worker processes (default: the number of cores; 0: no pool)")
    r.add_argument("--layout", help="force a text layout (see 'govreport layouts')")
    _max_bytes_option(r)


def _compare_command(args: argparse.Namespace) -> int:
    from govreport.comparison import compare, comparison_to_json

    fmt = args.format or (os.path.splitext(args.output or "")[1].lstrip(".").lower() or "json")
    if fmt not in ("json", "html", "docx"):
        print(f"govreport: compare: cannot tell the format of {args.output}: give --format",
              file=sys.stderr)
        return EXIT_USAGE
    if fmt == "docx" and not args.output:
        print("govreport: compare: .docx is written to a file: give -o OUT", file=sys.stderr)
        return EXIT_USAGE
    reports = []
    for name in (args.old, args.new):
        try:
            reports.append(parse_file(name, layout=args.layout, limits=_limits(args)))
        except GovReportError as e:
            if e.file is None:
                e.with_file(name)
            print(f"govreport: {e}", file=sys.stderr)
            return EXIT_INPUT
    result = compare(reports[0], reports[1])
    try:
        if fmt == "docx":
            from govreport.render.docx import write_comparison_docx

            write_comparison_docx(result, args.output)
            return EXIT_OK
        if fmt == "html":
            from govreport.render.comparison import comparison_page

            text = comparison_page(result)
        else:
            text = comparison_to_json(result, indent=2) + "\n"
        if args.output:
            with open(args.output, "w", encoding="utf-8", newline="") as f:
                f.write(text)
        else:
            sys.stdout.write(text)
    except OSError as e:
        print(f"govreport: {args.output}: cannot write: {e.strerror or e}", file=sys.stderr)
        return EXIT_INPUT
    return EXIT_OK


def _report_command(args: argparse.Namespace) -> int:
    from govreport.corpus import iter_files, parse_many
    from govreport.overview import overview
    from govreport.render.overview import overview_pages

    files = list(iter_files(args.inputs, on_nothing=lambda spec: print(
        f"govreport: {spec}: no report file there", file=sys.stderr)))
    if not files:
        print("govreport: report: no report files found", file=sys.stderr)
        return EXIT_INPUT
    results = parse_many(files, workers=args.workers, layout=args.layout, limits=_limits(args))
    ov = overview(results)
    single = args.output.lower().endswith((".html", ".htm"))
    pages = overview_pages(ov, single=single)
    try:
        if single:
            parent = os.path.dirname(args.output)
            if parent:
                os.makedirs(parent, exist_ok=True)
            targets = {args.output: pages["index.html"]}
        else:
            os.makedirs(args.output, exist_ok=True)
            targets = {os.path.join(args.output, n): text for n, text in pages.items()}
        for target, text in targets.items():
            with open(target, "w", encoding="utf-8", newline="") as f:
                f.write(text)
    except OSError as e:
        print(f"govreport: {args.output}: cannot write: {e.strerror or e}", file=sys.stderr)
        return EXIT_INPUT
    readable = sum(1 for a in ov.agencies for e in a.entries if e.ok) + len(ov.undated)
    print(f"govreport: {readable} reports, {len(ov.failed)} unreadable, "
          f"{len(ov.agencies)} agencies, {len(pages)} pages written to {args.output}",
          file=sys.stderr)
    return EXIT_OK


# --------------------------------------------------------------------------- panel


def _panel_parser(sub: Any) -> None:
    c = sub.add_parser(
        "panel", help="one long table of every report's values under canonical indicators",
        description="Parse every report under the inputs (as corpus does) and write one row "
                    "per agency, year, indicator and applicant column: agency_key, agency, "
                    "year, indicator, applicant, value, unit, source, file, template, line "
                    "(see docs/panel.md). The same agency and year from several files gives "
                    "the rows of one file.",
        epilog="Exit status: 0 the panel was written (files that failed are listed on "
               "stderr and in --files), 1 no report file was found or none could be parsed, "
               "or OUT cannot be written, 2 usage error, 3 internal error.")
    c.add_argument("inputs", nargs="+", metavar="PATH_OR_GLOB",
                   help="report files, directories and glob patterns")
    c.add_argument("-o", "--output", metavar="OUT",
                   help="OUT.csv, OUT.jsonl or OUT.parquet (default: CSV on stdout)")
    c.add_argument("--format", choices=("csv", "jsonl", "parquet"),
                   help="default: from OUT's suffix (.csv, .parquet or .pq, else jsonl); "
                        "csv on stdout")
    c.add_argument("--timeout", type=_seconds, metavar="SECONDS", default=DEFAULT_TIMEOUT,
                   help="time budget per file, as in corpus (default: "
                        f"{DEFAULT_TIMEOUT:g}; 0: none)")
    c.add_argument("--aliases", metavar="CSV",
                   help="agency aliases, rows alias,agency: the alias counts as that agency")
    c.add_argument("--files", metavar="CSV", dest="files_out",
                   help="also write what became of each file (status, agency_key, year, "
                        "duplicate_of)")
    c.add_argument("--findings", metavar="JSONL", dest="findings_out",
                   help="also write the findings (sources or duplicate files that disagree)")
    c.add_argument("-j", "--workers", type=_workers, metavar="N",
                   help="worker processes (default: the number of cores; 0: no pool)")
    c.add_argument("--layout", help="force a text layout (see 'govreport layouts')")
    _max_bytes_option(c)


def _panel_command(args: argparse.Namespace) -> int:
    from govreport import panels as panel  # here: the pool machinery is not needed by parse/check

    fmt = args.format or ("csv" if args.output in (None, "-") else
                          panel.format_for(args.output))
    if fmt == "parquet" and args.output in (None, "-"):
        print("govreport: panel: Parquet is written to a file: give -o OUT", file=sys.stderr)
        return EXIT_USAGE
    aliases = panel.read_aliases(args.aliases) if args.aliases else None

    def failed(name: str, status: str, message: str) -> None:
        print(f"govreport: {name}: {message} ({status})", file=sys.stderr)

    def nothing(spec: str) -> None:
        print(f"govreport: {spec}: no report file there", file=sys.stderr)

    try:
        summary = panel.run(args.inputs, args.output, fmt=fmt, workers=args.workers,
                            layout=args.layout, limits=_limits(args), aliases=aliases,
                            timeout=args.timeout or None, on_failure=failed, on_nothing=nothing)
    except KeyboardInterrupt:
        # The rows wait until every file is read (a later one may be a duplicate): none
        # were written.
        print("govreport: panel: interrupted; no rows were written", file=sys.stderr)
        return 130
    if not summary.files:
        print("govreport: panel: no report files found", file=sys.stderr)
        return EXIT_INPUT
    if not summary.counts.get("ok"):
        print("govreport: panel: no file could be parsed", file=sys.stderr)
        return EXIT_INPUT
    for f in summary.duplicates[:_SHOWN_FAILURES]:
        print(f"govreport: {f.file}: the same agency and year as {f.duplicate_of} "
              "(duplicate_of; its rows are left out)", file=sys.stderr)
    if args.files_out:
        panel.write_files(summary.files, args.files_out)
    if args.findings_out:
        panel.write_findings(summary.findings, args.findings_out)
    print(f"govreport: panel: {summary.line()}", file=sys.stderr)
    return EXIT_OK


def _quiet_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's last flush of a full stdout says nothing."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, io.UnsupportedOperation):
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as e:  # argparse has printed the usage message
        return EXIT_OK if e.code == 0 else EXIT_USAGE
    if getattr(args, "layout", None) is not None:
        try:
            layouts.get(args.layout)
        except GovReportError as e:  # once for the command line, not once per file
            print(f"govreport: {args.command}: --layout: {e}", file=sys.stderr)
            return EXIT_USAGE
    try:
        if args.command == "layouts":
            for entry in sorted(registry.entries(), key=lambda e: (e.name, e.kind)):
                print(f"{entry.name}\t{entry.kind}\t{entry.origin}\t{entry.description}")
            return EXIT_OK
        if args.command == "check":
            return _check_command(args)
        if args.command == "corpus":
            return _corpus_command(args)
        if args.command == "compare":
            return _compare_command(args)
        if args.command == "report":
            return _report_command(args)
        if args.command == "panel":
            return _panel_command(args)
        return _parse_command(args)
    except GovReportError as e:
        print(f"govreport: {e}", file=sys.stderr)
        return EXIT_INPUT
    except BrokenPipeError:
        return EXIT_OK
    except Exception as e:  # a bug: say so in one line rather than a traceback
        print(f"govreport: internal error: {type(e).__name__}: {e} (please report this "
              "with the input file)", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
