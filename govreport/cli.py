"""The ``govreport`` command.

``govreport parse FILE... [--format json|flat|csv] [-o OUT]`` parses reports;
``govreport layouts`` lists the text layouts installed.

Exit status: 0 when every file was parsed; 1 when some file could not be
read or parsed (each gets a one-line message on stderr, the others are still
written); 2 for a wrong command line; 3 for an internal error (a bug: please
report it with the file).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, TextIO

from govreport import layouts
from govreport.errors import GovReportError
from govreport.model import Report
from govreport.pipeline import parse_file
from govreport.serialize import flatten, to_dict

__all__ = ["main"]

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="govreport",
        description="Parse Chinese government information-disclosure annual reports.",
        epilog="Exit status: 0 ok, 1 some input could not be parsed, 2 usage error, "
               "3 internal error.")
    sub = p.add_subparsers(dest="command", required=True)
    parse = sub.add_parser("parse", help="parse report files",
                           description="Parse report files and write the results.")
    parse.add_argument("files", nargs="+", metavar="FILE", help="report files (.txt)")
    parse.add_argument("--format", choices=("json", "flat", "csv"), default="json",
                       help="json: the whole report; flat: the flat keys of fields.tsv; "
                            "csv: long form file,key,value (default: json)")
    parse.add_argument("-o", "--output", metavar="OUT", help="write here instead of stdout")
    parse.add_argument("--layout", help="force a text layout (see 'govreport layouts')")
    sub.add_parser("layouts", help="list the installed text layouts",
                   description="List the installed text layouts, one per line.")
    return p


def _json_default(obj: object) -> str:
    if isinstance(obj, Decimal):
        return str(obj)
    raise TypeError(type(obj).__name__)


def _write(reports: list[tuple[str, Report]], fmt: str, out: TextIO) -> None:
    if fmt == "csv":
        w = csv.writer(out, lineterminator="\n")
        w.writerow(("file", "key", "value"))
        for name, report in reports:
            for k, v in flatten(report).items():
                w.writerow((name, k, "" if v is None else str(v)))
        return
    docs: list[Any]
    if fmt == "flat":
        docs = [{"file": name, "template": r.template, "values": flatten(r)} for name, r in reports]
    else:
        docs = [to_dict(r) for _, r in reports]
    doc = docs[0] if len(docs) == 1 else docs
    json.dump(doc, out, ensure_ascii=False, indent=2, default=_json_default)
    out.write("\n")


def _parse_command(args: argparse.Namespace) -> int:
    status = EXIT_OK
    reports: list[tuple[str, Report]] = []
    for name in args.files:
        try:
            reports.append((name, parse_file(name, layout=args.layout)))
        except GovReportError as e:
            if e.file is None:
                e.with_file(name)
            print(f"govreport: {e}", file=sys.stderr)
            status = EXIT_INPUT
    if not reports:
        return status
    buffer = io.StringIO()
    _write(reports, args.format, buffer)
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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as e:  # argparse has printed the usage message
        return EXIT_OK if e.code == 0 else EXIT_USAGE
    try:
        if args.command == "layouts":
            for name, layout in sorted(layouts.available().items()):
                print(f"{name}\t{layout.description}")
            return EXIT_OK
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
